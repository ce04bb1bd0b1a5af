import type { LocalizedText } from '../contract/errors.js';
import type { ReportInput } from '../contract/report.js';
import {
  EVERY_PORT_SEVERITY,
  type PortAssessment,
  type Reference,
  type Severity,
} from '../contract/risk.js';
import type {
  HostReason,
  HostResult,
  HostStatus,
  HostnameMethod,
  PortReason,
  PortResult,
  PortState,
  PortStates,
  Protocol,
  ScanResult,
} from '../contract/scan.js';
import type { FirewallRule } from '../contract/firewall.js';
import type { FirewallCoverage } from '../contract/risk.js';
import {
  deviceHidden,
  foldDevices,
  splitByProgram,
  zonedAddress,
  type Device,
  type MacMaker,
} from '../contract/devices.js';
import { detectedText } from '../contract/service-text.js';
import { ranByNmap } from '../contract/scan.js';
import { serviceFactsInBoth } from './service-facts.js';
import { deviceKey, mitigates } from '../firewall/coverage.js';
import { capped, oneLine, OUTSIDE_WORDS_MAX } from '../contract/outside-words.js';
import { serviceName } from '../risk/knowledge-base.js';
import { hiddenFromScan } from '../risk/firewall-verdicts.js';
import { macMaker } from './mac-vendor.js';
import { normaliseMac } from '../net/mac.js';
import {
  compareAddresses,
  compareHostsByRisk,
  compareSeverity,
  PORT_STATES,
  emptySeverityCounts,
  programLabel,
  severityRank,
} from '../contract/vocabulary.js';

export interface ReportPort {
  port: number;
  protocol: Protocol;
  state: PortState;
  /** Absent when the scan gave none (PortResult.reason). */
  reason?: PortReason;
  service: string;
  /** "name (PID pid)" of the owning program (vocabulary programLabel), this PC only. */
  program?: string;
  /** The owning program's process id, this PC only: names another Port Auditor's port (serviceLabel). */
  programPid?: number;
  /** The software identified ("OpenSSH 9.2p1 (protocol 2.0)"): nmap -sV imports, our SSH parse. */
  product?: string;
  /** What a TLS handshake showed (the scan's PortResult.tls), and as one line in both languages. */
  tls?: NonNullable<PortResult['tls']>;
  tlsText?: LocalizedText;
  /** What a web server answered HEAD / (PortResult.http), and as one line in both languages. */
  http?: NonNullable<PortResult['http']>;
  httpText?: LocalizedText;
  /**
   * Absent when the report has no assessment or the port is not open, but for a device port a
   * rule of this PC hid from the scan (see isFinding).
   */
  severity?: Severity;
  reasons: LocalizedText[];
  advice?: LocalizedText;
  references: Reference[];
  banner?: string;
  rttMs?: number;
  /**
   * The Port Auditor rule acting on this port, from the assessment (see applyFirewallRules): on an
   * open port, or on a device port this PC's own rule hides from the scan (`scan-blocked`).
   */
  firewall?: FirewallCoverage;
  /**
   * The device's addresses this port was found in this state on, when the device has several
   * (This PC's LAN address and 127.0.0.1): the service is listed once. Written as `zonedAddress`.
   */
  addresses?: string[];
}

/**
 * One device (app/contract/devices.ts): an address, or This PC's addresses folded into one, or a
 * device's IPv4 and IPv6 addresses that share a MAC address. `address` names it.
 */
export interface ReportHost {
  /** The device's first address without its zone: the key verdicts and port states are found by. */
  address: string;
  /** A link-local `address`'s zone (HostResult.zone). */
  zone?: string;
  /**
   * Every address of the device as a user reads it (`zonedAddress`: `fe80::1%veth-a`), `address`
   * first; one for most devices.
   */
  addresses: string[];
  family: 'ipv4' | 'ipv6';
  hostname?: string;
  /** How `hostname` was found (HostResult.hostnameMethod). */
  hostnameMethod?: HostnameMethod;
  isLocal: boolean;
  status: HostStatus;
  reason: HostReason;
  mac?: string;
  /** The registered maker's name (macMaker's `vendor`), when the OUI is registered. */
  macVendor?: string;
  /** Who made the device as its MAC tells (macMaker): every output words it with macMakerText. */
  macMaker?: MacMaker;
  worst: Severity | null;
  openCount: number;
  ports: ReportPort[];
  hidden: HostResult['hidden'];
  /** What this PC could not do for this address (status `unknown`, or some ports). */
  localError?: HostResult['localError'];
  /** Answers open on (nearly) every port: one grouped verdict, its ports not findings. */
  answersEveryPort?: HostResult['answersEveryPort'];
}

