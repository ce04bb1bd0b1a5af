import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import type { PortServiceFacts } from '../../../app/contract/service-text';
import { useTranslation } from 'react-i18next';
import { useRisk } from '../../stores/risk';
import { SeverityChip } from './SeverityChip';
import { isMitigated, PortVerdict, type VerdictLevel } from './PortVerdict';
import { compareSeverity, SEVERITIES } from '../../../app/contract/vocabulary';
import type { HostAssessment, PortAssessment, Severity } from '../../../app/contract/risk';
import { VERDICTS_FIRST, VERDICTS_MORE } from './verdict-batches';

const verdictKey = (p: PortAssessment) => `${p.protocol}/${p.port}`;

/**
 * Worst first, mitigated ones last (the app's order, app/risk/summary.ts); stable, so the app's
 * order stays within a level. The ports a card fetched later ("show the next ports") come after
 * the page's: sorted here, a critical one among them is not drawn after 200 medium ones.
 */
function worstFirst(ports: readonly PortAssessment[]): PortAssessment[] {
  return ports
    .map((port, index) => ({ port, index }))
    .sort(
      (a, b) =>
        Number(isMitigated(a.port)) - Number(isMitigated(b.port)) ||
        compareSeverity(a.port.severity, b.port.severity) ||
        a.index - b.index,
    )
    .map(({ port }) => port);
}

/** An address's assessment cut to the ports `only` names, its worst level theirs. */
function onlyThese(all: HostAssessment, only: ReadonlySet<string>): HostAssessment {
  const ports = all.ports.filter((p) => only.has(`${p.protocol}/${p.port}`));
  const worst = SEVERITIES.find((s) => ports.some((p) => p.severity === s)) ?? null;
  return { ...all, ports, worst: all.answersEveryPort ? all.worst : worst };
}

/**
 * The body of a host card once verdicts exist: its open ports worst first, `info` ones hidden
 * unless asked, the first VERDICTS_FIRST drawn and the others counted per level until the user
 * asks for the next VERDICTS_MORE (a verdict once opened stays drawn). The raw scan table
 * (`children`) is drawn when "Scan details" is opened; before any verdict arrives it is shown as is.
 * `level`: the heading level of each verdict's header and of "Scan details", one below the heading
 * the list sits under (4 under a device's h3, 5 under a device's "only on" h4; issue 15 review F9).
 */
