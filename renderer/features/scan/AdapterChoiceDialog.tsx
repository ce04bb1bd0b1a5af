import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LeftOutNetwork, LocalNetwork } from '../../../app/contract/scan';
import { useScan } from '../../stores/scan';
import { MONO_FONT } from '../../theme';

/**
 * Before a scan of the local network: names the networks it scans, and those it leaves out (VPN,
 * this PC's virtual switches, networks without the default gateway, adapters it could not
 * identify), each ticked only if the user chose it before, and scans those the user ticks.
 */
export function AdapterChoiceDialog() {
  const choice = useScan((s) => s.adapterChoice);
  const close = useScan((s) => s.closeAdapterChoice);
  return (
    <Dialog
      open={choice !== null}
      onClose={close}
      aria-labelledby="adapter-choice-title"
      aria-describedby="adapter-choice-body"
    >
      {choice && (
        // Keyed on the networks shown: every opening starts from the user's earlier answer.
        <AdapterChoice
          key={choice.leftOut.map((n) => n.adapter).join('\n')}
          leftOut={choice.leftOut}
          localNetworks={choice.localNetworks}
          initiallyTicked={choice.ticked}
        />
      )}
    </Dialog>
  );
}

function AdapterChoice({
  leftOut,
  localNetworks,
  initiallyTicked,
}: {
  leftOut: LeftOutNetwork[];
  localNetworks: LocalNetwork[];
  initiallyTicked: string[];
}) {
  const { t, i18n } = useTranslation('scan');
  const chooseAdapters = useScan((s) => s.chooseAdapters);
  const close = useScan((s) => s.closeAdapterChoice);
  const [ticked, setTicked] = useState<string[]>(initiallyTicked);
  const list = new Intl.ListFormat(i18n.language, { type: 'conjunction' });
  const scanned = list.format(
    localNetworks.map((n) => t('adapters.network', { name: n.adapter, network: n.network })),
  );
  const toggle = (name: string) =>
    setTicked((now) => (now.includes(name) ? now.filter((n) => n !== name) : [...now, name]));

  return (
    <>
      <DialogTitle id="adapter-choice-title">{t('adapters.title')}</DialogTitle>
      <DialogContent>
        <DialogContentText id="adapter-choice-body" sx={{ mb: 2 }}>
          {localNetworks.length > 0
            ? t('adapters.scanned', { count: localNetworks.length, networks: scanned })
            : t('adapters.scannedNone')}{' '}
          {t('adapters.body', { count: leftOut.length })}
        </DialogContentText>
        <Stack spacing={1.5}>
          {leftOut.map((network) => (
            <div key={network.adapter}>
              <FormControlLabel
                control={
                  <Checkbox
                    checked={ticked.includes(network.adapter)}
                    onChange={() => toggle(network.adapter)}
                  />
                }
                label={t('adapters.network', { name: network.adapter, network: network.network })}
              />
              <Typography variant="body2" color="text.secondary" sx={{ ml: 4 }}>
                {t(`adapters.reason.${network.reason}`)}
                {network.fullNetwork
                  ? ` ${t('adapters.capped', { network: network.network, full: network.fullNetwork })}`
                  : null}
                {network.description ? (
                  <Typography component="span" variant="body2" sx={{ fontFamily: MONO_FONT }}>
                    {` (${network.description})`}
                  </Typography>
                ) : null}
              </Typography>
            </div>
          ))}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>{t('adapters.cancel')}</Button>
        {/* Nothing scanned anyway and nothing ticked: there is nothing to start. */}
        <Button
          variant="contained"
          onClick={() => void chooseAdapters(ticked)}
          disabled={localNetworks.length === 0 && ticked.length === 0}
          autoFocus
        >
          {t('adapters.scan', { count: ticked.length })}
        </Button>
      </DialogActions>
    </>
  );
}
