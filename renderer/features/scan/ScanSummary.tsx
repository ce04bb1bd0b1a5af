import { fileNameWords } from '../../../app/contract/outside-words';
import { useId, type Ref } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../app/contract/datetime';
import type { LocalizedText } from '../../../app/contract/errors';
import type { AppError } from '../../../app/contract/errors';
import type { ScanDetails } from '../../../app/contract/history';
import { AppErrorAlert } from '../../components/AppErrorAlert';
import { durationText, formatNumber, portsText, targetsText } from './format';
import { specHasUdp } from '../../../app/contract/port-spec';

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Box sx={{ minWidth: 120 }}>
      <Typography variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography variant="h2" component="p" data-testid={testId}>
        {value}
      </Typography>
    </Box>
  );
}

/** What the app wants the user to know about how it read the targets (e.g. a subnet cut to /22). */
function ScanNotes({ notes, lang }: { notes: LocalizedText[]; lang: string }) {
  if (notes.length === 0) return null;
  return (
    <Alert severity="info" data-testid="scan-notes" sx={{ mt: 1 }}>
      {notes.map((note, i) => (
        <Typography key={i} variant="body2">
          {lang.startsWith('fr') ? note.fr : note.en}
        </Typography>
      ))}
    </Alert>
  );
}

/**
 * A kept scan at a glance: how long, how many addresses answered, how many open ports; where it
 * came from (an nmap file); and, when the app could not keep it in the history, why.
 */
export function ScanSummary({
  result,
  notice,
  focusRef,
}: {
  result: ScanDetails;
  notice: AppError | null;
  /** Where the focus goes when a scan ends (or is cancelled) while it was on the progress. */
  focusRef?: Ref<HTMLDivElement>;
}) {
  const { t, i18n } = useTranslation('scan');
  const titleId = useId();
  const lang = i18n.language;
  const hostsUp = result.counts.hostsUp;
  const openPorts = result.counts.openPorts;
  const duration = Date.parse(result.finishedAt) - Date.parse(result.startedAt);
  // Results read from a file: no scan just ran, so its own dates (when it has them) are what count.
  const imported =
    result.kind === 'nmap-import'
      ? { fileName: result.fileName ?? 'nmap.xml', dateKnown: result.dateKnown }
      : result.kind === 'json-report'
        ? { fileName: result.fileName ?? 'report.json', dateKnown: result.dateKnown }
        : null;
  const showDuration = !imported || (imported.dateKnown && duration > 0);
  // A JSON report was written by this app: a scan of it stopped early was cancelled by its user,
  // not an nmap run interrupted, and its words name a report, not an nmap file.
  const fromNmap = result.kind === 'nmap-import';
  // nmap's own run stopped (Ctrl+C): "interrupted", not a scan the user cancelled here.
  const title = result.cancelled
    ? fromNmap
      ? t('summary.interruptedTitle')
      : t('summary.cancelledTitle')
    : imported
      ? t(result.kind === 'json-report' ? 'summary.importedJsonTitle' : 'summary.importedTitle')
      : t('summary.title');

  return (
    <>
      <Alert
        severity={result.cancelled ? 'warning' : openPorts > 0 ? 'info' : 'success'}
        ref={focusRef}
        tabIndex={-1}
        data-testid="scan-summary"
        data-cancelled={result.cancelled}
        data-imported={imported !== null}
        // Not a live region: a scan that ends here is said once, by ScanAnnouncer ("Analyse
        // terminée : 3 ports ouverts trouvés."); a status here spoke the end a second time (issue
        // 15). A region named by its title, which the focus lands on when the scan ends.
        role="region"
        aria-labelledby={titleId}
        // A typed port or target list ("22,23,80,445,…") is one word to the browser: at 320 CSS px
        // it would make the message a scroller a keyboard cannot reach, its end cut off (review
        // 15, F3). It may break anywhere instead; minWidth 0 lets the flex item shrink to fit.
        sx={{ '& .MuiAlert-message': { width: '100%', minWidth: 0, overflowWrap: 'anywhere' } }}
      >
        <AlertTitle id={titleId} data-testid="scan-summary-title">
          {title}
        </AlertTitle>
        {imported && (
          <Typography data-testid="summary-imported-file">
            {imported.dateKnown
              ? t('summary.importedFileDated', {
                  file: fileNameWords(imported.fileName),
                  // The same words as every other date of the app (the Rules page, the PDF).
                  date: formatDateTime(result.startedAt, lang === 'fr' ? 'fr' : 'en'),
                })
              : t('summary.importedFile', { file: fileNameWords(imported.fileName) })}
          </Typography>
        )}
        {!imported && (
          // A kept scan reopened or shown again after a reload: when it ran and what it covered,
          // not the form's settings, which may be another scan's.
          <Typography data-testid="summary-scan-of">
            {t('summary.scanOf', {
              date: formatDateTime(result.finishedAt, lang === 'fr' ? 'fr' : 'en'),
              targets: targetsText(t, result.targets),
              ports: portsText(t, result.ports),
            })}
          </Typography>
        )}
        {result.cancelled && (
          <Typography sx={{ mb: 1 }}>
            {fromNmap ? t('summary.interruptedBody') : t('summary.cancelledBody')}
          </Typography>
        )}
        <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 4, mt: 1 }}>
          {showDuration && (
            <Figure
              label={t('summary.duration')}
              value={durationText(t, duration, lang)}
              testId="summary-duration"
            />
          )}
          <Figure
            label={t('summary.devicesUp')}
            value={formatNumber(result.counts.devicesUp, lang)}
            testId="summary-devices-up"
          />
          <Figure
            label={t('summary.hostsUp')}
            value={formatNumber(hostsUp, lang)}
            testId="summary-hosts-up"
          />
          <Figure
            label={t('summary.openPorts')}
            value={formatNumber(openPorts, lang)}
            testId="summary-open-ports"
          />
        </Box>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          {t('summary.scanned', {
            addresses: formatNumber(result.counts.addresses, lang),
            ports: formatNumber(result.portCount, lang),
          })}
        </Typography>
        <Typography variant="body2" sx={{ mt: 1 }} data-testid="summary-protocols">
          {specHasUdp(result.ports)
            ? t('summary.withUdp')
            : fromNmap
              ? t('summary.tcpOnlyImported')
              : imported
                ? t('summary.tcpOnlyJsonReport')
                : t('summary.tcpOnly')}
        </Typography>
        {openPorts === 0 && hostsUp > 0 && (
          <Typography sx={{ mt: 1 }}>{t('summary.nothingOpen')}</Typography>
        )}
      </Alert>
      {notice && <AppErrorAlert error={notice} severity="warning" testId="scan-not-kept" />}
      <ScanNotes notes={result.notes} lang={lang} />
    </>
  );
}
