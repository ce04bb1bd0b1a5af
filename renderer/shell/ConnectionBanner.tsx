import Alert from '@mui/material/Alert';
import { useTranslation } from 'react-i18next';
import { useApp } from '../stores/app';

/**
 * Says what happened to the link with the app: a drop being retried, or a host that cannot be
 * reached right now and is still being tried (warning), or a final state — the host stopped, or
 * this page was refused — that no waiting will fix (error, with what to do).
 */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useApp((s) => s.connection);
  if (connection === 'open' || connection === 'connecting') return null;
  const retrying = connection === 'lost' || connection === 'unreachable';
  return (
    <Alert
      severity={retrying ? 'warning' : 'error'}
      variant="filled"
      role={retrying ? 'status' : 'alert'}
      data-testid={`connection-${connection}`}
      sx={{ mb: 2 }}
    >
      {t(`connection.${connection}`)}
    </Alert>
  );
}
