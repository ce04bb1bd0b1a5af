import type { Ref } from 'react';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { useMemo } from 'react';
import { programLookup } from '../../../app/contract/devices';
import { isBusy, openServicesSoFar, useScan } from '../../stores/scan';
import { useRisk } from '../../stores/risk';
import { etaText, formatNumber, percentOf } from './format';

/**
 * Shown while a scan runs: the bar, done/total, the time left in words, open ports so far. A
 * region named "Progression de l’analyse" that takes the focus (`focusRef`) when "Analyser
 * maintenant" or "Annuler" is pressed, since both buttons are disabled or gone meanwhile. Not a
 * live region: its figures change at every progress event; the bar carries them as its value
 * (aria-valuenow, aria-valuetext) and ScanAnnouncer tells the phase changes (review 15, F5).
 */
export function ScanProgressPanel({ focusRef }: { focusRef?: Ref<HTMLDivElement> }) {
  const { t, i18n } = useTranslation('scan');
  const phase = useScan((s) => s.phase);
  const progress = useScan((s) => s.progress);
  const hosts = useScan((s) => s.hosts);
  // Counted as the summary at the end counts them (per device and service), never per address.
  const verdicts = useRisk((s) => s.byAddress);
  const openFound = useMemo(
    () => openServicesSoFar(hosts, programLookup(Object.values(verdicts))),
    [hosts, verdicts],
  );
  if (!isBusy(phase)) return null;
  const lang = i18n.language;
  const percent = progress ? percentOf(progress.done, progress.total) : 0;
  const probes = progress
    ? t('progress.probes', {
        done: formatNumber(progress.done, lang),
        total: formatNumber(progress.total, lang),
        percent,
      })
    : '';

  return (
    <Box
      ref={focusRef}
      tabIndex={-1}
      role="region"
      aria-label={t('progress.label')}
      data-testid="scan-progress"
      sx={{ borderRadius: 1 }}
    >
      {progress && progress.total > 0 ? (
        <>
          <LinearProgress
            variant="determinate"
            value={percent}
            aria-label={t('progress.label')}
            // Read when the user asks (the bar's value), never pushed: ScanAnnouncer speaks of
            // phases only.
            aria-valuetext={`${probes} · ${etaText(t, progress.etaMs)}`}
            sx={{ height: 10, borderRadius: 5 }}
          />
          <Stack
            direction={{ xs: 'column', sm: 'row' }}
            sx={{ mt: 1, justifyContent: 'space-between' }}
            spacing={1}
          >
            <Typography variant="body2" data-testid="scan-progress-count">
              {probes}
            </Typography>
            <Typography variant="body2" color="text.secondary" data-testid="scan-eta">
              {etaText(t, progress.etaMs)}
            </Typography>
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              {t('progress.openFound', { count: openFound })}
            </Typography>
          </Stack>
        </>
      ) : (
        <>
          <LinearProgress aria-label={t('progress.label')} sx={{ height: 10, borderRadius: 5 }} />
          <Typography variant="body2" sx={{ mt: 1 }}>
            {t('progress.preparing')}
          </Typography>
        </>
      )}
    </Box>
  );
}
