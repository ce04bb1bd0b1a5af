import { createTheme, type Theme } from '@mui/material/styles';

/** A calm consumer-security look: deep blue brand, red reserved for the scan action and danger. */
export function makeTheme(mode: 'light' | 'dark'): Theme {
  const dark = mode === 'dark';
  // The keyboard focus ring (WCAG 2.2 2.4.7, 2.4.11/1.4.11): 3 px, at least 3:1 against the page
  // (#1946b8 on white 8.6:1; #9cc0ff on the dark paper 9:1).
  const focus = dark ? '#9cc0ff' : '#1946b8';
  const focusRing = { outline: `3px solid ${focus}`, outlineOffset: 2 };
  // White text on the dark theme's #e5484d is 3.9:1: filled and contained reds use a deeper red
  // (#d32f2f, 5:1 with white) while outlined red text keeps the brighter one, readable on dark paper.
  const filledRed = dark ? { backgroundColor: '#d32f2f', color: '#ffffff' } : {};
  // Red *words* on the dark paper (a field's error and its label, outlined red buttons) need
  // 4.5:1 (WCAG 2.2 1.4.3): #e5484d gives 4.3:1 on #161d2d, this lighter red 6.1:1 (6.6:1 on the
  // page). The palette keeps #e5484d, whose job is to carry white text. Light mode's #d32f2f
  // already gives 5:1 on white and 4.6:1 on the page.
  const redText = dark ? { '&.Mui-error': { color: '#ff6b6b' } } : {};
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
      MuiAppBar: {
        defaultProps: { elevation: 0 },
        // On the blue bar the page's ring would vanish: there it takes the bar's own text colour.
        styleOverrides: { root: { '& .Mui-focusVisible': { outlineColor: 'currentColor' } } },
      },
      // Every MUI control (buttons, tabs, radios, switches, accordion headers, menu rows) is a
      // ButtonBase: one ring for all, shown for the keyboard only (:focus-visible).
      MuiButtonBase: { styleOverrides: { root: { '&.Mui-focusVisible': focusRing } } },
      MuiCssBaseline: {
        styleOverrides: {
          // Plain elements (the skip link, links, a heading focus is moved to) get the same ring.
          ':focus-visible': focusRing,
        },
      },
      // A radio group's legend stays readable while the form is disabled during a scan: the
      // choices are inactive (exempt from 1.4.3) but the legend is the text that names them.
      MuiFormLabel: {
        styleOverrides: {
          root: { '&.Mui-disabled': { color: dark ? '#b8c0cc' : '#5f6368' }, ...redText },
        },
      },
      MuiInputLabel: { styleOverrides: { root: redText } },
      MuiFormHelperText: { styleOverrides: { root: redText } },
      MuiButton: {
        styleOverrides: {
          root: ({ ownerState }) =>
            ownerState.variant === 'contained' && ownerState.color === 'error'
              ? { ...filledRed, '&:hover': dark ? { backgroundColor: '#b71c1c' } : {} }
              : ownerState.color === 'error' && dark
                ? { color: '#ff6b6b', borderColor: '#ff6b6b' }
                : {},
        },
      },
      MuiChip: {
        styleOverrides: {
          root: ({ ownerState }) =>
            ownerState.variant !== 'outlined' && ownerState.color === 'error' ? filledRed : {},
        },
      },
    },
  });
}

export const MONO_FONT =
  '"Cascadia Mono", Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace';