export interface Finding {
  host: ReportHost;
  port: ReportPort;
}

export interface ReportModel {
  scan: ScanResult;
  pcName: string;
  /** Results read back from a report file (ReportInput.origin): their method is the file's. */
  fromFile: boolean;
  /**
   * The PC that made a report file read back, when it is not this PC (ReportInput.filePc); for an
   * nmap import, the PC that ran nmap: an nmap file never names it, so `{}` (review 13 N3: the
   * cover said "Nom de ce PC : vm", this PC's name, of a file made elsewhere).
   */
  filePc?: { name?: string };
  assessed: boolean;
  programsComplete: boolean;
  /** Why some listed ports of this PC have no program (RiskAssessResult.programsMissing). */
  programsMissing?: 'not-elevated' | 'kept';
  /**
   * Devices worth a section: up, or with something listed. This PC first, then worst first. This
   * PC's addresses are one device; so are addresses sharing a MAC address.
   */
  hosts: ReportHost[];
  /** Addresses up (as the scan counts them). */
  hostsUp: number;
  /** Devices up: This PC once, however many of its addresses answered. */
  devicesUp: number;
  /** Open ports, once per device and service. */
  openPorts: number;
  counts: Record<Severity, number>;
  /**
   * How long the scan ran, in milliseconds; null when not known: an nmap file that gives no end
   * time (one cut short, no `<runstats>`) or no start time, whose times are then equal (the page
   * shows no duration either, issue 13 rev13user F4).
   */
  durationMs: number | null;
  /**
   * The scan stopped before its end because nmap's own run was cut short (an imported file
   * without `</nmaprun>` or with exit="error"): "interrupted", never "cancelled", as nobody here
   * cancelled it (rev13user F4). `scan.cancelled` is true for both.
   */
  interrupted: boolean;
  /**
   * Open ports and ports this PC's own rule hides from the scan, most urgent first; those a Port
   * Auditor rule closes to every other device come last (their risk is mitigated) and are not
   * counted in `counts` but in `blocked`, once per device and port.
   */
  findings: Finding[];
  blocked: number;
  firewallRules?: FirewallRule[];
}

/** The vocabulary's "python3 (PID 15391)", as the page and the CLI write it (review 15, #11). */
function describeProgram(program: NonNullable<PortAssessment['program']>): string {
  return programLabel(capped(program.name, OUTSIDE_WORDS_MAX.name), program.pid);
}

function toReportPort(p: PortResult, a: PortAssessment | undefined): ReportPort {
  const port: ReportPort = {
    port: p.port,
    protocol: p.protocol,
    state: p.state,
    ...(p.reason ? { reason: p.reason } : {}),
    service: a?.service || (serviceName(p.port, p.protocol) ?? ''),
    reasons: a ? a.reasons.map((r) => r.text) : [],
    references: a?.references ?? [],
  };
  // Names from outside (a program, an imported file) on one line: a line feed in a PDF cell or a
  // CSV field would start a row of its own that looks like the app's (review F12).
  if (a?.program) {
    port.program = oneLine(describeProgram(a.program));
    port.programPid = a.program.pid;
  }
  const product = detectedText(p.detected);
  if (product) port.product = oneLine(product);
  const facts = serviceFactsInBoth(p);
  if (p.tls && facts.tls) {
    port.tls = p.tls;
    port.tlsText = facts.tls;
  }
  if (p.http && facts.http) {
    port.http = p.http;
    port.httpText = facts.http;
  }
  if (a) {
    port.severity = a.severity;
    port.advice = a.advice;
    if (a.firewall) port.firewall = a.firewall;
  }
  const banner = p.banner ?? a?.banner;
  if (banner) port.banner = banner;
  if (p.rttMs !== undefined) port.rttMs = p.rttMs;
  return port;
}

function portKey(p: Pick<ReportPort, 'port' | 'protocol'>): string {
  return `${p.port}/${p.protocol}`;
}

/** Whether a Port Auditor rule closes this port to every other device: its risk is mitigated. */
export function isBlocked(port: ReportPort): boolean {
  return mitigates(port.firewall?.effect);
}

/**
 * Whether the port is a finding: open, or seen filtered only because this PC's own outbound rule
 * stops the scan, or stopped it while it ran and was removed since (its verdict is that of the
 * port open; a filtered port has a severity only then, see hiddenFromScan).
 */
