import { createTheme, type Theme } from '@mui/material/styles';

/** A calm consumer-security look: deep blue brand, red reserved for the scan action and danger. */
export function makeTheme(mode: 'light' | 'dark'): Theme {
  const dark = mode === 'dark';
  return createTheme({
    palette: {
      mode,
      primary: { main: dark ? '#7aa7ff' : '#1946b8' },
      secondary: { main: dark ? '#5fd3c4' : '#0f8a7e' },
      // In dark mode a pale red would give the scan button dark text and a washed-out look: keep a
      // saturated red that carries white text, like in light mode.
      error: dark ? { main: '#e5484d', contrastText: '#ffffff' } : { main: '#d32f2f' },
      success: { main: dark ? '#5fd38a' : '#2e7d32' },
      // MUI's light orange (#ed6c02) gives 3.1:1 with white: warning chips, outlined buttons and
      // the "Débloquer" confirmation need 4.5:1 (WCAG 2.1 1.4.3); this amber gives 5:1.
      ...(dark ? {} : { warning: { main: '#b45309' } }),
      background: dark
        ? { default: '#0f1420', paper: '#161d2d' }
        : { default: '#f3f5fa', paper: '#ffffff' },
    },
    shape: { borderRadius: 10 },
    typography: {
      fontFamily: '"Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", system-ui, sans-serif',
      h1: { fontSize: '1.75rem', fontWeight: 600 },
      h2: { fontSize: '1.35rem', fontWeight: 600 },
      h3: { fontSize: '1.1rem', fontWeight: 600 },
      button: { textTransform: 'none', fontWeight: 600 },
    },
    components: {
      MuiCard: { defaultProps: { variant: 'outlined' } },
      MuiAppBar: { defaultProps: { elevation: 0 } },
    },
  });
}

export const MONO_FONT =
  '"Cascadia Mono", Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace';
