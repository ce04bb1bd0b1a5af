import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import DownloadIcon from '@mui/icons-material/Download';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportProgress, ReportFormat } from '../../../app/contract/report';
import { AppErrorAlert } from '../../components/AppErrorAlert';
import { useReport } from '../../stores/report';
import { useScan } from '../../stores/scan';

const FORMATS: ReportFormat[] = ['pdf', 'json', 'csv', 'nmap-xml'];

type Progress = Pick<ExportProgress, 'step' | 'done' | 'total'>;

/** The progress in words (fr/en, Intl numbers) and as a percentage, null while it has none. */
function progressShown(
  progress: Progress,
  t: (key: string, options: Record<string, unknown>) => string,
): { text: string; percent: number | null } {
  const { step, done, total } = progress;
  if (step === 'layout' || total === null) {
    return { text: t('export.progressLayout', { count: done }), percent: null };
  }
  const key = step === 'devices' ? 'export.progressDevices' : 'export.progressPages';
  const percent = total > 0 ? Math.round((done / total) * 100) : 100;
  return { text: t(key, { done, count: total }), percent };
}

/**
 * "Exporter le rapport": the format menu, then the file is saved (download or save dialog). While
 * the report is made, its progress (devices put in, pages laid out, pages written) and a Cancel
 * that stops it in the app (review 13 N5).
 */
export function ExportReportButton() {
  const { t, i18n } = useTranslation('report');
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const exporting = useReport((s) => s.exporting);
  const error = useReport((s) => s.error);
  const saved = useReport((s) => s.lastSaved);
  const savedFor = useReport((s) => s.savedFor);
  const shownId = useScan((s) => s.shown?.details.scanId ?? null);
  // Another scan on show: the file saved was not made of it.
  const lastSaved = savedFor === shownId ? saved : null;
  const exportReport = useReport((s) => s.exportReport);
  const progress = useReport((s) => s.exportProgress);
  const cancelled = useReport((s) => s.exportCancelled);
  const cancelExport = useReport((s) => s.cancelExport);
  const shown = progress ? progressShown(progress, t) : null;
  const dismissError = useReport((s) => s.dismissError);
  const lang = i18n.language === 'fr' ? 'fr' : 'en';

  return (
    <Stack spacing={1} sx={{ alignItems: 'flex-start' }}>
      <Button
        variant="outlined"
        startIcon={<DownloadIcon />}
        // aria-disabled, not disabled: the menu gives the focus back to this button as it closes,
        // while the export starts; a disabled button cannot take it, and it fell to <body>.
        aria-disabled={exporting !== null}
        aria-haspopup="menu"
        aria-expanded={anchor ? 'true' : undefined}
        data-testid="export-report"
        onClick={(event) => {
          if (exporting === null) setAnchor(event.currentTarget);
        }}
      >
        {exporting ? t('export.busy') : t('export.button')}
      </Button>
      {/* Drawn in place, inside the page's main landmark, not at the end of <body> where it
          belonged to no landmark (axe region, review 15, R9); it still floats over the page. */}
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)} disablePortal>
        {FORMATS.map((format) => (
          <MenuItem
            key={format}
            data-testid={`export-format-${format}`}
            onClick={() => {
              setAnchor(null);
              void exportReport(format, lang);
            }}
          >
            <ListItemText
              primary={t(`formats.${format}.label`)}
              secondary={t(`formats.${format}.hint`)}
            />
          </MenuItem>
        ))}
      </Menu>
      {exporting && (
        <Stack spacing={0.5} sx={{ alignSelf: 'stretch' }} data-testid="export-progress">
          <LinearProgress
            variant={shown?.percent != null ? 'determinate' : 'indeterminate'}
            {...(shown?.percent != null ? { value: shown.percent } : {})}
            aria-label={t('export.progressLabel')}
            {...(shown ? { 'aria-valuetext': shown.text } : {})}
          />
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1 }}>
              {shown?.text ?? t('export.busy')}
            </Typography>
            <Button size="small" onClick={() => void cancelExport()} data-testid="export-cancel">
              {t('export.cancel')}
            </Button>
          </Stack>
        </Stack>
      )}
      {cancelled && !exporting && (
        <Alert severity="info" role="status" data-testid="export-cancelled">
          {t('export.cancelled')}
        </Alert>
      )}
      {lastSaved && (
        <Alert severity="success" role="status" data-testid="export-done">
          {t('export.done', { file: lastSaved })}
        </Alert>
      )}
      {error && <AppErrorAlert error={error} onClose={dismissError} testId="report-error" />}
    </Stack>
  );
}
