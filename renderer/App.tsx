import { useEffect, useMemo } from 'react';
import CssBaseline from '@mui/material/CssBaseline';
import useMediaQuery from '@mui/material/useMediaQuery';
import { ThemeProvider } from '@mui/material/styles';
import { useTranslation } from 'react-i18next';
import { browserLanguage } from './i18n';
import { AccessRefusedPage } from './shell/AccessRefusedPage';
import { AppShell } from './shell/AppShell';
import { useApp } from './stores/app';
import { resolveLanguage, useSettings } from './stores/settings';
import { makeTheme } from './theme';

export function App() {
  const { i18n } = useTranslation();
  const languageChoice = useSettings((s) => s.language);
  const themeChoice = useSettings((s) => s.theme);
  const systemLanguage = useApp((s) => s.info?.systemLanguage ?? null);
  const prefersDark = useMediaQuery('(prefers-color-scheme: dark)', { noSsr: true });
  const connection = useApp((s) => s.connection);

  const language = resolveLanguage(languageChoice, browserLanguage(), systemLanguage);
  useEffect(() => {
    if (i18n.language !== language) void i18n.changeLanguage(language);
  }, [i18n, language]);

  const mode = themeChoice === 'system' ? (prefersDark ? 'dark' : 'light') : themeChoice;
  const theme = useMemo(() => makeTheme(mode), [mode]);

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      {/* A refused page gets only the refusal: behind it every button would fail (review 13 N4). */}
      {connection === 'token-used' || connection === 'refused' ? (
        <AccessRefusedPage state={connection} />
      ) : (
        <AppShell />
      )}
    </ThemeProvider>
  );
}
