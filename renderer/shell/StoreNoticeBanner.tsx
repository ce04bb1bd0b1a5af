import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../app/contract/errors';
import { api } from '../api/client';
import { asAppError } from '../api/errors';
import { useApp } from '../stores/app';

/** What the app's store is, as far as this banner says: read-only, or not usable at all. */
type StoreNotice = { kind: 'read-only' | 'unusable'; error: AppError };

/**
 * The store failures that stop the app keeping anything (app/store/database.ts's StoreFailure
 * codes, `store.*`): a damaged, foreign, newer, locked or full database. `store.read-only` comes
 * as scan.list's `notice` instead, with the kept scans still listed.
 */
function isStoreFailure(error: AppError): boolean {
  return error.code.startsWith('store.') && error.code !== 'store.read-only';
}

/**
 * What every page says, from start, when the app cannot keep what the user does, so that it can
 * be fixed before a long scan (review 13 read-only store; N8). The app says it through `scan.list`,
 * asked once the link is open: a read-only database comes as the result's `notice` (past scans
 * still open) and is a status, a standing condition read when the user gets to it; a damaged or
 * otherwise unusable one makes `scan.list` fail with a `store.*` error, and is an alert: nothing
 * at all is kept until the user moves the file aside. Both carry the app's own sentence, which
 * names the file and the way out.
 */
export function StoreNoticeBanner() {
  const { t, i18n } = useTranslation('history');
  const connection = useApp((s) => s.connection);
  const [notice, setNotice] = useState<StoreNotice | null>(null);
  // Asked once: the store's state is set when the app opens it; a change after start is pushed.
  const asked = useRef(false);
  useEffect(() => {
    if (connection !== 'open' || asked.current) return;
    asked.current = true;
    void api
      .call('scan.list', { offset: 0, limit: 1 })
      .then((list) => setNotice(list.notice ? { kind: 'read-only', error: list.notice } : null))
      .catch((error: unknown) => {
        // Any other failure is the History page's to explain; this banner reports the store.
        const failure = asAppError(error);
        setNotice(isStoreFailure(failure) ? { kind: 'unusable', error: failure } : null);
      });
  }, [connection]);
  // A store damaged or made read-only while the app runs: the app says so to every page once an
  // operation meets it, and the banner is the one a store damaged at start shows.
  useEffect(
    () =>
      api.on('store.damaged', ({ readOnly, error }) =>
        setNotice({ kind: readOnly ? 'read-only' : 'unusable', error }),
      ),
    [],
  );
  if (!notice) return null;
  const readOnly = notice.kind === 'read-only';
  const key = readOnly ? 'readOnly' : 'unusable';
  return (
    <Alert
      severity={readOnly ? 'warning' : 'error'}
      role={readOnly ? 'status' : 'alert'}
      data-testid={readOnly ? 'store-read-only' : 'store-unusable'}
      data-error-code={notice.error.code}
      sx={{ mb: 2 }}
    >
      <AlertTitle>{t(`${key}.title`)}</AlertTitle>
      {t(`${key}.body`)}{' '}
      {i18n.language === 'en' ? notice.error.message.en : notice.error.message.fr}
    </Alert>
  );
}
