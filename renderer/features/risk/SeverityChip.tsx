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
  // Nothing at this level: a neutral outline in the theme's own text colour, readable in light and
  // dark, instead of the severity colour faded to near-invisible.
  if (count === 0) {
    return (
      <Chip
        size="small"
        variant="outlined"
        label={label}
        data-testid={testId ?? 'severity-chip'}
        data-severity={severity}
        data-zero
        sx={{ color: 'text.secondary', borderColor: 'divider', fontWeight: 500, minWidth: 72 }}
      />
    );
  }
  return (
    <Chip
      size="small"
      label={label}
      data-testid={testId ?? 'severity-chip'}
      data-severity={severity}
      sx={{ bgcolor: bg, color: fg, fontWeight: 700, minWidth: 72 }}
    />
  );
}
