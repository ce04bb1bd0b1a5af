import Alert from '@mui/material/Alert';
import { useTranslation } from 'react-i18next';
import { useFirewall } from '../../stores/firewall';

const SEVERITY = {
  removed: 'success',
  cancelled: 'info',
  'still-present': 'warning',
  unknown: 'warning',
} as const;

/** What the last "Débloquer" of the results did, with the port concerned, until closed. */
export function ResultsNotice() {
  const { t } = useTranslation('firewall');
  const notice = useFirewall((s) => s.resultsNotice);
  const tell = useFirewall((s) => s.tellResults);
  if (!notice) return null;
  return (
    <Alert
      severity={SEVERITY[notice.result]}
      onClose={() => tell(null)}
      sx={{ mb: 1.5 }}
      data-testid="unblock-notice"
      data-result={notice.result}
    >
      {t(`unblock.done.${notice.result}`, { ...notice })}
    </Alert>
  );
}
