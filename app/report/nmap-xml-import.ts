import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import sax from 'sax';
import ipaddr from 'ipaddr.js';
import type { z } from 'zod';
import {
  HostResult as HostResultSchema,
  PortResult as PortResultSchema,
  MAX_HOSTNAME,
  ScanResult,
  ScanSource,
  type HostReason,
  type HostResult,
  type PortReason,
  type PortResult,
  type PortState,
  type PortStates,
} from '../contract/scan.js';
import type { LocalizedText } from '../contract/errors.js';
import { fail } from '../errors.js';
import { addressKind, canonicalNetwork, hostAddress, parseIp, splitZone } from '../net/address.js';
import { fileLocalErrorText } from '../scan/connect-outcome.js';
import { parsePortSpec } from '../scan/ports.js';
import {
  parsePortList,
  PortStateTable,
  readPortList,
  rangesLength,
  STATE_WEIGHT,
  unlistedCounts,
} from '../scan/port-states.js';
import { emptyPortStateCounts, hiddenCount, hiddenOfCounts } from '../contract/vocabulary.js';
import { withEveryPortVerdict } from '../scan/every-port.js';
import { xmlTextDecoder } from '../contract/xml-bytes.js';
import { oneLine, withoutDisplayControls } from '../text/control-characters.js';
import { bothLanguages } from '../text/catalogue.js';
import { sentence, type Sentence } from '../text/sentence.js';
import { normaliseMac } from '../net/mac.js';
import { fileNoteText } from './file-note.js';
import {
  hostReasonToNmap,
  NMAP_NO_REASON,
  PA_SCRIPT_ID,
  PORT_REASON_TO_NMAP,
} from './nmap-xml-export.js';

/** A /16 scanned with -p- in nmap XML is far below this; anything bigger is not a scan we can show. */
export const MAX_NMAP_XML_BYTES = 64 * 1024 * 1024;
const MAX_HOSTS = 65_536;

/**
 * Where the import puts the hosts it reads, one at a time in the file's order: an array by default;
 * the app's store writes them as rows (app/store/scans.ts HostRowWriter), so a 65,000-host file is
 * never held whole. `get`/`set` read and replace an earlier host when a later `<host>` of the same
 * address is merged into it. Errors thrown (the store's) stop the import as they are.
 */
export interface HostSink {
  add(host: HostResult): void;
  get(index: number): HostResult;
  set(index: number, host: HostResult): void;
}

/**
 * What an import has read so far, as it reads: `<host>` elements begun (the one being read
 * included), open ports listed, and the most ports (any state) one host lists (the one being
 * read included). Said in a refusal for want of memory (app/api/import-thread.ts).
 */
export interface ImportTally {
  hosts: number;
  openPorts: number;
  largestHost: number;
}

/** Options of an import: this PC's addresses, the clock, the file's name, where hosts go. */
export interface NmapImportOptions {
  localAddresses?: ReadonlySet<string>;
  now?: Date;
  fileName?: string;
  /** When given, hosts go there and the result's `hosts` is empty (see `hostCount`). */
  hosts?: HostSink;
  /** Hears the tally of what was read, every TALLY_PORTS ports and TALLY_HOSTS hosts read. */
  onTally?: (tally: ImportTally) => void;
}

/** Ports and hosts read between two `onTally` calls. */
const TALLY_PORTS = 4096;
const TALLY_HOSTS = 256;

/** Same shape as the contract's NmapImportResult. */
export interface NmapImport {
  /** `hosts` empty when the import was given a HostSink. */
  scan: ScanResult;
  /** Hosts read (after merging an address given twice), wherever they went. */
  hostCount: number;
  /** MAC address per IP, when nmap saw one (same network segment). */
  macAddresses: Record<string, string>;
  /** Whether the file dated its run (`<nmaprun start>` a time): else the scan's times are the import's. */
  startKnown: boolean;
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
 * fractions, spaces and leading zeros are not numbers nmap wrote, so they are not read as one
 * (undefined). NUMERIC_ATTRIBUTES are kept untrimmed for this check (element()).
 */
function num(node: Node | undefined, key: string): number | undefined {
  const text = str(node, key);
  // No leading zero either: nmap prints `443`, never `00443`.
  if (text === undefined || !/^(?:0|[1-9][0-9]{0,14})$/.test(text)) return undefined;
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
    const limit = MAX_NMAP_XML_BYTES / 1048576;
    // Never "64 MB, the limit is 64 MB": a size just over the limit is said to a tenth, rounded up.
    const mb = bytes / 1048576;
    const size = Math.round(mb) > limit ? Math.round(mb) : Math.ceil(mb * 10) / 10;
    fail(
      'report.nmap-too-large',
      { bytes, limit: MAX_NMAP_XML_BYTES },
      { variant: 'size', text: { size, max: limit } },
    );
  }
}

/**
 * Refuses a file that is not nmap's, saying why in words (report.json `notNmapBecause`): the
 * raw attribute or the schema's English message never reaches the user (review 15, #7).
 */
function notNmap(why: Sentence): never {
  fail('report.nmap-not-nmap', undefined, { text: { detail: why } });
}

const PORT_STATE: Record<string, PortState> = {
  open: 'open',
  closed: 'closed',
  filtered: 'filtered',
  unfiltered: 'closed',
  // Silence where an open port may be silent too (-sU, -sF/-sN/-sX…): kept as nmap says it, so
  // a UDP scan's silent ports are never read as blocked.
  'open|filtered': 'open|filtered',
  'closed|filtered': 'filtered',
};

const PORT_REASON: Record<string, PortReason> = {
  'syn-ack': 'syn-ack',
  'conn-refused': 'conn-refused',
  // nmap's own word for a SYN scan's RST (review 13 ATK2): no connection was offered to refuse.
  reset: 'reset',
  'port-unreach': 'port-unreach',
  'udp-response': 'udp-response',
  'no-response': 'no-response',
  'admin-prohibited': 'admin-prohibited',
  'host-prohibited': 'admin-prohibited',
  'net-prohibited': 'admin-prohibited',
  // A SYN answered by a SYN (a split handshake): the port accepted, as syn-ack says.
  'split-handshake-syn': 'syn-ack',
  'host-unreach': 'host-unreachable',
  'net-unreach': 'net-unreachable',
  'local-error': 'local-error',
};

/** TCP's words on a UDP port (a file that mixed them up), as nmap says them for UDP. */
const UDP_REASON: Partial<Record<PortReason, PortReason>> = {
  'syn-ack': 'udp-response',
  'conn-refused': 'port-unreach',
  reset: 'port-unreach',
};

/** The ICMP errors nmap reads as "something on the way blocked the probe" (a filtered port). */
const ICMP_BLOCKED = [
  'net-unreach',
  'host-unreach',
  'proto-unreach',
  'admin-prohibited',
  'host-prohibited',
  'net-prohibited',
  'time-exceeded',
] as const;

/**
 * The reasons nmap writes for each of its port states, per protocol (nmap's portreasons.cc words;
 * which state each answer gives: nmap(1) "PORT SCANNING TECHNIQUES" and the scan engine): a SYN
 * or connect scan's open port answered `syn-ack` (`split-handshake-syn`), its closed port `reset`
 * or `conn-refused`; a port is filtered by silence, an ICMP error or the connect's `perm-denied`
 * (TCP's ICMP port unreachable included); FIN/NULL/Xmas silence is `open|filtered`, an idle scan's
 * `closed|filtered`; ACK and window scans' `unfiltered` is `reset`. Over UDP, `udp-response` is
 * open, `port-unreach` closed, silence `open|filtered`. `local-error` is ours (our export's
 * filtered port that was never sent). A -sW window scan's open port is `reset` too
 * (WINDOW_OPEN). Any other pair (open with `reset`, closed with `syn-ack`, a UDP port open with
 * `port-unreach`) is not nmap's: its reason is left out (parsePort).
 */
const NMAP_PAIRS: Record<'tcp' | 'udp', Record<string, ReadonlySet<string>>> = {
  tcp: {
    open: new Set(['syn-ack', 'split-handshake-syn']),
    closed: new Set(['reset', 'conn-refused']),
    filtered: new Set([
      'no-response',
      'port-unreach',
      'perm-denied',
      'local-error',
      ...ICMP_BLOCKED,
    ]),
    unfiltered: new Set(['reset']),
    'open|filtered': new Set(['no-response']),
    'closed|filtered': new Set(['no-response']),
  },
  udp: {
    // TCP's words on a UDP port that agree with its state are corrected (UDP_REASON), not left out.
    open: new Set(['udp-response', 'syn-ack']),
    closed: new Set(['port-unreach', 'conn-refused', 'reset']),
    filtered: new Set(['no-response', 'local-error', ...ICMP_BLOCKED]),
    'open|filtered': new Set(['no-response']),
    'closed|filtered': new Set(['no-response']),
  },
};

/**
 * nmap's words that give no reason, whatever the state: `unknown-response` (portreasons.cc
 * ER_UNKNOWN, what nmap and our export write when none is recorded) and `script-set` (an NSE
 * script set the state). Read as no reason, neither wrong nor counted.
 */
const NO_REASON = new Set([NMAP_NO_REASON, 'script-set']);

/**
 * What a port's `<state state reason>` says: our reason for it (absent when the file gave none,
 * or a word of nmap's that has none of ours), and whether the pair is one nmap never writes
 * (`contradicts`: the reason is left out, and the import counts it). `windowScan`: the file's TCP
 * scan is -sW, whose open ports nmap words `reset` (the RST's window told it), so that pair is
 * nmap's, though no reason of ours says it. Pure.
 */
export function portReasonOf(
  protocol: 'tcp' | 'udp',
  fileState: string,
  word: string,
  windowScan = false,
): { reason?: PortReason; contradicts: boolean } {
  if (word === '' || NO_REASON.has(word)) return { contradicts: false };
  const windowOpen = windowScan && protocol === 'tcp' && fileState === 'open' && word === 'reset';
  if (!windowOpen && !NMAP_PAIRS[protocol][fileState]?.has(word)) return { contradicts: true };
  // -sW's open port: the RST is its evidence, but "refused the connection" would say the opposite.
  if (windowOpen) return { contradicts: false };
  const read = PORT_REASON[word];
  if (!read) return { contradicts: false };
  // A UDP port has no connection to accept or refuse: nmap's UDP words, whatever the file says.
  return { reason: protocol === 'udp' ? (UDP_REASON[read] ?? read) : read, contradicts: false };
}

