import { useEffect, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import ComputerIcon from '@mui/icons-material/Computer';
import DevicesIcon from '@mui/icons-material/Devices';
import { useTranslation } from 'react-i18next';
import {
  deviceHeading,
  deviceHidden,
  macMakerOf,
  zonedAddress,
  type Device,
} from '../../../app/contract/devices';
import {
  detectedText,
  httpFactsText,
  tlsFactsText,
  type PortServiceFacts,
} from '../../../app/contract/service-text';
import { quoted } from '../../../app/contract/outside-words';
import { formatDateTime } from '../../../app/contract/datetime';
import { hostnameMethodLabel, macMakerText, notShownText } from '../../../app/contract/vocabulary';
import type { PortResult, PortState } from '../../../app/contract/scan';
import { useScan, type HostView } from '../../stores/scan';
import { MAX_PORTS_PER_HOST_PAGE } from '../../../app/contract/page-limits.js';
import { HostVerdicts } from '../risk/HostVerdicts';
import { MONO_FONT } from '../../theme';

const STATE_COLOR: Record<PortState, 'error' | 'default' | 'warning' | 'primary'> = {
  open: 'error',
  closed: 'default',
  filtered: 'warning',
  // Maybe open: neither the alarm of open nor the calm of closed (primary: 4.5:1 in both themes).
  'open|filtered': 'primary',
};

const portKey = (p: { port: number; protocol: string }) => `${p.protocol}/${p.port}`;

/**
 * One device and the ports found on it: This PC titled "Ce PC" whichever of its addresses has the
 * open ports, its addresses listed; another device named by its first address (`host`). A device of several
 * addresses (`device`: This PC's, or a device's IPv4 and IPv6 with one MAC address) lists each
 * service once with the addresses it is open on; an address's services the first one lacks come
 * after under that address; empty loopback and link-local addresses are only named.
 */
export function HostCard({ host, device }: { host: HostView; device?: Device<HostView> }) {
  const { t, i18n } = useTranslation('scan');
  const members = device ? [...device.hosts, ...device.folded] : [host];
  const several = members.length > 1;
  const heading = deviceHeading(device ?? { isLocal: host.isLocal, hosts: [host], folded: [] });
  // Open ports a kept scan's page did not carry still count (ScanPage.portsLeftOut).
  const leftOut = members.reduce((n, m) => n + (m.portsLeftOut?.open ?? 0), 0);
  const open =
    (device ? device.services.length : host.ports.filter((p) => p.state === 'open').length) +
    leftOut;
  // The fold names addresses alone (its keys); a user reads them with their zone (fe80::1%eth0).
  const shown = new Map(members.map((m) => [m.address, zonedAddress(m)]));
  const asShown = (addresses: readonly string[]) => addresses.map((a) => shown.get(a) ?? a);
  // Per address: a port two programs hold is two services, each reachable on its own addresses.
  const reachFor = (address: string) =>
    several
      ? new Map(
          device!.services
            .filter((s) => s.addresses.includes(address))
            .map((s) => [portKey(s), asShown(s.addresses)]),
        )
      : undefined;
  const reach = reachFor(host.address);
  // A port two programs hold on different addresses is two lines of one port number: each says
  // its addresses, the first address's too, not only the one under its "only on" heading.
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const service of device?.services ?? []) {
    const key = portKey(service);
    if (seen.has(key)) shared.add(key);
    seen.add(key);
  }
  // The software identified (nmap -sV imports, our service detection), per `tcp/22`, and what the
  // HTTP and TLS probes learnt, for the verdicts.
  const products = new Map<string, string>();
  const facts = new Map<string, PortServiceFacts>();
  const factsLang = i18n.language === 'en' ? 'en' : 'fr';
  const say = (key: string, params?: Record<string, string | number>) => t(key, params ?? {});
  const quote = (words: string) => quoted(words, factsLang);
  for (const member of members) {
    for (const p of member.ports) {
      const text = detectedText(p.detected);
      if (text && !products.has(portKey(p))) products.set(portKey(p), text);
      if ((p.tls || p.http) && !facts.has(portKey(p))) {
        facts.set(portKey(p), {
          ...(p.tls
            ? { tls: tlsFactsText(p.tls, say, quote, (iso) => formatDateTime(iso, factsLang)) }
            : {}),
          ...(p.http ? { http: httpFactsText(p.http, say, quote) } : {}),
        });
      }
    }
  }
  const firstOpen = new Set(host.ports.filter((p) => p.state === 'open').map(portKey));
  // Services the first address does not have, grouped by the addresses they are open on (each
  // service once): "only on 127.0.0.1" is news of its own, mostly good news (no other device
  // reaches a loopback-only service).
  const extras = extraGroups(device, host.address, firstOpen);
  // The device's unlisted ports, not its first address's: what the card lists from another
  // address is not also counted as hidden (same rule as the PDF).
  const hidden =
    host.hidden && several
      ? deviceHidden({ ...host, hidden: host.hidden }, device!.services)
      : host.hidden;
  // The vocabulary's sentence, as the CLI and the PDF word it. Open ports left out of a long list
  // are offered by "show the next ports" below, not counted here.
  const notShown = hidden
    ? notShownText({ ...hidden, open: 0 }, (key, params) => t(key, params ?? {}))
    : null;
  const titleId = `host-title-${host.address}`;
  const lang = i18n.language === 'en' ? 'en' : 'fr';
  // After the name: how it was found, then why the address counts as up.
  const about = [
    host.hostname && host.hostnameMethod ? hostnameMethodLabel(host.hostnameMethod, lang) : '',
    // "address of this PC" under "This PC" would say it twice.
    heading.thisPc && host.reason === 'localhost' ? '' : t(`vocabulary:hostReason.${host.reason}`),
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Card
      component="section"
      aria-labelledby={titleId}
      data-testid={`host-card-${host.address}`}
      data-addresses={members.map((m) => m.address).join(' ')}
      sx={{ overflow: 'hidden' }}
    >
      <Box
        sx={{
          px: 2.5,
          py: 1.5,
          bgcolor: 'action.hover',
          borderBottom: 1,
          borderColor: 'divider',
        }}
      >
        {/* Icon, title and open-port chip on one line, centred on the title's own line (not on
            the whole block of name, MAC and addresses below it, which pushed the icon and the
            chip down beside them, review N14); the lines below start under the title. */}
        <Box
          data-testid="card-title-row"
          sx={{ display: 'flex', alignItems: 'center', gap: 1.5, minWidth: 0 }}
        >
          {host.isLocal ? (
            <ComputerIcon color="primary" aria-hidden data-testid="card-title-icon" />
          ) : (
            <DevicesIcon color="primary" aria-hidden data-testid="card-title-icon" />
          )}
          <Typography
            variant="h3"
            component="h3"
            id={titleId}
            sx={{
              flexGrow: 1,
              minWidth: 0,
              ...(heading.thisPc ? {} : { fontFamily: MONO_FONT, wordBreak: 'break-all' }),
            }}
          >
            {heading.thisPc ? t('host.thisPc') : heading.address}
          </Typography>
          <Chip
            size="small"
            color={open > 0 ? 'error' : 'success'}
            label={t('host.openCount', { count: open })}
            data-testid={`host-open-count-${host.address}`}
            sx={{ flexShrink: 0 }}
          />
        </Box>
        {/* The icon's width (24 px) and the row's gap (12 px): the lines align with the title. */}
        <Box sx={{ pl: 4.5, minWidth: 0 }}>
          {/* A host name up to 253 characters with no break point wraps anywhere instead of
              running past the card (issue 15, F7). */}
          <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
            {host.hostname && <span data-testid="device-name">{host.hostname}</span>}
            {host.hostname && about ? ' · ' : ''}
            {about}
          </Typography>
          <MacLine host={host} />
          {heading.addresses.length > 0 && (
            <Typography
              variant="body2"
              color="text.secondary"
              data-testid="device-addresses"
              sx={{ overflowWrap: 'anywhere' }}
            >
              {heading.thisPc
                ? t('host.pcAddresses', {
                    count: heading.addresses.length,
                    addresses: heading.addresses.join(', '),
                  })
                : t(
                    // Why they are one device, only when it is so (no "same MAC" without one).
                    heading.foldedBy === 'mac'
                      ? 'host.deviceAddresses'
                      : heading.foldedBy === 'file-pc'
                        ? 'host.deviceAddressesFilePc'
                        : 'host.deviceAddressesPlain',
                    { addresses: heading.addresses.join(', ') },
                  )}
            </Typography>
          )}
        </Box>
      </Box>
      <HostNotices host={host} />
      <HostVerdicts
        address={host.address}
        zone={host.zone}
        products={products}
        facts={facts}
        {...(reach ? { reach } : {})}
        shared={shared}
      >
        {host.ports.length === 0 ? (
          <CardContent>
            <Typography color="text.secondary">{t('host.noOpenPort')}</Typography>
          </CardContent>
        ) : (
          <PortTable host={host} {...(reach ? { reach } : {})} />
        )}
      </HostVerdicts>
      {extras.map(({ member, only, addresses }) => (
        <Box
          key={member.address}
          sx={{ borderTop: 1, borderColor: 'divider' }}
          data-testid={`device-extra-${member.address}`}
        >
          <Typography variant="subtitle2" component="h4" sx={{ px: 2.5, pt: 1.5 }}>
            {t(onlyOnKey(addresses, host.isLocal), {
              addresses: asShown(addresses).join(', '),
            })}
          </Typography>
          <HostVerdicts
            address={member.address}
            zone={member.zone}
            only={only}
            // Under this group's h4, itself under the device's h3.
            level={5}
            reach={reachFor(member.address)!}
            shared={shared}
            products={products}
            facts={facts}
          >
            <PortTable
              host={{ ...member, ports: member.ports.filter((p) => only.has(portKey(p))) }}
              reach={reachFor(member.address)!}
            />
          </HostVerdicts>
        </Box>
      ))}
      {notShown && (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ px: 2.5, py: 1 }}>
          {notShown}
        </Typography>
      )}
      {/* Kept mounted when the last ports came (nothing left out): it then moves the focus to
          the first of them. */}
      <MorePorts host={host} />
      {host.livePortsLeftOut && (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ px: 2.5, py: 1 }}>
          {t('host.livePortsLeftOut')}
        </Typography>
      )}
    </Card>
  );
}

