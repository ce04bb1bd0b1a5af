import type { LocalizedText } from '../contract/errors.js';
import type { ReportInput } from '../contract/report.js';
import {
  MAX_HOSTNAME,
  type HostResult,
  type PortResult,
  type ScanResult,
  type ScanSource,
} from '../contract/scan.js';
import { hostAddress, needsZone, parseIp, splitZone } from '../net/address.js';
import { fileLocalErrorText } from '../scan/connect-outcome.js';
import { withEveryPortVerdict } from '../scan/every-port.js';
import { oneLine } from '../text/control-characters.js';
import { bothLanguages } from '../text/catalogue.js';
import { fileNoteText } from './file-note.js';
import {
  fileHostReason,
  isLoopback,
  isThisPcInFile,
  portReasonOf,
  ranOnThisPc,
} from './nmap-xml-import.js';
import { PORT_REASON_TO_NMAP } from './nmap-xml-export.js';

/** This PC's addresses a scan's own JSON names at most (ScanSource selfAddresses). */
const MAX_SELF_ADDRESSES = 16;

/**
 * A scan result as `port-auditor scan --json` writes it: the result, its engine source naming
 * this PC's `localAddresses` other than loopback (`selfAddresses`, at most 16), and `pcName`, the
 * name of the PC that ran it. Read back by `port-auditor report FILE.json`, the name and one of
 * those addresses tell that the file was made on this PC (madeOnThisPc), so its loopback hosts
 * are this PC's and are rated as the live scan rated them (issue 13 review, #3). Pure.
 */
export function scanJsonOf(
  result: ScanResult,
  pcName: string,
  localAddresses: ReadonlySet<string>,
): ScanResult & { pcName: string } {
  const selfAddresses = [...localAddresses]
    .filter((a) => hostAddress(a) !== null && !isLoopback(splitZone(a).address))
    .slice(0, MAX_SELF_ADDRESSES);
  const source = result.source?.kind === 'engine' ? { ...result.source, selfAddresses } : undefined;
  return { ...result, ...(source ? { source } : {}), pcName };
}

/** Notes kept from a file (each cut to MAX_FILE_NOTE code points, see fileNoteText). */
const MAX_NOTES = 32;

/**
 * A JSON report or a saved scan given back to the app (`port-auditor report FILE.json`), read as
 * data to assess again, as nmap imports and kept scans are (issue 13 attacker review F3): the
 * file's verdicts, texts and Port Auditor rules are dropped (the caller assesses the hosts with
 * this PC's knowledge base and rules); hosts whose address is not an IP literal are left out with
 * a note; `isLocal` is this PC's word (one of `localAddresses` now; the file's loopback only when
 * the file is this PC's own engine scan, madeOnThisPc with `thisPcName`, os.hostname(); else it is
 * that of the PC that made it, see isThisPcInFile); host names are
 * one line of at most 253 characters; an errno-style error code is worded as the file's claim about
 * the PC that made it (fileLocalErrorText), any other is dropped; the file's PC name is a note, and
 * `filePc` when the file was not made here (madeOnThisPc), so the PDF's cover names it as the
 * file's PC, not this one (review 13b, A5; review N3); a count of every port answering open is kept only if it is not more than
 * the ports probed; nobody confirmed anything on this PC; the file's notes are shown as the
 * file's ("Note du fichier : …", once). `input` is already checked by the contract (ReportInput).
 * `keptHere`: the caller found the file's scan (its id and start time) kept in this PC's store as
 * made here (keptScanMadeHere), the proof a PC with loopback only has (review 13 N9). Pure.
 */
