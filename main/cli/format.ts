import type {
  HostAssessment,
  HostResult,
  Language,
  PortAssessment,
  PortResult,
  Protocol,
  RiskAssessResult,
  ScanEvent,
  ScanResult,
} from '../../app/contract/index.js';
import {
  deviceHeading,
  foldDevices,
  programLookup,
  zonedAddress,
  type Device,
} from '../../app/contract/devices.js';
import { detectedText } from '../../app/contract/service-text.js';
import { COVERAGE_LABEL, mitigates } from '../../app/firewall/coverage.js';
import { vanishedRulesLine } from '../../app/firewall/format.js';
import { everyPortText } from '../../app/report/labels.js';
import { serviceFactsInBoth } from '../../app/report/service-facts.js';
import { macMaker } from '../../app/report/mac-vendor.js';
import { specHasUdp } from '../../app/contract/port-spec.js';
import {
  HOST_REASON_LABEL,
  portReasonText,
  SEVERITIES,
  SEVERITY_LABEL,
  PORT_STATE_LABEL,
  SEVERITY_ORDER,
  macMakerText,
  notShownText,
  programLabel,
  programsMissingText,
  serviceLabel,
  fileHostnameLabel,
} from '../../app/contract/vocabulary.js';
import { compactPorts } from '../../app/report/nmap-xml-export.js';
import { codePointLength, oneLine } from '../../app/text/control-characters.js';
import { textFor } from '../../app/text/catalogue.js';

export type ServiceLookup = (port: number, protocol: Protocol) => string | undefined;

/** The `cli` catalogue in `language`, as a function returning a string. */
function cliText(language: Language): (key: string, params?: Record<string, unknown>) => string {
  const t = textFor(language, 'cli');
  return (key, params) => String(t(key, params ?? {}));
}

/** `text` padded to `width` columns, counted in code points (an accent or U+FFFD is one column). */
function pad(text: string, width: number): string {
  const length = codePointLength(text);
  return length >= width ? `${text} ` : text + ' '.repeat(width - length);
}

/**
 * Widest a table cell of outside words (a service, a product, a program's name) gets, in code
 * points: past it the cell ends in "…", so one long product cannot push the table past 80–120
 * columns (issue 15, F7). The JSON output keeps the whole text.
 */
const CELL_WIDTH = 32;

/** Addresses named in the block of those this PC could not probe for one reason; then a count. */
const UNPROBED_LISTED = 10;

/** "Ports not shown: …" for one address; `address` names it when a device has several. */
function hiddenLine(host: HostResult, language: Language, address?: string): string | null {
  const t = cliText(language);
  return notShownText(host.hidden, t, address);
}

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

/** One row of a device's table: a port, its verdict, the addresses it is reachable on. */
interface DeviceRow {
  port: PortResult;
  verdict?: PortAssessment;
  reachable?: readonly string[];
}

/** How a device's block starts and what it adds to one address's table (see formatDevice). */
interface DeviceFrame {
  /** The block's first line. */
  heading: string;
  /** Lines under it: the device's addresses, each address's own notes. */
  intro: string[];
  /**
   * The device's rows (deviceRows), each open one with the addresses it is reachable on, shown
   * in a column when `reachable` (the device has several addresses).
   */
  rows: DeviceRow[];
  reachable: boolean;
  /** The ports not listed, said per address when the device has several. */
  hidden: string[];
}

function statusText(host: HostResult, language: Language): string {
  const reason = HOST_REASON_LABEL[host.reason]?.[language] ?? host.reason;
  // "not scanned: this PC cannot reach it" says the status itself.
  if (host.reason === 'local-error') return reason;
  const t = cliText(language);
  return t('table.statusWithReason', { status: t(`table.status.${host.status}`), reason });
}

/**
 * "MAC address: B8:27:EB:01:02:03 · Raspberry Pi Foundation", as the card words it (the maker from
 * the one OUI lookup, a randomised address said to be one); null without a MAC address.
 */