/**
 * "Adresse MAC : B8:27:EB:01:02:03 · Raspberry Pi Foundation": the device's MAC address (capitals,
 * as the reports print it) and its maker worded as every output words it (macMakerText), a
 * randomised address said to be one. Nothing for an address without a MAC (this PC, a device
 * past a router).
 */
function MacLine({ host }: { host: HostView }) {
  const { t, i18n } = useTranslation('scan');
  const maker = macMakerOf(host);
  if (!host.mac || !maker) return null;
  return (
    <Typography variant="body2" color="text.secondary" data-testid="device-mac">
      {t('vocabulary:term.macLine', {
        mac: host.mac.toUpperCase(),
        maker: macMakerText(maker, i18n.language === 'en' ? 'en' : 'fr'),
      })}
    </Typography>
  );
}

/**
 * What a kept scan's page left out of `host`'s ports (ScanPage.portsLeftOut), and the button that
 * appends the next ones (`scan.hostPorts`). The focus goes to the first new row, or stays on the
 * button when that row is not drawn or hidden (a closed port while only open ones are listed, the
 * technical details closed).
 */
function MorePorts({ host }: { host: HostView }) {
  const { t } = useTranslation('scan');
  const morePorts = useScan((s) => s.morePorts);
  const [busy, setBusy] = useState(false);
  // The row to focus once the new rows are drawn (after the render that adds them).
  const focus = useRef<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const left = host.portsLeftOut ? host.portsLeftOut.open + host.portsLeftOut.others : 0;
  useEffect(() => {
    const testId = focus.current;
    if (testId === null) return;
    focus.current = null;
    const row = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
    row?.focus();
    // A row under closed "technical details" is drawn but hidden and takes no focus: the focus
    // stays on the button, never lost to <body> (review 13c new user #5).
    if (document.activeElement !== row) button.current?.focus();
  });
  if (!host.portsLeftOut) return null;
  const next = Math.min(left, MAX_PORTS_PER_HOST_PAGE);
  return (
    <Box sx={{ px: 2.5, py: 1, borderTop: 1, borderColor: 'divider' }}>
      <Typography variant="caption" color="text.secondary" component="p">
        {t('host.portsLeftOut', { count: left })}
      </Typography>
      <Button
        ref={button}
        size="small"
        // Not `disabled` while loading: a disabled button drops the keyboard focus to <body>.
        aria-disabled={busy}
        onClick={async () => {
          if (busy) return;
          setBusy(true);
          const first = await morePorts(host.address);
          setBusy(false);
          if (first) focus.current = `port-row-${host.address}-${first.port}`;
        }}
      >
        {t('host.morePorts', { count: next })}
      </Button>
    </Box>
  );
}

