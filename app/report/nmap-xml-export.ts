import { APP_NAME, APP_VERSION } from '../identity.js';
import type {
  HostReason,
  HostResult,
  PortReason,
  PortResult,
  PortState,
  Protocol,
  ScanResult,
} from '../contract/scan.js';
import {
  compactPorts,
  compactRanges,
  normaliseRanges,
  parsePortList,
  rangesLength,
  subtractPorts,
} from '../scan/port-states.js';
import { parsePortSpec, type PortSpec } from '../scan/ports.js';
import { macVendor } from './mac-vendor.js';
import { normaliseMac } from '../net/mac.js';
import { serviceName } from '../risk/knowledge-base.js';
import { RULES } from '../risk/rules.js';
import type { PortAssessment, RiskAssessResult } from '../contract/risk.js';
import { ranByNmap } from '../contract/scan.js';

/** The id of the NSE-style script elements that carry what nmap's format has no field for. */
export const PA_SCRIPT_ID = 'port-auditor';

/** Escapes text for an XML attribute; strips characters XML 1.0 cannot hold at all. */
export function xmlAttr(value: string | number | boolean): string {
  return (
    String(value)
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/\n/g, '&#10;')
      .replace(/\r/g, '&#13;')
      .replace(/\t/g, '&#9;')
  );
}

function xmlText(value: string): string {
  return xmlAttr(value);
}

/** The word nmap writes for a port whose state has no reason recorded (portreasons.cc ER_UNKNOWN). */
export const NMAP_NO_REASON = 'unknown-response';

/** Our reasons use nmap's words except where nmap abbreviates (the import reads them back). */
export const PORT_REASON_TO_NMAP: Record<PortReason, string> = {
  'syn-ack': 'syn-ack',
  'conn-refused': 'conn-refused',
  reset: 'reset',
  'udp-response': 'udp-response',
  'port-unreach': 'port-unreach',
  'no-response': 'no-response',
  'admin-prohibited': 'admin-prohibited',
  'host-unreachable': 'host-unreach',
  'net-unreachable': 'net-unreach',
  // nmap has no word for a probe this PC could not send; kept as ours so an import reads it back.
  'local-error': 'local-error',
};

/**
 * A host's `<status>` reason and TTL: the ones an imported nmap file gave it, as read (review 13
 * A6: `echo-reply`, `reason_ttl="63"`), else our reason in nmap's word with TTL 0.
 */
export function hostNmapReason(host: HostResult): { reason: string; ttl: number } {
  return host.nmapReason ?? { reason: hostReasonToNmap(host), ttl: 0 };
}

/** Our host reason in nmap's word (nmap's portreasons.cc). */
export function hostReasonToNmap(host: Pick<HostResult, 'reason' | 'family'>): string {
  const map: Record<HostReason, string> = {
    localhost: 'localhost-response',
    scanner: 'localhost-response',
    reporter: 'localhost-response',
    'syn-ack': 'syn-ack',
    'conn-refused': 'conn-refused',
    neighbour: host.family === 'ipv6' ? 'nd-response' : 'arp-response',
    'nmap-neighbour': host.family === 'ipv6' ? 'nd-response' : 'arp-response',
    // Only an imported host has it, with its word in nmapReason (hostNmapReason); nmap's
    // generic word for an answer otherwise.
    'nmap-probe': 'echo-reply',
    'no-response': 'no-response',
    'user-set': 'user-set',
    'host-unreachable': 'host-unreach',
    'local-error': 'local-error',
  };
  return map[host.reason];
}

/** nmap's compact list: 1-3,22,80 (kept here for the modules that import it from the export). */
export { compactPorts };

/** The request's ports per protocol, or null when the spec no longer parses (an old file). */
function portSpecOf(spec: string): PortSpec | null {
  try {
    return parsePortSpec(spec);
  } catch {
    return null;
  }
}

