import Alert from '@mui/material/Alert';
import { useTranslation } from 'react-i18next';
import { useApp } from '../stores/app';

export function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useApp((s) => s.connection);
  if (connection !== 'lost') return null;
  return (
    <Alert
      severity="warning"
      variant="filled"
      role="status"
      data-testid="connection-lost"
      sx={{ mb: 2 }}
    >
      {t('connection.lost')}
    </Alert>
  );
}
