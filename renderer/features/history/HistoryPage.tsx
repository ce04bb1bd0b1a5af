import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Pagination from '@mui/material/Pagination';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { fileNameWords, quotable } from '../../../app/contract/outside-words';
import { formatDateTime, formatDateTimeSeconds } from '../../../app/contract/datetime';
import type { ScanRecord } from '../../../app/contract/history';
import { AppErrorAlert } from '../../components/AppErrorAlert';
import { HISTORY_PAGE, useHistory } from '../../stores/history';
import { useNavigation } from '../../stores/navigation';
import { useScan } from '../../stores/scan';
import { useSettings } from '../../stores/settings';
import { MONO_FONT } from '../../theme';
import { formatNumber, targetsText } from '../scan/format';

/**
 * "Historique": every scan and nmap import the app kept, newest first; any one reopens on the
 * Open ports page with its verdicts, where it can be exported.
 */
export function HistoryPage() {
  const { t, i18n } = useTranslation('history');
  const lang = i18n.language === 'fr' ? 'fr' : 'en';
  const { rows, total, unreadable, offset, loaded, error, load } = useHistory();
  const retention = useSettings((s) => s.history);
  const shownId = useScan((s) => s.shown?.details.scanId);
  const go = useNavigation((s) => s.go);
  const busy = useScan((s) => s.phase === 'starting' || s.phase === 'running');

  useEffect(() => {
    void load(0);
  }, [load]);

  const reopen = async (row: ScanRecord) => {
    useScan.getState().dismissError();
    if (await useScan.getState().open(row.scanId)) {
      if (!busy) useScan.setState({ phase: 'finished' });
      go({ kind: 'tool', toolId: 'network-scanner', tabId: 'open-ports' });
    }
  };
  const pages = Math.ceil(total / HISTORY_PAGE);

  return (
    <Stack spacing={3}>
      <Typography variant="h1" component="h1">
        {t('title')}
      </Typography>
      <Typography color="text.secondary">
        {t('intro', { scans: retention.keepScans, days: retention.keepDays })}
      </Typography>
      {error && <AppErrorAlert error={error} testId="history-error" />}
      {unreadable > 0 && (
        <Alert severity="warning" data-testid="history-unreadable">
          {t('unreadable', { count: unreadable })}
        </Alert>
      )}
      {!error && !loaded && (
        <LinearProgress aria-label={t('loading')} data-testid="history-loading" />
      )}
      {!error && loaded && rows.length === 0 && (
        <Alert severity="info" data-testid="history-empty">
          {t('empty')}
        </Alert>
      )}
      {rows.length > 0 && (
        <Card>
          <CardContent sx={{ p: 0 }}>
            <TableContainer>
              <Table aria-label={t('table.label', { count: total })} data-testid="history-table">
                <TableHead>
                  <TableRow>
                    <TableCell>{t('table.date')}</TableCell>
                    <TableCell>{t('table.source')}</TableCell>
                    <TableCell>{t('table.targets')}</TableCell>
                    <TableCell align="right">{t('table.devices')}</TableCell>
                    <TableCell align="right">{t('table.openPorts')}</TableCell>
                    <TableCell>{t('table.actions')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {rows.map((row) => {
                    // Rows come in the order the app kept them: that date leads. An import's own
                    // date (when nmap ran) is a second line, named, so neither passes for the other.
                    const kept = formatDateTime(row.savedAt, lang);
                    const ran =
                      row.kind === 'nmap-import' && row.dateKnown
                        ? formatDateTime(row.startedAt, lang)
                        : null;
                    return (
                      <TableRow
                        key={row.scanId}
                        selected={row.scanId === shownId}
                        data-testid={`history-row-${row.scanId}`}
                      >
                        <TableCell>
                          {/* A scan the store could not keep is held in memory only: never said
                              as kept (review 13 user F2). */}
                          {row.notKept ? (
                            <span data-testid="history-not-kept">
                              {t('notKept', { date: kept })}
                            </span>
                          ) : (
                            kept
                          )}
                          {row.kind === 'nmap-import' && (
                            <Typography
                              variant="body2"
                              color="text.secondary"
                              data-testid="history-nmap-date"
                            >
                              {ran ? t('nmapRan', { date: ran }) : t('nmapUndated')}
                            </Typography>
                          )}
                        </TableCell>
                        <TableCell>
                          {row.kind === 'nmap-import'
                            ? t('source.import', {
                                file: fileNameWords(row.fileName ?? 'nmap.xml'),
                              })
                            : row.kind === 'json-report'
                              ? t('source.jsonReport', {
                                  file: fileNameWords(row.fileName ?? 'report.json'),
                                })
                              : row.cancelled
                                ? t('source.cancelled')
                                : t('source.engine')}
                        </TableCell>
                        <TableCell sx={{ fontFamily: MONO_FONT, overflowWrap: 'anywhere' }}>
                          {row.kind === 'nmap-import'
                            ? // The file's command line: quoted as the file's words (issue 15, F2).
                              t('fileTargets', { targets: quotable(row.targets) })
                            : targetsText(t, row.targets)}
                        </TableCell>
                        <TableCell align="right">
                          {formatNumber(row.counts.devicesUp, lang)}
                        </TableCell>
                        <TableCell align="right">
                          {formatNumber(row.counts.openPorts, lang)}
                        </TableCell>
                        <TableCell>
                          <Button
                            size="small"
                            variant="outlined"
                            // Unique per row: two files nmap wrote the same minute differ by name.
                            aria-label={
                              row.kind === 'nmap-import'
                                ? t(row.notKept ? 'openImportNotKept' : 'openImport', {
                                    file: fileNameWords(row.fileName ?? 'nmap.xml'),
                                    kept,
                                  })
                                : row.kind === 'json-report'
                                  ? t('openJsonReport', {
                                      file: fileNameWords(row.fileName ?? 'report.json'),
                                      kept,
                                    })
                                  : // With its seconds: two scans of one minute differ (review 13 N7).
                                    t('open', {
                                      date: formatDateTimeSeconds(
                                        ran ? row.startedAt : row.finishedAt,
                                        lang,
                                      ),
                                    })
                            }
                            onClick={() => void reopen(row)}
                          >
                            {t('openShort')}
                          </Button>
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            </TableContainer>
            {/* The counts are the store's columns, editable by any program of the user (review
                13 A4): said as recorded, as `history` says them; opening a scan counts again. */}
            <Typography
              variant="caption"
              component="p"
              sx={{ px: 2, py: 1 }}
              data-testid="history-recorded"
            >
              {t('recorded')}
            </Typography>
          </CardContent>
        </Card>
      )}
      {pages > 1 && (
        <Pagination
          count={pages}
          page={Math.floor(offset / HISTORY_PAGE) + 1}
          onChange={(_event, page) => void load((page - 1) * HISTORY_PAGE)}
          aria-label={t('pages')}
        />
      )}
    </Stack>
  );
}
