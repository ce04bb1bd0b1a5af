import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FirewallCoverage, PortAssessment } from '../../../app/contract/risk';
import { AppErrorAlert } from '../../components/AppErrorAlert';
import { useFirewall } from '../../stores/firewall';
import { useRisk } from '../../stores/risk';
import { BlockPortButton } from './BlockPortButton';
import { BlockPortDialog, type BlockTarget } from './BlockPortDialog';

/**
 * The firewall action inside a risk verdict: "Bloquer ce port" for a port no rule acts on, and
 * "Débloquer" for one a Port Auditor rule acts on (it removes that rule, once the user confirmed
 * in a dialog that names the port and what unblocking changes; the outcome is said above the
 * results, since the verdict itself may leave the screen).
 */
export function FlaggedPortBlock({ address, port }: { address: string; port: PortAssessment }) {
  const { t } = useTranslation('firewall');
  const isLocal = useRisk((s) => s.byAddress[address]?.isLocal ?? false);
  const busy = useFirewall((s) => s.busy);
  const undo = useFirewall((s) => s.undo);
  const error = useFirewall((s) => s.error);
  const clear = useFirewall((s) => s.clearMessages);
  const tell = useFirewall((s) => s.tellResults);
  // The wizard outlives the button that opened it: once the rule is in, this verdict shows
  // "Débloquer" instead, and the wizard stays open (same place in the tree) on its last step.
  const [wizard, setWizard] = useState(false);
  const [confirm, setConfirm] = useState(false);
  // The store's error is the last firewall error of any screen: shown here only when this
  // verdict's own Débloquer is what failed.
  const [failed, setFailed] = useState(false);
  const reason = port.reasons.find((r) => !r.ruleId.startsWith('firewall.'))?.text;
  const target: BlockTarget = {
    address,
    port: port.port,
    protocol: port.protocol,
    isLocal,
    service: port.service,
    ...(port.exposure ? { exposure: port.exposure } : {}),
    ...(reason ? { reasonText: reason } : {}),
  };
  const rule = port.firewall;
  const working = rule ? busy.includes(rule.ruleId) : false;
  const what = { port: port.port, protocol: port.protocol.toUpperCase(), address };

  async function unblock(coverage: FirewallCoverage) {
    setConfirm(false);
    const result = await undo([coverage.ruleId]);
    setFailed(result === 'failed');
    if (result !== 'failed') tell({ result, ...what });
  }

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
            setConfirm(true);
          }}
          aria-label={t('unblock.label', what)}
          data-testid={`unblock-port-${address}-${port.port}`}
        >
          {working ? t('unblock.busy') : t('unblock.text')}
        </Button>
      ) : (
        <BlockPortButton target={target} onOpen={() => setWizard(true)} />
      )}
      {rule && failed && error && (
        <Box sx={{ mt: 1 }}>
          <AppErrorAlert
            error={error}
            onClose={() => {
              setFailed(false);
              clear();
            }}
            testId="unblock-error"
          />
        </Box>
      )}
      {rule && confirm && (
        <UnblockDialog
          coverage={rule}
          what={what}
          onCancel={() => setConfirm(false)}
          onConfirm={() => void unblock(rule)}
        />
      )}
      {wizard && <BlockPortDialog target={target} onClose={() => setWizard(false)} />}
    </Box>
  );
}

/** "Débloquer le port 3389/TCP ?", with what the rule's removal lets through again. */
function UnblockDialog({
  coverage,
  what,
  onCancel,
  onConfirm,
}: {
  coverage: FirewallCoverage;
  what: { port: number; protocol: string; address: string };
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { t, i18n } = useTranslation('firewall');
  const id = useId();
  const rule = useRisk((s) => s.result?.firewallRules?.find((r) => r.id === coverage.ruleId));
  const remote = rule?.remote ?? [];
  const list = new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(remote);
  const consequence =
    rule?.direction === 'out'
      ? t('unblock.confirm.out', what)
      : remote.length > 0
        ? t('unblock.confirm.inScoped', { ...what, count: remote.length, addresses: list })
        : t('unblock.confirm.in', what);
  return (
    <Dialog
      open
      onClose={onCancel}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      data-testid="unblock-dialog"
    >
      <DialogTitle id={`${id}-title`}>{t('unblock.confirm.title', what)}</DialogTitle>
      <DialogContent>
        <DialogContentText id={`${id}-body`}>
          {t('unblock.confirm.body', { name: coverage.name })} {consequence}
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel} autoFocus>
          {t('unblock.confirm.keep')}
        </Button>
        <Button color="warning" variant="contained" onClick={onConfirm}>
          {t('unblock.confirm.action')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
