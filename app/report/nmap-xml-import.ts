import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ipaddr from 'ipaddr.js';
import {
  ScanResult,
  ScanSource,
  type HostReason,
  type HostResult,
  type PortReason,
  type PortResult,
  type PortState,
} from '../contract/scan.js';
import type { LocalizedText } from '../contract/errors.js';
import { fail } from '../errors.js';
import { canonicalIp, splitZone } from '../net/address.js';
import { localErrorText } from '../scan/connect-outcome.js';
import { forEachListedPort, PortStateTable, unlistedCounts } from '../scan/port-states.js';
import { withoutDisplayControls } from '../text/control-characters.js';
import { counted } from '../text/plural.js';
import { normaliseMac } from './mac-vendor.js';
import { PA_SCRIPT_ID } from './nmap-xml-export.js';

/** A /16 scanned with -p- in nmap XML is far below this; anything bigger is not a scan we can show. */
export const MAX_NMAP_XML_BYTES = 64 * 1024 * 1024;
const MAX_HOSTS = 65_536;

/** Same shape as the contract's NmapImportResult. */
export interface NmapImport {
  scan: ScanResult;
  /** MAC address per IP, when nmap saw one (same network segment). */
  macAddresses: Record<string, string>;
}

type Node = Record<string, unknown>;

function asArray(value: unknown): Node[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter(
    (v): v is Node => typeof v === 'object' && v !== null,
  );
}