export function reportInputFromFile(
  input: ReportInput,
  localAddresses: ReadonlySet<string>,
  thisPcName?: string,
  keptHere = false,
  facts: FileHostFacts = FileHostFacts.of(input.scan.hosts, localAddresses),
): ReportInput {
  const hosts: HostResult[] = [];
  let notAddresses = 0;
  const here = keptHere || madeOnThisPc(input, localAddresses, thisPcName, facts);
  // No nmap ran for an engine report (or a format-1 one, which had no source): its own machine's
  // loopback is "the PC that produced this report" (review 13c new user #3).
  const byNmap = input.scan.source?.kind === 'nmap';
  const reasons = fileReasonsOf(input.scan.source);
  for (const host of input.scan.hosts) {
    const checked = checkedFileHost(host, localAddresses, here, byNmap, reasons);
    if (checked) hosts.push(checked);
    else notAddresses++;
  }
  const notes: LocalizedText[] = input.scan.notes.slice(0, MAX_NOTES).map((note) => ({
    fr: fileNoteText('fr', 'fileNote', note.fr),
    en: fileNoteText('en', 'fileNote', note.en),
  }));
  // The PC that made the file is the file's word: a note, and the cover names it as the file's
  // PC unless it is this one (review 13b, A5; review N3).
  const fileName = input.pcName !== undefined ? oneLine(input.pcName).slice(0, MAX_HOSTNAME) : '';
  if (input.pcName !== undefined) {
    const name = fileName;
    // "Not on this PC" only when it was not (review 13c new user #3): same name, same PC when
    // its addresses say so too; a name alone is a name another PC may have.
    const same = thisPcName !== undefined && sameName(name, thisPcName);
    // A file naming no address of its PC but loopback cannot say its addresses are not this
    // PC's, only that nothing proves they are (review 13 N9: a PC with loopback only).
    const key = here
      ? 'messages:import.filePcThis'
      : !same
        ? 'messages:import.filePcName'
        : namesOwnAddress(input, facts)
          ? 'messages:import.filePcSameName'
          : 'messages:import.filePcSameNameUnproven';
    if (name) notes.unshift(bothLanguages(key, { name }));
  }
  if (notAddresses > 0) {
    notes.push(bothLanguages('messages:import.noAddress', { count: notAddresses }));
  }
  notes.push(...contradictedReasonNotes(reasons));
  // A file's "engine" source would have the report describe this PC's own scan (review 13b, A5).
  const { source, ...rest } = input.scan;
  const scan: ScanResult = {
    ...rest,
    ...(source?.kind === 'nmap' ? { source } : {}),
    request: { ...input.scan.request, confirmed: false },
    notes,
    hosts,
  };
  // A set, not a search of the hosts per entry: 65,536 hosts each with a MAC address made that
  // 4 billion comparisons, most of a 10-minute import (issue 13 review A15).
  const kept = new Set(hosts.map((h) => h.address));
  const macAddresses = Object.fromEntries(
    Object.entries(input.macAddresses ?? {}).filter(([address]) => kept.has(address)),
  );
  return {
    scan,
    ...(Object.keys(macAddresses).length > 0 ? { macAddresses } : {}),
    origin: 'file',
    ...(here ? {} : { filePc: fileName ? { name: fileName } : {} }),
  };
}

/**
 * Whether a report file's scan is one this PC's store keeps as made here (review 13 N9): the proof
 * a PC with loopback only has, whose files name no address but loopback (which proves nothing,
 * A1). `kept` is the store's scan by the file's `scanId` (undefined when the store has none or
 * cannot be read); it must have the file's start time and kind of source, and the file's PC name
 * (when it has one) must be `thisPcName`. A kept engine scan was made by this app here; a kept
 * nmap import ran here as its reopening works it out (ranOnThisPc), so the file and the kept
 * scan rate its ports the same (review 13 N4). Pure.
 */
export function keptScanMadeHere(
  input: ReportInput,
  kept: Omit<ScanResult, 'hosts'> | undefined,
  localAddresses: ReadonlySet<string>,
  thisPcName: string | undefined,
): boolean {
  if (!kept || kept.scanId !== input.scan.scanId || kept.startedAt !== input.scan.startedAt) {
    return false;
  }
  if (input.pcName !== undefined) {
    if (thisPcName === undefined) return false;
    if (!sameName(oneLine(input.pcName).slice(0, MAX_HOSTNAME), thisPcName)) return false;
  }
  const fileKind = input.scan.source?.kind ?? 'engine';
  const keptKind = kept.source?.kind ?? 'engine';
  if (fileKind !== keptKind) return false;
  return keptKind === 'engine' || ranOnThisPc(kept.source, localAddresses);
}

/**
 * What a report file's hosts say about the PC that made it, tallied one host at a time (add), so
 * a file read host by host (readJsonReport's sink) is judged as one read whole (issue 13, A15):
 * whether the file is this PC's own is only known after its last host.
 */
export class FileHostFacts {
  /** A host the file says is its PC (`isLocal`) at one of this PC's addresses other than loopback. */
  ownHere = false;
  /** A host the file says was its PC (`isLocal`, `localhost`, `scanner`) not on loopback. */
  namesOwn = false;
  /** A host nmap answered as itself (`localhost`, `scanner`) not on loopback… */
  nmapSelf = false;
  /** …and one such at an address of this PC's. */
  nmapSelfHere = false;

  constructor(private readonly localAddresses: ReadonlySet<string>) {}

  /** The facts of `hosts`, read whole. */
  static of(hosts: readonly HostResult[], localAddresses: ReadonlySet<string>): FileHostFacts {
    const facts = new FileHostFacts(localAddresses);
    for (const host of hosts) facts.add(host);
    return facts;
  }

