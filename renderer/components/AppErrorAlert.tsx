import Alert from '@mui/material/Alert';
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import type { AppError } from '../../app/contract/errors';

/**
 * Shows an app failure in the UI language. The app already wrote the sentence in both languages,
 * so switching language re-renders the same error in the other one.
 */
export function AppErrorAlert({
  error,
  onClose,
  testId = 'app-error',
  id,
  action,
  severity = 'error',
}: {
  error: AppError;
  /** `warning` for what went wrong beside a result that is still shown (a scan not kept). */
  severity?: 'error' | 'warning';
  onClose?: () => void;
  testId?: string;
  /** For a control's aria-describedby: the control whose action failed names this error. */
  id?: string;
  /** A way out offered next to the message, e.g. "confirm and scan". */
  action?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const text = i18n.language === 'fr' ? error.message.fr : error.message.en;
  return (
    <Alert
      severity={severity}
      role="alert"
      id={id}
      data-testid={testId}
      data-error-code={error.code}
      {...(onClose
        ? {
            onClose,
            slotProps: {
              closeButton: { 'aria-label': t('error.dismiss'), title: t('error.dismiss') },
            },
          }
        : {})}
    >
      {text}
      {action}
    </Alert>
  );
}