const HOST_REASON: Record<string, HostReason> = {
  'localhost-response': 'localhost',
  localhost: 'localhost',
  'syn-ack': 'syn-ack',
  'conn-refused': 'conn-refused',
  reset: 'conn-refused',
  'arp-response': 'nmap-neighbour',
  'nd-response': 'nmap-neighbour',
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

/** Ports of one protocol (0-65535): an `<extraports count>` above it is no count. */
const MAX_PORTS_PER_PROTOCOL = 65_536;

/** Addresses a file may say were scanned: IPv4's whole space (2^32). */
const MAX_ADDRESSES_SCANNED = 2 ** 32;

/** Notes kept from a file: our own exports write a few short ones. */
const MAX_FILE_NOTES = 32;

/**
 * A note of a file, labelled as the file's words (issue 13 attacker review F4) and quoted as
 * outside words (issue 15, fileNoteText).
 */
function fileNote(note: LocalizedText): LocalizedText {
  return {
    fr: fileNoteText('fr', 'nmapNote', note.fr),
    en: fileNoteText('en', 'nmapNote', note.en),
  };
}

/**
 * The notes this reader writes of its own, French and English (see `notes` in the reader). `\s`
 * before a French colon: a no-break space since the catalogue's typography rule, a plain one in
 * scans kept before it.
 */
const READER_NOTES: readonly (readonly [RegExp, RegExp])[] = [
  [
    /^Analyse nmap interrompue\s: seuls les hôtes complets du fichier sont repris$/,
    /^nmap scan interrupted: only the file’s complete hosts are imported$/,
  ],
  [
    /^Fichier nmap\s: [\d\s\u202f]+ hôtes? sans adresse IP valide ignorés?$/,
    /^nmap file: [\d,]+ hosts? without a valid IP address ignored$/,
  ],
  [/^nmap\s: [\d\s\u202f]+ ports? SCTP\/IP ignorés?$/, /^nmap: [\d,]+ SCTP\/IP ports? ignored$/],
  [
    /^Fichier nmap\s: [\d\s\u202f]+ ports? ignorés?\s: (son|leur) numéro ou (son|leur) état n’est pas écrit comme nmap l’écrit \(par exemple portid="0x50"\)$/,
    /^nmap file: [\d,]+ ports? ignored: (its|their) number or state is not one nmap writes \(such as portid="0x50"\)$/,
  ],
  [
    /^Fichier nmap\s: [\d\s\u202f]+ adresses? qu(i n’est pas un appareil ignorée|i ne sont pas des appareils ignorées) \(0\.0\.0\.0, ::, diffusion, multidiffusion\)$/,
    /^nmap file: [\d,]+ address(es that are no devices| that is no device) ignored \(0\.0\.0\.0, ::, broadcast, multicast\)$/,
  ],
  [
    /^Fichier nmap\s: [\d\s\u202f]+ nombres? de ports invraisemblables? ignorés? \(plus de 65\u202f536\)$/,
    /^nmap file: [\d,]+ implausible port counts? ignored \(over 65,536\)$/,
  ],
  [
    /^Fichier nmap\s: [\d\s\u202f]+ hôtes? notés? en IPv6 ::ffff:a\.b\.c\.d fusionnés? avec (son|leur) adresse IPv4$/,
    /^nmap file: [\d,]+ hosts? written as IPv6 ::ffff:a\.b\.c\.d merged with (its IPv4 address|their IPv4 addresses)$/,
  ],
  [
    /^Fichier nmap\s: [\d\s\u202f]+ ports? avai(t|ent) une raison qui contredit (son|leur) état \(par exemple ouvert avec «\sreset\s»\)\s; elles? (a|ont) été écartées?$/,
    /^nmap file: [\d,]+ ports? had a reason that contradicts (its|their) state \(such as open with “reset”\); the reason was left out$/,
  ],
  [
    /^Fichier nmap\s: [\d\s\u202f]+ entrées? d’une liste de ports n’étai(t|ent) (un|des) numéros? de port et (a|ont) été écartées?$/,
    /^nmap file: [\d,]+ (entry|entries) of a ports list (was|were) not (a port number|port numbers) and (was|were) left out$/,
  ],
  [
    /^Fichier nmap\s: [\d\s\u202f]+ ports? listés? deux fois dans un même hôte avec des états différents\s; (pour chacun, )?l’état le plus important a été gardé \(ouvert d’abord\)$/,
    /^nmap file: [\d,]+ ports? listed twice in one host with different states; (for each, )?the state that matters most was kept \(open first\)$/,
  ],
  [
    /^Fichier nmap\s: nombre d’adresses analysées invraisemblable ignoré \(plus de 2\^32\)$/,
    /^nmap file: implausible number of addresses scanned ignored \(over 2\^32\)$/,
  ],
];

/**
 * The notes of a kept nmap import as read back from the store: the ones this reader writes stay as
 * they are, any other is shown as the file's ("Note du fichier nmap : …"), so an edited store
 * cannot make a file's words (or a forged note) read as the app's own (issue 13 attacker review F5).
 */
export function keptImportNotes(notes: readonly LocalizedText[]): LocalizedText[] {
  return notes.map((note) =>
    READER_NOTES.some(([fr, en]) => fr.test(note.fr) && en.test(note.en)) ? note : fileNote(note),
  );
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
      // The file's words, not the app's: what it says was checked, no one checked here (F4).
      return [...localized, ...legacy].slice(0, MAX_FILE_NOTES).map(fileNote);
    }
    return [];
  }
  return undefined;
}

/**
 * nmap's options that take their value as the next word (nmap(1), "OPTIONS SUMMARY", 7.9x): that
 * word is not a target (`--max-hostgroup 1`, `-oX out.xml`). `--opt=value` and `-p22` are one word.
 */
const VALUE_OPTIONS = new Set([
  // Target specification, host discovery, ports.
  '-iL',
  '-iR',
  '--exclude',
  '--excludefile',
  '--dns-servers',
  '-p',
  '--exclude-ports',
  '--top-ports',
  '--port-ratio',
  // Scan techniques with an argument, service and script scans.
  '-sI',
  '-b',
  '--scanflags',
  '--version-intensity',
  '--script',
  '--script-args',
  '--script-args-file',
  '--script-help',
  // Timing and performance.
  '--min-hostgroup',
  '--max-hostgroup',
  '--min-parallelism',
  '--max-parallelism',
  '--min-rtt-timeout',
  '--max-rtt-timeout',
  '--initial-rtt-timeout',
  '--max-retries',
  '--host-timeout',
  '--scan-delay',
  '--max-scan-delay',
  '--min-rate',
  '--max-rate',
  // Firewall/IDS evasion and spoofing.
  '--mtu',
  '-D',
  '-S',
  '-e',
  '-g',
  '--source-port',
  '--proxies',
  '--data',
  '--data-string',
  '--data-length',
  '--ip-options',
  '--ttl',
  '--spoof-mac',
  // Output and misc.
  '-oN',
  '-oX',
  '-oS',
  '-oG',
  '-oA',
  '-oM',
  '--stylesheet',
  '--stats-every',
  '--resume',
  '--datadir',
  '--servicedb',
  '--versiondb',
]);

/** A host name by RFC 1123 §2.1 / RFC 952: dot-separated labels of letters, digits and inner hyphens, 1–63 each, 253 in all. */
const HOST_NAME =
  /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
/** An nmap IPv4 octet-range target (nmap(1) "TARGET SPECIFICATION": `192.168.0-255.1-254`, `10.0.0.*`, `10.1,2.0.1`). */
const OCTET = '(?:\\*|\\d{0,3}-?\\d{0,3}(?:,\\d{0,3}-?\\d{0,3})*)';
const OCTET_RANGE = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/**
 * Whether a word of an nmap command line is a target nmap would take (nmap(1) "TARGET
 * SPECIFICATION"): an IP literal (a zone allowed), a CIDR network (an address or a host name
 * before `/bits`), an IPv4 octet range, or a host name by RFC 1123 syntax. Anything else (prose a
 * file put in its `args`, punctuation, accented words) is not one. Pure.
 */
export function isNmapTarget(word: string): boolean {
  const slash = word.indexOf('/');
  const base = slash < 0 ? word : word.slice(0, slash);
  if (slash >= 0 && !/^\d{1,3}$/.test(word.slice(slash + 1))) return false;
  if (base === '') return false;
  if (slash < 0 && parseIp(splitZone(word).address)) return true;
  if (slash >= 0 && parseIp(base)) return canonicalNetwork(word) !== null;
  if (/^[0-9.*,-]+$/.test(base)) {
    const numbers = base.match(/\d+/g) ?? [];
    return slash < 0 && OCTET_RANGE.test(base) && numbers.every((n) => Number(n) <= 255);
  }
  return HOST_NAME.test(base);
}

/**
 * The targets of an nmap command line: what is left once options and their values are removed,
 * and only the words that are targets (isNmapTarget): a file's `args` cannot make a sentence a
 * "target".
 */
export function targetsFromArgs(args: string): string[] {
  const tokens = args.split(/\s+/).filter(Boolean).slice(1);
  const targets: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.startsWith('-')) {
      if (VALUE_OPTIONS.has(token)) i++;
      continue;
    }
    if (isNmapTarget(token)) targets.push(token);
  }
  return targets;
}

/**
 * The ports per address an nmap command line asks for (nmap(1) "PORT SPECIFICATION AND SCAN
 * ORDER"): `-p SPEC` / `-pSPEC` counted as this app parses a spec (`-p-` is 65,535; `T:`/`U:`
 * lists add up), `--top-ports N`, `-F` (100); undefined when it says none or a spec this app
 * cannot count (service names, `[1-1024]`): the caller then counts the hosts' ports. Pure.
 */
export function portsFromArgs(args: string): number | undefined {
  const tokens = args.split(/\s+/).filter(Boolean).slice(1);
  let found: number | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const spec = token === '-p' ? tokens[++i] : token.startsWith('-p') ? token.slice(2) : undefined;
    if (spec !== undefined) {
      try {
        const { tcp, udp } = parsePortSpec(spec);
        found = tcp.length + udp.length;
      } catch {
        return undefined;
      }
    } else if (token === '--top-ports') {
      const n = Number(tokens[++i]);
      found = Number.isInteger(n) && n > 0 ? Math.min(n, 65_535) : undefined;
    } else if (token === '-F') {
      found ??= 100;
    }
  }
  return found;
}

