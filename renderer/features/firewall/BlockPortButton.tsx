import Button from '@mui/material/Button';
import BlockIcon from '@mui/icons-material/Block';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BlockPortDialog, type BlockTarget } from './BlockPortDialog';

/** "Bloquer ce port": opens the wizard for one port of one address. */
export function BlockPortButton({ target }: { target: BlockTarget }) {
  const { t } = useTranslation('firewall');
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        color="error"
        startIcon={<BlockIcon />}
        onClick={(e) => {
          // Inside an accordion summary or a row, the click must not toggle the parent.
          e.stopPropagation();
          setOpen(true);
        }}
        aria-label={t('button.label', {
          port: target.port,
          protocol: target.protocol.toUpperCase(),
          address: target.address,
        })}
        data-testid={`block-port-${target.address}-${target.port}`}
      >
        {t('button.text')}
      </Button>
      {open && <BlockPortDialog target={target} onClose={() => setOpen(false)} />}
    </>
  );
}
