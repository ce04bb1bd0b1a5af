import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../app/contract/errors';
import { isBusy, useScan, type PortMode, type TargetMode } from '../../stores/scan';

/** The ids of the custom targets and ports inputs, so focus can be sent to the one at fault. */
export const SCAN_FIELD_IDS = {
  targets: 'scan-custom-targets',
  ports: 'scan-custom-ports',
} as const;

/**
 * Which custom field an app error is about (`scan.targets.*` or `scan.ports.*` while that field is
 * shown), so it is said under the field (WCAG 3.3.1); null for an error that is no field's, which
 * stays in the banner (too many addresses to confirm, a lost connection, "local network" unknown).
 */
export function errorField(
  error: AppError | null,
  form: { targetMode: TargetMode; portMode: PortMode },
): 'targets' | 'ports' | null {
  if (!error) return null;
  if (error.code.startsWith('scan.targets.') && form.targetMode === 'custom') return 'targets';
  if (error.code.startsWith('scan.ports.') && form.portMode === 'custom') return 'ports';
  return null;
}

function Choice({ value, label, help }: { value: string; label: string; help: string }) {
  return (
    <FormControlLabel
      value={value}
      control={<Radio />}
      sx={{ alignItems: 'flex-start', mb: 0.5, '& .MuiRadio-root': { pt: 0.5 } }}
      label={
        <Box>
          <Typography component="span" sx={{ display: 'block', fontWeight: 500 }}>
            {label}
          </Typography>
          {help && (
            <Typography
              component="span"
              variant="body2"
              color="text.secondary"
              sx={{ display: 'block' }}
            >
              {help}
            </Typography>
          )}
        </Box>
      }
    />
  );
}

/** What to scan and which ports: named choices by default, free text when the user wants it. */
export function ScanSetup() {
  const { t, i18n } = useTranslation('scan');
  const form = useScan();
  const busy = isBusy(form.phase);
  const field = errorField(form.error, form);
  const appError = form.error
    ? i18n.language === 'fr'
      ? form.error.message.fr
      : form.error.message.en
    : '';
  /** The app's error under its field: the test id and code the banner had, for the same reader. */
  const errorSlot = form.error
    ? { 'data-testid': 'scan-error', 'data-error-code': form.error.code, role: 'alert' }
    : {};
  /** "Analyser maintenant" with the field empty: said as it appears, like the app's errors. */
  const missingSlot = { 'data-testid': 'scan-field-missing', role: 'alert' };
  /**
   * The custom field takes the focus only when the user has just chosen "custom": not when the
   * form is set to a reopened scan's settings, which would pull the focus from the page's title.
   */
  const [customChosen, setCustomChosen] = useState(false);

  return (
    <Box
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' },
        gap: { xs: 2, md: 4 },
      }}
    >
      <FormControl disabled={busy}>
        <FormLabel id="scan-targets-legend" sx={{ mb: 1, fontWeight: 600, color: 'text.primary' }}>
          {t('form.targets.legend')}
        </FormLabel>
        <RadioGroup
          aria-labelledby="scan-targets-legend"
          value={form.targetMode}
          onChange={(event) => {
            setCustomChosen(event.target.value === 'custom');
            form.setForm({ targetMode: event.target.value as TargetMode });
          }}
        >
          <Choice
            value="this-pc"
            label={t('form.targets.thisPc')}
            help={t('form.targets.thisPcHelp')}
          />
          <Choice
            value="local-network"
            label={t('form.targets.localNetwork')}
            help={t('form.targets.localNetworkHelp')}
          />
          <Choice value="custom" label={t('form.targets.custom')} help="" />
        </RadioGroup>
        {form.targetMode === 'custom' && (
          <TextField
            sx={{ mt: 1 }}
            size="small"
            fullWidth
            autoFocus={customChosen}
            label={t('form.targets.customLabel')}
            placeholder={t('form.targets.customPlaceholder')}
            value={form.customTargets}
            onChange={(event) => form.setForm({ customTargets: event.target.value })}
            id={SCAN_FIELD_IDS.targets}
            error={form.missing.targets || field === 'targets'}
            helperText={
              form.missing.targets
                ? t('form.targets.missing')
                : field === 'targets'
                  ? appError
                  : ' '
            }
            slotProps={{
              htmlInput: { 'data-testid': 'custom-targets', spellCheck: false },
              formHelperText: form.missing.targets
                ? missingSlot
                : field === 'targets'
                  ? errorSlot
                  : {},
            }}
          />
        )}
      </FormControl>
      <FormControl disabled={busy}>
        <FormLabel id="scan-ports-legend" sx={{ mb: 1, fontWeight: 600, color: 'text.primary' }}>
          {t('form.ports.legend')}
        </FormLabel>
        <RadioGroup
          aria-labelledby="scan-ports-legend"
          value={form.portMode}
          onChange={(event) => form.setForm({ portMode: event.target.value as PortMode })}
        >
          <Choice
            value="top1000"
            label={t('form.ports.top1000')}
            help={t('form.ports.top1000Help')}
          />
          <Choice value="all" label={t('form.ports.all')} help={t('form.ports.allHelp')} />
          <Choice value="custom" label={t('form.ports.custom')} help="" />
        </RadioGroup>
        {form.portMode === 'custom' && (
          <TextField
            sx={{ mt: 1 }}
            size="small"
            fullWidth
            label={t('form.ports.customLabel')}
            placeholder={t('form.ports.customPlaceholder')}
            value={form.customPorts}
            onChange={(event) => form.setForm({ customPorts: event.target.value })}
            id={SCAN_FIELD_IDS.ports}
            error={form.missing.ports || field === 'ports'}
            helperText={
              form.missing.ports ? t('form.ports.missing') : field === 'ports' ? appError : ' '
            }
            slotProps={{
              htmlInput: { 'data-testid': 'custom-ports', spellCheck: false },
              formHelperText: form.missing.ports ? missingSlot : field === 'ports' ? errorSlot : {},
            }}
          />
        )}
        <FormControlLabel
          // Next to the TCP choices, on top of any of them: UDP is its own, slower, question.
          control={
            <Checkbox
              checked={form.udp}
              onChange={(event) => form.setForm({ udp: event.target.checked })}
            />
          }
          sx={{ alignItems: 'flex-start', mt: 0.5, '& .MuiCheckbox-root': { pt: 0.5 } }}
          label={
            <Box>
              <Typography component="span" sx={{ display: 'block', fontWeight: 500 }}>
                {t('form.ports.commonUdp')}
              </Typography>
              <Typography
                component="span"
                variant="body2"
                color="text.secondary"
                sx={{ display: 'block' }}
              >
                {t('form.ports.commonUdpHelp')}
              </Typography>
            </Box>
          }
        />
      </FormControl>
    </Box>
  );
}
