import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../app/contract/errors';
import { api } from '../api/client';
import { useApp } from '../stores/app';

/**
 * When the app could open its database for reading only (a read-only file or folder: review 13,
 * read-only store), every page says so, as the CLI does before `history` and `show`: past scans
 * still open, nothing new is kept, and the app's own sentence names the file and the way out. The
 * app says it in `scan.list`'s `notice` (ScanListResult), asked once the link is open; a status,
 * not an alert: it is a standing condition, read when the user gets to it, not an interruption.
 */
export function StoreNoticeBanner() {
  const { t, i18n } = useTranslation('history');
  const connection = useApp((s) => s.connection);
  const [notice, setNotice] = useState<AppError | null>(null);
  // Asked once: the store's mode is set when the app opens it and holds until a restart.
  const asked = useRef(false);
  useEffect(() => {
    if (connection !== 'open' || asked.current) return;
    asked.current = true;
    void api
      .call('scan.list', { offset: 0, limit: 1 })
      .then((list) => setNotice(list.notice ?? null))
      // The History page says why the list failed; this banner only reports a read-only store.
      .catch(() => setNotice(null));
  }, [connection]);
  if (!notice) return null;
  return (
    <Alert
      severity="warning"
      role="status"
      data-testid="store-read-only"
      data-error-code={notice.code}
      sx={{ mb: 2 }}
    >
      <AlertTitle>{t('readOnly.title')}</AlertTitle>
      {t('readOnly.body')} {i18n.language === 'en' ? notice.message.en : notice.message.fr}
    </Alert>
  );
}
