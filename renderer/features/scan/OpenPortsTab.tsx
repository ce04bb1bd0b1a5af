import Accordion from '@mui/material/Accordion';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Pagination from '@mui/material/Pagination';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import RadarIcon from '@mui/icons-material/Radar';
import StopIcon from '@mui/icons-material/Stop';
import { useEffect, useMemo, useRef } from 'react';
import { foldDevices, programLookup, zonedAddress } from '../../../app/contract/devices';
import { useTranslation } from 'react-i18next';
import { AppErrorAlert } from '../../components/AppErrorAlert';
import { AdapterChoiceDialog } from './AdapterChoiceDialog';
import {
  CONFIRMATION_REQUIRED,
  HOSTS_PAGE,
  isBusy,
  useScan,
  type HostView,
} from '../../stores/scan';
import { useRisk } from '../../stores/risk';
import { compareHostsByRisk } from '../../../app/contract/vocabulary';
import { SuspiciousPortsBar } from '../risk/SuspiciousPortsBar';
import { HostCard } from './HostCard';
import { ScanAnnouncer } from './ScanAnnouncer';
import { ScanProgressPanel } from './ScanProgressPanel';
import { errorField, ScanSetup, SCAN_FIELD_IDS } from './ScanSetup';
import { ScanSummary } from './ScanSummary';
import { MONO_FONT } from '../../theme';
import { ExportReportButton } from '../report/ExportReportButton';

/** Toolbox → Network scanner → Open ports: choose, scan, watch ports appear per address. */
export function OpenPortsTab() {
  const { t } = useTranslation('scan');
  const phase = useScan((s) => s.phase);
  const error = useScan((s) => s.error);
  const shownScan = useScan((s) => s.shown);
  const hostsById = useScan((s) => s.hosts);
  const showPage = useScan((s) => s.showPage);
  const start = useScan((s) => s.start);
  const cancel = useScan((s) => s.cancel);
  const dismissError = useScan((s) => s.dismissError);
  const verdicts = useRisk((s) => s.byAddress);
  const targetMode = useScan((s) => s.targetMode);
  const portMode = useScan((s) => s.portMode);
  const missing = useScan((s) => s.missing);
  const busy = isBusy(phase);
  // An app error about what was typed in a field shows under that field; others in the banner.
  const field = errorField(error, { targetMode, portMode });

  // Where the focus goes after each action, so a keyboard or screen-reader user is never left on
  // <body> (the scan button is disabled during a scan, the cancel button removed after it).
  const scanButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const progressPanel = useRef<HTMLDivElement>(null);
  const summary = useRef<HTMLDivElement>(null);
  const wasBusy = useRef(busy);
  useEffect(() => {
    const active = document.activeElement;
    // Moved only from where this tab's own buttons left it, never from where the user went since.
    const lost =
      !active ||
      active === document.body ||
      active === scanButton.current ||
      active === cancelButton.current ||
      (progressPanel.current?.contains(active) ?? false);
    if (busy) {
      if (lost && active !== progressPanel.current) progressPanel.current?.focus();
    } else if (wasBusy.current && lost) {
      if (field) document.getElementById(SCAN_FIELD_IDS[field])?.focus();
      else if (shownScan && !error) summary.current?.focus();
      else scanButton.current?.focus();
    }
    wasBusy.current = busy;
  }, [busy, phase, field, shownScan, error]);
  // "Analyser maintenant" with an empty custom field: to the field that says what is missing.
  useEffect(() => {
    if (missing.targets) document.getElementById(SCAN_FIELD_IDS.targets)?.focus();
    else if (missing.ports) document.getElementById(SCAN_FIELD_IDS.ports)?.focus();
  }, [missing]);

  // While a scan runs, its hosts as they come (this PC first, then worst verdict first); else the
  // kept scan on show, one page at a time in the app's order. One card per device (This PC's
  // addresses, or addresses sharing a MAC address, fold into one).
  const live = busy || (phase === 'failed' && !shownScan);
  const { devices, down, unprobed } = useMemo(() => {
    // The verdicts name who listens: two programs on one port of This PC are two services.
    const programs = programLookup(Object.values(verdicts));
    if (!live) {
      return {
        devices: foldDevices(shownScan?.hosts ?? [], programs),
        down: shownScan?.down ?? [],
        unprobed: shownScan?.unprobed ?? [],
      };
    }
    const key = (h: HostView) => ({
      address: h.address,
      isLocal: h.isLocal,
      worst: verdicts[h.address]?.worst,
    });
    const order = (a: HostView, b: HostView) => compareHostsByRisk(key(a), key(b));
    const all = Object.values(hostsById).sort(order);
    return {
      devices: foldDevices(
        all.filter((h) => h.status === 'up'),
        programs,
      ),
      down: all.filter((h) => h.status === 'down'),
      unprobed: all.filter((h) => h.status === 'unknown'),
    };
  }, [live, shownScan, hostsById, verdicts]);
  const pages = !live && shownScan ? Math.ceil(shownScan.total / HOSTS_PAGE) : 0;
  const pager =
    pages > 1 && shownScan ? (
      <Pagination
        count={pages}
        page={Math.floor(shownScan.offset / HOSTS_PAGE) + 1}
        onChange={(_event, page) => void showPage((page - 1) * HOSTS_PAGE)}
        getItemAriaLabel={(type, page) =>
          type === 'page' ? t('pages.page', { page }) : t(`pages.${type}`)
        }
        aria-label={t('pages.label', { count: shownScan.total })}
        data-testid="hosts-pages"
      />
    ) : null;

  return (
    <Stack spacing={3}>
      <Card>
        <CardContent sx={{ p: { xs: 2, md: 3 } }}>
          <Typography variant="h2" component="h2" sx={{ mb: 2 }}>
            {t('form.title')}
          </Typography>
          {/* An import's settings are nmap's, which the form cannot hold: the form keeps the
              user's own, and says it is for the next scan, not what the results below describe
              (review 13c new user #6). A reopened scan of this app sets the form to its own. */}
          {!live && shownScan?.details.kind === 'nmap-import' && (
            <Typography
              color="text.secondary"
              sx={{ mt: -1, mb: 2 }}
              data-testid="form-import-shown"
            >
              {t('form.forImportShown', { file: shownScan.details.fileName ?? 'nmap.xml' })}
            </Typography>
          )}
          <ScanSetup />
          <Stack
            direction="row"
            spacing={2}
            useFlexGap
            sx={{ mt: 2, alignItems: 'center', flexWrap: 'wrap' }}
          >
            <Button
              ref={scanButton}
              variant="contained"
              color="error"
              size="large"
              startIcon={<RadarIcon />}
              disabled={busy}
              onClick={() => void start()}
              sx={{ px: 4, py: 1.5, fontSize: '1.05rem', borderRadius: 6 }}
            >
              {t('actions.scanNow')}
            </Button>
            {busy && (
              <Button
                ref={cancelButton}
                variant="outlined"
                size="large"
                startIcon={<StopIcon />}
                disabled={phase === 'cancelling'}
                onClick={() => void cancel()}
              >
                {phase === 'cancelling' ? t('actions.cancelling') : t('actions.cancel')}
              </Button>
            )}
          </Stack>
          <ScanAnnouncer />
          {busy && (
            <Box sx={{ mt: 3 }}>
              <ScanProgressPanel focusRef={progressPanel} />
            </Box>
          )}
        </CardContent>
      </Card>

      {error && !field && (
        <AppErrorAlert
          error={error}
          onClose={dismissError}
          testId="scan-error"
          action={
            error.code === CONFIRMATION_REQUIRED ? (
              <Box sx={{ mt: 1.5 }}>
                <Button variant="contained" color="error" onClick={() => void start(true)}>
                  {t('actions.confirmAndScan')}
                </Button>
              </Box>
            ) : undefined
          }
        />
      )}

      <AdapterChoiceDialog />

      {!live && shownScan && (
        <ScanSummary result={shownScan.details} notice={shownScan.notice} focusRef={summary} />
      )}
      {!live && shownScan && <ExportReportButton />}

      <SuspiciousPortsBar />

      {phase === 'idle' && !error && !shownScan && <EmptyState />}

      {pager}
      {devices.length > 0 && (
        <Stack spacing={2} data-testid="scan-results">
          {devices.map((device) => (
            <HostCard key={device.key} host={device.hosts[0]!} device={device} />
          ))}
        </Stack>
      )}
      {pager}

      {unprobed.length > 0 && (
        <UnprobedHosts
          hosts={unprobed}
          total={live ? unprobed.length : (shownScan?.details.statusCounts.unknown ?? 0)}
        />
      )}

      {down.length > 0 && (
        <DownHosts
          hosts={down}
          total={live ? down.length : (shownScan?.details.statusCounts.down ?? 0)}
        />
      )}
    </Stack>
  );
}