export function isFinding(port: ReportPort): boolean {
  return (
    port.state === 'open' ||
    port.firewall?.effect === 'scan-blocked' ||
    (port.state === 'filtered' && port.severity !== undefined)
  );
}

function comparePorts(a: ReportPort, b: ReportPort): number {
  // Findings first, then what may be open (a silent UDP port), filtered, closed: PORT_STATES.
  const state = (p: ReportPort) => (isFinding(p) ? 0 : 1 + PORT_STATES.indexOf(p.state));
  return (
    state(a) - state(b) ||
    Number(isBlocked(a)) - Number(isBlocked(b)) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    a.port - b.port ||
    a.protocol.localeCompare(b.protocol)
  );
}

const STATUS_RANK: Record<HostStatus, number> = { up: 0, unknown: 1, down: 2 };

/**
 * One ReportHost for a device of several addresses: named by its first address; each port once,
 * in the state that matters most (open first), from the address whose verdict is worst, with the
 * addresses it is in that state on. `hidden` counts the device's ports it does not list, as its
 * card on the page does (deviceHidden, from the named address's `portStatesOf`).
 * The hostname is the named address's own: nmap's "localhost" for 127.0.0.1 is not 10.0.0.5's.
 */
function foldHost(
  device: Device<ReportHost>,
  portStatesOf: (address: string) => PortStates | undefined,
): ReportHost {
  const members = [...device.hosts, ...device.folded];
  const first = members[0]!;
  const byPort = new Map<string, { member: ReportHost; port: ReportPort }[]>();
  for (const member of members) {
    for (const port of member.ports) {
      const seen = byPort.get(portKey(port));
      if (seen) seen.push({ member, port });
      else byPort.set(portKey(port), [{ member, port }]);
    }
  }
  // One port per program (splitByProgram, as the page and the CLI list it: review 13 F2), each
  // at its worst verdict with the addresses it has that state on.
  const ports: ReportPort[] = [];
  for (const seen of byPort.values()) {
    for (const row of splitByProgram(seen, (s) => s.port.program)) {
      let best: ReportPort | undefined;
      for (const { member, port } of row) {
        if (!best || comparePorts(port, best) < 0) {
          const addresses = best && best.state === port.state ? [...(best.addresses ?? [])] : [];
          best = { ...port, addresses: [...addresses, zonedAddress(member)] };
        } else if (best.state === port.state) {
          best.addresses = [...(best.addresses ?? []), zonedAddress(member)];
        }
      }
      if (best) ports.push(best);
    }
  }
  const status = members.reduce(
    (best, m) => (STATUS_RANK[m.status] < STATUS_RANK[best] ? m.status : best),
    first.status,
  );
  const host: ReportHost = {
    ...first,
    addresses: members.map(zonedAddress),
    status,
    ports: ports.sort(comparePorts),
  };
  host.hidden = deviceHidden({ ...first, portStates: portStatesOf(first.address) }, ports);
  if (first.hostname) host.hostname = first.hostname;
  else delete host.hostname;
  if (!first.hostname) delete host.hostnameMethod;
  return host;
}

/**
 * Joins a scan with its optional assessment, MAC addresses and firewall rules into the one shape
 * every serializer reads, already sorted the way the report presents it. What a Port Auditor rule
 * does to a port is the assessment's word (exportReport first applies the report's rules to it),
 * so the findings, the counts and the firewall section never disagree.
 */