/**
 * nmap's `-p` value for the request: the TCP list alone as before (`22,80`), or with nmap's
 * protocol prefixes when UDP ports are scanned (`T:22,80,U:53,161`); the spec as typed when it
 * does not parse.
 */
function nmapPortsArg(spec: string): string {
  const ports = portSpecOf(spec);
  if (!ports) return spec;
  if (ports.udp.length === 0) return compactPorts(ports.tcp);
  return [
    ...(ports.tcp.length > 0 ? [`T:${compactPorts(ports.tcp)}`] : []),
    `U:${compactPorts(ports.udp)}`,
  ].join(',');
}

function epoch(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}

/** nmap's `startstr` style: "Mon Nov 23 19:58:53 2026". */
function ctime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getDay()]} ${months[d.getMonth()]} ${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${d.getFullYear()}`;
}

function elems(values: Record<string, string | number | boolean>): string {
  return Object.entries(values)
    .map(([key, value]) => `<elem key="${xmlAttr(key)}">${xmlText(String(value))}</elem>`)
    .join('');
}

/** The nmap command line that would run the same scan, for `args` (nmap's tools display it). */
export function equivalentNmapArgs(scan: ScanResult): string {
  const ports = nmapPortsArg(scan.request.ports);
  const spec = portSpecOf(scan.request.ports);
  const targets = scan.request.targets.split(/[\s,]+/).filter(Boolean);
  return [
    'nmap',
    ...(spec && spec.tcp.length === 0 ? [] : ['-sT']),
    ...(spec && spec.udp.length > 0 ? ['-sU'] : []),
    ...(scan.request.skipDiscovery ? ['-Pn'] : []),
    '-p',
    ports,
    ...targets,
  ].join(' ');
}

/** The rules by which a service's own banner named it (app/risk/rules.ts): a probe's answer. */
const BANNER_RULES: ReadonlySet<string> = new Set([RULES.bannerConfirms, RULES.bannerOther]);

/**
 * `<service>` (nmap.dtd): `name` is the one name the UI, CLI, PDF and CSV use, the verdict's
 * (Chromium's 9222 is "chromium", not IANA's "teamcoherence"; review 15 N1), else the knowledge
 * base's or IANA's (serviceName) for a port without a verdict. `method="probed" conf="10"` when the
 * service itself told us what it is — a banner the rules recognised, or a product, version or
 * service our HTTP/TLS probes or nmap -sV found — as nmap marks a -sV match; else nmap's
 * `method="table" conf="3"` (a port number's or a program's name: nothing the service said).
 * `product`/`version`/`extrainfo` as detected; `tunnel="ssl"` when a TLS handshake succeeded.
 */
function serviceXml(p: PortResult, verdict: PortAssessment | undefined): string {
  const d = p.detected;
  const named = verdict && verdict.service !== 'unknown' ? verdict.service : undefined;
  const name = named ?? d?.service ?? serviceName(p.port, p.protocol) ?? '';
  if (!name) return '';
  const probed =
    Boolean(d && (d.service || d.product || d.version)) ||
    Boolean(verdict?.reasons.some((r) => BANNER_RULES.has(r.ruleId)));
  const attrs = [
    `name="${xmlAttr(name)}"`,
    ...(d?.product ? [`product="${xmlAttr(d.product)}"`] : []),
    ...(d?.version ? [`version="${xmlAttr(d.version)}"`] : []),
    ...(d?.extraInfo ? [`extrainfo="${xmlAttr(d.extraInfo)}"`] : []),
    ...(p.tls ? ['tunnel="ssl"'] : []),
    probed ? 'method="probed"' : 'method="table"',
    probed ? 'conf="10"' : 'conf="3"',
  ];
  return `<service ${attrs.join(' ')}/>`;
}

/**
 * A port's `<state>`: the reason and TTL an imported nmap file gave it, written back as read
 * (review N5: `reset`, `reason_ttl="64"`), else our reason in nmap's word with TTL 0 (our engine
 * connects; it reads no TTL).
 */
function stateXml(p: PortResult): string {
  // No reason (none given, or one that contradicted the state): nmap's own word for that,
  // `unknown-response` (portreasons.cc ER_UNKNOWN), which the import reads back as none.
  const reason =
    p.nmapReason?.reason ?? (p.reason ? PORT_REASON_TO_NMAP[p.reason] : NMAP_NO_REASON);
  const ttl = p.nmapReason?.ttl ?? 0;
  return `<state state="${p.state}" reason="${xmlAttr(reason)}" reason_ttl="${ttl}"/>`;
}

function portXml(p: PortResult, verdict: PortAssessment | undefined): string {
  const scripts: string[] = [];
  if (p.banner !== undefined) {
    scripts.push(`<script id="banner" output="${xmlAttr(p.banner)}"/>`);
  }
  if (p.rttMs !== undefined) {
    scripts.push(
      `<script id="${PA_SCRIPT_ID}" output="rtt ${xmlAttr(p.rttMs)} ms">${elems({ rttMs: p.rttMs })}</script>`,
    );
  }
  return (
    `<port protocol="${p.protocol}" portid="${p.port}">` +
    stateXml(p) +
    serviceXml(p, verdict) +
    scripts.join('') +
    `</port>\n`
  );
}

/** Host facts nmap's format has no element for: this PC's own, what it could not probe, tarpits. */
function hostMeta(host: HostResult): Record<string, string | number | boolean> {
  return {
    isLocal: host.isLocal,
    ...(host.localError ? { localError: host.localError.code } : {}),
    ...(host.answersEveryPort
      ? {
          answersEveryPortOpen: host.answersEveryPort.open,
          answersEveryPortProbed: host.answersEveryPort.probed,
        }
      : {}),
  };
}

/** The reason written for unlisted ports, per protocol, in nmap's words for it. */
const HIDDEN_REASON: Record<Protocol, Record<PortState, string>> = {
  tcp: {
    closed: 'conn-refused',
    filtered: 'no-response',
    open: 'syn-ack',
    'open|filtered': 'no-response',
  },
  udp: {
    closed: 'port-unreach',
    filtered: 'no-response',
    open: 'udp-response',
    'open|filtered': 'no-response',
  },
};

/**
 * The reason written for `scan`'s unlisted ports in `state`: HIDDEN_REASON, except a TCP port
 * closed in an nmap file whose TCP scan sent its own packets (-sS, -sA, -sF…: every `<scaninfo>`
 * type but `connect`), which nmap words `reset` (the RST it read; portreasons.cc), not
 * `conn-refused`, the word of connect() (review 13 N5).
 */
function hiddenReason(scan: ScanResult, protocol: Protocol, state: PortState): string {
  const source = scan.source;
  if (protocol === 'tcp' && state === 'closed' && source?.kind === 'nmap') {
    const tcp = source.scanTypes.filter((t) => t.protocol === 'tcp');
    if (tcp.length > 0 && tcp.every((t) => t.type !== 'connect')) return 'reset';
  }
  return HIDDEN_REASON[protocol][state];
}

/** `<extraports>` in the order nmap's summaries favour: the most numerous states first. */
const EXTRA_STATES: readonly PortState[] = ['closed', 'filtered', 'open|filtered', 'open'];

/**
 * The host's unlisted ports per state and protocol (sorted, disjoint flat ranges: parsePortList),
 * from `portStates` less the listed ports; null when the result has no `portStates` or they do not
 * add up to `hidden` (then only counts are written, as before format 2). Range by range, never
 * port by port: a -p- host is `1-22,24-65535` (review 13, F3).
 */
function hiddenPorts(
  host: HostResult,
): Record<PortState, Partial<Record<Protocol, number[]>>> | null {
  if (!host.portStates) return null;
  const out: Record<PortState, Partial<Record<Protocol, number[]>>> = {
    open: {},
    closed: {},
    filtered: {},
    'open|filtered': {},
  };
  const counts: Record<PortState, number> = { open: 0, closed: 0, filtered: 0, 'open|filtered': 0 };
  for (const protocol of ['tcp', 'udp'] as const) {
    const listed = [
      ...new Set(host.ports.filter((p) => p.protocol === protocol).map((p) => p.port)),
    ].sort((a, b) => a - b);
    for (const state of EXTRA_STATES) {
      const list = host.portStates[protocol]?.[state];
      const ranges = list ? parsePortList(list) : null;
      if (!ranges) continue;
      const unlisted = subtractPorts(normaliseRanges(ranges), listed);
      if (unlisted.length > 0) {
        out[state][protocol] = unlisted;
        counts[state] += rangesLength(unlisted);
      }
    }
  }
  for (const state of EXTRA_STATES) {
    if (counts[state] !== (host.hidden[state] ?? 0)) return null;
  }
  return out;
}

/**
 * `<extraports>` as nmap 7.93 writes them: one per state, with one `<extrareasons>` per protocol
 * naming its ports (`ports="1-21,23-79"`) when the result knows them, so the file says which port
 * is in which state, not only how many.
 */
function extraPortsXml(host: HostResult, scan: ScanResult): string {
  const known = hiddenPorts(host);
  const out: string[] = [];
  for (const state of EXTRA_STATES) {
    const count = host.hidden[state] ?? 0;
    if (count === 0) continue;
    const reasons = known
      ? (['udp', 'tcp'] as const)
          .filter((protocol) => known[state][protocol])
          .map((protocol) => {
            const ranges = known[state][protocol]!;
            return `<extrareasons reason="${hiddenReason(scan, protocol, state)}" count="${rangesLength(ranges)}" proto="${protocol}" ports="${compactRanges(ranges)}"/>\n`;
          })
      : [
          `<extrareasons reason="${hiddenReason(scan, 'tcp', state)}" count="${count}" proto="tcp"/>\n`,
        ];
    out.push(`<extraports state="${state}" count="${count}">\n${reasons.join('')}</extraports>\n`);
  }
  return out.join('');
}

function hostXml(
  host: HostResult,
  scan: ScanResult,
  macs: Map<string, string>,
  verdicts: Map<string, PortAssessment> | undefined,
): string {
  const out: string[] = [];
  out.push(`<host starttime="${epoch(scan.startedAt)}" endtime="${epoch(scan.finishedAt)}">`);
  const said = hostNmapReason(host);
  out.push(
    `<status state="${host.status}" reason="${xmlAttr(said.reason)}" reason_ttl="${said.ttl}"/>\n`,
  );
  // Without the zone, as nmap writes it: its `addr` is inet_ntop of the target's sin6_addr
  // (Target::GenerateTargetIPString, output.cc write_xml_initial_hostinfo), which has no scope id,
  // and nmap.dtd has no field for one. The zone stays in the JSON report (`scan.hosts[].zone`).
  out.push(`<address addr="${xmlAttr(host.address)}" addrtype="${host.family}"/>\n`);
  const mac =
    (host.mac ? normaliseMac(host.mac)?.toUpperCase() : undefined) ?? macs.get(host.address);
  if (mac) {
    const vendor = macVendor(mac);
    out.push(
      `<address addr="${mac}" addrtype="mac"${vendor ? ` vendor="${xmlAttr(vendor)}"` : ''}/>\n`,
    );
  }
  if (host.hostname && host.hostnameMethod !== 'netbios' && host.hostnameMethod !== 'mdns') {
    // How it was found (nmap.dtd: user | PTR); results from before hostnameMethod: a name the
    // user typed as a target is `user`, any other was reverse-resolved. A NetBIOS or mDNS name
    // is neither (nmap reports them in its nbstat and dns-service-discovery scripts' output,
    // never as a hostname): left out rather than called PTR.
    const method = host.hostnameMethod;
    const typed = method
      ? method === 'user' || method === 'nmap-user' || method === 'file'
      : scan.request.targets
          .split(/[\s,]+/)
          .some((t) => t.toLowerCase() === host.hostname!.toLowerCase());
    out.push(
      `<hostnames>\n<hostname name="${xmlAttr(host.hostname)}" type="${typed ? 'user' : 'PTR'}"/>\n</hostnames>\n`,
    );
  } else {
    out.push('<hostnames>\n</hostnames>\n');
  }
  if (host.status === 'up' || host.ports.length > 0) {
    out.push('<ports>');
    out.push(extraPortsXml(host, scan));
    // Verdicts are of open ports only (a scan-blocked one names the same service).
    for (const p of host.ports) out.push(portXml(p, verdicts?.get(`${p.port}/${p.protocol}`)));
    out.push('</ports>\n');
  }
  // What nmap cannot say: whether the address is this PC's (the report puts it first).
  out.push(
    `<hostscript><script id="${PA_SCRIPT_ID}" output="${host.isLocal ? 'this PC' : 'other device'}">${elems(hostMeta(host))}</script></hostscript>\n`,
  );
  out.push('</host>\n');
  return out.join('');
}

/**
 * One `<scaninfo>` per protocol scanned, as nmap writes them for `-sT -sU` (nmap.dtd: type,
 * protocol, numservices, services): `connect`/`tcp` for the TCP ports, `udp`/`udp` for the UDP
 * ones; a spec that no longer parses keeps the one TCP line with the scan's port count.
 */
function scanInfoXml(scan: ScanResult): string {
  const spec = portSpecOf(scan.request.ports);
  if (!spec) {
    return `<scaninfo type="connect" protocol="tcp" numservices="${scan.portCount}" services="${xmlAttr(scan.request.ports)}"/>\n`;
  }
  // An import keeps nmap's own scan types (syn, connect, udp…); our engine connects over TCP.
  const imported = scan.source?.kind === 'nmap' ? scan.source.scanTypes : [];
  const types =
    imported.length > 0
      ? imported
      : [
          ...(spec.tcp.length > 0 || spec.udp.length === 0
            ? [{ type: 'connect', protocol: 'tcp' }]
            : []),
          ...(spec.udp.length > 0 ? [{ type: 'udp', protocol: 'udp' }] : []),
        ];
  return types
    .map(({ type, protocol }) => {
      const ports = protocol === 'udp' ? spec.udp : spec.tcp;
      return `<scaninfo type="${xmlAttr(type)}" protocol="${xmlAttr(protocol)}" numservices="${ports.length}" services="${compactPorts(ports)}"/>\n`;
    })
    .join('');
}

/**
 * Our scan in the format `nmap -oX` writes (DTD 1.05), so nmap's tools (ndiff, Zenmap, nmap.xsl)
 * and the many importers that read it accept it. Fields nmap has no element for travel in
 * NSE-style `port-auditor` script elements, so importing the file back loses nothing. With the
 * scan's `assessment`, each open port's service is named as its verdict names it (serviceXml).
 */
export function renderNmapXml(
  scan: ScanResult,
  macAddresses: Record<string, string> = {},
  assessment?: RiskAssessResult,
): string {
  const verdicts = new Map<string, Map<string, PortAssessment>>();
  for (const host of assessment?.hosts ?? []) {
    verdicts.set(host.address, new Map(host.ports.map((p) => [`${p.port}/${p.protocol}`, p])));
  }
  const macs = new Map<string, string>();
  for (const [address, mac] of Object.entries(macAddresses)) {
    const normal = normaliseMac(mac)?.toUpperCase();
    if (normal) macs.set(address, normal);
  }
  // An imported nmap file's command line stays the file's (issue 15, F6): never presented as the
  // command of a Port Auditor scan, and nmap's own options (-sV…) kept.
  const imported = scan.source?.kind === 'nmap' ? scan.source : undefined;
  const args = imported ? imported.args || 'nmap' : equivalentNmapArgs(scan);
  const initiated = imported
    ? `${APP_NAME} ${APP_VERSION} export of results imported from an nmap file${imported.version ? ` (nmap ${imported.version})` : ''}, scanned ${ctime(scan.startedAt)}; the file's command line: `
    : `${APP_NAME} ${APP_VERSION} scan initiated ${ctime(scan.startedAt)} as the equivalent of: `;
  const producer = imported
    ? `nmap${imported.version ? ` ${imported.version}` : ''} (imported by ${APP_NAME} ${APP_VERSION})`
    : `${APP_NAME} ${APP_VERSION}`;
  const start = epoch(scan.startedAt);
  const end = epoch(scan.finishedAt);
  const elapsed = Math.max(0, (Date.parse(scan.finishedAt) - Date.parse(scan.startedAt)) / 1000);
  const up = scan.hosts.filter((h) => h.status === 'up').length;
  const total = Math.max(scan.addresses, scan.hosts.length);
  const meta: Record<string, string | number | boolean> = {
    scanId: scan.scanId,
    targets: scan.request.targets,
    ports: scan.request.ports,
    skipDiscovery: scan.request.skipDiscovery,
    confirmed: scan.request.confirmed,
    addresses: scan.addresses,
    portCount: scan.portCount,
    startedAt: scan.startedAt,
    finishedAt: scan.finishedAt,
    cancelled: scan.cancelled,
    // Where the scan came from (engine and its settings, or the nmap run), read back on import.
    ...(scan.source ? { source: JSON.stringify(scan.source) } : {}),
  };
  const notes = scan.notes.map((n) => `<table>${elems({ fr: n.fr, en: n.en })}</table>`).join('');
  const summary = `Nmap-compatible output of ${APP_NAME} done at ${ctime(scan.finishedAt)}; ${total} IP address${total === 1 ? '' : 'es'} (${up} host${up === 1 ? '' : 's'} up) scanned in ${elapsed.toFixed(2)} seconds`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<!DOCTYPE nmaprun>\n',
    '<?xml-stylesheet href="https://svn.nmap.org/nmap/docs/nmap.xsl" type="text/xsl"?>\n',
    `<!-- ${xmlText(`${initiated}${args}`).replace(/--/g, '- -')} -->\n`,
    `<nmaprun scanner="nmap" args="${xmlAttr(args)}" start="${start}" startstr="${xmlAttr(ctime(scan.startedAt))}" version="${xmlAttr(producer)}" profile_name="${xmlAttr(APP_NAME)}" xmloutputversion="1.05">\n`,
    scanInfoXml(scan),
    '<verbose level="0"/>\n',
    '<debugging level="0"/>\n',
    `<prescript><script id="${PA_SCRIPT_ID}" output="${xmlAttr(`${APP_NAME} ${APP_VERSION} ${imported ? 'import' : 'scan'} ${scan.scanId}`)}">${elems(meta)}<table key="notes">${notes}</table></script></prescript>\n`,
    ...scan.hosts.map((h) => hostXml(h, scan, macs, verdicts.get(h.address))),
    `<runstats><finished time="${end}" timestr="${xmlAttr(ctime(scan.finishedAt))}" summary="${xmlAttr(summary)}" elapsed="${elapsed.toFixed(2)}" exit="${scan.cancelled ? 'error' : 'success'}"${scan.cancelled ? ` errormsg="${stopMessage(scan)}"` : ''}/>`,
    `<hosts up="${up}" down="${total - up}" total="${total}"/>\n`,
    '</runstats>\n',
    '</nmaprun>\n',
  ].join('');
}

/**
 * Why stopped scan `scan` ended early, as `<finished errormsg>` says it: a scan of this app was
 * cancelled by its user; an nmap file's run was cut short by nmap's side (interrupted, its file
 * ending early), which nobody here cancelled (rev13user F4).
 */
function stopMessage(scan: Pick<ScanResult, 'source'>): string {
  return ranByNmap(scan.source) ? 'nmap run interrupted before its end' : 'cancelled by the user';
}