function str(node: Node | undefined, key: string): string | undefined {
  const v = node?.[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * An attribute nmap writes as a count, a port or a time: a plain decimal integer (nmap.dtd's
 * `%attr_numeric`, as nmap's output.cc prints them). Hex (`0x50`), exponents (`1e20`), signs,
 * fractions and spaces are not numbers nmap wrote, so they are not read as one (undefined).
 */
function num(node: Node | undefined, key: string): number | undefined {
  const text = str(node, key);
  if (text === undefined || !/^[0-9]{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** The latest time a Date can show as an ISO string with a four-digit year: 9999-12-31T23:59:59Z. */
const LAST_EPOCH_SECOND = 253_402_300_799;

/** A Unix time in seconds nmap wrote (`start`, `time`), or undefined when it is not a date. */
function epoch(node: Node | undefined, key: string): number | undefined {
  const seconds = num(node, key);
  return seconds !== undefined && seconds <= LAST_EPOCH_SECOND ? seconds : undefined;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * XML's predefined and numeric character references, decoded in a single pass (no double decoding),
 * with display controls neutralised (withoutDisplayControls): a file's text is shown, never obeyed.
 */
export function decodeXmlText(value: string): string {
  return withoutDisplayControls(decodeReferences(value), true);
}

function decodeReferences(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref.toLowerCase()] ?? whole;
    const code =
      ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Throws the fr/en `report.nmap-too-large` refusal when `bytes` (a file's size from stat(2), or a
 * text's UTF-8 length) is over MAX_NMAP_XML_BYTES; a caller with a file checks its size this way
 * before reading it, so a 200 MB file is refused without being read.
 */
export function refuseTooLarge(bytes: number): void {
  if (bytes > MAX_NMAP_XML_BYTES) {
    fail(
      'report.nmap-too-large',
      {
        fr: `Fichier XML refusé : il fait ${Math.round(bytes / 1048576)} Mo, la limite est ${MAX_NMAP_XML_BYTES / 1048576} Mo.`,
        en: `XML file refused: it is ${Math.round(bytes / 1048576)} MB, the limit is ${MAX_NMAP_XML_BYTES / 1048576} MB.`,
      },
      { bytes, limit: MAX_NMAP_XML_BYTES },
    );
  }
}

function refuseHostile(xml: string): void {
  refuseTooLarge(Buffer.byteLength(xml, 'utf8'));
  // nmap writes a bare `<!DOCTYPE nmaprun>`; an internal subset can only serve to define entities
  // (billion laughs, external files), which no nmap output needs.
  if (/<!ENTITY/i.test(xml) || /<!DOCTYPE[^>[]*\[/i.test(xml)) {
    fail('report.nmap-hostile', {
      fr: 'Fichier XML refusé : il déclare des entités ou une DTD interne, ce que nmap n’écrit jamais. Il peut s’agir d’un fichier piégé.',
      en: 'XML file refused: it declares entities or an internal DTD, which nmap never writes. It may be a booby-trapped file.',
    });
  }
}

function notNmap(detail: string): never {
  fail(
    'report.nmap-not-nmap',
    {
      fr: `Ce fichier n’est pas un résultat XML de nmap (${detail}). Créez-le avec « nmap -oX fichier.xml ».`,
      en: `This file is not an nmap XML result (${detail}). Create it with “nmap -oX file.xml”.`,
    },
    { detail },
  );
}

const PORT_STATE: Record<string, PortState> = {
  open: 'open',
  closed: 'closed',
  filtered: 'filtered',
  unfiltered: 'closed',
  'open|filtered': 'filtered',
  'closed|filtered': 'filtered',
};

const PORT_REASON: Record<string, PortReason> = {
  'syn-ack': 'syn-ack',
  'conn-refused': 'conn-refused',
  reset: 'conn-refused',
  'port-unreach': 'port-unreach',
  'udp-response': 'udp-response',
  'no-response': 'no-response',
  'admin-prohibited': 'admin-prohibited',
  'host-prohibited': 'admin-prohibited',
  'net-prohibited': 'admin-prohibited',
  'host-unreach': 'host-unreachable',
  'net-unreach': 'net-unreachable',
  'local-error': 'local-error',
};

/** When nmap's reason has no equivalent of ours, fall back on what the state implies. */
const DEFAULT_REASON: Record<PortState, PortReason> = {
  open: 'syn-ack',
  closed: 'conn-refused',
  filtered: 'no-response',
};

/** TCP's words on a UDP port (a file that mixed them up), as nmap says them for UDP. */
const UDP_REASON: Partial<Record<PortReason, PortReason>> = {
  'syn-ack': 'udp-response',
  'conn-refused': 'port-unreach',
};

const HOST_REASON: Record<string, HostReason> = {
  'localhost-response': 'localhost',
  localhost: 'localhost',
  'syn-ack': 'syn-ack',
  'conn-refused': 'conn-refused',
  reset: 'conn-refused',
  'arp-response': 'neighbour',
  'nd-response': 'neighbour',
  'no-response': 'no-response',
  'user-set': 'user-set',
  'host-unreach': 'host-unreachable',
  'local-error': 'local-error',
};

function paElems(scripts: Node[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const script of scripts) {
    if (str(script, 'id') !== PA_SCRIPT_ID) continue;
    for (const elem of asArray(script.elem)) {
      const key = str(elem, 'key');
      const value = str(elem, '#text') ?? '';
      if (key) out.set(key, value);
    }
  }
  return out;
}

/**
 * Notes are written one table per note with `fr` and `en` elems; files from before notes were
 * localised hold one elem per note, French and English on two lines.
 */
function paNotes(scripts: Node[]): LocalizedText[] | undefined {
  for (const script of scripts) {
    if (str(script, 'id') !== PA_SCRIPT_ID) continue;
    for (const table of asArray(script.table)) {
      if (str(table, 'key') !== 'notes') continue;
      const localized = asArray(table.table).map((note) => {
        const text = new Map(asArray(note.elem).map((e) => [str(e, 'key'), str(e, '#text') ?? '']));
        const fr = text.get('fr') ?? text.get('en') ?? '';
        return { fr, en: text.get('en') ?? fr };
      });
      const legacy = asArray(table.elem).map((e) => {
        const [fr = '', en] = (str(e, '#text') ?? '').split('\n');
        return { fr, en: en ?? fr };
      });
      return [...localized, ...legacy];
    }
    return [];
  }
  return undefined;
}

const VALUE_OPTIONS = new Set([
  '-p',
  '-iL',
  '-e',
  '-S',
  '-D',
  '-g',
  '--exclude',
  '--excludefile',
  '--top-ports',
  '--script',
  '--script-args',
  '--max-retries',
  '--host-timeout',
  '--source-port',
  '--data-length',
  '--ttl',
  '--min-rate',
  '--max-rate',
  '--stylesheet',
  '-oX',
  '-oN',
  '-oG',
  '-oA',
  '-oS',
]);

/** The targets of an nmap command line: what is left once options and their values are removed. */
export function targetsFromArgs(args: string): string[] {
  const tokens = args.split(/\s+/).filter(Boolean).slice(1);
  const targets: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.startsWith('-')) {
      if (VALUE_OPTIONS.has(token)) i++;
      continue;
    }
    targets.push(token);
  }
  return targets;
}

function isLoopback(address: string): boolean {
  try {
    return ipaddr.parse(address).range() === 'loopback';
  } catch {
    return false;
  }
}

/**
 * A host's address as this app writes it, or null: an IP literal only (IPv4 as four decimal
 * numbers, IPv6 in RFC 5952 form, IPv4-mapped IPv6 as IPv4), with a short interface zone kept for
 * IPv6. A name, a keyword (`local-network`), `__proto__` or kilobytes of text is not a host.
 */
function hostAddress(
  text: string | undefined,
): { address: string; family: 'ipv4' | 'ipv6' } | null {
  if (text === undefined || text.length > 120) return null;
  const { zone } = splitZone(text);
  if (zone !== undefined && !/^[\w.-]{1,64}$/.test(zone)) return null;
  const address = canonicalIp(text);
  if (address === null) return null;
  return { address, family: address.includes(':') ? 'ipv6' : 'ipv4' };
}

/**
 * What nmap -sV identified (`<service product version extrainfo>`), each capped to the contract's
 * length; undefined when the element only names the service from nmap's port table (no product or
 * version: a guess, not a detection).
 */
function detectedService(node: Node | undefined): PortResult['detected'] {
  const product = str(node, 'product')?.trim();
  const version = str(node, 'version')?.trim();
  if (!product && !version) return undefined;
  const name = str(node, 'name')?.trim();
  const extra = str(node, 'extrainfo')?.trim();
  return {
    ...(name ? { service: name.slice(0, 64) } : {}),
    ...(product ? { product: product.slice(0, 128) } : {}),
    ...(version ? { version: version.slice(0, 128) } : {}),
    ...(extra ? { extraInfo: extra.slice(0, 256) } : {}),
  };
}

function parsePort(node: Node): PortResult | 'unsupported' | null {
  const protocol = str(node, 'protocol');
  const port = num(node, 'portid');
  if (protocol !== 'tcp' && protocol !== 'udp') return 'unsupported';
  if (port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) return null;
  const stateNode = asArray(node.state)[0];
  const state = PORT_STATE[str(stateNode, 'state') ?? ''];
  if (!state) return null;
  const read = PORT_REASON[str(stateNode, 'reason') ?? ''] ?? DEFAULT_REASON[state];
  // A UDP port has no connection to accept or refuse: nmap's UDP words, whatever the file says.
  const reason = protocol === 'udp' ? (UDP_REASON[read] ?? read) : read;
  const result: PortResult = { port, protocol, state, reason };
  const detected = detectedService(asArray(node.service)[0]);
  if (detected) result.detected = detected;
  const scripts = asArray(node.script);
  const banner = scripts.find((s) => str(s, 'id') === 'banner');
  const bannerText = str(banner, 'output');
  if (bannerText !== undefined) result.banner = bannerText.slice(0, 512);
  const rtt = Number(paElems(scripts).get('rttMs'));
  if (paElems(scripts).has('rttMs') && Number.isFinite(rtt) && rtt >= 0) result.rttMs = rtt;
  return result;
}

/**
 * Reads what `nmap -oX` writes (and what our own nmap export writes) into a ScanResult, so a scan
 * made with nmap can be assessed, reported and acted on like ours. Only TCP and UDP ports are kept;
 * nmap's intermediate states become ours (open|filtered → filtered, unfiltered → closed).
 */
/**
 * An nmap run stopped before its end (Ctrl+C, a crash, a full disk) leaves a file without
 * `</nmaprun>`. Its complete hosts are still worth showing: the text is cut after the last
 * `</host>` and the run closed. Null when it is not such a file (already closed, no `<nmaprun`, not
 * one complete host); the caller still validates what this returns.
 */
function closeInterrupted(text: string): string | null {
  if (/<\/nmaprun>\s*$/.test(text) || !/<nmaprun[\s>]/.test(text)) return null;
  const end = text.lastIndexOf('</host>');
  return end < 0 ? null : `${text.slice(0, end + '</host>'.length)}\n</nmaprun>\n`;
}

/**
 * Reads the ports an `<extraports>` element names (`<extrareasons proto="tcp" ports="1-21,23"/>`,
 * nmap 7.x) into `states`. Returns whether they account for all `count` of its ports: older nmap
 * files only count them, and a list that is not one (or a protocol we do not keep) names none.
 */
function readExtraReasons(
  extra: Node,
  state: PortState,
  count: number,
  states: PortStateTable,
): boolean {
  let named = 0;
  for (const reasons of asArray(extra.extrareasons)) {
    const list = str(reasons, 'ports');
    const protocol = str(reasons, 'proto');
    if (list === undefined || (protocol !== 'tcp' && protocol !== 'udp')) return false;
    const ok = forEachListedPort(list, (port) => {
      states.set(protocol, port, state);
      named++;
    });
    if (!ok) return false;
  }
  return named === count;
}

/** Index just past the `>` that ends the tag opened at `lt`, quoted attribute values skipped. */
function tagEnd(text: string, lt: number): number {
  let quote = '';
  for (let i = lt + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return text.length;
}

/**
 * Where each `<host>` child of the root element starts and ends in well-formed XML (the caller
 * validated it), skipping comments, CDATA, processing instructions and declarations; a `<host>`
 * nested deeper is part of its parent, as a tree parser would have it.
 */
function hostRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  let depth = 0;
  let hostStart = -1;
  let i = 0;
  const skip = (from: number, open: string, close: string): number => {
    const end = text.indexOf(close, from + open.length);
    return end < 0 ? text.length : end + close.length;
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) i = skip(lt, '<!--', '-->');
    else if (text.startsWith('<![CDATA[', lt)) i = skip(lt, '<![CDATA[', ']]>');
    else if (text.startsWith('<?', lt)) i = skip(lt, '<?', '?>');
    else if (text.startsWith('<!', lt)) i = skip(lt, '<!', '>');
    else {
      const end = tagEnd(text, lt);
      const closing = text[lt + 1] === '/';
      const name = /^<\/?([^\s/>]+)/.exec(text.slice(lt, Math.min(end, lt + 80)))?.[1];
      if (closing) {
        depth--;
        if (depth === 1 && name === 'host' && hostStart >= 0) {
          ranges.push([hostStart, end]);
          hostStart = -1;
        }
      } else if (text[end - 2] === '/') {
        if (depth === 1 && name === 'host') ranges.push([lt, end]);
      } else {
        if (depth === 1 && name === 'host') hostStart = lt;
        depth++;
      }
      i = end;
    }
  }
  return ranges;
}

const STATE_WEIGHT: Record<PortResult['state'], number> = { open: 3, filtered: 2, closed: 1 };

/**
 * One host from two `<host>` elements of the same address (the address given twice on nmap's
 * command line, or two runs appended): up if either saw it up; each port once, in the state that
 * matters most to an audit (open, then filtered, then closed); the unlisted ports counted as the
 * larger of the two counts per state, since nothing says which ports they were.
 */
function mergeHosts(a: HostResult, b: HostResult): HostResult {
  const up = a.status === 'up' ? a : b.status === 'up' ? b : a;
  const ports = new Map<string, PortResult>();
  for (const port of [...a.ports, ...b.ports]) {
    const key = `${port.protocol}/${port.port}`;
    const seen = ports.get(key);
    if (!seen || STATE_WEIGHT[port.state] > STATE_WEIGHT[seen.state]) ports.set(key, port);
  }
  const merged: HostResult = {
    ...b,
    ...a,
    status: up.status,
    reason: up.reason,
    ports: [...ports.values()].sort(
      (x, y) => x.port - y.port || x.protocol.localeCompare(y.protocol),
    ),
    hidden: {
      open: Math.max(a.hidden.open, b.hidden.open),
      closed: Math.max(a.hidden.closed, b.hidden.closed),
      filtered: Math.max(a.hidden.filtered, b.hidden.filtered),
    },
  };
  delete merged.portStates;
  // Every port's state is known only when both elements named all of theirs.
  if (a.portStates && b.portStates) {
    const states = new PortStateTable();
    states.addLists(a.portStates);
    states.addLists(b.portStates);
    for (const port of merged.ports) states.set(port.protocol, port.port, port.state);
    const lists = states.lists();
    if (lists) {
      merged.portStates = lists;
      merged.hidden = unlistedCounts(lists, merged.ports);
    }
  }
  return merged;
}

/**
 * Where the file's scan came from: what our own export recorded (`source` in its port-auditor
 * metadata; none in our exports from before it existed: our engine, as the contract reads an
 * absent source), else the nmap run the file describes (`<nmaprun args version>`, `<scaninfo>`s).
 */
function scanSource(
  run: Node,
  scanInfos: Node[],
  meta: Map<string, string>,
  fileName: string | undefined,
): ScanSource | undefined {
  const recorded = meta.get('source');
  if (recorded !== undefined) {
    try {
      const parsed = ScanSource.safeParse(JSON.parse(recorded));
      if (parsed.success) return parsed.data;
    } catch {
      // Not JSON: read as any nmap file.
    }
  }
  if (meta.has('scanId') && recorded === undefined) return undefined;
  const version = str(run, 'version');
  return {
    kind: 'nmap',
    ...(fileName ? { fileName: fileName.slice(0, 255) } : {}),
    args: (str(run, 'args') ?? '').slice(0, 4096),
    ...(version ? { version: version.slice(0, 64) } : {}),
    scanTypes: scanInfos.slice(0, 16).map((info) => ({
      type: (str(info, 'type') ?? '').slice(0, 32),
      protocol: (str(info, 'protocol') ?? '').slice(0, 16),
    })),
  };
}

/**
 * `options.fileName`: the imported file's name (no folder), kept in the result's `source` so a
 * report can name it.
 */
export function importNmapXml(
  xml: string,
  options: { localAddresses?: ReadonlySet<string>; now?: Date; fileName?: string } = {},
): NmapImport {
  refuseHostile(xml);
  let text = xml.replace(/^\uFEFF/, '');
  let valid = XMLValidator.validate(text);
  let interrupted = false;
  if (valid !== true) {
    const closed = closeInterrupted(text);
    if (closed !== null && XMLValidator.validate(closed) === true) {
      text = closed;
      valid = true;
      interrupted = true;
    }
  }
  if (valid !== true) {
    const { line, msg } = valid.err;
    fail(
      'report.nmap-invalid-xml',
      {
        fr: `Fichier XML illisible, ligne ${line} : ${msg}`,
        en: `Unreadable XML file, line ${line}: ${msg}`,
      },
      { line },
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    // Entities are decoded by decodeXmlText in one pass: the parser's own pass leaves numeric
    // references (&#10;, which nmap writes in banners) undecoded.
    processEntities: false,
    htmlEntities: false,
    attributeValueProcessor: (_name, value) => decodeXmlText(value),
    tagValueProcessor: (_name, value) => decodeXmlText(value),
    ignoreDeclaration: true,
    ignorePiTags: true,
    alwaysCreateTextNode: true,
    isArray: (name, _jpath, _isLeaf, isAttribute) =>
      !isAttribute &&
      [
        'host',
        'port',
        'address',
        'hostname',
        'hostnames',
        'extraports',
        'script',
        'elem',
        'table',
        'scaninfo',
        'ports',
        'state',
        'status',
        'prescript',
        'hostscript',
        'service',
      ].includes(name),
  });
  const parse = (part: string): Node => {
    try {
      return parser.parse(part) as Node;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      fail(
        'report.nmap-invalid-xml',
        { fr: `Fichier XML illisible : ${detail}`, en: `Unreadable XML file: ${detail}` },
        { detail },
      );
    }
  };
  // Memory bounded (issue 13): the run's own elements are parsed without its hosts, and each
  // <host> on its own when its turn comes, so no tree of the whole file is ever built (a 60 MB
  // file took 2.2 GB as one tree).
  const ranges = hostRanges(text);
  if (ranges.length > MAX_HOSTS) {
    fail(
      'report.nmap-too-many-hosts',
      {
        fr: `Fichier refusé : ${ranges.length} hôtes, la limite est ${MAX_HOSTS}.`,
        en: `File refused: ${ranges.length} hosts, the limit is ${MAX_HOSTS}.`,
      },
      { hosts: ranges.length, limit: MAX_HOSTS },
    );
  }
  const doc = parse(
    ranges.length === 0
      ? text
      : text.slice(0, ranges[0]![0]) + text.slice(ranges[ranges.length - 1]![1]),
  );
  const run = asArray(doc.nmaprun)[0];
  if (!run) notNmap('no <nmaprun>');
  if (str(run, 'scanner') !== 'nmap') notNmap(`scanner="${str(run, 'scanner') ?? ''}"`);
  const hostNodes = (function* () {
    for (const [start, end] of ranges) yield* asArray(parse(text.slice(start, end)).host);
  })();
  const preScripts = asArray(run.prescript).flatMap((p) => asArray(p.script));
  const meta = paElems(preScripts);
  const args = str(run, 'args') ?? '';
  const scanInfos = asArray(run.scaninfo);
  const finished = asArray(asArray(run.runstats)[0]?.finished)[0];
  const totals = asArray(asArray(run.runstats)[0]?.hosts)[0];

  const macAddresses: Record<string, string> = {};
  const hosts: HostResult[] = [];
  let skipped = 0;
  let notAddresses = 0;
  // The same address in several <host> elements is one host (its index in `hosts`).
  const byAddress = new Map<string, number>();
  let duplicates = 0;
  for (const node of hostNodes) {
    const addresses = asArray(node.address);
    const ip = addresses.find((a) => ['ipv4', 'ipv6'].includes(str(a, 'addrtype') ?? 'ipv4'));
    const literal = hostAddress(str(ip, 'addr'));
    if (!literal) {
      notAddresses++;
      continue;
    }
    const { address, family } = literal;
    const mac = str(
      addresses.find((a) => str(a, 'addrtype') === 'mac'),
      'addr',
    );
    const normalMac = mac ? normaliseMac(mac) : null;
    if (mac) macAddresses[address] = normalMac ?? mac;
    const statusNode = asArray(node.status)[0];
    const state = str(statusNode, 'state');
    const status = state === 'up' ? 'up' : state === 'unknown' ? 'unknown' : 'down';
    const fileReason =
      HOST_REASON[str(statusNode, 'reason') ?? ''] ?? (status === 'up' ? 'syn-ack' : 'no-response');
    const hostname = str(asArray(node.hostnames).flatMap((h) => asArray(h.hostname))[0], 'name');
    const hidden = { open: 0, closed: 0, filtered: 0 };
    const ports: PortResult[] = [];
    const states = new PortStateTable();
    // Every port's state is known when each <extraports> names as many ports as it counts.
    let everyPortNamed = true;
    for (const portsNode of asArray(node.ports)) {
      for (const extra of asArray(portsNode.extraports)) {
        const state = PORT_STATE[str(extra, 'state') ?? ''];
        const count = num(extra, 'count') ?? 0;
        if (state && Number.isInteger(count) && count > 0) hidden[state] += count;
        if (state) everyPortNamed &&= readExtraReasons(extra, state, count, states);
      }
      for (const portNode of asArray(portsNode.port)) {
        const port = parsePort(portNode);
        if (port === 'unsupported') skipped++;
        else if (port) {
          ports.push(port);
          states.set(port.protocol, port.port, port.state);
        }
      }
    }
    const hostMeta = paElems(asArray(node.hostscript).flatMap((s) => asArray(s.script)));
    // Whether it is this PC is for this PC to say, never the file (written on another PC, or
    // edited to make a device look like this one).
    const isLocal =
      isLoopback(splitZone(address).address) ||
      (options.localAddresses?.has(splitZone(address).address) ?? false);
    // Worded from this PC's point of view: this PC is this PC however the file's scanner saw it,
    // and the file's scanner answering for itself is not this PC.
    const reason =
      isLocal && status === 'up'
        ? 'localhost'
        : fileReason === 'localhost'
          ? 'scanner'
          : fileReason;
    const host: HostResult = { address, family, isLocal, status, reason, ports, hidden };
    const portStates = everyPortNamed ? states.lists() : undefined;
    if (portStates) {
      host.portStates = portStates;
      // A port both listed and named as unlisted (not nmap's doing) is counted once.
      host.hidden = unlistedCounts(portStates, ports);
    }
    const localError = hostMeta.get('localError');
    if (localError) host.localError = { code: localError, message: localErrorText(localError) };
    const everyOpen = Number(hostMeta.get('answersEveryPortOpen'));
    const everyProbed = Number(hostMeta.get('answersEveryPortProbed'));
    if (Number.isInteger(everyOpen) && Number.isInteger(everyProbed) && everyProbed > 0)
      host.answersEveryPort = { open: everyOpen, probed: everyProbed };
    if (hostname) host.hostname = hostname;
    // nmap saw it the way our engine does, in the neighbour table: part of the scan from now on.
    if (normalMac) host.mac = normalMac.toLowerCase();
    const earlier = byAddress.get(address);
    if (earlier === undefined) {
      byAddress.set(address, hosts.length);
      hosts.push(host);
    } else {
      hosts[earlier] = mergeHosts(hosts[earlier] as HostResult, host);
      duplicates++;
    }
  }

  const startEpoch = epoch(run, 'start');
  const endEpoch = epoch(finished, 'time');
  const now = options.now ?? new Date();
  const iso = (seconds: number | undefined) =>
    seconds !== undefined ? new Date(seconds * 1000).toISOString() : now.toISOString();
  const servicesSpec = scanInfos
    .map((s) => {
      const services = str(s, 'services') ?? '';
      if (scanInfos.length === 1) return services;
      return `${str(s, 'protocol') === 'udp' ? 'U' : 'T'}:${services}`;
    })
    .join(',');
  const portCount = scanInfos.reduce((n, s) => n + (num(s, 'numservices') ?? 0), 0);
  const argTargets = targetsFromArgs(args).join(' ');
  const fallbackTargets = argTargets || hosts.map((h) => h.address).join(' ') || '-';
  const notes = paNotes(preScripts) ?? [];
  if (interrupted) {
    notes.push({
      fr: 'Analyse nmap interrompue : seuls les hôtes complets du fichier sont repris',
      en: 'nmap scan interrupted: only the file’s complete hosts are imported',
    });
  }
  if (notAddresses > 0) {
    notes.push(
      notAddresses === 1
        ? {
            fr: 'Fichier nmap : 1 hôte sans adresse IP valide ignoré',
            en: 'nmap file: 1 host without a valid IP address ignored',
          }
        : {
            fr: `Fichier nmap : ${notAddresses} hôtes sans adresse IP valide ignorés`,
            en: `nmap file: ${notAddresses} hosts without a valid IP address ignored`,
          },
    );
  }
  if (skipped > 0 && !meta.has('scanId')) {
    notes.push({
      fr: `nmap : ${counted(skipped, 'fr', 'port SCTP/IP ignoré', 'ports SCTP/IP ignorés')}`,
      en: `nmap: ${counted(skipped, 'en', 'SCTP/IP port', 'SCTP/IP ports')} ignored`,
    });
  }
  const bool = (key: string, fallback: boolean) =>
    meta.has(key) ? meta.get(key) === 'true' : fallback;
  // Our own export's times, kept only when they are the ISO 8601 UTC times it writes.
  const time = (key: string) => {
    const text = meta.get(key);
    return text !== undefined &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(text) &&
      !Number.isNaN(Date.parse(text))
      ? text
      : undefined;
  };
  const int = (key: string, fallback: number) => {
    const n = Number(meta.get(key));
    return meta.has(key) && Number.isInteger(n) && n >= 0 ? n : fallback;
  };
  const source = scanSource(run, scanInfos, meta, options.fileName);
  const candidate = {
    scanId: meta.get('scanId') ?? `nmap-${startEpoch ?? Math.floor(now.getTime() / 1000)}`,
    ...(source ? { source } : {}),
    request: {
      targets: (meta.get('targets') ?? fallbackTargets).slice(0, 10_000),
      ports: (meta.get('ports') ?? (servicesSpec || String(portCount))).slice(0, 10_000) || '-',
      skipDiscovery: bool('skipDiscovery', /(^|\s)-Pn(\s|$)/.test(args)),
      // No one confirmed anything on this PC: an import scans nothing.
      confirmed: false,
    },
    // nmap's total counts an address given twice twice.
    addresses: int('addresses', Math.max(hosts.length, (num(totals, 'total') ?? 0) - duplicates)),
    portCount: int('portCount', portCount),
    notes,
    startedAt: time('startedAt') ?? iso(startEpoch),
    finishedAt: time('finishedAt') ?? iso(endEpoch ?? startEpoch),
    cancelled: interrupted || bool('cancelled', str(finished, 'exit') === 'error'),
    hosts,
  };
  const parsed = ScanResult.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    notNmap(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  return { scan: parsed.data, macAddresses };
}
