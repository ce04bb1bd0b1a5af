import type {
  HostAssessment,
  HostResult,
  Language,
  LocalizedText,
  PortAssessment,
  PortResult,
  PortState,
  Protocol,
  RiskAssessResult,
  ScanEvent,
  ScanResult,
} from '../../app/contract/index.js';
import {
  deviceHeading,
  foldDevices,
  zonedAddress,
  type Device,
} from '../../app/contract/devices.js';
import { detectedText } from '../../app/contract/service-text.js';
import { COVERAGE_LABEL, mitigates } from '../../app/firewall/coverage.js';
import { vanishedRulesLine } from '../../app/firewall/format.js';
import { everyPortText } from '../../app/report/labels.js';
import {
  HOST_REASON_LABEL,
  SEVERITIES,
  SEVERITY_LABEL,
  SEVERITY_ORDER,
} from '../../app/contract/vocabulary.js';
import { compactPorts } from '../../app/report/nmap-xml-export.js';
import { oneLine } from '../../app/text/control-characters.js';
import { counted } from '../../app/text/plural.js';

export type ServiceLookup = (port: number, protocol: Protocol) => string | undefined;

const STATE: Record<PortState, { fr: string; en: string }> = {
  open: { fr: 'ouvert', en: 'open' },
  closed: { fr: 'fermé', en: 'closed' },
  filtered: { fr: 'filtré', en: 'filtered' },
};

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

/** Addresses named in the block of those this PC could not probe for one reason; then a count. */
const UNPROBED_LISTED = 10;

function plural(n: number, one: string, many: string, language: Language): string {
  return counted(n, language, one, many);
}

/** "Not shown: …" for one address; `address` names it when a device has several. */
function hiddenLine(host: HostResult, language: Language, address?: string): string | null {
  const parts = (['closed', 'filtered', 'open'] as const)
    .filter((state) => host.hidden[state] > 0)
    .map((state) =>
      language === 'fr'
        ? `${plural(host.hidden[state], 'port', 'ports', 'fr')} ${STATE[state].fr}${new Intl.PluralRules('fr').select(host.hidden[state]) === 'one' ? '' : 's'}`
        : `${host.hidden[state]} ${state} ${host.hidden[state] === 1 ? 'port' : 'ports'}`,
    );
  if (parts.length === 0) return null;
  const on = address ? ` (${address})` : '';
  return language === 'fr'
    ? `Non affichés${on} : ${parts.join(', ')}`
    : `Not shown${on}: ${parts.join(', ')}`;
}

const STATUS_FR: Record<HostResult['status'], string> = {
  up: 'actif',
  down: 'inactif',
  unknown: 'non analysé',
};

const VERDICT_HEAD: Record<Language, { risk: string; program: string }> = {
  fr: { risk: 'RISQUE', program: 'PROGRAMME' },
  en: { risk: 'RISK', program: 'PROGRAM' },
};

/**
 * Open ports in verdict order (worst first) when verdicts exist, then the other listed states;
 * each open port's verdict travels with its row.
 */
function orderedRows(
  host: HostResult,
  verdicts: HostAssessment | undefined,
): Array<{ port: PortResult; verdict?: PortAssessment }> {
  if (!verdicts) return host.ports.map((port) => ({ port }));
  const key = (p: { port: number; protocol: Protocol }) => `${p.port}/${p.protocol}`;
  const byKey = new Map(host.ports.map((p) => [key(p), p]));
  const judged = verdicts.ports.flatMap((verdict) => {
    const port = byKey.get(key(verdict));
    return port ? [{ port, verdict }] : [];
  });
  const done = new Set(judged.map((row) => key(row.port)));
  return [...judged, ...host.ports.filter((p) => !done.has(key(p))).map((port) => ({ port }))];
}

/** How a device's block starts and what it adds to one address's table (see formatDevice). */
interface DeviceFrame {
  /** The block's first line. */
  heading: string;
  /** Lines under it: the device's addresses, each address's own notes. */
  intro: string[];
  /** The addresses each open port is reachable on, when the device has several. */
  reachable?: ReadonlyMap<string, readonly string[]>;
  /** The ports not listed, said per address when the device has several. */
  hidden: string[];
}

const THIS_PC: LocalizedText = { fr: 'Ce PC', en: 'This PC' };
const SOFTWARE_HEAD: LocalizedText = { fr: 'LOGICIEL', en: 'SOFTWARE' };
const REACHABLE_HEAD: LocalizedText = { fr: 'JOIGNABLE SUR', en: 'REACHABLE ON' };

