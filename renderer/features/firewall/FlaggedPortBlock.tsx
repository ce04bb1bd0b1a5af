import Box from '@mui/material/Box';
import type { PortAssessment } from '../../../app/contract/risk';
import { useRisk } from '../../stores/risk';
import { BlockPortButton } from './BlockPortButton';

/** The "Bloquer ce port" entry point inside a risk verdict, with what the verdict knows. */
export function FlaggedPortBlock({ address, port }: { address: string; port: PortAssessment }) {
  const isLocal = useRisk((s) => s.byAddress[address]?.isLocal ?? false);
  const reason = port.reasons[0]?.text;
  return (
    <Box>
      <BlockPortButton
        target={{
          address,
          port: port.port,
          protocol: port.protocol,
          isLocal,
          service: port.service,
          ...(reason ? { reasonText: reason } : {}),
        }}
      />
    </Box>
  );
}
