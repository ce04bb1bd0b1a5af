import Box from '@mui/material/Box';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { VISUALLY_HIDDEN } from '../../components/visually-hidden';
import { useScan } from '../../stores/scan';
import { isBusy } from './model';

/**
 * What a screen reader is told about a scan, and only when it changes phase: "Analyse en
 * cours…" once the app took it, "Arrêt en cours…", then "Analyse terminée : 3 ports ouverts
 * trouvés." when it ends here (never for a kept scan merely reopened). A polite status, hidden,
 * always mounted so assistive technologies already watch it when its text changes. The count,
 * percentage and time left are the progress bar's value (aria-valuetext), read on demand: a live
 * region holding them spoke at every progress event for the length of the scan (review 15, F5).
 */
export function ScanAnnouncer() {
  const { t } = useTranslation('scan');
  const [message, setMessage] = useState('');

  // The store's own transitions, as they happen (from → to), not renders: a phase seen twice or a
  // kept scan reopened (idle → finished) says nothing.
  useEffect(
    () =>
      useScan.subscribe((state, before) => {
        const { phase } = state;
        const was = before.phase;
        if (phase === was) return;
        // Nothing at 'starting': the app has not taken the request yet, and one it refuses (a
        // target that is not valid) was never prepared; its error is the field's alert (review
        // 15, R6). The scan is told once the app took it ('running').
        if (phase === 'starting') setMessage('');
        else if (phase === 'running') setMessage(t('progress.running'));
        else if (phase === 'cancelling') setMessage(t('actions.cancelling'));
        else if (phase === 'finished' && isBusy(was) && state.shown) {
          // The kept scan is on show before the phase turns to finished (stores/scan.ts): its
          // counts are the summary's.
          const { details } = state.shown;
          setMessage(
            t('progress.ended', {
              title: t(details.cancelled ? 'summary.cancelledTitle' : 'summary.title'),
              found: t('progress.openFound', { count: details.counts.openPorts }),
            }),
          );
        } else setMessage('');
      }),
    [t],
  );

  return (
    <Box role="status" data-testid="scan-announcer" sx={VISUALLY_HIDDEN}>
      {message}
    </Box>
  );
}
