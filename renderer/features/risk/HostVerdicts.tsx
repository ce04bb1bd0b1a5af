import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useRisk } from '../../stores/risk';
import { SeverityChip } from './SeverityChip';
import { PortVerdict } from './PortVerdict';
import { SEVERITIES } from '../../../app/contract/vocabulary';
import type { HostAssessment } from '../../../app/contract/risk';

/** An address's assessment cut to the ports `only` names, its worst level theirs. */
function onlyThese(all: HostAssessment, only: ReadonlySet<string>): HostAssessment {
  const ports = all.ports.filter((p) => only.has(`${p.protocol}/${p.port}`));
  const worst = SEVERITIES.find((s) => ports.some((p) => p.severity === s)) ?? null;
  return { ...all, ports, worst: all.answersEveryPort ? all.worst : worst };
}

/**
 * The body of a host card once verdicts exist: its open ports worst first, `info` ones hidden
 * unless asked. The raw scan table (`children`) stays available under "Scan details"; before any
 * verdict arrives it is shown as is.
 */
export function HostVerdicts({
  address,
  zone,
  children,
  reach,
  only,
  products,
}: {
  address: string;
  /** A link-local address's zone (HostResult.zone), for the block wizard and its rescan. */
  zone?: string | undefined;
  children: ReactNode;
  /** For a device of several addresses: per `tcp/80`, the addresses the service is open on. */
  reach?: ReadonlyMap<string, readonly string[]>;
  /** Only these ports (`tcp/80`): an address of a device whose other ports another one shows. */
  only?: ReadonlySet<string>;
  /** Per `tcp/22`, the software nmap -sV identified (imports). */
  products?: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation('risk');
  const all = useRisk((s) => s.byAddress[address]);
  const showInfo = useRisk((s) => s.showInfo);
  // The level shown is that of the ports listed here, not of every port of the address.
  const assessment = all && only ? onlyThese(all, only) : all;
  if (!assessment || assessment.ports.length === 0) return <>{children}</>;

  const every = assessment.answersEveryPort;
  // A device answering on every port gets one verdict, not one per port.
  const visible = every
    ? []
    : showInfo
      ? assessment.ports
      : assessment.ports.filter((p) => p.severity !== 'info');
  const hidden = every ? 0 : assessment.ports.length - visible.length;
  return (
    <Box data-testid={`host-verdicts-${address}`}>
      <Stack
        direction="row"
        spacing={1}
        useFlexGap
        sx={{ px: 2.5, py: 1, alignItems: 'center', flexWrap: 'wrap' }}
      >
        <Typography variant="body2" color="text.secondary">
          {t('host.worst')}
        </Typography>
        {assessment.worst && <SeverityChip severity={assessment.worst} testId="host-worst" />}
      </Stack>
      {every && (
        <Box
          sx={{ px: 2.5, py: 1.5, borderTop: 1, borderColor: 'divider' }}
          data-testid={`host-grouped-verdict-${address}`}
        >
          <Typography variant="subtitle2" component="p">
            {t('host.everyPort.title')}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {t('host.everyPort.body', { count: every.open })}
          </Typography>
        </Box>
      )}
      {visible.map((port) => (
        <PortVerdict
          key={`${port.protocol}-${port.port}`}
          address={address}
          {...(zone ? { zone } : {})}
          port={port}
          {...(products?.has(`${port.protocol}/${port.port}`)
            ? { product: products.get(`${port.protocol}/${port.port}`)! }
            : {})}
          {...(reach ? { addresses: reach.get(`${port.protocol}/${port.port}`) ?? [address] } : {})}
        />
      ))}
      {hidden > 0 && (
        <Typography
          variant="body2"
          color="text.secondary"
          sx={{ px: 2.5, py: 1, borderTop: 1, borderColor: 'divider' }}
          data-testid={`host-hidden-info-${address}`}
        >
          {/* A device of several addresses (`reach`) hides them for all its addresses. */}
          {t(reach && !only ? 'host.hiddenInfoDevice' : 'host.hiddenInfo', { count: hidden })}
        </Typography>
      )}
      <Accordion disableGutters elevation={0} square sx={{ borderTop: 1, borderColor: 'divider' }}>
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>
          <Typography variant="body2">{t('host.scanDetails')}</Typography>
        </AccordionSummary>
        <AccordionDetails sx={{ p: 0 }}>{children}</AccordionDetails>
      </Accordion>
    </Box>
  );
}