/** Whether `address` (an IP literal, no zone) is a loopback address (127.0.0.0/8, ::1). */
export function isLoopback(address: string): boolean {
  try {
    return ipaddr.parse(address).range() === 'loopback';
  } catch {
    return false;
  }
}

/**
 * Whether `address` (an IP literal, zone or not) of an imported file (nmap XML or a JSON report) is
 * this PC: one of this PC's `localAddresses` now; a loopback address only when `ranHere`, the file
 * proving it was made on this PC (ranOnThisPc, madeOnThisPc in json-import.ts). nmap scanning
 * 127.0.0.0/8 or ::1 scans the loopback of the machine that ran it (RFC 1122 §3.2.1.3: a loopback
 * packet never leaves its host), which need not be this PC: a file from another machine's
 * loopback must not be folded into "This PC" nor offered a firewall rule on this PC.
 */
export function isThisPcInFile(
  address: string,
  localAddresses: ReadonlySet<string> | undefined,
  ranHere = false,
): boolean {
  const bare = splitZone(address).address;
  if (isLoopback(bare)) return ranHere;
  return localAddresses?.has(bare) ?? false;
}

/**
 * Whether an nmap file's run was on this PC: one of the addresses nmap said were itself
 * (`source.selfAddresses`, its `localhost-response` hosts other than loopback) is one of this PC's
 * `localAddresses` now. nmap answers `localhost-response` only for an address of the machine it
 * runs on (nmap's targets.cc: the host is "localhost" when the address is one of its own
 * interfaces'), so the machine that ran it has an address of this PC's: it is this PC, and the
 * file's loopback is this PC's (review 13c new user #2). A file naming no such address says
 * nothing either way: true. Any other source: false.
 */
export function ranOnThisPc(
  source: ScanSource | undefined,
  localAddresses: ReadonlySet<string> | undefined,
): boolean {
  if (source?.kind !== 'nmap' || !localAddresses) return false;
  const self = source.selfAddresses ?? [];
  // A file naming no such address (nmap run on loopback only) cannot say where it ran: its
  // loopback is taken as this PC's, as a file made here is (the common case); one whose nmap
  // answered from another machine's address is that machine's.
  if (self.length === 0) return true;
  return self.some((a) => localAddresses.has(splitZone(a).address));
}

/**
 * `host` of a file proven made on this PC (ranOnThisPc): a loopback address is this PC's
 * (isLocal, `localhost` when up); any other host is returned as it is.
 */
export function asRanHere(host: HostResult): HostResult {
  if (host.isLocal || !isLoopback(splitZone(host.address).address)) return host;
  const reason = fileHostReason(host.address, true, host.status, host.reason);
  return { ...host, isLocal: true, reason };
}

/** The source of an nmap file's scan. */
type NmapSource = Extract<ScanSource, { kind: 'nmap' }>;

/** Up to this many of a file's `localhost-response` addresses are kept (ScanSource selfAddresses). */
const MAX_SELF_ADDRESSES = 16;

/**
 * An imported host's reason for being up, worded from this PC's point of view: this PC is this
 * PC however the file's scanner saw it (`localhost`); the file's scanner answering for itself, or
 * any up loopback address in the file (its own loopback), is `scanner`, "the PC that ran nmap".
 */
export function fileHostReason(
  address: string,
  isLocal: boolean,
  status: HostResult['status'],
  fileReason: HostReason,
): HostReason {
  if (isLocal && status === 'up') return 'localhost';
  if (status === 'up' && isLoopback(splitZone(address).address)) return 'scanner';
  return fileReason === 'localhost' ? 'scanner' : fileReason;
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
  // One line each (a product's line feed would start a row of its own in a report, F12).
  return {
    ...(name ? { service: oneLine(name, 64) } : {}),
    ...(product ? { product: oneLine(product, 128) } : {}),
    ...(version ? { version: oneLine(version, 128) } : {}),
    ...(extra ? { extraInfo: oneLine(extra, 256) } : {}),
  };
}

/**
 * nmap's reason and TTL as the file wrote them (`reason="reset" reason_ttl="64"`), kept so our
 * nmap XML export writes them back (review N5): a word in nmap's form (lowercase letters and
 * hyphens, at most 32) and a TTL of 0-255 in nmap's digits (0 when absent or not one). Undefined
 * when there is no such word, when the app corrected it (`consistent` false: TCP's `syn-ack` on a
 * UDP port, or a reason that contradicts the state, so an export does not bring the mistake back),
 * or when it is what the export writes for `reason` anyway (its nmap word, or `unknown-response`
 * for none, TTL 0): our own export of an engine scan reads back as the identical scan.
 */
function fileReason(
  word: string,
  ttl: number | undefined,
  reason: PortReason | undefined,
  consistent: boolean,
): PortResult['nmapReason'] {
  if (!consistent || !/^[a-z][a-z-]{0,31}$/.test(word)) return undefined;
  const read = { reason: word, ttl: ttl !== undefined && ttl <= 255 ? ttl : 0 };
  const written = reason ? PORT_REASON_TO_NMAP[reason] : NMAP_NO_REASON;
  return read.ttl === 0 && word === written ? undefined : read;
}

/**
 * nmap's host reason and TTL as the file wrote them (`reason="echo-reply" reason_ttl="63"`), kept
 * so an nmap XML export writes them back (review 13 A6), as ports' are (fileReason). Undefined when
 * the word is not in nmap's form, or is what the export writes for `host`'s reason anyway (TTL 0).
 */
function hostFileReason(
  word: string,
  ttl: number | undefined,
  host: Pick<HostResult, 'reason' | 'family'>,
): HostResult['nmapReason'] {
  if (!/^[a-z][a-z-]{0,31}$/.test(word)) return undefined;
  const read = { reason: word, ttl: ttl !== undefined && ttl <= 255 ? ttl : 0 };
  return read.ttl === 0 && word === hostReasonToNmap(host) ? undefined : read;
}

/**
 * What reading one `<port>` needs from the rest of the file: whether its TCP scan is -sW
 * (portReasonOf), and where a reason left out for contradicting its state is counted.
 */
interface PortContext {
  windowScan: boolean;
  contradicted: number;
}

