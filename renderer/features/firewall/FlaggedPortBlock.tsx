import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PortAssessment } from '../../../app/contract/risk';
import { AppErrorAlert } from '../../components/AppErrorAlert';
import { useFirewall } from '../../stores/firewall';
import { useRisk } from '../../stores/risk';
import { BlockPortButton } from './BlockPortButton';
import { BlockPortDialog, type BlockTarget } from './BlockPortDialog';

/**
 * The firewall action inside a risk verdict: "Bloquer ce port" for a port no rule acts on, and
 * "Débloquer" for one a Port Auditor rule already blocks (it removes that rule).
 */
export function FlaggedPortBlock({ address, port }: { address: string; port: PortAssessment }) {
  const { t } = useTranslation('firewall');
  const isLocal = useRisk((s) => s.byAddress[address]?.isLocal ?? false);
  const busy = useFirewall((s) => s.busy);
  const undo = useFirewall((s) => s.undo);
  const error = useFirewall((s) => s.error);
  const clear = useFirewall((s) => s.clearMessages);
  // The wizard outlives the button that opened it: once the rule is in, this verdict shows
  // "Débloquer" instead, and the wizard stays open (same place in the tree) on its last step.
  const [wizard, setWizard] = useState(false);
  const reason = port.reasons[0]?.text;
  const target: BlockTarget = {
    address,
    port: port.port,
    protocol: port.protocol,
    isLocal,
    service: port.service,
    ...(reason ? { reasonText: reason } : {}),
  };
  const rule = port.firewall;
  const working = rule ? busy.includes(rule.ruleId) : false;
  return (
    <Box>
      {rule ? (
        <Button
          size="small"
          variant="outlined"
          startIcon={<LockOpenIcon />}
          disabled={working}
          onClick={(e) => {
            e.stopPropagation();
            void undo([rule.ruleId]);
          }}
          aria-label={t('unblock.label', {
            port: port.port,
            protocol: port.protocol.toUpperCase(),
            address,
          })}
          data-testid={`unblock-port-${address}-${port.port}`}
        >
          {working ? t('unblock.busy') : t('unblock.text')}
        </Button>
      ) : (
        <BlockPortButton target={target} onOpen={() => setWizard(true)} />
      )}
      {rule && error && (
        <Box sx={{ mt: 1 }}>
          <AppErrorAlert error={error} onClose={clear} testId="unblock-error" />
        </Box>
      )}
      {wizard && <BlockPortDialog target={target} onClose={() => setWizard(false)} />}
    </Box>
  );
}
