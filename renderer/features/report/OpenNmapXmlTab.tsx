import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import LinearProgress from '@mui/material/LinearProgress';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import FileOpenIcon from '@mui/icons-material/FileOpen';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { AppErrorAlert } from '../../components/AppErrorAlert';
import { useNavigation } from '../../stores/navigation';
import { useReport } from '../../stores/report';
import { useApp } from '../../stores/app';
import { importMethod } from './import-method';

/**
 * Toolbox → "Ouvrir un fichier (XML nmap ou rapport JSON)…": picks a file written by `nmap -oX`,
 * or a JSON report of this app (its export, `scan --json`, `show --json`), imports it and shows it on
 * the Open ports page, where it gets verdicts, block buttons and the report export like a scan.
 * In Electron the app's own open dialog picks it and the app reads it from its path; in a browser
 * the page's file input picks it and the page sends it in pieces (importMethod).
 */
export function OpenNmapXmlTab() {
  const { t, i18n } = useTranslation('report');
  const method = importMethod(useApp((s) => s.info));
  const choosing = useReport((s) => s.choosing);
  const via = useReport((s) => s.importVia);
  const importPicked = useReport((s) => s.importPicked);
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const importing = useReport((s) => s.importing);
  const progress = useReport((s) => s.importProgress);
  const error = useReport((s) => s.error);
  const importNmapXml = useReport((s) => s.importNmapXml);
  const dismissError = useReport((s) => s.dismissError);
  const go = useNavigation((s) => s.go);
  const showResults = () => go({ kind: 'tool', toolId: 'network-scanner', tabId: 'open-ports' });
  // A refused file: the focus comes back to the button, which names the error (aria-describedby),
  // so a screen reader hears why and the next try is one key away (not lost to <body>).
  const imported = (ok: boolean) => {
    if (ok) showResults();
    else button.current?.focus();
  };
  const describedBy = importing ? 'import-unavailable' : error ? 'import-error' : undefined;

  return (
    <Card>
      <CardContent sx={{ p: { xs: 2, md: 3 } }}>
        <Stack spacing={2} sx={{ alignItems: 'flex-start' }}>
          <Typography variant="h2" component="h2">
            {t('import.title')}
          </Typography>
          <Typography color="text.secondary">{t('import.body')}</Typography>
          <input
            ref={input}
            type="file"
            accept=".xml,.json,application/xml,text/xml,application/json"
            hidden
            data-testid="nmap-file-input"
            aria-label={t('import.button')}
            onChange={async (event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (!file) return;
              imported(await importNmapXml(file));
            }}
          />
          <Button
            variant="contained"
            startIcon={<FileOpenIcon />}
            ref={button}
            // aria-disabled, not disabled: it keeps the focus while a file is read and says why it
            // does nothing (import.unavailable); a disabled button dropped the focus to <body>.
            aria-disabled={importing || undefined}
            aria-describedby={describedBy}
            onClick={async () => {
              if (importing) return;
              if (method === 'upload') {
                input.current?.click();
                return;
              }
              const lang = i18n.language === 'fr' ? 'fr' : 'en';
              const ok = await importPicked(lang);
              // Cancelled in the dialog: no error, the focus stays where the dialog left it.
              if (ok || useReport.getState().error) imported(ok);
            }}
          >
            {choosing ? t('import.choosing') : importing ? t('import.busy') : t('import.button')}
          </Button>
          {importing && (
            <Typography id="import-unavailable" color="text.secondary" role="status">
              {t('import.unavailable')}
            </Typography>
          )}
          {progress !== null && (
            <LinearProgress
              variant="determinate"
              value={Math.round(progress * 100)}
              aria-label={t(via === 'picker' ? 'import.progressRead' : 'import.progress')}
              sx={{ alignSelf: 'stretch' }}
              data-testid="import-progress"
            />
          )}
          {error && (
            <AppErrorAlert
              error={error}
              id="import-error"
              onClose={() => {
                dismissError();
                // The close button goes with the alert: the focus goes back to the button.
                button.current?.focus();
              }}
              testId="import-error"
            />
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}
