import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import DownloadIcon from '@mui/icons-material/Download';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportFormat } from '../../../app/contract/report';
import { AppErrorAlert } from '../../components/AppErrorAlert';
import { useReport } from '../../stores/report';
import { useScan } from '../../stores/scan';

const FORMATS: ReportFormat[] = ['pdf', 'json', 'csv', 'nmap-xml'];

/** "Exporter le rapport": the format menu, then the file is saved (download or save dialog). */
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
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
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
      {lastSaved && (
        <Alert severity="success" role="status" data-testid="export-done">
          {t('export.done', { file: lastSaved })}
        </Alert>
      )}
      {error && <AppErrorAlert error={error} onClose={dismissError} testId="report-error" />}
    </Stack>
  );
}