function statusText(host: HostResult, language: Language): string {
  const reason = HOST_REASON_LABEL[host.reason]?.[language] ?? host.reason;
  // "not scanned: this PC cannot reach it" says the status itself.
  if (host.reason === 'local-error') return reason;
  return language === 'fr' ? `${STATUS_FR[host.status]} (${reason})` : `${host.status} (${reason})`;
}

function formatHost(
  host: HostResult,
  language: Language,
  service: ServiceLookup,
  verdicts?: HostAssessment,
  frame?: DeviceFrame,
): string[] {
  const name = host.hostname ? ` (${oneLine(host.hostname)})` : '';
  const lines = frame
    ? [frame.heading, ...frame.intro]
    : [`${zonedAddress(host)}${name}  ${statusText(host, language)}`];
  if (host.localError && !frame) lines.push(`  ! ${host.localError.message[language]}`);
  const every = host.answersEveryPort;
  if (every) {
    // One device answering for all its ports: one statement, not one verdict per port.
    const text = everyPortText(every);
    const open = host.ports.filter((p) => p.state === 'open').map((p) => p.port);
    lines.push(`  ! ${text.title[language]}`, `    ${text.body[language]}`);
    lines.push(
      language === 'fr'
        ? `  Ports ouverts : ${compactPorts(open)}`
        : `  Open ports: ${compactPorts(open)}`,
    );
  } else if (host.ports.length > 0) {
    const rows = orderedRows(host, verdicts);
    const withRisk = rows.some((r) => r.verdict);
    const withProgram = rows.some((r) => r.verdict?.program);
    // nmap -sV's product and version, when an imported file has them.
    const withSoftware = rows.some((r) => detectedText(r.port.detected));
    const reachable = frame?.reachable;
    const head =
      language === 'fr'
        ? ['PORT', 'ÉTAT', 'RAISON', 'SERVICE']
        : ['PORT', 'STATE', 'REASON', 'SERVICE'];
    if (withSoftware) head.push(SOFTWARE_HEAD[language]);
    if (withRisk) head.push(VERDICT_HEAD[language].risk);
    if (withProgram) head.push(VERDICT_HEAD[language].program);
    if (reachable) head.push(REACHABLE_HEAD[language]);
    const cells = rows.map(({ port: p, verdict }) => {
      const known = verdict && verdict.service !== 'unknown' ? verdict.service : undefined;
      const row = [
        `${p.port}/${p.protocol}`,
        STATE[p.state][language],
        p.reason,
        oneLine(known ?? service(p.port, p.protocol) ?? ''),
      ];
      if (withSoftware) row.push(oneLine(detectedText(p.detected) ?? ''));
      if (withRisk) {
        const label = verdict ? SEVERITY_LABEL[verdict.severity][language] : '';
        const effect = verdict?.firewall?.effect;
        // A mitigated risk says so beside the severity; any other rule is named, its sentence below.
        row.push(
          effect === undefined
            ? label
            : `${label} ${mitigates(effect) ? '→' : '·'} ${COVERAGE_LABEL[effect][language]}`,
        );
      }
      if (withProgram) {
        row.push(
          verdict?.program ? `${oneLine(verdict.program.name)} (PID ${verdict.program.pid})` : '',
        );
      }
      if (reachable) row.push((reachable.get(`${p.port}/${p.protocol}`) ?? []).join(', '));
      return row;
    });
    const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)) + 2);
    const line = (row: string[]) =>
      `  ${row
        .map((cell, i) => pad(cell, widths[i]!))
        .join('')
        .trimEnd()}`;
    lines.push(line(head));
    rows.forEach(({ verdict }, index) => {
      lines.push(line(cells[index]!));
      // Why, in the user's language: every rule that shaped the verdict, as the app's panel lists
      // them; what a Port Auditor rule does to the port comes first, marked apart.
      for (const reason of verdict?.reasons ?? []) {
        const mark = reason.ruleId.startsWith('firewall.') ? '*' : '-';
        lines.push(`      ${mark} ${reason.text[language]}`);
      }
    });
  } else if (host.status === 'up') {
    lines.push(language === 'fr' ? '  Aucun port à signaler.' : '  No port to report.');
  }
  if (frame) {
    lines.push(...frame.hidden);
    return lines;
  }
  const hidden = hiddenLine(host, language);
  if (hidden) lines.push(`  ${hidden}`);
  return lines;
}

