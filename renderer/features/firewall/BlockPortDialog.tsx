import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { zonedAddress } from '../../../app/contract/devices';
import { OUTSIDE_WORDS_MAX, quotable } from '../../../app/contract/outside-words';
import type { AppError, LocalizedText } from '../../../app/contract/errors';
import type { FirewallBlockOutcome, FirewallPreview } from '../../../app/contract/firewall';
import type { Exposure } from '../../../app/contract/risk';
import type { PortState, Protocol } from '../../../app/contract/scan';
import { api } from '../../api/client';
import { asAppError } from '../../api/errors';
import { AppErrorAlert } from '../../components/AppErrorAlert';
import { VISUALLY_HIDDEN } from '../../components/visually-hidden';
import { useFirewall } from '../../stores/firewall';
import { useScan } from '../../stores/scan';
import { MONO_FONT } from '../../theme';
import { ownAddressesIn } from './own-addresses';
import { rescanPort } from './rescan';

export interface BlockTarget {
  /** The address alone: the key of its verdicts, and what a rule names (see `zone`). */
  address: string;
  /**
   * A link-local address's zone (HostResult.zone): the wizard names the device and rescans it
   * with it (`fe80::1%eth0`; without it the scan is refused). The rule itself names the address
   * without it: nft's `ip6 daddr` and netsh's `remoteip` take no zone (an address or a network
   * only), so the rule holds that address on every link of this PC — wider than the device, never
   * narrower.
   */
  zone?: string;
  port: number;
  protocol: Protocol;
  isLocal: boolean;
  /** This PC only: how the service listens (`loopback-only`: no other device can reach it). */
  exposure?: Exposure;
  /** Why it is flagged (the risk verdict's first reason), when known. */
  reasonText?: LocalizedText;
  service?: string;
}

type Applied = Extract<FirewallBlockOutcome, { outcome: 'applied' }>;
/**
 * `in-place`: an inbound rule whose checks all passed (the effect on other devices is said to be
 * checkable from another device only). `this-pc-only`: an outbound rule toward a device that a
 * new scan shows filtered — neutral, since the port stays open on the device for everyone else.
 */
type Verdict = 'in-place' | 'this-pc-only' | 'not-effective' | 'unconfirmed';

const STEPS = ['what', 'preview', 'apply', 'verify'] as const;

/** What the last step concludes: success only when every check that can run has passed. */
export function verdictOf(
  applied: Applied,
  direction: 'in' | 'out',
  isLocal: boolean,
  rescan: PortState | null | undefined,
): Verdict {
  const v = applied.verification;
  if (v.effective === 'no') return 'not-effective';
  if (direction === 'out' && !isLocal) {
    if (rescan === 'filtered') return v.effective === 'yes' ? 'this-pc-only' : 'unconfirmed';
    if (rescan === 'open') return 'not-effective';
    return 'unconfirmed';
  }
  return v.effective === 'yes' ? 'in-place' : 'unconfirmed';
}

