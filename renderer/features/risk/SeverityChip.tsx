import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { useTranslation } from 'react-i18next';
import type { Severity } from '../../../app/contract/risk';
import { VISUALLY_HIDDEN } from '../../components/visually-hidden';
import { SEVERITY_COLORS } from '../../../app/contract/vocabulary';

/**
 * A severity as a coloured chip; with `count`, "Critique : 2" (an outline when 0). `mitigated`: a
 * Port Auditor rule read in the firewall closes the port, so the severity is shown as an outline
 * in its colour rather than filled (never by fading, which would make it unreadable).
 */
export function SeverityChip({
  severity,
  count,
  testId,
  mitigated,
  quiet,
}: {
  severity: Severity;
  count?: number;
  testId?: string;
  mitigated?: boolean;
  /** The enclosing control's name already says "mitigated" (a verdict's button): no hidden words. */
  quiet?: boolean;
}) {
  const { t } = useTranslation('risk');
  const { bg, fg } = SEVERITY_COLORS[severity].chip;
  const label =
    count === undefined
      ? t(`vocabulary:severity.${severity}`)
      : t('summary.count', { count, label: t(`vocabulary:severity.${severity}`) });
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
  if (mitigated) {
    return (
      <Chip
        size="small"
        variant="outlined"
        // The outline alone says "mitigated" to the eye only: screen readers hear it too.
        label={
          <>
            {label}
            {!quiet && (
              <Box component="span" sx={VISUALLY_HIDDEN}>
                {t('severity.mitigatedSuffix')}
              </Box>
            )}
          </>
        }
        data-testid={testId ?? 'severity-chip'}
        data-severity={severity}
        data-mitigated
        sx={{
          color: 'text.secondary',
          borderColor: bg,
          borderWidth: 2,
          fontWeight: 600,
          minWidth: 72,
        }}
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