/** 127.0.0.0/8, ::1 (and ::ffff:127.x): what no other device can reach. */
function isLoopback(address: string): boolean {
  const a = address.toLowerCase();
  return /^127\./.test(a) || /^::ffff:127\./.test(a) || a === '::1';
}

/**
 * The heading of services open on some addresses only: on loopback only, reachable from this PC
 * only when the device is this PC (`isLocal`), else from the machine that made the imported file.
 */
function onlyOnKey(addresses: readonly string[], isLocal: boolean): string {
  if (!addresses.every(isLoopback)) return 'host.onlyOn';
  return isLocal ? 'host.onlyOnThisPc' : 'host.onlyOnFilePc';
}

/**
 * The services of a device its first address (`first`) lacks, one group per set of addresses they
 * are open on (in the device's order), each named by its first address, whose verdicts and rows it
 * shows. A port the first address has open but another program holds on other addresses (review
 * 13 F2: A on 127.0.0.1:8080, B on 127.0.0.5:8080) is such a service: B's row and verdict too.
 */
function extraGroups(
  device: Device<HostView> | undefined,
  first: string,
  firstOpen: ReadonlySet<string>,
): { member: HostView; only: Set<string>; addresses: readonly string[] }[] {
  if (!device) return [];
  const byAddress = new Map(device.hosts.map((h) => [h.address, h]));
  const groups = new Map<string, { member: HostView; only: Set<string>; addresses: string[] }>();
  for (const service of device.services) {
    const key = portKey(service);
    if (firstOpen.has(key) && service.addresses.includes(first)) continue;
    const member = byAddress.get(service.addresses[0]!);
    if (!member) continue;
    const id = service.addresses.join(' ');
    const group = groups.get(id);
    if (group) group.only.add(key);
    else groups.set(id, { member, only: new Set([key]), addresses: service.addresses });
  }
  return [...groups.values()];
}