function parsePort(
  node: Node,
  context: PortContext = { windowScan: false, contradicted: 0 },
): PortResult | 'unsupported' | null {
  const protocol = str(node, 'protocol');
  const port = num(node, 'portid');
  if (protocol !== 'tcp' && protocol !== 'udp') return 'unsupported';
  if (port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) return null;
  const stateNode = asArray(node.state)[0];
  const fileState = str(stateNode, 'state') ?? '';
  const state = PORT_STATE[fileState];
  if (!state) return null;
  const word = str(stateNode, 'reason') ?? '';
  // The state is kept; a reason that contradicts it is not (no explanation is claimed: A7).
  const { reason, contradicts } = portReasonOf(protocol, fileState, word, context.windowScan);
  if (contradicts) context.contradicted++;
  const result: PortResult = { port, protocol, state, ...(reason ? { reason } : {}) };
  // Kept as read unless the import changed or dropped it (TCP's word on UDP, a contradiction).
  const corrected = contradicts || (reason !== undefined && reason !== PORT_REASON[word]);
  const nmapReason = fileReason(word, num(stateNode, 'reason_ttl'), reason, !corrected);
  if (nmapReason) result.nmapReason = nmapReason;
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

/** The ranges of one `<extrareasons ports=…>` list, in one state (PortStateTable.setRangeLists). */
type NamedRanges = { state: PortState; ranges: readonly number[] };

/**
 * Reads the ports an `<extraports>` element names (`<extrareasons proto="tcp" ports="1-21,23"/>`,
 * nmap 7.x) into `named` (per protocol, set on the host's table at once after all of its
 * `<extraports>`: review A4). Each item of a list is read as strictly as `portid` (readPortList:
 * `024` or `300-250` is not nmap's): those are left out and counted in `refused` (entries, not
 * ports: nothing says how many ports `x` or `300-250` meant), the list's valid ports kept with
 * their state (review N6); a list naming more than 65,536 ports is counted in `tooMany`.
 * Returns whether the lists account for the element's ports: all `count` of them, or, when an
 * entry was left out, no more than `count` (the ports the refused entries stood for are not
 * known; the host's counts are then the lists'). Older nmap files only count them, and a list
 * of a protocol we do not keep does not account for them.
 */
function readExtraReasons(
  extra: Node,
  state: PortState,
  count: number,
  named: Record<'tcp' | 'udp', NamedRanges[]>,
  problems: { refused: number; tooMany: number },
): boolean {
  let total = 0;
  let whole = true;
  let leftOut = false;
  for (const reasons of asArray(extra.extrareasons)) {
    const list = str(reasons, 'ports');
    const protocol = str(reasons, 'proto');
    if (list === undefined || (protocol !== 'tcp' && protocol !== 'udp')) {
      whole = false;
      continue;
    }
    // Range by range (nmap -p- writes `1-22,24-65535` for each host: review 13, F3).
    const { ranges, refused, tooMany } = readPortList(list);
    problems.refused += refused;
    if (tooMany) problems.tooMany++;
    if (tooMany) whole = false;
    if (refused > 0) leftOut = true;
    named[protocol].push({ state, ranges });
    total += rangesLength(ranges);
  }
  return whole && (leftOut ? total <= count : total === count);
}

/** Ports a HostMerge may gather before its hosts are written out (bounds a sink's memory). */
const MERGE_PORTS = 262_144;

/** States from the one that matters least to an audit to the one that matters most. */
const LEAST_WEIGHT_FIRST: readonly PortState[] = (Object.keys(STATE_WEIGHT) as PortState[]).sort(
  (x, y) => STATE_WEIGHT[x] - STATE_WEIGHT[y],
);

/**
 * One host from several `<host>` elements of the same address (the address given twice on nmap's
 * command line, or runs appended), gathered as they are read and made one host once (`result`):
 * each element costs its own ports, never the ports gathered so far (review 13 ATK3: re-merging
 * and re-sorting the whole host per element was quadratic, 8,000 elements > 3 minutes).
 * Up if any saw it up (status, reason and nmap's reason from the first that did); other fields
 * from the first element that has them; each port once, in the state that matters most to an
 * audit (open, open|filtered, filtered, then closed: STATE_WEIGHT; the first on a tie).
 * Unlisted ports: from the elements' `portStates` when every element named all of its ports, else
 * the larger count per state (nothing says which ports they were), lowered so that listed and
 * unlisted ports together are no more than the most ports one element accounts for (review 13
 * N2: a port listed in one element was among the other's unlisted ones); `disagreed` says so.
 */
class HostMerge {
  private fields: HostResult;
  private up: HostResult | undefined;
  private readonly ports = new Map<number, PortResult>();
  private readonly hidden = emptyPortStateCounts();
  /** The most ports (listed and unlisted) one element accounts for. */
  private mostPorts = 0;
  /** Every element's `portStates`, read together in `result`; undefined once one had none. */
  private lists: PortStates[] | undefined = [];
  /** Ports gathered (each element's listed ports, before merging). */
  portCount = 0;

  constructor(first: HostResult) {
    this.fields = first;
    this.add(first);
  }

  add(host: HostResult): void {
    // The first element's fields win; a later one's fill what it lacks (its ports excepted).
    if (host !== this.fields) this.fields = { ...host, ...this.fields };
    if (!this.up && host.status === 'up') this.up = host;
    for (const port of host.ports) {
      const key = port.protocol === 'tcp' ? port.port : port.port + 65_536;
      const seen = this.ports.get(key);
      if (!seen || STATE_WEIGHT[port.state] > STATE_WEIGHT[seen.state]) this.ports.set(key, port);
    }
    let total = host.ports.length;
    for (const state of LEAST_WEIGHT_FIRST) {
      const n = hiddenCount(host.hidden, state);
      this.hidden[state] = Math.max(this.hidden[state], n);
      total += n;
    }
    this.mostPorts = Math.max(this.mostPorts, total);
    if (this.lists && host.portStates) this.lists.push(host.portStates);
    else this.lists = undefined;
    this.portCount += host.ports.length;
  }

  /** The merged host, its ports sorted by number then protocol. Pure with respect to `this`. */
  result(): { host: HostResult; disagreed: boolean } {
    const up = this.up ?? this.fields;
    const ports = [...this.ports.values()].sort(
      (x, y) => x.port - y.port || x.protocol.localeCompare(y.protocol),
    );
    const merged: HostResult = { ...this.fields, status: up.status, reason: up.reason, ports };
    delete merged.nmapReason;
    if (up.nmapReason) merged.nmapReason = up.nmapReason;
    delete merged.portStates;
    if (this.lists) {
      // All elements' lists at once (a port several name takes the state that matters most), then
      // the listed ports over them: one pass, however many elements.
      const states = new PortStateTable();
      for (const protocol of ['tcp', 'udp'] as const) {
        const named: NamedRanges[] = [];
        for (const portStates of this.lists) {
          for (const state of LEAST_WEIGHT_FIRST) {
            const list = portStates[protocol]?.[state];
            const ranges = list ? parsePortList(list) : null;
            if (ranges && ranges.length > 0) named.push({ state, ranges });
          }
        }
        if (named.length > 0) states.setRangeLists(protocol, named);
      }
      for (const port of ports) states.set(port.protocol, port.port, port.state);
      const lists = states.lists();
      if (lists) {
        merged.portStates = lists;
        merged.hidden = unlistedCounts(lists, ports);
        return { host: merged, disagreed: false };
      }
    }
    const hidden = { ...this.hidden };
    let excess =
      LEAST_WEIGHT_FIRST.reduce((n, state) => n + hidden[state], 0) -
      Math.max(0, this.mostPorts - ports.length);
    const disagreed = excess > 0;
    // Lowered where it matters least first: a closed port counted twice hides no open one.
    for (const state of LEAST_WEIGHT_FIRST) {
      const less = Math.min(excess, hidden[state]);
      hidden[state] -= less;
      excess -= less;
    }
    merged.hidden = hiddenOfCounts(hidden);
    return { host: merged, disagreed };
  }
}

/**
 * Where the file's scan came from: the nmap run our own export recorded (`source` in its
 * port-auditor metadata, when it is an nmap run), else the run the file describes (`<nmaprun args
 * version>`, `<scaninfo>`s) — also for our export of an engine scan: a file is a file here.
 */
function scanSource(
  run: Node,
  scanInfos: Node[],
  meta: Map<string, string>,
  fileName: string | undefined,
): NmapSource | undefined {
  const recorded = meta.get('source');
  if (recorded !== undefined) {
    try {
      const parsed = ScanSource.safeParse(JSON.parse(recorded));
      // An nmap run the file recorded, yes; "this app's engine" is for this app's own runs to
      // say, never a file (F4: the PDF would describe TCP connects this PC never made).
      if (parsed.success && parsed.data.kind === 'nmap') {
        // Where nmap ran is for the file's hosts to say (ScanBuilder.finish), not a recorded list.
        const { selfAddresses: _claimed, ...run } = parsed.data;
        return shownNmapSource(run);
      }
    } catch {
      // Not JSON: read as any nmap file.
    }
  }
  const version = str(run, 'version');
  return shownNmapSource({
    kind: 'nmap',
    ...(fileName ? { fileName } : {}),
    args: str(run, 'args') ?? '',
    ...(version ? { version } : {}),
    scanTypes: scanInfos.slice(0, 16).map((info) => ({
      type: (str(info, 'type') ?? '').slice(0, 32),
      protocol: (str(info, 'protocol') ?? '').slice(0, 16),
    })),
  });
}

/**
 * An nmap source as the app keeps it: the file's name, its command line (`args`), nmap's version
 * and scan types are the file's words, neutralised once here (oneLine: no line feed, control,
 * bidi or invisible character) and capped by code points (255, 4,096, 64, 32/16), whether they
 * come from `<nmaprun>` or from a source our own export recorded. Pure.
 */
function shownNmapSource(
  source: Extract<ScanSource, { kind: 'nmap' }>,
): Extract<ScanSource, { kind: 'nmap' }> {
  return {
    ...source,
    ...(source.fileName ? { fileName: oneLine(source.fileName, 255) } : {}),
    args: oneLine(source.args, 4096),
    ...(source.version ? { version: oneLine(source.version, 64) } : {}),
    scanTypes: source.scanTypes.map((s) => ({
      type: oneLine(s.type, 32),
      protocol: oneLine(s.protocol, 16),
    })),
  };
}

/** Refuses a file whose result the contract does not accept, naming the field (`hosts.3.ports`). */
function refuse(issue: z.core.$ZodIssue | undefined, prefix: (string | number)[] = []): never {
  const field = [...prefix, ...(issue?.path ?? [])].join('.');
  notNmap(sentence('report:notNmapBecause.field', { field }));
}

/** The hosts of a run as they are read, one `<host>` at a time, then the ScanResult. */
class ScanBuilder {
  private readonly macAddresses: Record<string, string> = {};
  /** Set when no sink was given: the hosts, returned in the result. */
  private readonly list: HostResult[] | undefined;
  private readonly hosts: HostSink;
  private count = 0;
  /** The first addresses, space separated, as far as a request's targets can hold (10,000). */
  private addressText = '';
  private skipped = 0;
  private notAddresses = 0;
  /** Addresses that are no device (0.0.0.0, ::, broadcast, multicast): left out, counted. */
  private notDevices = 0;
  /** `<extraports count>` over 65,536 (one protocol's every port): not a count, left out. */
  private implausibleCounts = 0;
  /** `<port>` elements whose number or state nmap would not have written (`portid="0x50"`). */
  private unreadablePorts = 0;
  /** Entries of `<extrareasons ports=…>` lists that were no port numbers (`x`, `024`, `300-250`). */
  private listEntriesLeftOut = 0;
  /** Ports whose reason contradicted their state (parsePort): state kept, reason left out. */
  private contradictedReasons = 0;
  /** Ports a host listed twice in different states (one kept: addHost). */
  private duplicatePorts = 0;
  /** The most ports one host lists or counts: the ports per address of a file without `<scaninfo>`. */
  private mostPorts = 0;
  /** The file's addresses other than loopback nmap said were itself (ScanSource selfAddresses). */
  private readonly selfAddresses: string[] = [];
  // The same address in several <host> elements is one host (its index in `hosts`).
  private readonly byAddress = new Map<string, number>();
  private duplicates = 0;
  /** Hosts of several `<host>` elements being gathered (HostMerge), by index in `hosts`. */
  private readonly merges = new Map<number, HostMerge>();
  /** Ports the `merges` hold. */
  private mergingPorts = 0;
  /** Indexes of merged hosts whose elements disagreed on their unlisted ports (HostMerge). */
  private readonly disagreeing = new Set<number>();
  /** Addresses first read from an IPv4-mapped IPv6 text (`::ffff:192.0.2.2`). */
  private readonly mappedFirst = new Set<string>();
  /** `<host>`s of an IPv4-mapped address merged with their IPv4 address's (a note says so). */
  private mappedMerged = 0;

  /** Reads one `<host>` element (as `element` builds it) into the run's hosts. */
  constructor(sink: HostSink | undefined) {
    if (sink) {
      this.hosts = sink;
    } else {
      const list: HostResult[] = [];
      this.list = list;
      this.hosts = {
        add: (host) => list.push(host),
        get: (index) => list[index] as HostResult,
        set: (index, host) => {
          list[index] = host;
        },
      };
    }
  }

  addHost(node: Node, localAddresses: ReadonlySet<string> | undefined): void {
    const addresses = asArray(node.address);
    const ip = addresses.find((a) => ['ipv4', 'ipv6'].includes(str(a, 'addrtype') ?? 'ipv4'));
    const text = str(ip, 'addr');
    const literal = hostAddress(text);
    if (!literal) {
      this.notAddresses++;
      return;
    }
    // No machine answers as "any address", the broadcast address or a multicast group (RFC 1122
    // §3.2.1.3, RFC 919, RFC 5771, RFC 4291 §2.5.2, §2.7): such a host of a file is no device.
    const kind = addressKind(literal.address);
    if (kind === 'unspecified' || kind === 'broadcast' || kind === 'multicast') {
      this.notDevices++;
      return;
    }
    // nmap writes no zone; one in a file names an interface of the PC that wrote it, not this
    // one's: the address alone (fe80::1%eth0 and fe80::1%25eth0 are one host).
    const { family } = literal;
    const address = splitZone(literal.address).address;
    const mac = str(
      addresses.find((a) => str(a, 'addrtype') === 'mac'),
      'addr',
    );
    const normalMac = mac ? (normaliseMac(mac)?.toUpperCase() ?? null) : null;
    if (mac) this.macAddresses[address] = normalMac ?? mac;
    const statusNode = asArray(node.status)[0];
    const state = str(statusNode, 'state');
    const status = state === 'up' ? 'up' : state === 'unknown' ? 'unknown' : 'down';
    const hostWord = str(statusNode, 'reason') ?? '';
    // A reason of nmap's with no word of ours (echo-reply…) is nmap's probe answered, never a
    // connection nobody saw (review 13 A6); the word itself is kept (nmapReason below).
    const fileReason = HOST_REASON[hostWord] ?? (status === 'up' ? 'nmap-probe' : 'no-response');
    const nameNode = asArray(node.hostnames).flatMap((h) => asArray(h.hostname))[0];
    const named = str(nameNode, 'name');
    // The file's word for how nmap found it (nmap.dtd: user | PTR), kept as the file's.
    const nameType = str(nameNode, 'type')?.toLowerCase();
    // A name without nmap's word for how it was found is still the file's, never ours (N6).
    const nameMethod = nameType === 'ptr' ? 'nmap-ptr' : nameType === 'user' ? 'nmap-user' : 'file';
    // A DNS name is at most 253 characters (RFC 1035 §2.3.4, RFC 1123 §2.1), on one line.
    const hostname = named && oneLine(named, MAX_HOSTNAME);
    const hidden = emptyPortStateCounts();
    const ports: PortResult[] = [];
    /** Index in `ports` by port (UDP ports after 65,536). */
    const seen = new Map<number, number>();
    const states = new PortStateTable();
    // Every port's state is known when each <extraports> names as many ports as it counts.
    let everyPortNamed = true;
    const listed: Record<'tcp' | 'udp', NamedRanges[]> = { tcp: [], udp: [] };
    const listProblems = { refused: 0, tooMany: 0 };
    for (const portsNode of asArray(node.ports)) {
      for (const extra of asArray(portsNode.extraports)) {
        const state = PORT_STATE[str(extra, 'state') ?? ''];
        let count = num(extra, 'count') ?? 0;
        // One protocol has 65,536 ports: more is no count (and no port list can name them).
        if (count > MAX_PORTS_PER_PROTOCOL) {
          this.implausibleCounts++;
          count = 0;
        }
        if (state && Number.isInteger(count) && count > 0) hidden[state] += count;
        if (state) {
          const whole = readExtraReasons(extra, state, count, listed, listProblems);
          everyPortNamed &&= whole;
        }
      }
      for (const protocol of ['tcp', 'udp'] as const) {
        if (listed[protocol].length > 0) states.setRangeLists(protocol, listed[protocol]);
        listed[protocol] = [];
      }
      // Read as each `</port>` closed (NmapXmlReader.close): its element is not kept.
      const read = portsNode[READ_PORTS] as ReturnType<typeof parsePort>[] | undefined;
      for (const port of read ?? asArray(portsNode.port).map((p) => parsePort(p))) {
        if (port === 'unsupported') this.skipped++;
        else if (port === null) this.unreadablePorts++;
        else {
          // nmap lists a port once per host. Given twice, it is one port: in the state that
          // matters most to an audit (STATE_WEIGHT, as two <host>s are merged), never silently
          // the last one; two different states are said in a note.
          const key = port.protocol === 'tcp' ? port.port : port.port + 65_536;
          const at = seen.get(key);
          if (at !== undefined) {
            const earlier = ports[at]!;
            if (earlier.state !== port.state) this.duplicatePorts++;
            if (STATE_WEIGHT[port.state] <= STATE_WEIGHT[earlier.state]) continue;
            ports[at] = port;
          } else {
            seen.set(key, ports.length);
            ports.push(port);
          }
          states.set(port.protocol, port.port, port.state);
        }
      }
    }
    this.listEntriesLeftOut += listProblems.refused;
    this.implausibleCounts += listProblems.tooMany;
    this.contradictedReasons += (node[CONTRADICTED] as number | undefined) ?? 0;
    const hostMeta = paElems(asArray(node.hostscript).flatMap((s) => asArray(s.script)));
    // Whether it is this PC is for this PC to say, never the file (written on another PC, or
    // edited to make a device look like this one).
    const isLocal = isThisPcInFile(address, localAddresses);
    const reason = fileHostReason(address, isLocal, status, fileReason);
    // nmap's word that this address is itself: evidence of where it ran, weighed in `finish`
    // (the hosts are already written by then, see ranOnThisPc and importRows).
    if (
      status === 'up' &&
      fileReason === 'localhost' &&
      !isLoopback(address) &&
      this.selfAddresses.length < MAX_SELF_ADDRESSES &&
      !this.selfAddresses.includes(address)
    )
      this.selfAddresses.push(address);
    const hostTtl = num(statusNode, 'reason_ttl');
    const nmapReason = hostFileReason(hostWord, hostTtl, { reason, family });
    let host: HostResult = {
      address,
      family,
      isLocal,
      status,
      reason,
      ...(nmapReason ? { nmapReason } : {}),
      ports,
      hidden: hiddenOfCounts(hidden),
    };
    const portStates = everyPortNamed ? states.lists() : undefined;
    if (portStates) {
      host.portStates = portStates;
      // A port both listed and named as unlisted (not nmap's doing) is counted once.
      host.hidden = unlistedCounts(portStates, ports);
    }
    const code = hostMeta.get('localError');
    // An errno-style name (EACCES, ENETUNREACH), nothing longer.
    const localError = code && /^[A-Z][A-Z0-9_]{0,31}$/.test(code) ? code : undefined;
    if (localError) host.localError = { code: localError, message: fileLocalErrorText(localError) };
    const everyOpen = Number(hostMeta.get('answersEveryPortOpen'));
    const everyProbed = Number(hostMeta.get('answersEveryPortProbed'));
    // More ports open than probed is not a count (F4: "5 of the 1 probed ports").
    const counts = Number.isInteger(everyOpen) && Number.isInteger(everyProbed);
    if (counts && everyProbed > 0 && everyOpen >= 0 && everyOpen <= everyProbed)
      host.answersEveryPort = { open: everyOpen, probed: everyProbed };
    if (hostname) host.hostname = hostname;
    if (hostname && nameMethod) host.hostnameMethod = nameMethod;
    // nmap saw it the way our engine does, in the neighbour table: part of the scan from now on.
    if (normalMac) host.mac = normalMac.toLowerCase();
    // nmap -p- against a tarpit or portspoof lists every port open: one verdict, as the engine's.
    host = withEveryPortVerdict(host);
    const { open, closed, filtered } = host.hidden;
    const silent = hiddenCount(host.hidden, 'open|filtered');
    this.mostPorts = Math.max(
      this.mostPorts,
      host.ports.length + open + closed + filtered + silent,
    );
    const earlier = this.byAddress.get(address);
    // Checked against the contract host by host, its checked copy kept, so the original goes at
    // once: checking the whole result at the end would hold two copies of every host. Its ports
    // are checked one by one and kept as they are (the contract transforms none of their fields):
    // a copy of 65,535 ports' would be held beside them (review 13c attacker B2).
    const at = earlier ?? this.count;
    const checked = HostResultSchema.safeParse({ ...host, ports: [] });
    if (!checked.success) refuse(checked.error.issues[0], ['hosts', at]);
    host.ports.forEach((port, i) => {
      const fits = PortResultSchema.safeParse(port);
      if (!fits.success) refuse(fits.error.issues[0], ['hosts', at, 'ports', i]);
    });
    host = { ...checked.data, ports: host.ports };
    // ::ffff:a.b.c.d is IPv4 a.b.c.d (RFC 4291 §2.5.5.2): hostAddress writes it so, and a host
    // given both ways is one, merged below; said in a note, as the file lists them apart.
    const mapped = family === 'ipv4' && text !== undefined && text.includes(':');
    if (earlier === undefined) {
      if (mapped) this.mappedFirst.add(address);
      this.byAddress.set(address, this.count++);
      this.hosts.add(host);
      if (this.addressText.length <= 10_000)
        this.addressText += `${this.addressText ? ' ' : ''}${address}`;
    } else {
      let merge = this.merges.get(earlier);
      if (!merge) {
        merge = new HostMerge(this.hosts.get(earlier));
        this.merges.set(earlier, merge);
        this.mergingPorts += merge.portCount;
      }
      merge.add(host);
      this.mergingPorts += host.ports.length;
      // Written out now and then, so a sink's memory stays bounded (a later element of one of
      // them starts a new HostMerge from the host written).
      if (this.mergingPorts > MERGE_PORTS) this.writeMerges();
      this.duplicates++;
      if (mapped || this.mappedFirst.has(address)) this.mappedMerged++;
    }
  }

  /** Writes the hosts being merged to `hosts`, each made one once (HostMerge.result). */
  private writeMerges(): void {
    for (const [index, merge] of this.merges) {
      const { host, disagreed } = merge.result();
      this.hosts.set(index, host);
      if (disagreed) this.disagreeing.add(index);
    }
    this.merges.clear();
    this.mergingPorts = 0;
  }

  /** The ScanResult of the run (`<nmaprun>` with its own children, hosts already added). */
  finish(
    run: Node,
    options: {
      now?: Date;
      fileName?: string;
      interrupted: boolean;
      localAddresses?: ReadonlySet<string>;
    },
  ): NmapImport {
    this.writeMerges();
    const {
      count,
      skipped,
      notAddresses,
      notDevices,
      implausibleCounts,
      unreadablePorts,
      listEntriesLeftOut,
      contradictedReasons,
      duplicatePorts,
      duplicates,
      mappedMerged,
      macAddresses,
      mostPorts,
    } = this;
    const { interrupted } = options;
    const preScripts = asArray(run.prescript).flatMap((p) => asArray(p.script));
    const meta = paElems(preScripts);
    const args = str(run, 'args') ?? '';
    const scanInfos = asArray(run.scaninfo);
    const finished = asArray(asArray(run.runstats)[0]?.finished)[0];
    const totals = asArray(asArray(run.runstats)[0]?.hosts)[0];
    const startEpoch = epoch(run, 'start');
    const endEpoch = epoch(finished, 'time');
    const now = options.now ?? new Date();
    const iso = (seconds: number | undefined) =>
      seconds !== undefined ? new Date(seconds * 1000).toISOString() : now.toISOString();
    const servicesSpec = scanInfos
      .map((s) => {
        const services = str(s, 'services') ?? '';
        // One TCP <scaninfo> lists plain ports; a UDP one needs nmap's U: (an -sU file).
        if (scanInfos.length === 1 && str(s, 'protocol') !== 'udp') return services;
        return `${str(s, 'protocol') === 'udp' ? 'U' : 'T'}:${services}`;
      })
      .join(',');
    // Without <scaninfo> (a hand-made or filtered file), the ports its command line asks for
    // (review 13c new user #7: not the largest host's count, which a file may overstate), else
    // the ports its hosts name, not 0 (A6).
    const portCount =
      scanInfos.reduce((n, s) => n + (num(s, 'numservices') ?? 0), 0) ||
      portsFromArgs(args) ||
      mostPorts;
    const argTargets = targetsFromArgs(args).join(' ');
    const fallbackTargets = argTargets || this.addressText || '-';
    const notes = paNotes(preScripts) ?? [];
    if (interrupted) {
      notes.push(bothLanguages('messages:import.nmapInterrupted'));
    }
    if (notAddresses > 0) {
      notes.push(bothLanguages('messages:import.nmapNoAddress', { count: notAddresses }));
    }
    if (notDevices > 0) {
      notes.push(bothLanguages('messages:import.nmapNotDevices', { count: notDevices }));
    }
    if (mappedMerged > 0) {
      notes.push(bothLanguages('messages:import.nmapMappedMerged', { count: mappedMerged }));
    }
    if (implausibleCounts > 0) {
      notes.push(
        bothLanguages('messages:import.nmapImplausibleCounts', {
          count: implausibleCounts,
          max: 65_536,
        }),
      );
    }
    if (unreadablePorts > 0) {
      notes.push(bothLanguages('messages:import.nmapUnreadablePorts', { count: unreadablePorts }));
    }
    if (listEntriesLeftOut > 0) {
      notes.push(bothLanguages('messages:import.nmapListEntries', { count: listEntriesLeftOut }));
    }
    if (duplicatePorts > 0) {
      notes.push(bothLanguages('messages:import.nmapDuplicatePorts', { count: duplicatePorts }));
    }
    if (this.disagreeing.size > 0) {
      notes.push(
        bothLanguages('messages:import.nmapMergedHidden', { count: this.disagreeing.size }),
      );
    }
    if (contradictedReasons > 0) {
      notes.push(
        bothLanguages('messages:import.nmapContradictoryReasons', { count: contradictedReasons }),
      );
    }
    if (skipped > 0 && !meta.has('scanId')) {
      notes.push(bothLanguages('messages:import.nmapSkipped', { count: skipped }));
    }
    const bool = (key: string, fallback: boolean) =>
      meta.has(key) ? meta.get(key) === 'true' : fallback;
    // Our own export's times, kept only when they are the ISO 8601 UTC times it writes.
    // A date that exists: Date.parse rolls 2026-02-31 over to 3 March, so it must read back the same.
    const time = (key: string) => {
      const text = meta.get(key);
      if (text === undefined || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(text))
        return undefined;
      const date = new Date(text);
      return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 19) === text.slice(0, 19)
        ? text
        : undefined;
    };
    const int = (key: string, fallback: number) => {
      const n = Number(meta.get(key));
      return meta.has(key) && Number.isInteger(n) && n >= 0 ? n : fallback;
    };
    const read = scanSource(run, scanInfos, meta, options.fileName);
    // Where nmap ran is what this file's hosts say (scanSource drops a recorded claim of it).
    const source =
      read && this.selfAddresses.length > 0 ? { ...read, selfAddresses: this.selfAddresses } : read;
    // Both times from one source, our export's or nmap's: one of each is no duration (A7).
    const metaStart = time('startedAt');
    const metaEnd = time('finishedAt');
    const ours = metaStart !== undefined && metaEnd !== undefined;
    const startedAt = ours ? metaStart : iso(startEpoch);
    const finishedAt = ours ? metaEnd : iso(endEpoch ?? startEpoch);
    // nmap's total counts an address given twice twice.
    const said = int('addresses', Math.max(count, (num(totals, 'total') ?? 0) - duplicates));
    // More than IPv4's 2^32 addresses is no scan nmap finishes: the hosts the file lists instead.
    const addresses = said <= MAX_ADDRESSES_SCANNED ? said : count;
    if (said > MAX_ADDRESSES_SCANNED) {
      notes.push(bothLanguages('messages:import.nmapImplausibleTotal'));
    }
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
      addresses,
      portCount: int('portCount', portCount),
      notes,
      startedAt,
      // A run that ends before it starts has no duration to show: none (0 s), not a negative one.
      finishedAt: Date.parse(finishedAt) < Date.parse(startedAt) ? startedAt : finishedAt,
      cancelled: interrupted || bool('cancelled', str(finished, 'exit') === 'error'),
    };
    // The hosts were checked one by one as they were read (addHost).
    const parsed = ScanResult.safeParse({ ...candidate, hosts: [] });
    if (!parsed.success) refuse(parsed.error.issues[0]);
    // Hosts held here were read before the file proved where nmap ran: its loopback is this PC
    // when it ran here (a sink's rows get the same from importRows and on reopen).
    const ranHere = ranOnThisPc(parsed.data.source, options.localAddresses);
    const hosts = ranHere ? (this.list ?? []).map(asRanHere) : (this.list ?? []);
    const scan: ScanResult = { ...parsed.data, hosts };
    return { scan, hostCount: count, macAddresses, startKnown: startEpoch !== undefined };
  }
}