export function HostVerdicts({
  address,
  zone,
  children,
  reach,
  shared,
  only,
  products,
  facts,
  level = 4,
}: {
  address: string;
  /** A link-local address's zone (HostResult.zone), for the block wizard and its rescan. */
  zone?: string | undefined;
  children: ReactNode;
  /** For a device of several addresses: per `tcp/80`, the addresses the service is open on. */
  reach?: ReadonlyMap<string, readonly string[]>;
  /** Ports (`tcp/8080`) two programs of the device hold: their lines say their addresses. */
  shared?: ReadonlySet<string>;
  /** Only these ports (`tcp/80`): an address of a device whose other ports another one shows. */
  only?: ReadonlySet<string>;
  /** Per `tcp/22`, the software identified (nmap -sV imports, our service detection). */
  products?: ReadonlyMap<string, string>;
  /** Per `tcp/443`, what the HTTP and TLS probes learnt, as lines of the reader's language. */
  facts?: ReadonlyMap<string, PortServiceFacts>;
  /** Heading level of the verdicts and of "Scan details" (default 4). */
  level?: VerdictLevel;
}) {
  const { t, i18n } = useTranslation('risk');
  const all = useRisk((s) => s.byAddress[address]);
  const showInfo = useRisk((s) => s.showInfo);
  // How many verdicts this card draws, and those the user opened: an opened verdict stays drawn
  // wherever it sorts next (blocked from its own wizard, it moves last with the wizard still open).
  const [limit, setLimit] = useState(VERDICTS_FIRST);
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set());
  // The first of the next verdicts, focused once they are drawn (after the render that adds them),
  // so a keyboard user goes on reading where the list grew instead of from the button below it.
  const focus = useRef<PortAssessment | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const port = focus.current;
    if (port === null) return;
    focus.current = null;
    box.current
      ?.querySelector<HTMLElement>(
        `[data-port="${port.port}"][data-protocol="${port.protocol}"] [aria-expanded]`,
      )
      ?.focus();
  });
  // The level shown is that of the ports listed here, not of every port of the address.
  const assessment = all && only ? onlyThese(all, only) : all;
  if (!assessment || assessment.ports.length === 0) return <>{children}</>;

  const every = assessment.answersEveryPort;
  // A device answering on every port gets one verdict, not one per port.
  const listed = every
    ? []
    : worstFirst(
        showInfo ? assessment.ports : assessment.ports.filter((p) => p.severity !== 'info'),
      );
  const hidden = every ? 0 : assessment.ports.length - listed.length;
  const visible = listed.filter((p, i) => i < limit || opened.has(verdictKey(p)));
  const notYet = listed.filter((p, i) => i >= limit && !opened.has(verdictKey(p)));
  const next = Math.min(notYet.length, VERDICTS_MORE);
  return (
    <Box ref={box} data-testid={`host-verdicts-${address}`}>
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
          level={level}
          {...(products?.has(`${port.protocol}/${port.port}`)
            ? { product: products.get(`${port.protocol}/${port.port}`)! }
            : {})}
          {...(facts?.has(`${port.protocol}/${port.port}`)
            ? { facts: facts.get(`${port.protocol}/${port.port}`)! }
            : {})}
          {...(reach ? { addresses: reach.get(`${port.protocol}/${port.port}`) ?? [address] } : {})}
          sayAddresses={shared?.has(`${port.protocol}/${port.port}`) ?? false}
          onOpen={() =>
            setOpened((was) =>
              was.has(verdictKey(port)) ? was : new Set([...was, verdictKey(port)]),
            )
          }
        />
      ))}
      {notYet.length > 0 && (
        <Box
          sx={{ px: 2.5, py: 1, borderTop: 1, borderColor: 'divider' }}
          data-testid={`host-more-verdicts-${address}`}
          data-count={notYet.length}
        >
          <Typography variant="body2" color="text.secondary">
            {t('host.verdictsLeft', {
              count: notYet.length,
              levels: new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(
                levelCounts(notYet, t),
              ),
            })}
          </Typography>
          <Button
            size="small"
            onClick={() => {
              focus.current = notYet[0]!;
              setLimit((n) => n + VERDICTS_MORE);
            }}
          >
            {t('host.moreVerdicts', { count: next })}
          </Button>
        </Box>
      )}
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
      {/* The raw table is drawn when opened only: a host's hundreds of rows are not kept folded. */}
      <Accordion
        disableGutters
        elevation={0}
        square
        // At the level of the verdicts: the device's scan details, not a part of its last port.
        slotProps={{ heading: { component: `h${level}` }, transition: { unmountOnExit: true } }}
        sx={{ borderTop: 1, borderColor: 'divider' }}
      >
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>
          <Typography variant="body2">{t('host.scanDetails')}</Typography>
        </AccordionSummary>
        <AccordionDetails sx={{ p: 0 }}>{children}</AccordionDetails>
      </Accordion>
    </Box>
  );
}

/**
 * "Critique : 2", "Moyen : 30"…: the ports per level, worst first, levels with none left out; the
 * ports a Port Auditor rule closes are counted apart ("1 port bloqué par Port Auditor"), as the
 * summary bar counts them.
 */
function levelCounts(ports: readonly PortAssessment[], t: TFunction<'risk'>): string[] {
  const counts = new Map<Severity, number>();
  let blocked = 0;
  for (const p of ports) {
    if (isMitigated(p)) blocked += 1;
    else counts.set(p.severity, (counts.get(p.severity) ?? 0) + 1);
  }
  return [
    ...SEVERITIES.filter((s) => counts.has(s)).map((s) =>
      t('summary.count', { count: counts.get(s)!, label: t(`vocabulary:severity.${s}`) }),
    ),
    ...(blocked > 0 ? [t('summary.blocked', { count: blocked })] : []),
  ];
}