const portKey = (p: { port: number; protocol: Protocol }) => `${p.port}/${p.protocol}`;

/**
 * One device's block (app/contract/devices.ts foldDevices): This PC is "Ce PC" / "This PC" with
 * its addresses listed, whichever of them carry the open ports, as the page and the PDF title it;
 * a device of several addresses (sharing a MAC) lists them; each open port once, with the
 * addresses it is reachable on. A device of one address other than this PC is printed as before.
 */
function formatDevice(
  device: Device<HostResult>,
  language: Language,
  service: ServiceLookup,
  verdicts: ReadonlyMap<string, HostAssessment>,
): string {
  const heading = deviceHeading(device);
  const all = [...device.hosts, ...device.folded];
  const first = all[0]!;
  if (!heading.thisPc && all.length === 1) {
    return formatHost(first, language, service, verdicts.get(first.address)).join('\n');
  }
  // Each port once: open wherever it is open, else as the first address lists it; its verdict
  // from the first address that has one, the worst first as the app orders them.
  const ports = new Map<string, PortResult>();
  const judged = new Map<string, PortAssessment>();
  for (const host of all) {
    for (const p of host.ports) {
      const known = ports.get(portKey(p));
      if (!known || (known.state !== 'open' && p.state === 'open')) ports.set(portKey(p), p);
    }
    for (const v of verdicts.get(host.address)?.ports ?? []) {
      if (!judged.has(portKey(v))) judged.set(portKey(v), v);
    }
  }
  const rank = (v: PortAssessment) => SEVERITY_ORDER[v.severity];
  const merged: HostResult = { ...first, ports: [...ports.values()] };
  const verdict: HostAssessment | undefined = verdicts.has(first.address)
    ? {
        ...verdicts.get(first.address)!,
        ports: [...judged.values()]
          .map((v, index) => ({ v, index }))
          .sort((a, b) => rank(a.v) - rank(b.v) || a.index - b.index)
          .map(({ v }) => v),
      }
    : undefined;
  const several = all.length > 1;
  // Each address with the name it was found under, as a one-address device's heading shows it.
  const named = new Map(all.map((h) => [zonedAddress(h), h.hostname]));
  // The fold lists addresses as keys (no zone); a user reads and retypes them with it.
  const shown = new Map(all.map((h) => [h.address, zonedAddress(h)]));
  const addressesText = heading.addresses
    .map((address) => {
      const hostname = named.get(address);
      return hostname ? `${address} (${oneLine(hostname)})` : address;
    })
    .join(', ');
  const intro = heading.thisPc
    ? [
        language === 'fr'
          ? `  Adresses de ce PC : ${addressesText}`
          : `  This PC’s addresses: ${addressesText}`,
      ]
    : [
        language === 'fr'
          ? `  Adresses de cet appareil (même adresse MAC) : ${addressesText}`
          : `  This device’s addresses (same MAC address): ${addressesText}`,
      ];
  for (const host of all) {
    if (host.localError) {
      intro.push(
        `  ! ${several ? `${zonedAddress(host)} : ` : ''}${host.localError.message[language]}`,
      );
    }
  }
  const hidden = all.flatMap((host) => {
    const line = hiddenLine(host, language, several ? zonedAddress(host) : undefined);
    return line ? [`  ${line}`] : [];
  });
  const name = !heading.thisPc && first.hostname ? ` (${oneLine(first.hostname)})` : '';
  const title = heading.thisPc ? THIS_PC[language] : `${heading.address}${name}`;
  const status = heading.thisPc
    ? language === 'fr'
      ? STATUS_FR[first.status]
      : first.status
    : statusText(first, language);
  return formatHost(merged, language, service, verdict, {
    heading: `${title}  ${status}`,
    intro,
    ...(several
      ? {
          reachable: new Map(
            device.services.map(
              (s) => [portKey(s), s.addresses.map((a) => shown.get(a) ?? a)] as const,
            ),
          ),
        }
      : {}),
    hidden,
  }).join('\n');
}

/**
 * The blocks of `hosts` folded into devices (foldDevices keeps the order of each device's first
 * address, so the app's order — this PC first, worst first — holds).
 */
export function formatDeviceBlocks(
  hosts: readonly HostResult[],
  language: Language,
  service: ServiceLookup,
  verdicts: ReadonlyMap<string, HostAssessment>,
): string[] {
  return foldDevices(hosts).map((device) => formatDevice(device, language, service, verdicts));
}

