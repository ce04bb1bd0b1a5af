import Chip from '@mui/material/Chip';
import { useTranslation } from 'react-i18next';
import type { Severity } from '../../../app/contract/risk';
import { SEVERITY_COLORS } from './severity';

export function SeverityChip({
  severity,
  count,
  testId,
}: {
  severity: Severity;
  count?: number;
  testId?: string;
}) {
  const { t } = useTranslation('risk');
  const { bg, fg } = SEVERITY_COLORS[severity];
  const label =
    count === undefined
      ? t(`severity.${severity}`)
      : t('summary.count', { count, label: t(`severity.${severity}`) });
  return (
    <Chip
      size="small"
      label={label}
      data-testid={testId ?? 'severity-chip'}
      data-severity={severity}
      sx={{
        bgcolor: bg,
        color: fg,
        fontWeight: 700,
        minWidth: 72,
        opacity: count === 0 ? 0.45 : 1,
      }}
    />
  );
}
