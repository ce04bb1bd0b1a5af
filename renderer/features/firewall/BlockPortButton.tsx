import type { Ref } from 'react';
import Button from '@mui/material/Button';
import BlockIcon from '@mui/icons-material/Block';
import { useTranslation } from 'react-i18next';
import type { BlockTarget } from './BlockPortDialog';
import { zonedAddress } from '../../../app/contract/devices';

/** "Bloquer ce port": asks for the wizard of one port of one address. */
export function BlockPortButton({
  target,
  onOpen,
  buttonRef,
}: {
  target: BlockTarget;
  onOpen: () => void;
  buttonRef?: Ref<HTMLButtonElement>;
}) {
  const { t } = useTranslation('firewall');
  return (
    <Button
      ref={buttonRef}
      size="small"
      variant="outlined"
      color="error"
      startIcon={<BlockIcon />}
      onClick={(e) => {
        // Inside an accordion summary or a row, the click must not toggle the parent.
        e.stopPropagation();
        onOpen();
      }}
      aria-label={t('button.label', {
        port: target.port,
        protocol: target.protocol.toUpperCase(),
        address: zonedAddress(target),
      })}
      data-testid={`block-port-${target.address}-${target.port}`}
    >
      {t('button.text')}
    </Button>
  );
}
