import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import ShieldIcon from '@mui/icons-material/Shield';
import { useTranslation } from 'react-i18next';
import type { CoverageEffect, FirewallCoverage } from '../../../app/contract/risk';

const COLOR: Record<CoverageEffect, 'success' | 'warning' | 'default'> = {
  blocked: 'success',
  loopback: 'success',
  partial: 'default',
  'this-pc-only': 'default',
  // Both leave a risk the user must not overlook: a port still reachable, a block not checked.
  'scan-blocked': 'warning',
  unverified: 'warning',
  // The block is gone: the port is reachable again, as if never blocked.
  vanished: 'warning',
};

/**
 * What a Port Auditor rule does to a port, beside its verdict (one chip per effect, see
 * CoverageEffect): "Bloqué par Port Auditor" only for a rule read in the firewall, "Blocage non
 * vérifié" when it could not be read, and so on (none on 127.0.0.1 and ::1: PortVerdict), with
 * the rule's name and meaning on hover.
 */
export function FirewallCoverageChip({ coverage }: { coverage: FirewallCoverage }) {
  const { t, i18n } = useTranslation('risk');
  // The rule by its date and port (review 15b); its UUID name only for verdicts kept before.
  const name = coverage.called?.[i18n.language.startsWith('fr') ? 'fr' : 'en'] ?? coverage.name;
  return (
    <Tooltip title={t(`firewall.help.${coverage.effect}`, { name })}>
      <Chip
        size="small"
        icon={<ShieldIcon />}
        variant={coverage.effect === 'blocked' ? 'filled' : 'outlined'}
        color={COLOR[coverage.effect]}
        label={t(`firewall.${coverage.effect}`)}
        // Never cut with an ellipsis: the label wraps inside the chip when the column is narrow.
        sx={{
          height: 'auto',
          maxWidth: '100%',
          '& .MuiChip-label': { whiteSpace: 'normal', overflow: 'visible', py: 0.25 },
        }}
        data-testid="verdict-firewall"
        data-effect={coverage.effect}
        data-rule={coverage.ruleId}
      />
    </Tooltip>
  );
}