export function BlockPortDialog({ target, onClose }: { target: BlockTarget; onClose: () => void }) {
  const { t, i18n } = useTranslation('firewall');
  const say = (text: LocalizedText) => (i18n.language === 'fr' ? text.fr : text.en);
  const [step, setStep] = useState(0);
  const [direction, setDirection] = useState<'in' | 'out'>(target.isLocal ? 'in' : 'out');
  // The address alone, as the rule can name it (BlockTarget.zone).
  const [remote, setRemote] = useState(target.isLocal ? '' : target.address);
  const [preview, setPreview] = useState<FirewallPreview | null>(null);
  const [applied, setApplied] = useState<Applied | null>(null);
  const [cancelled, setCancelled] = useState<LocalizedText | null>(null);
  /** The change ran but could not be read back: the Rules page shows it as "unknown". */
  const [unknown, setUnknown] = useState<LocalizedText | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [rescan, setRescan] = useState<PortState | null | undefined>(undefined);
  const [rescanError, setRescanError] = useState<AppError | null>(null);
  const reloadRules = useFirewall((s) => s.load);
  // Each step replaces the buttons that moved to it: the focus goes to the new step, named
  // "Étape 2 sur 4 : Aperçu", so the keyboard is not sent back to the dialog's start.
  const stepBox = useRef<HTMLDivElement>(null);
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    stepBox.current?.focus();
  }, [step]);
  /**
   * The app refused the typed addresses: the refusal is the field's own error (its helper text,
   * aria-invalid), and the focus goes to the field to fix it (WCAG 3.3.1), as on the scanner.
   */
  const remoteError =
    step === 0 &&
    (error?.code === 'firewall.invalid-remote' || error?.code === 'firewall.own-address')
      ? error
      : null;
  /** The refusal under the field: the test id and code the banner had, said as it appears. */
  const remoteErrorSlot = remoteError
    ? { 'data-testid': 'block-error', 'data-error-code': remoteError.code, role: 'alert' }
    : {};
  const remoteInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (remoteError) remoteInput.current?.focus();
  }, [remoteError]);

  const request = {
    protocol: target.protocol,
    port: target.port,
    direction,
    ...(remote.trim() ? { remote: remote.trim() } : {}),
  };
  const device = !target.isLocal;
  /** Only this PC's own programs can reach the service: an inbound rule would change nothing. */
  const needless =
    target.isLocal && target.exposure === 'loopback-only' && direction === 'in' && !remote.trim();
  const addresses = (list: readonly string[]) =>
    new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(list);
  // This PC's addresses among the devices on show: the running scan's, or the kept scan's page
  // (this PC's addresses come first in its order).
  const scanned = useScan((s) => s.hosts);
  const page = useScan((s) => s.shown?.hosts);
  const pcAddresses = [...Object.values(scanned), ...(page ?? [])]
    .filter((h) => h.isLocal)
    .map((h) => h.address);
  /**
   * This PC's own addresses typed as the remote of an inbound rule: its own connections are never
   * filtered, so such a scope blocks nothing (the preview's sentence alone would not say so).
   */
  const own =
    target.isLocal && direction === 'in'
      ? ownAddressesIn(remote, [...pcAddresses, target.address])
      : [];
  /**
   * Such an address (127.0.0.1 included) is refused as the field's own error, under it, as soon as
   * it is typed (review 15b): the service would refuse it too (firewall.own-address).
   */
  const ownError =
    own.length > 0
      ? t('wizard.ownAddress', { count: own.length, addresses: addresses(own) })
      : null;
  /** The field's error, its test id and what the tests and screen readers find it by. */
  const fieldError = remoteError
    ? { text: say(remoteError.message), slot: remoteErrorSlot }
    : ownError
      ? { text: ownError, slot: { 'data-testid': 'block-own-address', role: 'alert' } }
      : null;

  async function toPreview() {
    setBusy(true);
    setError(null);
    try {
      setPreview(await api.call('firewall.preview', request));
      setStep(1);
    } catch (e) {
      setError(asAppError(e));
    } finally {
      setBusy(false);
    }
  }

  async function runRescan() {
    setRescan(undefined);
    setRescanError(null);
    try {
      setRescan(await rescanPort(target, target.port));
    } catch (e) {
      setRescanError(asAppError(e));
      setRescan(null);
    }
  }

  async function apply() {
    setBusy(true);
    setError(null);
    setCancelled(null);
    setUnknown(null);
    try {
      // The id the preview reserved: the rule applied is the one the preview named.
      const outcome = await api.call('firewall.block', {
        ...request,
        ...(preview ? { ruleId: preview.id } : {}),
      });
      if (outcome.outcome === 'cancelled') {
        setCancelled(outcome.message);
        await renewPreview();
      } else if (outcome.outcome === 'unknown') {
        setUnknown(outcome.message);
        // The Rules page's list, and with it the verdicts on screen, follow the new rule.
        void reloadRules();
      } else {
        setApplied(outcome);
        setStep(3);
        void reloadRules();
        if (direction === 'out' && !target.isLocal && target.protocol === 'tcp') void runRescan();
      }
    } catch (e) {
      setError(asAppError(e));
      await renewPreview();
    } finally {
      setBusy(false);
    }
  }

  /**
   * After an attempt that changed nothing (declined, refused, failed), a new preview: the journal
   * keeps the attempt under the id the first preview reserved, and an id is never used twice, so
   * "Réessayer" needs a fresh one. The preview shown (and its rule name) follows.
   */
  async function renewPreview() {
    try {
      setPreview(await api.call('firewall.preview', request));
    } catch {
      // The error on screen already says what went wrong; the next attempt will say it again.
    }
  }

  const verdict = applied ? verdictOf(applied, direction, target.isLocal, rescan) : null;
  const rescanPending =
    applied !== null &&
    direction === 'out' &&
    !target.isLocal &&
    target.protocol === 'tcp' &&
    rescan === undefined;

  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="block-dialog-title"
      aria-describedby="block-dialog-step"
      data-testid="block-dialog"
    >
      <DialogTitle id="block-dialog-title">
        {/* A rule on this PC covers all its addresses: name the PC, not the address scanned. */}
        {t(target.isLocal ? 'wizard.titleThisPc' : 'wizard.title', {
          port: target.port,
          protocol: target.protocol.toUpperCase(),
          address: zonedAddress(target),
        })}
      </DialogTitle>
      <DialogContent>
        <Stepper activeStep={step} sx={{ mb: 3 }} alternativeLabel>
          {STEPS.map((s) => (
            <Step key={s}>
              <StepLabel>{t(`wizard.steps.${s}`)}</StepLabel>
            </Step>
          ))}
        </Stepper>

        <Box
          ref={stepBox}
          tabIndex={-1}
          role="group"
          aria-labelledby="block-dialog-step"
          sx={{ borderRadius: 1 }}
        >
          <Typography id="block-dialog-step" sx={VISUALLY_HIDDEN}>
            {t('wizard.stepOf', {
              step: step + 1,
              total: STEPS.length,
              name: t(`wizard.steps.${STEPS[step]}`),
            })}
          </Typography>
          {step === 0 && (
            <Stack spacing={2} data-testid="block-step-what">
              {device && (
                <Alert severity="info" role="note" data-testid="block-device-note">
                  <strong>{t('wizard.device.title')}</strong>{' '}
                  {t('wizard.device.body', { address: zonedAddress(target) })}
                </Alert>
              )}
              <Typography>
                {t(target.isLocal ? 'wizard.whatThisPc' : 'wizard.what', {
                  port: target.port,
                  protocol: target.protocol.toUpperCase(),
                  address: zonedAddress(target),
                })}
              </Typography>
              {needless && (
                <Alert severity="info" role="note" data-testid="block-needless">
                  {t('wizard.loopbackOnly')}
                </Alert>
              )}
              {(target.service || target.reasonText) && (
                // What the port is and why it was flagged: the same each time the wizard opens, so a
                // note read in its place, not an alert announced on every opening (review 15 #15).
                <Alert severity="warning" role="note" data-testid="block-why">
                  {[target.service, target.reasonText ? say(target.reasonText) : '']
                    .filter(Boolean)
                    .join(' — ')}
                </Alert>
              )}
              <FormControl>
                <FormLabel id="block-direction-label">{t('wizard.direction')}</FormLabel>
                <RadioGroup
                  aria-labelledby="block-direction-label"
                  value={direction}
                  onChange={(e) => {
                    const value = e.target.value === 'out' ? 'out' : 'in';
                    setDirection(value);
                    setRemote(value === 'out' && !target.isLocal ? target.address : '');
                    if (remoteError) setError(null);
                  }}
                >
                  {/* For a device, "inbound" would block this PC's own port from it: another
                      thing than the port the user chose, so it is not offered. */}
                  {!device && (
                    <FormControlLabel
                      value="in"
                      control={<Radio />}
                      label={t('wizard.directionIn')}
                    />
                  )}
                  <FormControlLabel
                    value="out"
                    control={<Radio />}
                    label={t('wizard.directionOut')}
                  />
                </RadioGroup>
              </FormControl>
              {/* The label outside the outlined field: its notch would carry the same words
                  again (a legend), read twice by some screen readers (review 15 #15). */}
              <Stack spacing={0.5}>
                <FormLabel htmlFor="block-remote-field" data-testid="block-remote-label">
                  {t('wizard.remote')}
                </FormLabel>
                <TextField
                  id="block-remote-field"
                  error={fieldError !== null}
                  helperText={
                    fieldError
                      ? fieldError.text
                      : t(direction === 'in' ? 'wizard.remoteHelpIn' : 'wizard.remoteHelpOut')
                  }
                  value={remote}
                  onChange={(e) => {
                    setRemote(e.target.value);
                    // The refusal was about what was typed before: it no longer applies.
                    if (remoteError) setError(null);
                  }}
                  inputRef={remoteInput}
                  slotProps={{
                    htmlInput: { 'data-testid': 'block-remote', spellCheck: false },
                    formHelperText: fieldError?.slot ?? {},
                  }}
                />
              </Stack>
            </Stack>
          )}

          {step === 1 && preview && (
            <Stack spacing={2} data-testid="block-step-preview">
              <Typography sx={{ fontWeight: 600 }} data-testid="block-summary">
                {needless ? t('wizard.loopbackOnlySummary') : say(preview.summary)}
              </Typography>
              {/* What the preview says about the rule: there as the step opens (the focus goes
                  to the step, which reads them), notes in place rather than alerts announced. */}
              {preview.notes.map((n, i) => (
                <Alert
                  key={i}
                  role="note"
                  data-testid="block-preview-note"
                  severity={preview.elevation === 'unavailable' && i === 0 ? 'error' : 'info'}
                >
                  {say(n)}
                </Alert>
              ))}
              {preview.elevation !== 'unavailable' && (
                <Typography variant="body2" color="text.secondary">
                  {t(`wizard.elevation.${preview.elevation}`)}
                </Typography>
              )}
              <Accordion disableGutters variant="outlined" data-testid="block-technical">
                <AccordionSummary
                  expandIcon={<ExpandMoreIcon />}
                  aria-controls="block-technical-details"
                  id="block-technical-summary"
                >
                  <Typography>{t('wizard.technical')}</Typography>
                </AccordionSummary>
                <AccordionDetails id="block-technical-details">
                  <Typography variant="body2" sx={{ mb: 1 }} data-testid="block-rule-name">
                    {t('wizard.technicalIntro', { name: preview.name })}
                  </Typography>
                  {preview.commands.map((c, i) => (
                    <Box
                      key={i}
                      component="pre"
                      data-testid="block-command"
                      sx={{
                        fontFamily: MONO_FONT,
                        fontSize: 12,
                        p: 1.5,
                        bgcolor: 'action.hover',
                        borderRadius: 1,
                        whiteSpace: 'pre-wrap',
                        wordBreak: 'break-all',
                        m: 0,
                        mb: 1,
                      }}
                    >
                      {c.display}
                    </Box>
                  ))}
                </AccordionDetails>
              </Accordion>
            </Stack>
          )}

          {step === 2 && (
            <Stack spacing={2} data-testid="block-step-apply">
              <Typography data-testid="block-apply-intro">
                {t(
                  `wizard.applyIntro.${preview?.elevation === 'none' || preview?.elevation === 'uac' ? preview.elevation : 'pkexec'}`,
                )}
              </Typography>
              {busy && (
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }} role="status">
                  <CircularProgress size={20} />
                  <Typography>{t('wizard.applying')}</Typography>
                </Stack>
              )}
              {cancelled && (
                <Alert severity="info" data-testid="block-cancelled">
                  {say(cancelled)}
                </Alert>
              )}
              {unknown && (
                <Alert severity="warning" data-testid="block-unknown">
                  {say(unknown)}
                </Alert>
              )}
            </Stack>
          )}

          {step === 3 && applied && (
            <Stack spacing={2} data-testid="block-step-verify">
              <Typography variant="subtitle2" component="h3">
                {t('wizard.checkedTitle')}
              </Typography>
              <Box component="ul" sx={{ pl: 2.5, my: 0 }} data-testid="block-checked">
                <Check
                  label={t('wizard.check.readBack')}
                  value={applied.verification.readBack}
                  testId="check-readback"
                />
                <Check
                  // Profiles are Windows' notion; on Linux the check is that nftables filters.
                  label={t(
                    applied.rule.backend === 'nftables'
                      ? 'wizard.check.firewallOnNftables'
                      : 'wizard.check.firewallOn',
                  )}
                  value={applied.verification.firewallOn}
                  testId="check-firewall-on"
                />
                {applied.verification.localRulesApplied !== null && (
                  <Check
                    label={t('wizard.check.localRules')}
                    value={applied.verification.localRulesApplied}
                    testId="check-local-rules"
                  />
                )}
                {applied.verification.checked.map((c, i) => (
                  <Typography component="li" variant="body2" key={`c${i}`}>
                    {say(c)}
                  </Typography>
                ))}
              </Box>
              {applied.verification.problems.map((p, i) => (
                <Alert
                  key={i}
                  severity={applied.verification.effective === 'no' ? 'error' : 'warning'}
                >
                  {say(p)}
                </Alert>
              ))}
              <HeadedList
                testId="block-not-checked"
                title={t('wizard.notCheckedTitle')}
                items={applied.verification.notChecked.map(say)}
              />
              <HeadedList
                testId="block-limits"
                title={t('wizard.limitsTitle')}
                items={applied.verification.limits.map(say)}
              />
              {direction === 'out' && !target.isLocal && target.protocol === 'tcp' && (
                <Stack
                  direction="row"
                  spacing={1}
                  sx={{ alignItems: 'center' }}
                  data-testid="block-rescan"
                >
                  {rescanPending ? (
                    <>
                      <CircularProgress size={18} />
                      <Typography>{t('wizard.rescanning')}</Typography>
                    </>
                  ) : (
                    <Typography data-testid="block-rescan-result" data-state={rescan ?? 'none'}>
                      {rescan
                        ? t('wizard.rescanResult', {
                            before: t('vocabulary:portState.open'),
                            after: t(`vocabulary:portState.${rescan}`),
                          })
                        : t('wizard.rescanNone')}
                    </Typography>
                  )}
                  {!rescanPending && (
                    <Button size="small" onClick={() => void runRescan()}>
                      {t('wizard.rescanAgain')}
                    </Button>
                  )}
                </Stack>
              )}
              {rescanError && <AppErrorAlert error={rescanError} testId="block-rescan-error" />}
              {verdict && !rescanPending && (
                <Alert
                  severity={
                    verdict === 'in-place'
                      ? 'success'
                      : verdict === 'this-pc-only'
                        ? 'info'
                        : verdict === 'not-effective'
                          ? 'error'
                          : 'warning'
                  }
                  data-testid="block-verdict"
                  data-verdict={verdict}
                >
                  {verdict === 'in-place' && applied.rule.remote.length > 0
                    ? t('wizard.verdict.in-place-scoped', {
                        count: applied.rule.remote.length,
                        addresses: addresses(applied.rule.remote),
                      })
                    : t(`wizard.verdict.${verdict}`)}
                </Alert>
              )}
              {applied.backupPath && (
                <Typography variant="body2" color="text.secondary">
                  {t('wizard.backup', {
                    path: quotable(applied.backupPath, OUTSIDE_WORDS_MAX.path),
                  })}
                </Typography>
              )}
            </Stack>
          )}
        </Box>

        {error && !remoteError && (
          <Box sx={{ mt: 2 }}>
            <AppErrorAlert error={error} testId="block-error" />
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        {step < 3 && (
          <Button onClick={onClose} disabled={busy}>
            {t('wizard.cancel')}
          </Button>
        )}
        {step > 0 && step < 3 && (
          <Button onClick={() => setStep(step - 1)} disabled={busy}>
            {t('wizard.back')}
          </Button>
        )}
        {step === 0 && (
          <Button
            variant="contained"
            onClick={() => {
              // The service refuses such a scope too (firewall.own-address): no preview to go to;
              // the focus goes to the field whose error says why (focusable, not disabled).
              if (own.length > 0) remoteInput.current?.focus();
              else void toPreview();
            }}
            disabled={busy}
          >
            {t('wizard.next')}
          </Button>
        )}
        {step === 1 && (
          <Button
            variant="contained"
            onClick={() => setStep(2)}
            disabled={preview?.elevation === 'unavailable'}
          >
            {t('wizard.next')}
          </Button>
        )}
        {step === 2 && (
          <Button
            variant="contained"
            color="error"
            onClick={() => void apply()}
            disabled={busy || unknown !== null}
          >
            {cancelled ? t('wizard.retry') : t('wizard.apply')}
          </Button>
        )}
        {step === 3 && (
          <Button variant="contained" onClick={onClose}>
            {t('wizard.close')}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

/** A titled list of sentences under the verification (nothing when there are none). */
function HeadedList({ testId, title, items }: { testId: string; title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <Box data-testid={testId}>
      <Typography variant="subtitle2" component="h3">
        {title}
      </Typography>
      <Box component="ul" sx={{ pl: 2.5, my: 0 }}>
        {items.map((text, i) => (
          <Typography component="li" variant="body2" key={i}>
            {text}
          </Typography>
        ))}
      </Box>
    </Box>
  );
}

function Check({ label, value, testId }: { label: string; value: boolean | null; testId: string }) {
  const { t } = useTranslation('firewall');
  const text =
    value === null
      ? t('wizard.check.unknown')
      : value
        ? t('wizard.check.yes')
        : t('wizard.check.no');
  return (
    <Typography component="li" variant="body2" data-testid={testId} data-value={String(value)}>
      {t('wizard.check.line', { label, value: text })}
    </Typography>
  );
}