/** What the user must read before the ports: a device answering for all, probes this PC refused. */
function HostNotices({ host }: { host: HostView }) {
  const { t, i18n } = useTranslation('scan');
  const every = host.answersEveryPort;
  return (
    <>
      {every && (
        <Alert
          severity="warning"
          square
          data-testid={`host-every-port-${host.address}`}
          sx={{ borderBottom: 1, borderColor: 'divider' }}
        >
          <AlertTitle>{t('host.everyPort.title')}</AlertTitle>
          {t('host.everyPort.body', { open: every.open, probed: every.probed })}
        </Alert>
      )}
      {host.localError && host.status === 'up' && (
        <Alert
          severity="info"
          square
          data-testid={`host-local-error-${host.address}`}
          sx={{ borderBottom: 1, borderColor: 'divider' }}
        >
          {t('host.localError')}{' '}
          {i18n.language.startsWith('fr') ? host.localError.message.fr : host.localError.message.en}
        </Alert>
      )}
    </>
  );
}

function PortTable({
  host,
  reach,
}: {
  host: HostView;
  reach?: ReadonlyMap<string, readonly string[]>;
}) {
  const { t } = useTranslation('scan');
  const [showOthers, setShowOthers] = useState(false);
  const open = host.ports.filter((p) => p.state === 'open');
  const others = host.ports.filter((p) => p.state !== 'open');
  // Closed or filtered ports are the engine's context, not news: listed on request only.
  const rows = showOthers ? [...open, ...others] : open;
  // nmap -sV's findings (imports): a column only when some port has one.
  const detected = rows.some((p) => detectedText(p.detected));
  return (
    <>
      {open.length === 0 && (
        <CardContent sx={{ pb: others.length > 0 ? 0 : undefined }}>
          <Typography color="text.secondary">{t('host.noOpenPort')}</Typography>
        </CardContent>
      )}
      {rows.length > 0 && (
        <Table size="small" aria-label={t('host.portsLabel', { address: host.address })}>
          <TableHead>
            <TableRow>
              <TableCell>{t('host.columns.port')}</TableCell>
              <TableCell>{t('host.columns.protocol')}</TableCell>
              <TableCell>{t('host.columns.state')}</TableCell>
              <TableCell>{t('host.columns.reason')}</TableCell>
              <TableCell align="right">{t('host.columns.rtt')}</TableCell>
              {reach && <TableCell>{t('host.columns.reachableOn')}</TableCell>}
              {detected && <TableCell>{t('host.columns.software')}</TableCell>}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((port) => (
              <PortRow
                key={`${port.protocol}-${port.port}`}
                address={host.address}
                port={port}
                software={detected}
                {...(reach
                  ? {
                      addresses:
                        port.state === 'open'
                          ? (reach.get(portKey(port)) ?? [])
                          : [zonedAddress(host)],
                    }
                  : {})}
              />
            ))}
          </TableBody>
        </Table>
      )}
      {rows.some((p) => p.state === 'open|filtered') && (
        // What "open or filtered" means, said once under the table that shows such ports.
        <Typography
          variant="caption"
          color="text.secondary"
          component="p"
          sx={{ px: 2, pt: 1 }}
          data-testid="open-filtered-help"
        >
          {t('vocabulary:portStateHelp.open|filtered')}
        </Typography>
      )}
      {others.length > 0 && (
        <Box sx={{ px: 1.5, py: 0.5 }}>
          <Button size="small" aria-expanded={showOthers} onClick={() => setShowOthers((v) => !v)}>
            {showOthers ? t('host.hideOthers') : t('host.showOthers', { count: others.length })}
          </Button>
        </Box>
      )}
    </>
  );
}

