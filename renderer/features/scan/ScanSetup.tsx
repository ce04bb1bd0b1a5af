import Box from '@mui/material/Box';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { isBusy, useScan, type PortMode, type TargetMode } from '../../stores/scan';

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
  const { t } = useTranslation('scan');
  const form = useScan();
  const busy = isBusy(form.phase);

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
          onChange={(event) => form.setForm({ targetMode: event.target.value as TargetMode })}
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
            autoFocus
            label={t('form.targets.customLabel')}
            placeholder={t('form.targets.customPlaceholder')}
            value={form.customTargets}
            onChange={(event) => form.setForm({ customTargets: event.target.value })}
            error={form.missing.targets}
            helperText={form.missing.targets ? t('form.targets.missing') : ' '}
            slotProps={{ htmlInput: { 'data-testid': 'custom-targets', spellCheck: false } }}
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
            error={form.missing.ports}
            helperText={form.missing.ports ? t('form.ports.missing') : ' '}
            slotProps={{ htmlInput: { 'data-testid': 'custom-ports', spellCheck: false } }}
          />
        )}
      </FormControl>
    </Box>
  );
}