function verdictSummary(
  assessment: Pick<RiskAssessResult, 'counts' | 'blocked'>,
  hidden: number,
  language: Language,
): string | null {
  const parts = SEVERITIES.filter((s) => assessment.counts[s] > 0).map(
    (s) => `${SEVERITY_LABEL[s][language]} ${assessment.counts[s]}`,
  );
  if (assessment.blocked > 0) {
    parts.push(
      `${language === 'fr' ? 'bloqués par Port Auditor' : 'blocked by Port Auditor'} ${assessment.blocked}`,
    );
  }
  if (parts.length === 0) return null;
  // A device port this PC's own rule hides is seen filtered, not open, yet rated as open: said
  // here, so the verdicts do not seem to outnumber the open ports counted just above.
  const note =
    hidden === 0
      ? ''
      : language === 'fr'
        ? hidden === 1
          ? ' (dont 1 port masqué par une règle de ce PC, vu filtré)'
          : ` (dont ${hidden} ports masqués par une règle de ce PC, vus filtrés)`
        : hidden === 1
          ? ' (1 of them a port this PC’s own rule hides, seen filtered)'
          : ` (${hidden} of them ports this PC’s own rule hides, seen filtered)`;
  return language === 'fr'
    ? `Verdicts des ports ouverts : ${parts.join(', ')}${note}.`
    : `Open port verdicts: ${parts.join(', ')}${note}.`;
}

/**
 * The readable report of a finished scan: one block per host that is up, then a summary. With the
 * `assessment`, hosts come in its order (this PC first, worst first) and open ports carry their
 * verdicts: severity, service, program on this PC, and the reasons.
 */
export function formatScanResult(
  result: ScanResult,
  language: Language,
  service: ServiceLookup = () => undefined,
  assessment?: RiskAssessResult,
): string {
  const verdicts = new Map(assessment?.hosts.map((h, index) => [h.address, { h, index }]));
  const rank = (host: HostResult) => verdicts.get(host.address)?.index ?? Infinity;
  const up = result.hosts
    .filter((h) => h.status !== 'down' || result.request.skipDiscovery)
    .map((host, index) => ({ host, index }))
    .sort((a, b) => rank(a.host) - rank(b.host) || a.index - b.index)
    .map(({ host }) => host);
  // Addresses this PC could not probe for the same reason (a /16 without a route) make one block,
  // not three lines each; one alone keeps its own.
  const unprobed = new Map<string, HostResult[]>();
  for (const host of up) {
    if (host.status !== 'unknown' || !host.localError) continue;
    const key = host.localError.message[language];
    unprobed.set(key, [...(unprobed.get(key) ?? []), host]);
  }
  const grouped = new Set(
    [...unprobed.values()].filter((hosts) => hosts.length > 1).flatMap((hosts) => hosts),
  );
  const blocks = formatDeviceBlocks(
    up.filter((host) => !grouped.has(host)),
    language,
    service,
    new Map([...verdicts].map(([address, { h }]) => [address, h])),
  );
  for (const [message, hosts] of unprobed) {
    if (hosts.length < 2) continue;
    const listed = hosts.slice(0, UNPROBED_LISTED).map(zonedAddress);
    const more = hosts.length - listed.length;
    const rest =
      more === 0
        ? ''
        : language === 'fr'
          ? ` et ${plural(more, 'autre', 'autres', 'fr')}`
          : ` and ${more} more`;
    const head =
      language === 'fr'
        ? `${plural(hosts.length, 'adresse non analysée', 'adresses non analysées', 'fr')} : ${listed.join(', ')}${rest}`
        : `${plural(hosts.length, 'address', 'addresses', 'en')} not scanned: ${listed.join(', ')}${rest}`;
    blocks.push(`${head}\n  ! ${message}`);
  }
  // Per device and service: this PC's port open on its LAN address and 127.0.0.1 is one port.
  const devices = foldDevices(result.hosts.filter((h) => h.status === 'up'));
  const tail = formatScanTail(
    result,
    {
      upCount: result.hosts.filter((h) => h.status === 'up').length,
      devices: devices.length,
      open:
        devices.reduce((n, d) => n + d.services.length, 0) +
        result.hosts.reduce((n, h) => n + h.hidden.open, 0),
      hiddenByRule: scanBlockedPorts(assessment?.hosts ?? []),
      notScanned: result.hosts.filter((h) => h.status === 'unknown').length,
    },
    language,
    assessment,
  );
  return `${[...blocks, tail].join('\n\n')}\n`;
}