function EmptyState() {
  const { t } = useTranslation('scan');
  return (
    <Card data-testid="scan-empty" sx={{ bgcolor: 'transparent', borderStyle: 'dashed' }}>
      <CardContent sx={{ p: { xs: 2, md: 3 } }}>
        <Typography variant="h3" component="h2" gutterBottom>
          {t('empty.title')}
        </Typography>
        <Typography color="text.secondary" sx={{ mb: 1.5 }}>
          {t('empty.body')}
        </Typography>
        <Typography color="text.secondary">{t('empty.hint')}</Typography>
      </CardContent>
    </Card>
  );
}

/** Addresses this PC could not send probes to: neither up nor down, each with the reason. */
function UnprobedHosts({ hosts, total }: { hosts: HostView[]; total: number }) {
  const { t, i18n } = useTranslation('scan');
  const fr = i18n.language.startsWith('fr');
  return (
    <Alert severity="warning" data-testid="unprobed-hosts">
      <AlertTitle>{t('unprobed.summary', { count: total })}</AlertTitle>
      <Typography variant="body2" sx={{ mb: 1 }}>
        {t('unprobed.explain')}
      </Typography>
      {hosts.map((h) => (
        <Typography key={h.address} variant="body2" data-testid={`unprobed-${h.address}`}>
          <Box component="span" sx={{ fontFamily: MONO_FONT }}>
            {zonedAddress(h)}
          </Box>
          {h.localError ? ` — ${fr ? h.localError.message.fr : h.localError.message.en}` : ''}
        </Typography>
      ))}
      {total > hosts.length && (
        <Typography variant="body2">{t('pages.more', { count: total - hosts.length })}</Typography>
      )}
    </Alert>
  );
}

function DownHosts({ hosts, total }: { hosts: HostView[]; total: number }) {
  const { t } = useTranslation('scan');
  return (
    <Accordion data-testid="down-hosts" disableGutters variant="outlined">
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Typography>{t('down.summary', { count: total })}</Typography>
      </AccordionSummary>
      <AccordionDetails>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {t('down.explain')}
        </Typography>
        <Typography variant="body2" sx={{ fontFamily: MONO_FONT, wordBreak: 'break-word' }}>
          {hosts.map((h) => h.address).join(', ')}
          {total > hosts.length ? ` ${t('pages.more', { count: total - hosts.length })}` : ''}
        </Typography>
      </AccordionDetails>
    </Accordion>
  );
}
