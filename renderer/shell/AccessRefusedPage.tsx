import { useEffect, useRef } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

/**
 * What a page the host refused shows instead of the app (review 13 N4): the launch address was
 * already traded by another tab or program (`token-used`: most often the user's own browser,
 * closed and opened again on the printed address), or the page came with neither that address's
 * token nor a session (`refused`). Every request of such a page fails, so no working-looking
 * screen is drawn behind the message: it is the whole page, an alert that takes the focus, and
 * says first the plain way back (restart Port Auditor for a new address), then — for a spent
 * address — why that also helps if someone else used it.
 */
export function AccessRefusedPage({ state }: { state: 'token-used' | 'refused' }) {
  const { t, i18n } = useTranslation();
  const alert = useRef<HTMLDivElement>(null);
  useEffect(() => {
    alert.current?.focus();
  }, [state]);
  // The tab's title says what the page is, as every page of the app does (WCAG 2.4.2): without
  // it the tab kept the document's bare name, whatever the page said.
  useEffect(() => {
    document.title = t('nav.pageTitle', { page: t('connection.refusedPage'), app: t('appName') });
  }, [t, i18n.language]);
  return (
    <Box component="main" sx={{ minHeight: '100vh', p: { xs: 2, md: 4 } }}>
      <Box sx={{ maxWidth: 720, mx: 'auto', mt: { xs: 2, md: 8 } }}>
        <Alert
          ref={alert}
          severity="error"
          role="alert"
          tabIndex={-1}
          data-testid={`access-${state}`}
          sx={{ '&:focus': { outline: 'none' } }}
        >
          <AlertTitle component="h1" sx={{ fontSize: '1.25rem', fontWeight: 700 }}>
            {t('connection.refusedTitle')}
          </AlertTitle>
          <Typography component="p" sx={{ mb: state === 'token-used' ? 1 : 0 }}>
            {t(`connection.${state}`)}
          </Typography>
          {state === 'token-used' && (
            <Typography component="p">{t('connection.tokenUsedWarning')}</Typography>
          )}
        </Alert>
      </Box>
    </Box>
  );
}
