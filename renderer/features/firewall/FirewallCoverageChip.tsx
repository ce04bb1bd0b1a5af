import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import ShieldIcon from '@mui/icons-material/Shield';
import { useTranslation } from 'react-i18next';
import type { FirewallCoverage } from '../../../app/contract/risk';

/**
 * What a Port Auditor rule does to an open port, beside its verdict: "Bloqué par Port Auditor"
 * (risk mitigated), "Bloqué pour certaines adresses", or "Ce PC ne s’y connecte plus" (the port
 * stays open on the device for everyone else), with the rule's name and meaning on hover.
 */
export function FirewallCoverageChip({ coverage }: { coverage: FirewallCoverage }) {
  const { t } = useTranslation('risk');
  return (
    <Tooltip title={t(`firewall.help.${coverage.effect}`, { name: coverage.name })}>
      <Chip
        size="small"
        icon={<ShieldIcon />}
        variant={coverage.effect === 'blocked' ? 'filled' : 'outlined'}
        color={coverage.effect === 'blocked' ? 'success' : 'default'}
        label={t(`firewall.${coverage.effect}`)}
        data-testid="verdict-firewall"
        data-effect={coverage.effect}
        data-rule={coverage.ruleId}
      />
    </Tooltip>
  );
}