/**
 * Text handed to sax at once, and bytes read from a file at once: under V8's large-object size, so
 * each piece is young garbage collected at once rather than kept in the large-object space until a
 * full collection (256 KiB pieces took 55 MB there on a 60 MB file).
 */
const TEXT_PIECE = 64 * 1024;
const READ_PIECE = 64 * 1024;

/**
 * The longest tag name, attribute value, comment or DOCTYPE the import reads, in characters: what
 * sax refuses past (its MAX_BUFFER_LENGTH; text and CDATA it hands over in pieces instead). Above
 * the longest value nmap writes — an `extrareasons ports=` list of a 65,535-port scan whose
 * states alternate (MAX_PORT_LIST, 400,000), a command line in `args=` and in the comment that
 * opens the file (Windows caps one at 32,767 characters) — and low enough for the import thread's
 * heap: sax grows a value one character at a time, some 20 to 32 bytes of heap each until it is
 * read, so an 8 MiB limit let a 7 MB attribute exhaust the thread's 128 MB and be refused as "too
 * big, split it per subnet", advice that cannot help (issue 13 rev13hostile F3). Past this, the
 * file is refused as booby-trapped (`report.nmap-hostile` `length`) as soon as sax reads one
 * character more, whatever the rest of the file.
 */
export const MAX_XML_VALUE = 1024 * 1024;
// (@types/sax 1.2 predates the setting's typing and sax 1.6's `strictEntities`.) Only this module
// uses sax in the app, so the module-wide setting is ours to choose.
const saxLimits = sax as unknown as { MAX_BUFFER_LENGTH: number };
saxLimits.MAX_BUFFER_LENGTH = MAX_XML_VALUE;

