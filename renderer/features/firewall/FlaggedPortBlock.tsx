import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import ReplayIcon from '@mui/icons-material/Replay';
import Typography from '@mui/material/Typography';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FirewallCoverage, PortAssessment } from '../../../app/contract/risk';
import { AppErrorAlert } from '../../components/AppErrorAlert';
import { useFirewall } from '../../stores/firewall';
import { useRisk } from '../../stores/risk';
import { BlockPortButton } from './BlockPortButton';
import { BlockPortDialog, type BlockTarget } from './BlockPortDialog';
import { zonedAddress } from '../../../app/contract/devices';
import { isLoopback } from './own-addresses';

/**
 * The firewall action inside a risk verdict: "Bloquer ce port" for a port no rule acts on,
 * "Débloquer" for one a Port Auditor rule acts on (it removes that rule, once the user confirmed
 * in a dialog that names the port and what unblocking changes; the outcome is said above the
 * results, since the verdict itself may leave the screen), and "Ré-appliquer" for one whose rule
 * vanished from the firewall (it puts that rule back, under its name; the chip then follows).
 */
export function FlaggedPortBlock({
  address,
  zone,
  port,
}: {
  address: string;
  /** A link-local address's zone (HostResult.zone): named with it, rescanned through it. */
  zone?: string;
  port: PortAssessment;
}) {
  const { t } = useTranslation('firewall');
  const isLocal = useRisk((s) => s.byAddress[address]?.isLocal ?? false);
  const busy = useFirewall((s) => s.busy);
  const undo = useFirewall((s) => s.undo);
  const reapply = useFirewall((s) => s.reapply);
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
  // The wizard gives the focus back to the button that opened it; once a rule is in, that button
  // is gone ("Débloquer" took its place): the focus goes to the row's new button instead. The
  // same after "Débloquer" (confirmed): "Bloquer ce port" is back in its place.
  const action = useRef<HTMLButtonElement>(null);
  const [closed, setClosed] = useState(0);
  useEffect(() => {
    if (closed === 0) return;
    const active = document.activeElement;
    if (!active || active === document.body) action.current?.focus();
  }, [closed, port.firewall?.effect]);
  const reason = port.reasons.find((r) => !r.ruleId.startsWith('firewall.'))?.text;
  const target: BlockTarget = {
    address,
    ...(zone ? { zone } : {}),
    port: port.port,
    protocol: port.protocol,
    isLocal,
    service: port.service,
    ...(port.exposure ? { exposure: port.exposure } : {}),
    ...(reason ? { reasonText: reason } : {}),
  };
  // A rule the firewall lost no longer acts on the port: it is put back, not removed.
  const gone = port.firewall?.effect === 'vanished' ? port.firewall : undefined;
  const rule = gone ? undefined : port.firewall;
  const working = port.firewall ? busy.includes(port.firewall.ruleId) : false;
  // Named as the user reads it: a link-local address with its zone (fe80::1%eth0).
  const what = {
    port: port.port,
    protocol: port.protocol.toUpperCase(),
    address: zonedAddress({ address, zone }),
  };

  async function unblock(coverage: FirewallCoverage) {
    setConfirm(false);
    const result = await undo([coverage.ruleId]);
    setClosed((n) => n + 1);
    setFailed(result === 'failed');
    if (result !== 'failed') tell({ result, ...what });
  }

  async function putBack(coverage: FirewallCoverage) {
    setFailed(!(await reapply([coverage.ruleId])));
  }

  return (
    <Box>
      {gone ? (
        <Button
          ref={action}
          size="small"
          variant="contained"
          color="warning"
          startIcon={<ReplayIcon />}
          disabled={working}
          onClick={(e) => {
            e.stopPropagation();
            void putBack(gone);
          }}
          aria-label={t('rules.reapplyLabel', { port: port.port, protocol: what.protocol })}
          data-testid={`reapply-port-${address}-${port.port}`}
        >
          {working ? t('rules.reapplying') : t('rules.reapply')}
        </Button>
      ) : rule ? (
        <Button
          ref={action}
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
      ) : !isLocal && isLoopback(address) ? (
        // An imported file's 127.0.0.1 or ::1 is the loopback of the machine that ran nmap: a
        // rule here would act on this PC's own loopback, not on that machine.
        <Typography variant="body2" color="text.secondary" data-testid="block-other-loopback">
          {t('button.otherLoopback')}
        </Typography>
      ) : (
        <BlockPortButton target={target} onOpen={() => setWizard(true)} buttonRef={action} />
      )}
      {port.firewall && failed && error && (
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
      {wizard && (
        <BlockPortDialog
          target={target}
          onClose={() => {
            setWizard(false);
            setClosed((n) => n + 1);
          }}
        />
      )}
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
          {t('unblock.confirm.body', {
            // By its date and port (review 15b); its UUID name only for verdicts kept before.
            name: coverage.called?.[i18n.language.startsWith('fr') ? 'fr' : 'en'] ?? coverage.name,
          })}{' '}
          {consequence}
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