/** Ports of `verdicts` that this PC's own rule hides from the scan (seen filtered, rated as open). */
export function scanBlockedPorts(verdicts: readonly HostAssessment[]): number {
  return verdicts.reduce(
    (n, h) => n + h.ports.filter((p) => p.firewall?.effect === 'scan-blocked').length,
    0,
  );
}

/** What the readable report's summary counts over the whole scan (see formatScanTail). */
export interface ReportTotals {
  /** Addresses that answered. */
  upCount: number;
  /** Devices they are (app/contract/devices.ts foldDevices). */
  devices: number;
  /** Open ports per device and service, plus the open ports not listed. */
  open: number;
  /** Device ports this PC's own rule hides (scanBlockedPorts). */
  hiddenByRule: number;
  /** Addresses this PC could not probe (status unknown): not counted as scanned. */
  notScanned: number;
}

/**
 * The readable report's end (notes, summary, verdict counts, rules the firewall lost), from the
 * scan's own fields and `totals`, so a report printed a page of hosts at a time ends as
 * formatScanResult does. `assessment`'s hosts are not read.
 */
export function formatScanTail(
  result: Omit<ScanResult, 'hosts'>,
  totals: ReportTotals,
  language: Language,
  assessment?: Omit<RiskAssessResult, 'hosts'>,
): string {
  const { upCount, open, notScanned } = totals;
  const deviceNote =
    totals.devices === upCount
      ? ''
      : language === 'fr'
        ? ` (${plural(totals.devices, 'appareil', 'appareils', 'fr')})`
        : ` (${plural(totals.devices, 'device', 'devices', 'en')})`;
  const seconds = (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000;
  const time = Number.isFinite(seconds) ? seconds.toFixed(1) : '?';
  const summary =
    language === 'fr'
      ? `${plural(result.addresses - notScanned, 'adresse analysée', 'adresses analysées', 'fr')}${notScanned > 0 ? `, ${plural(notScanned, 'non analysée', 'non analysées', 'fr')}` : ''}, ${plural(upCount, 'active', 'actives', 'fr')}${deviceNote}, ${plural(open, 'port ouvert', 'ports ouverts', 'fr')} en ${time.replace('.', ',')} s${result.cancelled ? ' (analyse annulée : résultats partiels)' : ''}.`
      : `${plural(result.addresses - notScanned, 'address', 'addresses', 'en')} scanned${notScanned > 0 ? `, ${notScanned} not scanned` : ''}, ${upCount} up${deviceNote}, ${plural(open, 'open port', 'open ports', 'en')} in ${time} s${result.cancelled ? ' (scan cancelled: partial results)' : ''}.`;
  const notes = result.notes.map((note) => `! ${note[language]}`);
  if (assessment && !assessment.programsComplete) {
    notes.push(
      language === 'fr'
        ? '! Certains programmes de ce PC n’ont pas pu être identifiés : relancez en administrateur pour les voir tous.'
        : '! Some programs of this PC could not be identified: run again as administrator to see them all.',
    );
  }
  const risks = assessment ? verdictSummary(assessment, totals.hiddenByRule, language) : null;
  // A block the firewall lost is news even when none of its ports was scanned.
  const vanished = vanishedRulesLine(
    (assessment?.firewallRules ?? []).filter((r) => r.state === 'active' && r.present === false)
      .length,
    language,
  );
  return [
    ...notes,
    summary,
    ...(risks ? [risks] : []),
    ...(vanished ? [`! ${vanished}`] : []),
  ].join('\n');
}

/** One progress line for a terminal: percent, probes, open ports found, time left. */
export function formatProgress(
  event: Extract<ScanEvent, { type: 'progress' }>,
  language: Language,
): string {
  const percent = event.total > 0 ? Math.floor((event.done / event.total) * 100) : 0;
  const eta =
    event.etaMs === undefined
      ? ''
      : language === 'fr'
        ? ` — reste ~${Math.ceil(event.etaMs / 1000)} s`
        : ` — ~${Math.ceil(event.etaMs / 1000)} s left`;
  return language === 'fr'
    ? `Analyse : ${percent} % (${event.done}/${event.total}), ${plural(event.openFound, 'port ouvert', 'ports ouverts', 'fr')}${eta}`
    : `Scanning: ${percent}% (${event.done}/${event.total}), ${plural(event.openFound, 'open port', 'open ports', 'en')}${eta}`;
}