/**
 * Strict XML (well-formedness errors with their line), and only XML's five named entities: sax's
 * default would also decode HTML's (`&nbsp;`), which an XML file cannot use undeclared.
 */
const SAX_OPTIONS: sax.SAXOptions & { strictEntities: boolean } = {
  position: true,
  strictEntities: true,
};

const CHAR_REFERENCE = /&#(x[0-9a-fA-F]{1,8}|X[0-9a-fA-F]{1,8}|[0-9]{1,10});/g;

/** Whether `code` is a character XML allows (XML 1.0 §2.2, production Char). */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Thrown from sax's error handler to stop it mid-piece; never leaves this module. */
const STOP = Symbol('stop');

/**
 * sax's strict-mode messages (sax 1.x, lib/sax.js `strictFail` / `error` calls), by how they
 * begin, and what each means in the catalogue's words (report.json `xmlProblem`).
 */
const XML_PROBLEMS: readonly [RegExp, string][] = [
  [/^Non-whitespace before first tag/, 'notXml'],
  [/^Text data outside of root node/, 'afterEnd'],
  [/^(Unexpected end|Unclosed root tag)/, 'cutShort'],
  [/^(Unmatched closing tag|Unexpected close tag|Invalid tagname in closing tag)/, 'closingTag'],
  [
    /^(Attribute without value|Unquoted attribute value|Invalid attribute name|Attribute)/,
    'attribute',
  ],
  [/entity/i, 'entity'],
  [/tag/i, 'tag'],
];

/** The catalogue's words for a sax message: its English never reaches the user (review 15, #7). */
export function xmlProblem(message: string): Sentence {
  const kind = XML_PROBLEMS.find(([pattern]) => pattern.test(message))?.[1] ?? 'other';
  return sentence(`report:xmlProblem.${kind}`);
}

function invalidXml(line: number, column: number, msg: string): never {
  fail('report.nmap-invalid-xml', { line, column }, { text: { detail: xmlProblem(msg) } });
}

function interruptedBeforeFirstHost(): never {
  fail('report.nmap-interrupted-empty');
}

function tooManyHosts(hosts: number): never {
  fail('report.nmap-too-many-hosts', { hosts, limit: MAX_HOSTS });
}

function refuseEntities(): never {
  fail('report.nmap-hostile', undefined, { variant: 'entities' });
}

/**
 * One element the import reads (nmap.dtd's names): the attributes kept, its children kept, and how
 * many of one name a parent keeps (`max`, 64 unless said: nmap writes one `<state>` per port, a
 * few addresses or hostnames). `refuse`: more than `max` is refused rather than left out (a host
 * has at most 65,536 ports per protocol). `when`: kept only if its attributes say so (the scripts
 * read: `banner` and our own metadata; nmap -sC's other scripts can be megabytes).
 */
interface Kept {
  attrs: readonly string[];
  children?: Readonly<Record<string, Kept>>;
  max?: number;
  refuse?: boolean;
  when?: (attributes: Readonly<Record<string, string>>) => boolean;
}

const ELEM: Kept = { attrs: ['key'] };
/** Our own metadata script (PA_SCRIPT_ID): keys and values, notes as tables of fr/en elems. */
const PA_SCRIPT: Kept = {
  attrs: ['id'],
  when: (a) => a.id === PA_SCRIPT_ID,
  max: 4,
  children: {
    elem: ELEM,
    table: {
      attrs: ['key'],
      children: { elem: ELEM, table: { attrs: [], children: { elem: ELEM } } },
    },
  },
};

/**
 * What ScanBuilder reads, and nothing else: any other element's subtree is skipped as sax reads it,
 * without a node built (issue 13 review F2: a host with 5 million unknown children took 1.2 GB).
 */