  add(host: HostResult): void {
    const literal = hostAddress(host.address);
    if (!literal) return;
    const bare = splitZone(literal.address).address;
    const loopback = isLoopback(bare);
    if (host.isLocal && isThisPcInFile(literal.address, this.localAddresses)) this.ownHere = true;
    const nmapOwn = host.reason === 'localhost' || host.reason === 'scanner';
    if ((host.isLocal || nmapOwn) && !loopback) this.namesOwn = true;
    if (nmapOwn && !loopback) {
      this.nmapSelf = true;
      if (this.localAddresses.has(bare)) this.nmapSelfHere = true;
    }
  }
}

/**
 * Whether report `input` names an address of the PC that made it other than loopback: its
 * source's `selfAddresses`, or a host it says was that PC (`isLocal`, `localhost`, `scanner`),
 * as `facts` tallied its hosts.
 */
function namesOwnAddress(input: ReportInput, facts: FileHostFacts): boolean {
  const { source } = input.scan;
  if (source && source.kind !== 'json-report' && (source.selfAddresses ?? []).length > 0) {
    return true;
  }
  return facts.namesOwn;
}

/** Whether two PC names are one: names compare without case (RFC 4343, Windows NetBIOS names). */
function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Whether report `input` is one of this app's engine scans made on this PC (review 13c new user
 * #3): its source is the engine (or absent: JSON report format 1), its PC name is `thisPcName`
 * (without case), and one of the addresses it says were its own (isLocal, loopback aside, or its
 * source's `selfAddresses`, which `scan --json` writes with the PC's name: scanJsonOf) is one of
 * this PC's `localAddresses` now. Then the file's loopback hosts are this PC's: a name alone is
 * not enough (two PCs may share one), nor an address alone (a LAN address passes from PC to PC).
 * A report of an nmap import says where nmap ran by its source's `selfAddresses` (ranOnThisPc),
 * with its PC name when it has one; one that names no address of nmap's own other than loopback
 * proves nothing (review 13 A1: every PC has 127.0.0.1).
 */
export function madeOnThisPc(
  input: ReportInput,
  localAddresses: ReadonlySet<string>,
  thisPcName: string | undefined,
  facts: FileHostFacts = FileHostFacts.of(input.scan.hosts, localAddresses),
): boolean {
  const { source } = input.scan;
  // A report of an nmap import: where nmap ran, as the import worked it out (ranOnThisPc).
  // Where nmap ran, as its import worked it out; a report that kept no such list says it by its
  // hosts: those nmap answered as itself (`localhost`, `scanner`) at an address other than loopback.
  if (source?.kind === 'nmap') {
    // A file naming another PC was not made here, whatever its addresses (review 13 A1).
    if (input.pcName !== undefined) {
      if (thisPcName === undefined) return false;
      if (!sameName(oneLine(input.pcName).slice(0, MAX_HOSTNAME), thisPcName)) return false;
    }
    const kept = source.selfAddresses ?? [];
    // A run on loopback only proves nothing: every PC has 127.0.0.1 (review 13 A1). Unlike an
    // nmap XML imported here (ranOnThisPc takes it as this PC's), a report file must prove it.
    if (kept.length > 0) return ranOnThisPc(source, localAddresses);
    return facts.nmapSelfHere;
  }
  // A scan's own JSON of an older version (no PC name) has its addresses alone to say.
  if (input.pcName !== undefined) {
    if (thisPcName === undefined) return false;
    if (!sameName(oneLine(input.pcName).slice(0, MAX_HOSTNAME), thisPcName)) return false;
    // Its own addresses are believed with its name only: a name and an address, as for hosts.
    const self = source?.kind === 'engine' ? (source.selfAddresses ?? []) : [];
    const ours = self.some((a) => {
      const literal = hostAddress(a);
      return literal !== null && isThisPcInFile(literal.address, localAddresses);
    });
    if (ours) return true;
  }
  return facts.ownHere;
}

/**
 * How the ports of a report file's hosts have their reasons read (checkedFilePort), and where
 * those left out for contradicting their state are counted, over all of the file's hosts.
 */
export interface FileReasons {
  /** The file's nmap run made a -sW window scan over TCP: its open ports are nmap's `reset`. */
  windowScan: boolean;
  /** Ports so far whose reason contradicted their state (left out). */
  contradicted: number;
}

/**
 * The FileReasons of a file whose scan has `source`, none counted yet: its nmap run's, or the one
 * a JSON report imported before names (`json-report`'s `nmap`). Pure.
 */
export function fileReasonsOf(source: ScanSource | undefined): FileReasons {
  const nmap = source?.kind === 'json-report' ? source.nmap : source;
  const windowScan =
    nmap?.kind === 'nmap' &&
    nmap.scanTypes.some((t) => t.type === 'window' && t.protocol === 'tcp');
  return { windowScan, contradicted: 0 };
}