function PortRow({
  address,
  port,
  addresses,
  software,
}: {
  address: string;
  port: PortResult;
  addresses?: readonly string[];
  /** Whether the table has the column of what nmap -sV identified. */
  software: boolean;
}) {
  const { t, i18n } = useTranslation('scan');
  return (
    <TableRow
      // Focusable by script only: where "show the next ports" takes the focus.
      tabIndex={-1}
      data-testid={`port-row-${address}-${port.port}`}
      data-state={port.state}
      data-protocol={port.protocol}
    >
      <TableCell sx={{ fontFamily: MONO_FONT, fontWeight: 600 }}>{port.port}</TableCell>
      <TableCell>{port.protocol.toUpperCase()}</TableCell>
      <TableCell>
        <Stack direction="row">
          <Chip
            size="small"
            variant={port.state === 'open' ? 'filled' : 'outlined'}
            color={STATE_COLOR[port.state]}
            label={t(`vocabulary:portState.${port.state}`)}
            data-testid="port-state"
          />
        </Stack>
      </TableCell>
      <TableCell>
        {port.reason
          ? t(`vocabulary:portReason.${port.reason}`)
          : t('vocabulary:term.portReasonNone')}
      </TableCell>
      <TableCell align="right" sx={{ fontFamily: MONO_FONT }}>
        {port.rttMs !== undefined
          ? t('host.rttValue', {
              ms: new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(
                port.rttMs,
              ),
            })
          : '—'}
      </TableCell>
      {addresses && (
        <TableCell sx={{ fontFamily: MONO_FONT, wordBreak: 'break-all' }}>
          {addresses.join(', ')}
        </TableCell>
      )}
      {software && (
        <TableCell data-testid="port-software">{detectedText(port.detected) ?? '—'}</TableCell>
      )}
    </TableRow>
  );
}