const KEPT: Kept = {
  attrs: ['scanner', 'args', 'version', 'start'],
  children: {
    scaninfo: { attrs: ['type', 'protocol', 'services', 'numservices'], max: 16 },
    prescript: { attrs: [], max: 4, children: { script: PA_SCRIPT } },
    runstats: {
      attrs: [],
      max: 1,
      children: {
        finished: { attrs: ['time', 'exit'], max: 1 },
        hosts: { attrs: ['total'], max: 1 },
      },
    },
    host: {
      attrs: [],
      max: Number.POSITIVE_INFINITY,
      children: {
        address: { attrs: ['addr', 'addrtype'], max: 8 },
        status: { attrs: ['state', 'reason', 'reason_ttl'], max: 1 },
        hostnames: {
          attrs: [],
          max: 1,
          children: { hostname: { attrs: ['name', 'type'], max: 1 } },
        },
        ports: {
          attrs: [],
          max: 1,
          children: {
            extraports: {
              attrs: ['state', 'count'],
              max: 8,
              children: { extrareasons: { attrs: ['ports', 'proto'], max: 16 } },
            },
            port: {
              attrs: ['protocol', 'portid'],
              max: 2 * 65_536,
              refuse: true,
              children: {
                state: { attrs: ['state', 'reason', 'reason_ttl'], max: 1 },
                service: { attrs: ['name', 'product', 'version', 'extrainfo'], max: 1 },
                script: {
                  attrs: ['id', 'output'],
                  max: 2,
                  when: (a) => a.id === 'banner' || a.id === PA_SCRIPT_ID,
                  children: { elem: { ...ELEM, max: 8 } },
                },
              },
            },
          },
        },
        hostscript: { attrs: [], max: 1, children: { script: PA_SCRIPT } },
      },
    },
  },
};

/**
 * Deeper than nmap's own nesting (nmaprun, host, ports, port, script, NSE tables a few deep):
 * refused, as sax holds every open element until it closes.
 */
export const MAX_XML_DEPTH = 32;
/** Characters kept of an attribute (a banner is cut to 512, a host name to 253 later). */
const MAX_ATTRIBUTE = 4096;
/** `<extrareasons ports=…>` of 65,536 ports whose states alternate: the contract's PortList. */
const MAX_PORT_LIST = 400_000;
/** Characters kept of an element's text (our metadata's values: the JSON of a scan's source). */
const MAX_TEXT = 16 * 1024;

/**
 * The attributes num() reads: kept as the file wrote them, so `portid=" 23"` is refused as nmap
 * never writes it rather than read as 23 once trimmed.
 */
const NUMERIC_ATTRIBUTES: ReadonlySet<string> = new Set([
  'portid',
  'reason_ttl',
  'count',
  'numservices',
  'total',
  'start',
  'time',
]);

/** An element as the import reads it: its kept attributes as strings, child elements by name. */
function element(tag: sax.Tag | sax.QualifiedTag, kept: Kept): Node {
  // Only kept names are set (never `__proto__`): a plain object, in V8's compact form.
  const node: Node = {};
  for (const name of kept.attrs) {
    const value = tag.attributes[name];
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : value.value;
    const max = name === 'ports' ? MAX_PORT_LIST : MAX_ATTRIBUTE;
    const kept = text.slice(0, max);
    node[name] = withoutDisplayControls(NUMERIC_ATTRIBUTES.has(name) ? kept : kept.trim(), true);
  }
  return node;
}

function attributesOf(tag: sax.Tag | sax.QualifiedTag): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(tag.attributes))
    out[name] = typeof value === 'string' ? value : value.value;
  return out;
}

function tooLong(): never {
  fail('report.nmap-hostile', undefined, { variant: 'length', text: { max: MAX_XML_VALUE } });
}

/**
 * Makes sure sax checks its buffers against MAX_XML_VALUE at the end of the next `write`. sax
 * 1.6.1 checks them only once its position passes `bufferCheckPosition`, which checkBufferLength
 * works out from its buffers' lengths — one of which, `doctype`, is `true` once a DOCTYPE was
 * read (every nmap file has `<!DOCTYPE nmaprun>`): the next position is NaN, and no buffer is
 * ever checked again, so a 7 MB attribute grew whole (issue 13 rev13hostile F3). A position that
 * is not a number is set to the current one; a correct schedule is left as sax made it. With
 * writes of at most TEXT_PIECE characters, a value is refused at most that far past the limit.
 */
function armBufferCheck(parser: sax.SAXParser): void {
  const state = parser as unknown as { bufferCheckPosition: number; position: number };
  if (!Number.isFinite(state.bufferCheckPosition)) state.bufferCheckPosition = state.position;
}

/** sax's message for a value past its MAX_BUFFER_LENGTH (lib/sax.js checkBufferLength). */
const BUFFER_EXCEEDED = /^Max buffer length exceeded/;

function tooDeep(): never {
  fail('report.nmap-hostile', undefined, { variant: 'depth', text: { max: MAX_XML_DEPTH } });
}

function tooManyChildren(name: string, max: number): never {
  fail('report.nmap-hostile', undefined, { variant: 'children', text: { max, name } });
}

/**
 * Where a `<ports>` element keeps its `<port>` children once read (parsePort), in order; the
 * elements themselves are dropped as they close. Not an XML name, so no file can set it.
 */
const READ_PORTS = '#read-ports';

/**
 * Where a `<host>` element keeps how many of its ports' reasons were left out for contradicting
 * their state (parsePort); like READ_PORTS, no XML name.
 */
const CONTRADICTED = '#contradicted';

function addChild(parent: Node, name: string, child: Node): void {
  const list = parent[name];
  if (Array.isArray(list)) list.push(child);
  else parent[name] = [child];
}

/**
 * Reads what `nmap -oX` writes (and what our own nmap export writes) into a ScanResult, so a scan
 * made with nmap can be assessed, reported and acted on like ours. Only TCP and UDP ports are kept;
 * nmap's intermediate states become ours (closed|filtered → filtered, unfiltered → closed);
 * open|filtered stays open|filtered, as nmap says it (PORT_STATE).
 *
 * Memory bounded (issue 13): the text goes through a streaming parser (sax, strict XML) piece by
 * piece as it is read; each `<host>` becomes a small tree, is read into a HostResult and dropped,
 * so neither the file's text nor a tree of the whole file is ever held (a 60 MB file took 2.2 GB
 * as one tree, 361 MiB as one string). Only the elements and attributes the import reads are
 * built (KEPT), each capped in count and length; any other subtree is skipped as it streams by.
 * Feed it with `write` (decoded text, in order), then `end`.
 * Throws AppFailure: `report.nmap-hostile` (entity declarations, an internal DTD, nesting deeper
 * than MAX_XML_DEPTH, more than 131,072 ports in a host), `report.nmap-invalid-xml` (with its
 * line), `report.nmap-interrupted-empty` (a run cut before its first complete host),
 * `report.nmap-not-nmap`, `report.nmap-too-many-hosts`.
 *
 * An nmap run stopped before its end (Ctrl+C, a crash, a full disk) leaves a file without
 * `</nmaprun>`. Its complete hosts are still worth showing: what follows the last complete
 * `</host>` is dropped and the run read as closed there, with a note "scan interrupted".
 */
export class NmapXmlReader {
  private readonly parser = sax.parser(true, SAX_OPTIONS);
  /** The open elements kept, each with how many children of each name it kept. */
  private readonly stack: { name: string; node: Node; kept: Kept; counts: Map<string, number> }[] =
    [];
  /** How deep the reader is inside an element it skips (not read by the import), else 0. */
  private skipping = 0;
  private run: Node | undefined;
  /** The run's own children (scaninfo, prescript, runstats…), in order; hosts are not kept here. */
  private readonly runChildren: { name: string; node: Node }[] = [];
  /** How many run children there were when the last complete host closed (an interruption drops the rest). */
  private runChildrenAtLastHost = 0;
  private completeHosts = 0;
  /** Ports read of the host being read, open ports read in all, the most ports of one host. */
  private hostPorts = 0;
  private openPorts = 0;
  private largestHost = 0;
  private hostElements = 0;
  /** A `</host>` closed somewhere other than the run's own level since the last complete host. */
  private nestedHostSince = false;
  private error: { line: number; column: number; msg: string } | undefined;
  /** After an error: a later `</host>` means the file is broken inside, not cut short. */
  private hostAfterError = false;
  private first = true;
  /** The start of a character reference the previous piece ended with. */
  private carry = '';
  /** The last characters seen, to find a marker that straddles two pieces and the file's end. */
  private tail = '';
  /** The last characters other than trailing white space: whether the file ends as a run does. */
  private ending = '';
  private readonly build: ScanBuilder;
  /** The host being read's scan type and reasons left out (parsePort). */
  private readonly ports: PortContext = { windowScan: false, contradicted: 0 };

  constructor(private readonly options: NmapImportOptions = {}) {
    this.build = new ScanBuilder(options.hosts);
    const p = this.parser;
    p.onerror = (error) => {
      // A value longer than nmap writes: refused at once, never read as a file cut short.
      if (BUFFER_EXCEEDED.test(error.message)) tooLong();
      // sax counts lines from 0 and columns from 0 after the character read.
      this.error = {
        line: p.line + 1,
        column: Math.max(1, p.column),
        msg: error.message.split('\n')[0] ?? '',
      };
      throw STOP;
    };
    // nmap writes a bare `<!DOCTYPE nmaprun>`; an internal subset can only serve to define
    // entities (billion laughs, external files), which no nmap output needs.
    p.ondoctype = (doctype) => {
      if (doctype.includes('[')) refuseEntities();
    };
    p.onopentag = (tag) => this.open(tag);
    p.onclosetag = (name) => this.close(name);
    p.ontext = (text) => this.text(text);
    p.oncdata = (text) => this.text(text);
  }