export function buildReportModel(input: ReportInput & { pcName: string }): ReportModel {
  const { scan } = input;
  const byHost = new Map<string, Map<string, PortAssessment>>();
  for (const host of input.assessment?.hosts ?? []) {
    const ports = new Map<string, PortAssessment>();
    for (const p of host.ports) ports.set(`${p.port}/${p.protocol}`, p);
    byHost.set(host.address, ports);
  }
  const macs = new Map<string, string>();
  for (const [address, mac] of Object.entries(input.macAddresses ?? {})) {
    const normal = normaliseMac(mac)?.toUpperCase();
    if (normal) macs.set(address, normal);
  }
  const addresses: ReportHost[] = [];
  for (const h of scan.hosts) {
    if (h.status === 'down' && h.ports.length === 0) continue;
    const assessed = byHost.get(h.address);
    const ports = h.ports
      .map((p) => {
        const verdict = assessed?.get(`${p.port}/${p.protocol}`);
        // Only open ports have verdicts, but for a device port our own rule hides (or hid) from the scan.
        const judged =
          p.state === 'open' || (verdict && hiddenFromScan(verdict)) ? verdict : undefined;
        return toReportPort(p, judged);
      })
      .sort(comparePorts);
    const host: ReportHost = {
      address: h.address,
      ...(h.zone ? { zone: h.zone } : {}),
      addresses: [zonedAddress(h)],
      family: h.family,
      isLocal: h.isLocal,
      status: h.status,
      reason: h.reason,
      worst: null,
      openCount: 0,
      ports,
      hidden: h.hidden,
    };
    if (h.hostname) host.hostname = oneLine(h.hostname);
    if (h.hostname && h.hostnameMethod) host.hostnameMethod = h.hostnameMethod;
    if (h.localError) host.localError = h.localError;
    if (h.answersEveryPort) host.answersEveryPort = h.answersEveryPort;
    // The scan's own neighbour-table MAC first; a caller-supplied one (an older import) otherwise.
    const mac = (h.mac ? normaliseMac(h.mac)?.toUpperCase() : undefined) ?? macs.get(h.address);
    if (mac) {
      host.mac = mac;
      const maker = macMaker(mac);
      if (maker) host.macMaker = maker;
      if (maker?.kind === 'vendor') host.macVendor = maker.name;
    }
    addresses.push(host);
  }
  const counts = emptySeverityCounts();
  let openPorts = 0;
  // Once per device and port: this PC's several addresses are one device.
  const blocked = new Set<string>();
  const hosts: ReportHost[] = [];
  const scanHosts = new Map(scan.hosts.map((h) => [h.address, h]));
  const portStatesOf = (address: string) => scanHosts.get(address)?.portStates;
  const devices = foldDevices(addresses);
  for (const device of devices) {
    const host =
      device.hosts.length + device.folded.length > 1
        ? foldHost(device, portStatesOf)
        : device.hosts[0]!;
    for (const p of host.ports) if (isBlocked(p)) blocked.add(`${deviceKey(host)}|${portKey(p)}`);
    let worst: Severity | null = null;
    if (host.answersEveryPort && byHost.has(host.address)) {
      // One device answering for all its ports: one verdict (as the risk engine groups it).
      counts[EVERY_PORT_SEVERITY] += 1;
      worst = EVERY_PORT_SEVERITY;
    } else {
      for (const p of host.ports) {
        if (!p.severity || isBlocked(p)) continue;
        counts[p.severity] += 1;
        if (worst === null || compareSeverity(p.severity, worst) < 0) worst = p.severity;
      }
    }
    host.worst = worst;
    host.openCount = host.ports.filter((p) => p.state === 'open').length + host.hidden.open;
    openPorts += host.openCount;
    hosts.push(host);
  }
  hosts.sort(compareHostsByRisk);
  const findings: Finding[] = [];
  for (const host of hosts) {
    if (host.answersEveryPort) continue;
    for (const port of host.ports) if (isFinding(port)) findings.push({ host, port });
  }
  findings.sort(
    (a, b) =>
      Number(isBlocked(a.port)) - Number(isBlocked(b.port)) ||
      severityRank(a.port.severity) - severityRank(b.port.severity) ||
      Number(b.host.isLocal) - Number(a.host.isLocal) ||
      compareAddresses(a.host.address, b.host.address) ||
      a.port.port - b.port.port,
  );
  const durationMs = Date.parse(scan.finishedAt) - Date.parse(scan.startedAt);
  const fromNmap = ranByNmap(scan.source);
  const model: ReportModel = {
    scan,
    pcName: input.pcName,
    fromFile: input.origin === 'file' || scan.source?.kind === 'json-report',
    ...(input.filePc
      ? { filePc: input.filePc }
      : scan.source?.kind === 'nmap'
        ? { filePc: {} }
        : scan.source?.kind === 'json-report'
          ? // A JSON report kept as a scan names its own PC unless it proved to be this one.
            scan.source.madeHere
            ? {}
            : { filePc: scan.source.pcName ? { name: scan.source.pcName } : {} }
          : {}),
    assessed: input.assessment !== undefined,
    programsComplete: input.assessment?.programsComplete ?? true,
    ...(input.assessment?.programsMissing
      ? { programsMissing: input.assessment.programsMissing }
      : {}),
    hosts,
    hostsUp: scan.hosts.filter((h) => h.status === 'up').length,
    devicesUp: hosts.filter((h) => h.status === 'up').length,
    openPorts,
    counts,
    durationMs: Number.isFinite(durationMs) && !(fromNmap && durationMs <= 0) ? durationMs : null,
    interrupted: scan.cancelled && fromNmap,
    findings,
    blocked: blocked.size,
  };
  if (input.firewallRules) model.firewallRules = input.firewallRules;
  return model;
}