function macLine(host: HostResult, language: Language): string | null {
  const maker = host.mac ? macMaker(host.mac) : null;
  if (!host.mac || !maker) return null;
  return cliText(language)('vocabulary:term.macLine', {
    mac: host.mac.toUpperCase(),
    maker: macMakerText(maker, language),
  });
}

/**
 * A host's name as the CLI writes it after the address: on one line, and, when a file gave it,
 * with the file's label ("nom dans le fichier"), never as if this PC had looked it up (N6).
 */
function namedAs(host: HostResult, language: Language): string {
  const label = fileHostnameLabel(host.hostnameMethod, language);
  const name = oneLine(host.hostname ?? '');
  return label ? `${name} — ${label}` : name;
}

/**
 * `openList`: for a host answering on every port, its open ports as the app listed them
 * (ScanPage.openPortList) when `host.ports` holds only the first of them.
 */
function formatHost(
  host: HostResult,
  language: Language,
  service: ServiceLookup,
  verdicts?: HostAssessment,
  frame?: DeviceFrame,
  openList?: string,
): string[] {
  const t = cliText(language);
  const name = host.hostname ? ` (${namedAs(host, language)})` : '';
  const lines = frame
    ? [frame.heading, ...frame.intro]
    : [`${zonedAddress(host)}${name}  ${statusText(host, language)}`];
  if (host.localError && !frame) lines.push(`  ! ${host.localError.message[language]}`);
  const mac = macLine(host, language);
  if (mac) lines.push(`  ${mac}`);
  const every = host.answersEveryPort;
  if (every) {
    // One device answering for all its ports: one statement, not one verdict per port.
    const text = everyPortText(every);
    const open = host.ports.filter((p) => p.state === 'open').map((p) => p.port);
    lines.push(`  ! ${text.title[language]}`, `    ${text.body[language]}`);
    lines.push(`  ${t('table.openPorts', { ports: openList ?? compactPorts(open) })}`);
  } else if (host.ports.length > 0) {
    const rows: DeviceRow[] = frame?.rows ?? orderedRows(host, verdicts);
    const withRisk = rows.some((r) => r.verdict);
    const withProgram = rows.some((r) => r.verdict?.program);
    // nmap -sV's product and version, when an imported file has them.
    const withSoftware = rows.some((r) => detectedText(r.port.detected));
    const reachable = frame?.reachable === true;
    const head = ['port', 'state', 'reason', 'service'];
    if (withSoftware) head.push('software');
    if (withRisk) head.push('risk');
    if (withProgram) head.push('program');
    if (reachable) head.push('reachable');
    // Headings in capitals, whatever the catalogue's case (the risk level is the vocabulary's
    // term, shared with the page and the PDF).
    head.forEach((key, i) => (head[i] = t(`table.${key}`).toLocaleUpperCase(language)));
    const cells = rows.map(({ port: p, verdict, reachable: on }) => {
      // Port Auditor's own codes in words, as the page and the PDF give them (issue 15, F6).
      const known =
        verdict && verdict.service !== 'unknown'
          ? serviceLabel(verdict.service, language, verdict.program?.pid)
          : undefined;
      const row = [
        `${p.port}/${p.protocol}`,
        PORT_STATE_LABEL[p.state][language],
        // Words, not nmap's codes (the JSON keeps those).
        portReasonText(p.reason)[language],
        // Nothing names it: the page's "service non identifié", not a blank cell. Port Auditor's
        // own name is the catalogue's words, not outside words: never cut ("…, PID 17000)").
        known !== undefined && known !== verdict?.service
          ? known
          : oneLine(
              known ??
                service(p.port, p.protocol) ??
                (verdict ? serviceLabel(verdict.service, language) : ''),
              CELL_WIDTH,
            ),
      ];
      if (withSoftware) row.push(oneLine(detectedText(p.detected) ?? '', CELL_WIDTH));
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
          verdict?.program
            ? programLabel(oneLine(verdict.program.name, CELL_WIDTH), verdict.program.pid)
            : '',
        );
      }
      if (reachable) row.push((on ?? []).join(', '));
      return row;
    });
    const widths = head.map(
      (h, i) => Math.max(codePointLength(h), ...cells.map((r) => codePointLength(r[i]!))) + 2,
    );
    const line = (row: string[]) =>
      `  ${row
        .map((cell, i) => pad(cell, widths[i]!))
        .join('')
        .trimEnd()}`;
    lines.push(line(head));
    rows.forEach(({ port: p, verdict }, index) => {
      lines.push(line(cells[index]!));
      // What the TLS handshake and the HTTP answer showed, in the words the page's details and the
      // PDF use (app/report/service-facts.ts), so the table holds what the reports do (review N12).
      const facts = serviceFactsInBoth(p);
      if (facts.tls) {
        lines.push(
          `      ${t('table.fact', { label: t('risk:port.tls'), value: facts.tls[language] })}`,
        );
      }
      if (facts.http) {
        lines.push(
          `      ${t('table.fact', { label: t('risk:port.http'), value: facts.http[language] })}`,
        );
      }
      // Why, in the user's language: every rule that shaped the verdict, as the app's panel lists
      // them; what a Port Auditor rule does to the port comes first, marked apart.
      for (const reason of verdict?.reasons ?? []) {
        const mark = reason.ruleId.startsWith('firewall.') ? '*' : '-';
        lines.push(`      ${mark} ${reason.text[language]}`);
      }
    });
  } else if (host.status === 'up') {
    lines.push(`  ${t('table.noPort')}`);
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
 * a device of several addresses (sharing a MAC, or the imported file's own machine) lists them,
 * saying why they are one; each open port once, with the
 * addresses it is reachable on. A device of one address other than this PC is printed as before.
 */
function formatDevice(
  device: Device<HostResult>,
  language: Language,
  service: ServiceLookup,
  verdicts: ReadonlyMap<string, HostAssessment>,
  openLists: ReadonlyMap<string, string>,
): string {
  const heading = deviceHeading(device);
  const all = [...device.hosts, ...device.folded];
  const first = all[0]!;
  // Only a device of one address: several have their ports merged from every address's own.
  const openList = all.length === 1 ? openLists.get(first.address) : undefined;
  if (!heading.thisPc && all.length === 1) {
    return formatHost(
      first,
      language,
      service,
      verdicts.get(first.address),
      undefined,
      openList,
    ).join('\n');
  }
  const several = all.length > 1;
  // The fold lists addresses as keys (no zone); a user reads and retypes them with it.
  const shown = new Map(all.map((h) => [h.address, zonedAddress(h)]));
  const rows = deviceRows(device, verdicts, (a) => shown.get(a) ?? a);
  const merged: HostResult = { ...first, ports: rows.map((r) => r.port) };
  // Each address with the name it was found under, as a one-address device's heading shows it.
  const named = new Map(all.map((h) => [zonedAddress(h), h.hostname]));
  const addressesText = heading.addresses
    .map((address) => {
      const hostname = named.get(address);
      return hostname ? `${address} (${oneLine(hostname)})` : address;
    })
    .join(', ');
  const t = cliText(language);
  // Why these addresses are one device: said only when it is so (no "same MAC" without one, B4).
  const listKey = heading.thisPc
    ? 'table.thisPcAddresses'
    : heading.foldedBy === 'mac'
      ? 'table.deviceAddresses'
      : heading.foldedBy === 'file-pc'
        ? 'table.deviceAddressesFilePc'
        : 'table.deviceAddressesPlain';
  const intro = [`  ${t(listKey, { addresses: addressesText })}`];
  for (const host of all) {
    if (host.localError) {
      const message = host.localError.message[language];
      intro.push(
        `  ! ${several ? t('table.addressProblem', { address: zonedAddress(host), message }) : message}`,
      );
    }
  }
  const hidden = all.flatMap((host) => {
    const line = hiddenLine(host, language, several ? zonedAddress(host) : undefined);
    return line ? [`  ${line}`] : [];
  });
  const name = !heading.thisPc && first.hostname ? ` (${namedAs(first, language)})` : '';
  const title = heading.thisPc ? t('table.thisPc') : `${heading.address}${name}`;
  const status = heading.thisPc ? t(`table.status.${first.status}`) : statusText(first, language);
  return formatHost(
    merged,
    language,
    service,
    verdicts.get(first.address),
    { heading: `${title}  ${status}`, intro, rows, reachable: several, hidden },
    openList,
  ).join('\n');
}

/**
 * The rows of a device of several addresses (or This PC): one per service of the fold (a port and
 * its program, app/contract/devices.ts splitByProgram), at the worst verdict its addresses got
 * that no Port Auditor rule mitigates (else the worst), as countServices counts it, so the table
 * and the summary's counts agree (review 13 A2), with that verdict's program or none. Then the
 * ports open nowhere, as the first address listing them has them, with the
 * first verdict any address has for them (a device port this PC's rule hides: `scan-blocked`).
 * Rows with a verdict come first, worst first, then in the app's verdict order; `shown` writes an
 * address as a user reads it (its zone).
 */
function deviceRows(
  device: Device<HostResult>,
  verdicts: ReadonlyMap<string, HostAssessment>,
  shown: (address: string) => string,
): DeviceRow[] {
  const all = [...device.hosts, ...device.folded];
  const byAddress = new Map(all.map((h) => [h.address, h]));
  const judged = new Map<string, Map<string, PortAssessment>>();
  // The app's verdict order (worst first, this PC first), as the first verdict of each port.
  const order = new Map<string, number>();
  for (const host of all) {
    const own = new Map<string, PortAssessment>();
    for (const v of verdicts.get(host.address)?.ports ?? []) {
      own.set(portKey(v), v);
      if (!order.has(portKey(v))) order.set(portKey(v), order.size);
    }
    judged.set(host.address, own);
  }
  const rows: DeviceRow[] = [];
  const open = new Set<string>();
  for (const s of device.services) {
    const key = portKey(s);
    open.add(key);
    const port = byAddress
      .get(s.addresses[0]!)!
      .ports.find((p) => p.state === 'open' && portKey(p) === key)!;
    const candidates = s.addresses.flatMap((a) => {
      const v = judged.get(a)?.get(key);
      return v ? [v] : [];
    });
    const pick = (list: PortAssessment[]) =>
      list.reduce<PortAssessment | undefined>(
        (worst, v) =>
          !worst || SEVERITY_ORDER[v.severity] < SEVERITY_ORDER[worst.severity] ? v : worst,
        undefined,
      );
    const chosen =
      pick(candidates.filter((v) => !mitigates(v.firewall?.effect))) ?? pick(candidates);
    // Its own program or none: another address's listener is never credited to it (kept-rating).
    rows.push({ port, ...(chosen ? { verdict: chosen } : {}), reachable: s.addresses.map(shown) });
  }
  const others = new Map<string, DeviceRow>();
  for (const host of all) {
    for (const p of host.ports) {
      const key = portKey(p);
      if (open.has(key) || others.has(key)) continue;
      const verdict = all.map((h) => judged.get(h.address)?.get(key)).find((v) => v);
      others.set(key, { port: p, ...(verdict ? { verdict } : {}) });
    }
  }
  rows.push(...others.values());
  const rank = (row: DeviceRow) =>
    row.verdict
      ? SEVERITY_ORDER[row.verdict.severity] * 1e6 + (order.get(portKey(row.port)) ?? 0)
      : Infinity;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => rank(a.row) - rank(b.row) || a.index - b.index)
    .map(({ row }) => row);
}

/**
 * The blocks of `hosts` folded into devices (foldDevices keeps the order of each device's first
 * address, so the app's order — this PC first, worst first — holds). `openLists`: per address,
 * the open ports of a host answering on every port as the app listed them (ScanPage.openPortList),
 * printed for a device of that one address instead of those its `ports` hold.
 */
export function formatDeviceBlocks(
  hosts: readonly HostResult[],
  language: Language,
  service: ServiceLookup,
  verdicts: ReadonlyMap<string, HostAssessment>,
  openLists: ReadonlyMap<string, string> = new Map(),
): string[] {
  // Verdicts name each port's program: two programs on one port are two rows.
  return foldDevices(hosts, programLookup(verdicts.values())).map((device) =>
    formatDevice(device, language, service, verdicts, openLists),
  );
}

function verdictSummary(
  assessment: Pick<RiskAssessResult, 'counts' | 'blocked'>,
  hidden: number,
  language: Language,
): string | null {
  const t = cliText(language);
  const parts = SEVERITIES.filter((s) => assessment.counts[s] > 0).map((s) =>
    t('summary.severityCount', {
      severity: SEVERITY_LABEL[s][language],
      count: assessment.counts[s],
    }),
  );
  if (assessment.blocked > 0) parts.push(t('summary.blocked', { count: assessment.blocked }));
  if (parts.length === 0) return null;
  // A device port this PC's own rule hides is seen filtered, not open, yet rated as open: said
  // here, so the verdicts do not seem to outnumber the open ports counted just above.
  const list = parts.join(t('vocabulary:term.listSeparator'));
  return hidden === 0
    ? t('summary.verdicts', { parts: list })
    : t('summary.verdictsSeenFiltered', { parts: list, count: hidden });
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
    const t = cliText(language);
    const listed = hosts
      .slice(0, UNPROBED_LISTED)
      .map(zonedAddress)
      .join(t('vocabulary:term.listSeparator'));
    const more = hosts.length - UNPROBED_LISTED;
    const list = more > 0 ? t('table.unprobedMore', { list: listed, count: more }) : listed;
    const head = t('table.unprobed', { count: hosts.length, list });
    blocks.push(`${head}\n  ! ${message}`);
  }
  // Per device and service: this PC's port open on its LAN address and 127.0.0.1 is one port.
  const devices = foldDevices(
    result.hosts.filter((h) => h.status === 'up'),
    programLookup(assessment?.hosts ?? []),
  );
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
  const t = cliText(language);
  const up = t('summary.up', { count: upCount });
  const counts = [
    t('summary.scanned', { count: result.addresses - notScanned }),
    ...(notScanned > 0 ? [t('summary.notScanned', { count: notScanned })] : []),
    totals.devices === upCount
      ? up
      : t('summary.withDevices', { up, devices: t('summary.devices', { count: totals.devices }) }),
    t('summary.open', { count: open }),
  ].join(t('vocabulary:term.listSeparator'));
  const seconds = (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000;
  const time = Number.isFinite(seconds)
    ? t('summary.seconds', {
        seconds: new Intl.NumberFormat(language, {
          minimumFractionDigits: 1,
          maximumFractionDigits: 1,
        }).format(seconds),
      })
    : '?';
  // An nmap file cut short was nmap's run stopped, not a scan the user cancelled here; its
  // duration is not one (the page words it the same).
  const key = !result.cancelled
    ? 'summary.line'
    : result.source?.kind === 'nmap'
      ? 'summary.lineInterrupted'
      : 'summary.lineCancelled';
  const summary = t(key, { counts, time });
  const notes = result.notes.map((note) => `! ${note[language]}`);
  // With UDP ports, what their silence means (a TCP-only scan's output is unchanged).
  if (specHasUdp(result.request.ports)) notes.push(t('summary.withUdp'));
  if (assessment?.programsMissing)
    notes.push(`! ${programsMissingText(assessment.programsMissing, language)}`);
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
  const t = cliText(language);
  const share = event.total > 0 ? Math.floor((event.done / event.total) * 100) / 100 : 0;
  const params = {
    percent: new Intl.NumberFormat(language, { style: 'percent' }).format(share),
    done: event.done,
    total: event.total,
    open: t('progress.open', { count: event.openFound }),
    seconds: event.etaMs === undefined ? 0 : Math.ceil(event.etaMs / 1000),
  };
  return t(event.etaMs === undefined ? 'progress.line' : 'progress.lineEta', params);
}