  private open(tag: sax.Tag | sax.QualifiedTag): void {
    // sax holds every open element until it closes, skipped ones included.
    if (this.stack.length + this.skipping >= MAX_XML_DEPTH) tooDeep();
    if (this.skipping > 0) {
      this.skipping++;
      return;
    }
    const depth = this.stack.length;
    if (depth === 0) {
      if (tag.name !== 'nmaprun') notNmap(sentence('report:notNmapBecause.noRun'));
      const node = element(tag, KEPT);
      const scanner = str(node, 'scanner') ?? '';
      if (scanner !== 'nmap') {
        notNmap(
          scanner
            ? sentence('report:notNmapBecause.scanner', { scanner: oneLine(scanner).slice(0, 64) })
            : sentence('report:notNmapBecause.noScanner'),
        );
      }
      this.run = node;
      this.stack.push({ name: tag.name, node, kept: KEPT, counts: new Map() });
      return;
    }
    const parent = this.stack[depth - 1]!;
    const kept = parent.kept.children?.[tag.name];
    const count = (parent.counts.get(tag.name) ?? 0) + 1;
    if (kept && count > (kept.max ?? 64) && kept.refuse) tooManyChildren(tag.name, kept.max ?? 64);
    if (!kept || count > (kept.max ?? 64) || (kept.when && !kept.when(attributesOf(tag)))) {
      this.skipping = 1;
      return;
    }
    parent.counts.set(tag.name, count);
    const node = element(tag, kept);
    if (depth === 1) {
      if (tag.name === 'host' && ++this.hostElements > MAX_HOSTS) tooManyHosts(this.hostElements);
      if (tag.name === 'host') {
        // nmap writes its <scaninfo>s before any host: the scan types are known by now.
        this.ports.windowScan = this.runChildren.some(
          (c) =>
            c.name === 'scaninfo' &&
            str(c.node, 'type') === 'window' &&
            str(c.node, 'protocol') === 'tcp',
        );
        this.ports.contradicted = 0;
      }
      if (tag.name !== 'host') this.runChildren.push({ name: tag.name, node });
    } else {
      addChild(parent.node, tag.name, node);
    }
    this.stack.push({ name: tag.name, node, kept, counts: new Map() });
  }

  private close(name: string): void {
    if (this.skipping > 0) {
      this.skipping--;
      if (name === 'host') this.nestedHostSince = true;
      return;
    }
    const closed = this.stack.pop();
    const text = closed?.node['#text'];
    // Leaf text as a value: surrounding layout trimmed, display controls neutralised.
    if (typeof text === 'string') closed!.node['#text'] = withoutDisplayControls(text.trim(), true);
    const parent = this.stack[this.stack.length - 1];
    if (closed?.name === 'port' && parent?.name === 'ports') {
      // Read at once and its element dropped: a host of 65,535 ports never holds their elements
      // (attributes, state, service, script) beside what is read of them.
      (parent.node.port as Node[]).pop();
      const port = parsePort(closed.node, this.ports);
      addChild(parent.node, READ_PORTS, port as unknown as Node);
      this.hostPorts++;
      if (port !== null && port !== 'unsupported' && port.state === 'open') this.openPorts++;
      if (this.hostPorts % TALLY_PORTS === 0) this.tally();
      return;
    }
    if (closed?.name === 'host' && this.stack.length === 1) {
      this.largestHost = Math.max(this.largestHost, this.hostPorts);
      this.hostPorts = 0;
      if (this.hostElements % TALLY_HOSTS === 0) this.tally();
    }
    if (!closed || closed.name !== 'host') return;
    closed.node[CONTRADICTED] = this.ports.contradicted;
    this.build.addHost(closed.node, this.options.localAddresses);
    this.completeHosts++;
    this.runChildrenAtLastHost = this.runChildren.length;
    this.nestedHostSince = false;
  }

  private tally(): void {
    this.options.onTally?.({
      hosts: this.hostElements,
      openPorts: this.openPorts,
      largestHost: Math.max(this.largestHost, this.hostPorts),
    });
  }

  private text(text: string): void {
    const top = this.stack[this.stack.length - 1];
    // Text directly in the run or a host is layout; only leaf text (an elem's value) is read, and
    // none of a skipped element.
    if (!top || this.skipping > 0 || this.stack.length <= 2) return;
    const node = top.node;
    const before = (node['#text'] as string | undefined) ?? '';
    if (before.length < MAX_TEXT)
      node['#text'] = `${before}${text.slice(0, MAX_TEXT - before.length)}`;
  }

  /** Reads the next piece of the file's text (decoded; pieces in order, any size). */
  write(piece: string): void {
    let text = this.carry + piece;
    if (this.first) {
      text = text.replace(/^\uFEFF/, '');
      this.first = false;
    }
    // A character reference cut by the end of the piece waits for the rest of it.
    const partial = /&(#[0-9a-zA-Z]{0,12})?$/.exec(text);
    this.carry = partial ? text.slice(partial.index) : '';
    this.feed(partial ? text.slice(0, partial.index) : text);
  }

  private feed(raw: string): void {
    // A reference to a character XML does not allow (ESC, BEL: a terminal's controls, which a
    // hostile file puts in a host name) is shown as U+FFFD, as withoutDisplayControls shows the
    // raw ones, instead of refusing the file: sax would stop at it.
    const text = raw.replace(CHAR_REFERENCE, (whole, ref: string) =>
      isXmlChar(ref[0] === 'x' || ref[0] === 'X' ? Number.parseInt(ref.slice(1), 16) : Number(ref))
        ? whole
        : '&#xFFFD;',
    );
    // The markers are searched in the piece and across its seam with the previous one, never in
    // a joined copy of the two (a copy per piece is garbage the size of the file).
    const seam = this.tail + text.slice(0, 16);
    if (/<!ENTITY/i.test(seam) || /<!ENTITY/i.test(text)) refuseEntities();
    // Where in this piece the text sax did not read starts (all of it once sax has stopped).
    let unread = 0;
    if (this.error) {
      this.hostAfterError ||= seam.includes('</host>') || text.includes('</host>');
    } else {
      const before = this.parser.position;
      try {
        for (let at = 0; at < text.length; at += TEXT_PIECE) {
          armBufferCheck(this.parser);
          this.parser.write(text.slice(at, at + TEXT_PIECE));
        }
      } catch (error) {
        if (error !== STOP) throw error;
        // Whatever follows the error is only searched for another complete host.
        unread = Math.min(text.length, Math.max(0, this.parser.position - before));
        this.hostAfterError = text.includes('</host>', unread);
        // The next seam must not find a `</host>` sax read before the error.
        this.tail = '';
      }
    }
    this.tail = (this.tail + text.slice(Math.max(unread, text.length - 16))).slice(-16);
    const written = text.trimEnd();
    if (written) this.ending = (this.ending + written.slice(-16)).slice(-16);
  }

  /** Ends the file: the import, or the AppFailure that refuses it. */
  end(): NmapImport {
    if (this.carry) this.feed(this.carry);
    this.carry = '';
    if (!this.error) {
      try {
        this.parser.close();
      } catch (error) {
        if (error !== STOP) throw error;
      }
    }
    let interrupted = false;
    if (this.error) {
      // Cut short (not broken inside): an nmap run, one complete host or more, nothing but the cut
      // after the last of them, and the file does not end as a complete run does.
      const cut =
        this.run !== undefined &&
        this.completeHosts > 0 &&
        !this.nestedHostSince &&
        !this.hostAfterError &&
        !this.ending.endsWith('</nmaprun>');
      // A run stopped (Ctrl+C) before its first host was complete: a valid nmap file with nothing
      // in it to import, not a broken one.
      const emptyCut =
        this.run !== undefined &&
        this.completeHosts === 0 &&
        !this.nestedHostSince &&
        !this.hostAfterError &&
        !this.ending.endsWith('</nmaprun>');
      if (emptyCut) interruptedBeforeFirstHost();
      if (!cut) invalidXml(this.error.line, this.error.column, this.error.msg);
      interrupted = true;
      this.runChildren.length = this.runChildrenAtLastHost;
    }
    const run = this.run;
    if (!run) notNmap(sentence('report:notNmapBecause.noRun'));
    for (const { name, node } of this.runChildren) addChild(run, name, node);
    return this.build.finish(run, { ...this.options, interrupted });
  }
}

/**
 * Imports an nmap XML given whole as text (the contract's `report.importNmapXml`, tests). Throws
 * AppFailure as NmapXmlReader does, and `report.nmap-too-large` over MAX_NMAP_XML_BYTES.
 * `options.fileName`: the imported file's name (no folder), kept in the result's `source` so a
 * report can name it.
 */
export function importNmapXml(xml: string, options: NmapImportOptions = {}): NmapImport {
  refuseTooLarge(Buffer.byteLength(xml, 'utf8'));
  const reader = new NmapXmlReader(options);
  for (let i = 0; i < xml.length; i += TEXT_PIECE) reader.write(xml.slice(i, i + TEXT_PIECE));
  return reader.end();
}

/**
 * Imports the nmap XML file at `file`, streamed: its size from stat(2) first (over
 * MAX_NMAP_XML_BYTES it is refused unread), then read in pieces, decoded as the file says
 * (xmlTextDecoder: BOM, UTF-16, declared encoding) and parsed as it comes, so memory stays a small
 * multiple of the result, not of the file. Throws AppFailure as importNmapXml does, or the
 * XmlEncodingError of an unknown declared encoding, or the file system's error (ENOENT…).
 */
export async function importNmapXmlFile(
  file: string,
  options: NmapImportOptions = {},
): Promise<NmapImport> {
  refuseTooLarge((await stat(file)).size);
  return importNmapXmlPieces(createReadStream(file, { highWaterMark: READ_PIECE }), options);
}

/**
 * Imports nmap XML arriving as pieces of bytes (a file's read stream), parsed as they come, as
 * importNmapXmlFile does once the size is checked: the limit also holds for the bytes read, so a
 * file growing after its stat is refused. `onRead` hears the bytes read so far after each piece.
 * Throws as importNmapXmlFile, or whatever the stream throws (EIO…).
 */
export async function importNmapXmlPieces(
  pieces: AsyncIterable<Uint8Array>,
  options: NmapImportOptions & { onRead?: (bytes: number) => void } = {},
): Promise<NmapImport> {
  const reader = new NmapXmlReader(options);
  let decoder: TextDecoder | undefined;
  let head = Buffer.alloc(0);
  let read = 0;
  for await (const chunk of pieces) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    read += bytes.length;
    // The file may grow between stat and read: the limit holds for what is read.
    refuseTooLarge(read);
    options.onRead?.(read);
    if (!decoder) {
      // The encoding is told by the first bytes (at most the XML declaration's 200).
      head = Buffer.concat([head, bytes]);
      if (head.length < 200) continue;
      const found = xmlTextDecoder(head);
      decoder = found.decoder;
      reader.write(decoder.decode(head.subarray(found.skip), { stream: true }));
      head = Buffer.alloc(0);
      continue;
    }
    reader.write(decoder.decode(bytes, { stream: true }));
  }
  if (!decoder) {
    const found = xmlTextDecoder(head);
    decoder = found.decoder;
    reader.write(decoder.decode(head.subarray(found.skip), { stream: true }));
  }
  reader.write(decoder.decode());
  return reader.end();
}