/**
 * The note saying how many ports of a report file had their reason left out for contradicting
 * their state (none when none did), as an nmap XML import says it of its ports (review 13
 * hostile F7). Pure.
 */
export function contradictedReasonNotes(reasons: FileReasons): LocalizedText[] {
  if (reasons.contradicted === 0) return [];
  return [bothLanguages('messages:import.contradictoryReasons', { count: reasons.contradicted })];
}

/**
 * One port of a report file with the nmap XML import's rule for reasons (portReasonOf, review 13
 * hostile F7): a reason nmap never writes for the port's state and protocol (`closed` with
 * `syn-ack`, a UDP port `open` with `port-unreach`), as `reason` (in nmap's word,
 * PORT_REASON_TO_NMAP) or as `nmapReason`, has both left out, the state kept, and is counted in
 * `reasons`; TCP's word on a UDP port that agrees with its state is nmap's UDP word
 * (`syn-ack` → `udp-response`), its `nmapReason` dropped so an export does not bring it back.
 * Returns `port` itself when nothing changes.
 */
function checkedFilePort(port: PortResult, reasons: FileReasons): PortResult {
  const { protocol, state } = port;
  const ours = port.reason
    ? portReasonOf(protocol, state, PORT_REASON_TO_NMAP[port.reason], reasons.windowScan)
    : { contradicts: false };
  const nmap = port.nmapReason
    ? portReasonOf(protocol, state, port.nmapReason.reason, reasons.windowScan)
    : { contradicts: false };
  const contradicts = ours.contradicts || nmap.contradicts;
  const reason = contradicts ? undefined : ours.reason;
  if (!contradicts && reason === port.reason) return port;
  if (contradicts) reasons.contradicted++;
  const { reason: _reason, nmapReason: _nmapReason, ...rest } = port;
  return reason ? { ...rest, reason } : rest;
}

/**
 * One host of a report file as this PC takes it (see reportInputFromFile): null when its address
 * is not an IP literal. `ranHere`: the file is proven this PC's (its loopback is this PC);
 * `byNmap`: its scan was an nmap run (its own machine's loopback is `scanner`, else `reporter`);
 * `reasons`: how its ports' reasons are read (checkedFilePort), where those left out are counted.
 */
export function checkedFileHost(
  host: HostResult,
  localAddresses: ReadonlySet<string>,
  ranHere: boolean,
  byNmap: boolean,
  reasons: FileReasons = fileReasonsOf(undefined),
): HostResult | null {
  const literal = hostAddress(host.address);
  if (!literal) return null;
  const { address, family } = literal;
  const bare = splitZone(address).address;
  const isLocal = isThisPcInFile(bare, localAddresses, ranHere);
  const said = fileHostReason(
    bare,
    isLocal,
    host.status,
    host.reason === 'reporter' ? 'localhost' : host.reason,
  );
  const reason = said === 'scanner' && !byNmap ? 'reporter' : said;
  const ports = host.ports.map((port) => checkedFilePort(port, reasons));
  const checked: HostResult = { ...host, address, family, isLocal, reason, ports };
  // A zone only names the link of a link-local address written without one (RFC 4007 §11): on
  // any other address, or beside a zone already in `address` (older files, nmap imports), it is
  // the file's word about nothing, and would be shown and rescanned as `address%zone`.
  const parsed = parseIp(bare);
  if (
    checked.zone !== undefined &&
    (bare !== address || !parsed || !needsZone(parsed.family, parsed.value))
  )
    delete checked.zone;
  if (host.hostname !== undefined) checked.hostname = oneLine(host.hostname).slice(0, MAX_HOSTNAME);
  // A name read from a file is the file's (issue 15, N6): "nom dans le fichier", never "nom DNS
  // (PTR)" as if this PC had looked it up; an nmap file's own word for it is kept as the file's.
  if (checked.hostname) {
    checked.hostnameMethod =
      host.hostnameMethod === 'nmap-user' || host.hostnameMethod === 'nmap-ptr'
        ? host.hostnameMethod
        : 'file';
  } else {
    delete checked.hostnameMethod;
  }
  delete checked.localError;
  // The maker is looked up here, never taken from a file (withMacVendor, app/report/mac-vendor.ts).
  delete checked.macVendor;
  const code = host.localError?.code;
  if (code !== undefined && /^[A-Z][A-Z0-9_]{0,31}$/.test(code))
    checked.localError = { code, message: fileLocalErrorText(code) };
  if (host.answersEveryPort && host.answersEveryPort.open > host.answersEveryPort.probed)
    delete checked.answersEveryPort;
  return withEveryPortVerdict(checked);
}
