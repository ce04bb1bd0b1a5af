import { fileNameWords } from '../contract/outside-words.js';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  Code,
  MAX_HOSTS_PAGE,
  MAX_PORTS_PER_HOST_PAGE,
  MAX_PORTS_PER_PAGE,
  OPEN_PORT_LIST_MAX,
  OPEN_PORT_LISTS_MAX,
  type PortResult,
  type AppError,
  type FirewallRule,
  type HostAssessment,
  type HostResult,
  type HostReason,
  type HostStatus,
  type ListenersResult,
  type NmapImportResult,
  type RiskAssessResult,
  type ScanDetails,
  type ScanGetRequest,
  type ScanHostPorts,
  type ScanHostPortsRequest,
  type ScanPage,
  type ScanCounts,
  type ScanKind,
  type ScanRecord,
  type Settings,
} from '../contract/index.js';
import { deviceKeyOf, devicePageBounds, foldDevices } from '../contract/devices.js';
import { AppFailure, toAppError } from '../errors.js';
import {
  keptImportNotes,
  isLoopback,
  isThisPcInFile,
  ranOnThisPc,
  type NmapImportOptions,
} from '../report/nmap-xml-import.js';
import { hostAddress, splitZone } from '../net/address.js';
import { bothLanguages, textFor } from '../text/catalogue.js';
import type { LocalPortInfo } from '../risk/assess.js';
import { knowledgeBase, type KnowledgeBase } from '../risk/knowledge-base.js';
import type { RulesUndoneSince } from '../risk/firewall-verdicts.js';
import {
  claimKey,
  KEPT_CLAIM_UNCHECKED,
  mayNameProgram,
  reassessKept,
  type ListenersNow,
  type OwnClaims,
} from '../risk/reassess.js';
import { RULES } from '../risk/rules.js';
import { withEveryPortVerdict } from '../scan/every-port.js';
import { compactPorts } from '../scan/port-states.js';
import { compareHostAssessments } from '../risk/summary.js';
import { emptySeverityCounts, OWN_OTHER_INSTANCE_SERVICE } from '../contract/vocabulary.js';
import { VerdictTotals } from '../risk/verdict-totals.js';
import { databasePath, type Db } from '../store/database.js';
import { storeFailure, StoreFailure } from '../store/failure.js';
import { ROW_BATCH, type HostRow } from '../store/scan-rows.js';
import {
  scanCounts,
  ScanCountsTally,
  sharedMacsOf,
  ScanStore,
  thisPcRecord,
  type ScanEntry,
  type ScanHeader,
  type StoredScan,
} from '../store/scans.js';
import { SettingsStore } from '../store/settings.js';
import type { Assessor } from './risk-handlers.js';
import {
  orderedHost,
  unreadable,
  withSharedMarks,
  type ImportedRows,
  type OrderedHost,
} from './import-rows.js';
import type { ExportJob } from './export-thread.js';
import { IMPORT_OLD_GENERATION_MB, ImportStoreFailure, runImportThread } from './import-thread.js';
import type { PrepareJob, PreparedNumbers, PrepareThreads } from './prepare-thread.js';
import { localAddresses as thisPcAddresses } from './report-handlers.js';
import { withMacVendor } from '../report/mac-vendor.js';
import { normaliseMac } from '../net/mac.js';

/** The app's database, opened on first use (see lazyAppStore). */
export interface AppStore {
  get(): Db;
  /** The store's read-only failure when it was opened for reading only (lazyAppStore). */
  problem?(): StoreFailure | null;
}

/** What keeping a scan came to: kept, or why not (a damaged or read-only store). */
export type KeepOutcome = { kept: true; record: ScanRecord } | { kept: false; notice: AppError };

/** Scans the store could not keep stay readable in memory this long (the newest few). */
const UNKEPT_MAX = 4;

/** Scans' screen orders kept for paging (a few numbers per host; the hosts stay in their rows). */
const CACHE_MAX = 2;

/**
 * How long a client's "I show this scan" lease lasts without being renewed by paging: long enough
 * for a scan left on screen for a working day; a dead app's lease holds retention back no longer.
 */
const SHOWN_LEASE_MS = 24 * 3_600_000;

/** Scans whose own listener records (OwnClaims) this process holds: the last few it kept. */
const OWN_MAX = 16;

/** A kept scan's hosts, read a batch of rows at a time: from the store, or from memory. */
interface HostSource {
  header: ScanHeader;
  /** See ScanStore.sharedMacs. */
  sharedMacs(upOnly: boolean): Set<string>;
  /** Up to `limit` rows after seq `after`, in seq order. Throws `scan.unreadable`. */
  rows(after: number, limit: number): HostRow[];
  /** The rows at `seqs`, in that order. Throws `scan.unreadable`. */
  rowsAt(seqs: readonly number[]): HostRow[];
  /** The seq of the row kept for `address` (the first, if several), or null. */
  seqOf(address: string): number | null;
  /**
   * Whether the scan is still there: retention (another window, the CLI) may delete it while it
   * is shown, after which its rows read as none — never to be taken for a scan that found nothing.
   */
  stillKept(): boolean;
}

interface Prepared {
  source: HostSource;
  /** The firewall rules the verdicts were worked out with, and them as a key. */
  rules: readonly FirewallRule[];
  rulesKey: string;
  /**
   * This PC's listening sockets the verdicts were worked out with (read at reopen, see
   * reassessKept), and them as a key ('own' for a scan whose own claims this process holds).
   */
  now: ListenersNow;
  nowKey: string;
  /** The scan's time window and the outbound rules removed since (see removedRuleHiding). */
  undone: RulesUndoneSince;
  /** The whole scan's verdict totals with these rules (`hosts` empty). */
  summary: RiskAssessResult;
  /** Host seqs of each status in screen order; the answering ones grouped by device. */
  order: Record<HostStatus, number[]>;
  /** For each answering host in `order.up`, the index of its device (see devicePageBounds). */
  upDevice: number[];
  /** Rows left out because their address is not an IP literal (an edited store). */
  dropped: number;
  /**
   * Seqs of rows left out because an earlier row has their address (an edited store, review 13c
   * attacker B4): one address is one host, never listed twice nor counted twice.
   */
  duplicates: ReadonlySet<number>;
  /**
   * The scan's counts from the rows as checked here (checkedKeptRow), not the `scans` row's cached
   * ones: an edited row must not make the summary disagree with the hosts listed (review 13b, A9).
   */
  counts: ScanCounts;
  /**
   * By seq, the levels of hosts a page may cut (see LEVELS_FROM) that do not answer on every
   * port, with these rules: a page assesses only the ports it carries, and a cut host's card
   * still shows its whole verdict. Filled by prepare, or by a page for a host it lacks.
   */
  levels: Map<number, HostLevels>;
}

/** What a host's card and the history show of its verdicts as a whole (see summariseHost). */
type HostLevels = Pick<HostAssessment, 'worst' | 'counts' | 'blocked'>;

function levelsOf(verdict: HostAssessment): HostLevels {
  return { worst: verdict.worst, counts: { ...verdict.counts }, blocked: verdict.blocked };
}

/**
 * Hosts with more listed ports than this may be cut by a page: portBudget gives no host of a
 * page of MAX_HOSTS_PAGE fewer ports than this share of MAX_PORTS_PER_PAGE.
 */
const LEVELS_FROM = Math.floor(MAX_PORTS_PER_PAGE / MAX_HOSTS_PAGE);

/**
 * A kept scan weighing more than this (its hosts plus its open ports, as the history counts them)
 * is prepared in a thread of its own (prepare-thread.ts) when the app has some: 256 hosts × 1,000
 * open ports kept the host's event loop busy for 18–62 s (review A2), a few thousand ports for
 * well under a second. Smaller ones are prepared here, sparing a thread's start.
 */
export const PREPARE_THREAD_FROM = 20_000;

/** Ports of the rows hostPorts keeps checked, at most: two hosts answering every TCP port. */
const CHECKED_PORTS_MAX = 2 * 65_536;

/**
 * `host` as prepare assesses it for the scan's totals and screen order. Of a host answering on
 * every port (answersEveryPort) these read only its one grouped verdict (summariseHost gives it
 * whatever its ports) and, for this PC, whether one of its ports' verdicts lacks the program:
 * so a device of the network is assessed with none of its ports, and this PC with one open port
 * whose verdict has no program for certain (`mayName` false, see mayNameProgram), or with all of
 * them when every one may have one. Any other host is assessed as it is. A tarpit's 65,535 ports
 * then cost nothing here (review 13c, B1).
 */
export function hostForTotals(
  host: HostResult,
  mayName: (address: string, port: number, protocol: PortResult['protocol']) => boolean,
): HostResult {
  if (!host.answersEveryPort || host.ports.length === 0) return host;
  if (!host.isLocal) return { ...host, ports: [] };
  const lacking = host.ports.find(
    (p) => p.state === 'open' && !mayName(host.address, p.port, p.protocol),
  );
  return lacking ? { ...host, ports: [lacking] } : host;
}

/** What a page carries of its hosts' ports (see cutForPage). */
export interface PageCut {
  /** The hosts, each with the ports the page carries (the same object when it carries them all). */
  hosts: HostResult[];
  /** Which hosts were cut, by index in `hosts`. */
  cut: boolean[];
  portsLeftOut: Record<string, { open: number; others: number }>;
  openPortList: Record<string, string>;
}

/**
 * The ports a page carries of each of `hosts` (portBudget shares MAX_PORTS_PER_PAGE, pagePorts
 * takes each host's first), what it leaves out of each (ScanPage.portsLeftOut) and, for a host
 * cut that answers on every port, its open ports as a compact list (ScanPage.openPortList) while
 * OPEN_PORT_LIST_MAX and OPEN_PORT_LISTS_MAX allow. Reads the ports only: no verdict.
 */
export function cutForPage(hosts: readonly HostResult[]): PageCut {
  const caps = portBudget(hosts.map((h) => h.ports.length));
  const portsLeftOut: PageCut['portsLeftOut'] = {};
  const openPortList: PageCut['openPortList'] = {};
  let listed = 0;
  const cut = hosts.map(() => false);
  const carried = hosts.map((h, i) => {
    const ports = pagePorts(h.ports, caps[i]);
    if (ports.length === h.ports.length) return h;
    cut[i] = true;
    const openOf = (list: readonly PortResult[]) => list.filter((p) => p.state === 'open');
    const allOpen = openOf(h.ports);
    const open = allOpen.length - openOf(ports).length;
    portsLeftOut[h.address] = { open, others: h.ports.length - ports.length - open };
    if (h.answersEveryPort) {
      const list = compactPorts(allOpen.map((p) => p.port));
      if (list.length <= OPEN_PORT_LIST_MAX && listed + list.length <= OPEN_PORT_LISTS_MAX) {
        openPortList[h.address] = list;
        listed += list.length;
      }
    }
    return { ...h, ports };
  });
  return { hosts: carried, cut, portsLeftOut, openPortList };
}

/**
 * hostPorts' checked rows, the most recently used last, with their ports in page order: a
 * host's pages read and check its row once, not once per 200 ports (65,535 ports made paging one
 * host quadratic: 327 reads of the whole row, review 13c B1). Bounded by CHECKED_PORTS_MAX ports
 * (the most recent row is always kept). Keys say what the check read (see hostPorts).
 */
class CheckedRows {
  private readonly rows = new Map<string, { row: HostRow; ordered: PortResult[] }>();
  private ports = 0;

  get(key: string): { row: HostRow; ordered: PortResult[] } | undefined {
    const found = this.rows.get(key);
    if (found) {
      this.rows.delete(key);
      this.rows.set(key, found);
    }
    return found;
  }

  set(key: string, row: HostRow): { row: HostRow; ordered: PortResult[] } {
    const entry = { row, ordered: pageOrder(row.host.ports) };
    const had = this.rows.get(key);
    if (had) this.ports -= had.ordered.length;
    this.rows.delete(key);
    this.rows.set(key, entry);
    this.ports += entry.ordered.length;
    while (this.ports > CHECKED_PORTS_MAX && this.rows.size > 1) {
      const [oldest, value] = this.rows.entries().next().value as [
        string,
        { ordered: PortResult[] },
      ];
      this.rows.delete(oldest);
      this.ports -= value.ordered.length;
    }
    return entry;
  }
}

/**
 * A kept host row as the app takes it back from its store, checked as an import's host is
 * (app/report/nmap-xml-import.ts): null when its address is not an IP literal; `isLocal` worked
 * out again from this PC's `local` addresses now and the scan's `kind` (an import's loopback is
 * the machine that ran nmap, see isThisPcInFile), never read back, so an edited row cannot make a
 * device of the network be assessed as this PC (issue 13 attacker review F5). Its reason for
 * being up follows those facts too, never the stored word alone (review 13b, A9): `localhost`
 * only for this PC now; `scanner` only in an import, for a host not this PC (an up loopback
 * address of an import always is); a row whose stored word says otherwise gets the reason its
 * ports give (keptHostReason).
 */
export function checkedKeptRow(
  row: HostRow,
  local: ReadonlySet<string>,
  kind: ScanKind = 'engine',
  ranHere = false,
): HostRow | null {
  const literal = hostAddress(row.host.address);
  if (!literal) return null;
  const isLocal = isThisPcNow(literal.address, local, kind, ranHere);
  const said = keptHostReason({ ...row.host, address: literal.address, isLocal }, kind);
  const { reason } = row.host;
  // Scans kept before imports applied the engine's rule get it now, as one verdict.
  const host = withEveryPortVerdict(row.host);
  if (
    literal.address === host.address &&
    literal.family === host.family &&
    isLocal === host.isLocal &&
    said === reason &&
    host === row.host
  ) {
    return row;
  }
  return {
    ...row,
    host: { ...host, address: literal.address, family: literal.family, isLocal, reason: said },
  };
}

/**
 * The reason a kept host is up, from `host`'s recomputed `isLocal` and address, the scan's `kind`
 * and its ports: the stored one when those facts back it, else what its ports show (an open port:
 * it accepted a connection, as an import says of an up host without a reason; a closed one only:
 * it refused one). Reasons of hosts not up, and the others of up ones, are kept as they are.
 */
function keptHostReason(host: HostResult, kind: ScanKind): HostReason {
  const { reason, status, isLocal } = host;
  if (status !== 'up') return reason;
  if (isLocal) return 'localhost';
  if (kind === 'nmap-import') {
    if (isLoopback(splitZone(host.address).address)) return 'scanner';
    if (reason === 'scanner') return reason;
  }
  // A JSON report's own machine, not this PC: nmap's (`scanner`) or the report's (`reporter`).
  if (kind === 'json-report' && (reason === 'scanner' || reason === 'reporter')) {
    if (isLoopback(splitZone(host.address).address)) return reason;
  }
  // The file's machine is only ever an import's word (an edited row's claim is weighed again).
  if (reason !== 'localhost' && reason !== 'scanner' && reason !== 'reporter') return reason;
  const open = host.ports.some((p) => p.state === 'open');
  const closed = host.ports.some((p) => p.state === 'closed');
  return !open && closed ? 'conn-refused' : 'syn-ack';
}

/**
 * A host's listed ports in the order pages and `scan.hostPorts` list them: open ones first, each
 * group in the order kept.
 */
export function pageOrder(ports: readonly PortResult[]): PortResult[] {
  const open = ports.filter((p) => p.state === 'open');
  if (open.length === ports.length) return [...ports];
  return [...open, ...ports.filter((p) => p.state !== 'open')];
}

/**
 * The ports of one host a `scan.get` page carries: the first `cap` (MAX_PORTS_PER_HOST_PAGE by
 * default) in pageOrder (the others counted in `ScanPage.portsLeftOut`).
 */
export function pagePorts(
  ports: readonly PortResult[],
  cap: number = MAX_PORTS_PER_HOST_PAGE,
): PortResult[] {
  if (ports.length <= cap) return [...ports];
  return pageOrder(ports).slice(0, cap);
}

/**
 * How many ports of each host (`sizes`, their listed ports, in page order) a page carries: at
 * most `perHost` each and `budget` in all, shared out evenly (max-min fairness: every host gets
 * the same share, a host needing less gives the rest to the others; what an even split leaves over
 * goes to the first hosts). A page of tarpits stays one bounded message, and no host of the page is
 * left with none of its ports — a card listing nothing would read "no open port" while it has
 * critical ones (review 13c). `scan.hostPorts` gives each host the rest.
 */
export function portBudget(
  sizes: readonly number[],
  perHost: number = MAX_PORTS_PER_HOST_PAGE,
  budget: number = MAX_PORTS_PER_PAGE,
): number[] {
  const wants = sizes.map((size) => Math.min(size, perHost));
  const given = wants.map(() => 0);
  let left = budget;
  let waiting = wants.flatMap((want, i) => (want > 0 ? [i] : []));
  while (waiting.length > 0 && left > 0) {
    const share = Math.max(1, Math.floor(left / waiting.length));
    const still: number[] = [];
    for (const i of waiting) {
      const take = Math.min(wants[i]! - given[i]!, share, left);
      given[i]! += take;
      left -= take;
      if (given[i]! < wants[i]!) still.push(i);
    }
    waiting = still;
  }
  return given;
}

/**
 * Whether IP literal `address` (zone or not) of a kept scan of `kind` is this PC's now: one of
 * `local`, or loopback in a scan this app ran; an import's loopback only when `ranHere`, its file
 * proving nmap ran on this PC now (keptRanHere; see isThisPcInFile).
 */
function isThisPcNow(
  address: string,
  local: ReadonlySet<string>,
  kind: ScanKind,
  ranHere: boolean,
): boolean {
  if (kind === 'nmap-import' || kind === 'json-report') {
    return isThisPcInFile(address, local, ranHere);
  }
  const bare = splitZone(address).address;
  return isLoopback(bare) || local.has(bare);
}

/**
 * Whether kept scan `header` is an import of a file nmap ran on this PC, as this PC's `local`
 * addresses are now (ranOnThisPc): worked out at each load, as `isLocal` is; for a JSON report,
 * whether its import proved it was made here (its source's `madeHere`).
 */
export function keptRanHere(header: ScanHeader, local: ReadonlySet<string>): boolean {
  const { source } = header.result;
  // A JSON report proved it was made here once read to its end (importJsonRows), or did not.
  if (header.record.kind === 'json-report') {
    return source?.kind === 'json-report' && source.madeHere;
  }
  return header.record.kind === 'nmap-import' && ranOnThisPc(source, local);
}

/**
 * Whether a kept row's `address` is left out of MAC grouping: this PC's now, or no IP literal
 * (such a row is left out of the scan, see checkedKeptRow); never the row's own `is_local`.
 */
function notADeviceNow(
  address: string,
  local: ReadonlySet<string>,
  kind: ScanKind,
  ranHere: boolean,
): boolean {
  const literal = hostAddress(address);
  return !literal || isThisPcNow(literal.address, local, kind, ranHere);
}

/**
 * This PC's addresses as engine scan `result` found them (its hosts' `isLocal`, which the engine
 * set from this PC's interfaces when it ran): what a reopened scan must take as this PC again,
 * wherever this PC is then (see ScanHeader.thisPc). An import's are the import's own
 * (`localAddresses`, see keepImport).
 */
export function thisPcOfScan(result: { hosts: readonly HostResult[] }): string[] {
  return thisPcRecord(result.hosts.filter((h) => h.isLocal).map((h) => h.address));
}

/** The note a kept scan shows when rows of it were left out (see checkedKeptRow). */
function droppedNote(dropped: number): { fr: string; en: string } {
  return bothLanguages('messages:kept.dropped', { count: dropped });
}

/** The note a kept scan shows when rows repeating an earlier row's address were left out. */
function duplicatesNote(duplicates: number): { fr: string; en: string } {
  return bothLanguages('messages:kept.duplicates', { count: duplicates });
}

/** This PC's ports' exposure and program as `hosts`' verdicts give them (see OwnClaims). */
function claimsOf(hosts: readonly HostAssessment[], into: Map<string, LocalPortInfo>): void {
  for (const host of hosts) {
    if (!host.isLocal) continue;
    for (const p of host.ports) {
      if (!p.exposure) continue;
      // A port this process named as Port Auditor's stays so once the scan is kept and shown again.
      const ours = p.program && p.reasons.some((r) => r.ruleId === RULES.ownPort);
      into.set(claimKey(host.address, p.port, p.protocol), {
        exposure: p.exposure,
        ...(p.program ? { program: p.program } : {}),
        ...(ours && p.program ? { ownPid: p.program.pid } : {}),
        ...(ours && p.program && p.service === OWN_OTHER_INSTANCE_SERVICE
          ? { ownInstance: true }
          : {}),
      });
    }
  }
}

/** A scan held in memory (not kept, or a check) read as rows: its hosts' indexes as seqs. */
function memorySource(stored: StoredScan): HostSource {
  const { hosts, ...result } = stored.result;
  const kept = new Map((stored.assessment?.hosts ?? []).map((h) => [h.address, h]));
  const row = (seq: number): HostRow[] => {
    const host = hosts[seq];
    return host ? [{ seq, host, kept: kept.get(host.address) ?? null }] : [];
  };
  return {
    header: {
      record: stored.record,
      result,
      summary: stored.assessment ? { ...stored.assessment, hosts: [] } : null,
      macAddresses: stored.macAddresses,
      ...(stored.thisPc ? { thisPc: stored.thisPc } : {}),
    },
    sharedMacs: (upOnly) => sharedMacsOf(hosts, upOnly),
    rows: (after, limit) =>
      hosts.slice(after + 1, after + 1 + limit).flatMap((_h, i) => row(after + 1 + i)),
    rowsAt: (seqs) => seqs.flatMap(row),
    seqOf: (address) => {
      const index = hosts.findIndex((h) => h.address === address);
      return index < 0 ? null : index;
    },
    stillKept: () => true,
  };
}

/**
 * The answering hosts (`up`, sorted) in device order, as foldDevices would give them (a device
 * where its first address is, its addresses in the fold's order, the folded ones last), with each
 * one's device index (see devicePageBounds). Only the devices of several addresses (this PC's,
 * those sharing a MAC in `shared`) are folded; an address that is a device of its own stays where
 * it is, so a 65,000-address scan costs two numbers per address.
 */
function deviceOrder(
  up: readonly OrderedHost[],
  shared: ReadonlySet<string>,
): { up: number[]; upDevice: number[] } {
  const groups = new Map<string, OrderedHost[]>();
  for (const host of up) {
    const key = deviceKeyOf(host, shared);
    if (key === host.address && !host.isLocal) continue;
    const members = groups.get(key);
    if (members) members.push(host);
    else groups.set(key, [host]);
  }
  const order: number[] = [];
  const upDevice: number[] = [];
  let device = 0;
  for (const host of up) {
    const key = deviceKeyOf(host, shared);
    const members = groups.get(key);
    if (members && !(key === host.address && !host.isLocal)) {
      if (members.length === 0) continue;
      for (const d of foldDevices(members)) {
        for (const h of [...d.hosts, ...d.folded]) {
          order.push(h.seq);
          upDevice.push(device);
        }
      }
      members.length = 0;
    } else {
      order.push(host.seq);
      upDevice.push(device);
    }
    device++;
  }
  return { up: order, upDevice };
}

/** A scan's screen order from its hosts' `ordered` records (sorted here) and verdict totals. */
function arrange(
  source: HostSource,
  rules: readonly FirewallRule[],
  rulesKey: string,
  undone: RulesUndoneSince,
  ordered: OrderedHost[],
  dropped: number,
  duplicates: ReadonlySet<number>,
  summary: RiskAssessResult,
  counts: ScanCounts,
  levels = new Map<number, HostLevels>(),
): Omit<Prepared, 'now' | 'nowKey'> {
  ordered.sort(compareHostAssessments);
  const { up, upDevice } = deviceOrder(
    ordered.filter((h) => h.status === 'up'),
    source.sharedMacs(true),
  );
  return {
    source,
    rules,
    rulesKey,
    undone,
    summary,
    upDevice,
    dropped,
    duplicates,
    counts,
    levels,
    order: {
      up,
      down: ordered.filter((h) => h.status === 'down').map((h) => h.seq),
      unknown: ordered.filter((h) => h.status === 'unknown').map((h) => h.seq),
    },
  };
}

/**
 * A kept scan's notes, with the ones saying how many rows were left out (see checkedKeptRow, and
 * Prepared.duplicates); an import's are shown as the file's unless the importer wrote them
 * (keptImportNotes).
 */
function notesOf(
  header: ScanHeader,
  { dropped, duplicates }: Pick<Prepared, 'dropped' | 'duplicates'>,
): ScanHeader['result']['notes'] {
  const notes =
    header.record.kind === 'nmap-import' || header.result.source?.kind === 'nmap'
      ? keptImportNotes(header.result.notes)
      : header.result.notes;
  return [
    ...notes,
    // Kept before this PC's addresses were kept with the scan: folded by today's (F1).
    ...(header.thisPc ? [] : [bothLanguages('messages:kept.thisPcToday')]),
    ...(dropped > 0 ? [droppedNote(dropped)] : []),
    ...(duplicates.size > 0 ? [duplicatesNote(duplicates.size)] : []),
  ];
}

/** The verdicts kept with `rows`, as reassessKept reads them (null: the scan was kept without). */
function keptOf(
  summary: RiskAssessResult | null,
  rows: readonly HostRow[],
): RiskAssessResult | null {
  if (!summary) return null;
  return { ...summary, hosts: rows.flatMap((r) => (r.kept ? [r.kept] : [])) };
}

/** Whether `error` is the store's (SQLite's, or the store failing to open), not the file's. */
function isStoreError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof StoreFailure || (typeof code === 'string' && code.startsWith('SQLITE'));
}

function notKeptNotice(failure: AppError): AppError {
  return {
    code: failure.code,
    message: {
      fr: textFor('fr', 'errors')('parts.notKept', { message: failure.message.fr }),
      en: textFor('en', 'errors')('parts.notKept', { message: failure.message.en }),
    },
    ...(failure.params ? { params: failure.params } : {}),
  };
}

function notFound(scanId: string): AppFailure {
  return new AppFailure(Code['scan.not-found'], { scanId });
}

function noLongerKept(scanId: string): AppFailure {
  return new AppFailure(Code['scan.no-longer-kept'], { scanId });
}

/**
 * Every kept scan and import: keeps them with their verdicts (computed here, by the app), pages
 * them by id in the screen's order with Port Auditor's rules as last read applied, and lists the
 * history. A store that cannot be written keeps a scan in memory instead (UNKEPT_MAX), with a
 * notice saying so: scanning never depends on the store.
 */
export class ScanHistory {
  private readonly unkept = new Map<string, StoredScan>();
  /** Checks (`scan.start` with `keep: false`): readable by id, never listed. */
  private readonly checks = new Map<string, StoredScan>();
  private readonly cache = new Map<string, Prepared>();
  /** Listener records of the scans this process kept, never read back from the store. */
  private readonly own = new Map<string, Map<string, LocalPortInfo>>();
  /** This app's name for itself in `shown_scans` (several apps share one store: page, CLI). */
  private readonly holder = randomUUID();
  private leased = false;
  private readonly checkedRows = new CheckedRows();
  /** This PC's listening sockets as last read for kept scans (checkListeners), and their key. */
  private now: ListenersNow = null;
  private nowKey = listenersKey(null);

  /**
   * `local`: this PC's addresses now (kept hosts' `isLocal` is worked out again from them);
   * `importHeapMb`: an import thread's heap (see runImportThread); `kb`: the knowledge base kept
   * scans' verdicts are worked out again with (the shipped one); `threads`: where a big kept scan
   * is prepared (see `prepared`), or null to prepare every scan in this thread (a worker's own
   * ScanHistory: it is off the host's thread already).
   */
  constructor(
    private readonly store: AppStore,
    private readonly dataDir: () => string,
    private readonly assessor: Assessor,
    private readonly local: () => ReadonlySet<string> = thisPcAddresses,
    private readonly importHeapMb = IMPORT_OLD_GENERATION_MB,
    private readonly kb: () => KnowledgeBase = knowledgeBase,
    private readonly threads: PrepareThreads | null = null,
  ) {}

  /**
   * The addresses that are this PC's in kept scan `header`: those the scan kept (what it took as
   * this PC when it ran or was imported, ScanHeader.thisPc), else — a scan kept before they were —
   * this PC's now (`local`), which notesOf then says.
   */
  private localOf(header: ScanHeader): ReadonlySet<string> {
    return header.thisPc ? new Set(header.thisPc) : this.local();
  }

  private remembered(scanId: string, hosts: readonly HostAssessment[]): void {
    const claims = this.own.get(scanId) ?? new Map<string, LocalPortInfo>();
    claimsOf(hosts, claims);
    this.own.delete(scanId);
    this.own.set(scanId, claims);
    while (this.own.size > OWN_MAX) this.own.delete(this.own.keys().next().value as string);
  }

  private ownClaims(scanId: string): OwnClaims | undefined {
    const memory = this.unkept.get(scanId) ?? this.checks.get(scanId);
    if (memory) {
      const claims = new Map<string, LocalPortInfo>();
      claimsOf(memory.assessment?.hosts ?? [], claims);
      return claims;
    }
    return this.own.get(scanId);
  }

  private scans(): ScanStore {
    return new ScanStore(this.store.get());
  }

  /** Runs `work` on the store, turning SQLite's and the file system's errors into a StoreFailure. */
  private withStore<T>(work: (scans: ScanStore) => T): T {
    try {
      return work(this.scans());
    } catch (error) {
      throw storeFailure(error, databasePath(this.dataDir())) ?? error;
    }
  }

  /** The file the store's connection reads when it is a read-only store's copy, else null. */
  private readOnlyCopy(): string | null {
    const db = this.store.get();
    return this.store.problem?.() ? db.name : null;
  }

  private retention(): Settings['history'] {
    return new SettingsStore(this.store.get()).get().history;
  }

  /**
   * Whether `scanId` is taken (kept, or held in memory): a client's new scan must not reuse it.
   * An unreadable store answers from memory only, so scanning still works.
   */
  taken(scanId: string): boolean {
    if (this.unkept.has(scanId) || this.checks.has(scanId)) return true;
    try {
      return this.scans().has(scanId);
    } catch {
      return false;
    }
  }

  /** The verdicts of `hosts`, or null when they cannot be given (the scan is kept without). */
  async assess(hosts: readonly HostResult[]): Promise<RiskAssessResult | null> {
    try {
      return await this.assessor.assess(hosts);
    } catch {
      return null;
    }
  }

  /**
   * Notes that `client` (a page, a window, the CLI) now shows kept scan `scanId`: no retention
   * sweep, of this process or another one on the same store, deletes it until the client shows
   * another one or goes (`forget`); the lease lapses by itself SHOWN_LEASE_MS after it was last
   * renewed, should this process die without saying so. A store that cannot be written only
   * loses that protection: the scan is still shown, and `scan.no-longer-kept` said if it goes.
   */
  showing(client: string, scanId: string): void {
    if (this.unkept.has(scanId) || this.checks.has(scanId)) return;
    try {
      this.leased = true;
      this.scans().show(`${this.holder}:${client}`, scanId, new Date(Date.now() + SHOWN_LEASE_MS));
    } catch {
      // See above: paging never fails for want of the lease.
    }
  }

  /**
   * Ends `client`'s lease (see `showing`), or every lease of this app when `client` is omitted,
   * and its waits for a prepare thread (a thread no other client waits for is stopped).
   */
  forget(client?: string): void {
    this.threads?.closed(client);
    // Never opens the store for nothing (a command that only read the firewall).
    if (!this.leased) return;
    try {
      const scans = this.scans();
      if (client === undefined) scans.unshow(`${this.holder}:`, true);
      else scans.unshow(`${this.holder}:${client}`);
    } catch {
      // A lease that stays lapses by itself.
    }
  }

  /** Port Auditor's rules as the app last read them in the firewall. */
  rules(): readonly FirewallRule[] {
    return this.assessor.rules();
  }

  /** Port Auditor's outbound rules removed since (see Assessor.removedRules). */
  removedRules(): readonly FirewallRule[] {
    return this.assessor.removedRules();
  }

  /** Holds a check's result in memory only (the newest few), readable by id. */
  hold(entry: ScanEntry): KeepOutcome & { kept: true } {
    const record = this.recordOf(entry);
    this.checks.set(entry.result.scanId, {
      record,
      result: entry.result,
      assessment: entry.assessment,
      macAddresses: entry.macAddresses ?? {},
      thisPc: entry.thisPc ?? thisPcOfScan(entry.result),
    });
    while (this.checks.size > UNKEPT_MAX) {
      this.checks.delete(this.checks.keys().next().value as string);
    }
    return { kept: true, record };
  }

  /** Keeps a finished scan or an import with its verdicts; never throws for the store. */
  keep(given: ScanEntry): KeepOutcome {
    const entry: ScanEntry = { ...given, thisPc: given.thisPc ?? thisPcOfScan(given.result) };
    const stored: StoredScan = {
      record: this.recordOf(entry),
      result: entry.result,
      assessment: entry.assessment,
      macAddresses: entry.macAddresses ?? {},
      thisPc: entry.thisPc,
    };
    try {
      const record = this.withStore((scans) => scans.save(entry, this.retention()));
      this.remembered(entry.result.scanId, entry.assessment?.hosts ?? []);
      return { kept: true, record };
    } catch (error) {
      const failure =
        error instanceof AppFailure
          ? error.appError
          : {
              code: Code.internal,
              message: bothLanguages('errors:parts.unexpected', { detail: String(error) }),
            };
      // Listed with the kept ones, but said as not kept (review 13 user F2).
      this.unkept.set(entry.result.scanId, {
        ...stored,
        record: { ...stored.record, notKept: true },
      });
      while (this.unkept.size > UNKEPT_MAX) {
        this.unkept.delete(this.unkept.keys().next().value as string);
      }
      return { kept: false, notice: notKeptNotice(failure) };
    }
  }

  private recordOf(entry: ScanEntry): ScanRecord {
    const { result } = entry;
    return {
      scanId: result.scanId,
      kind: entry.kind,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      savedAt: new Date().toISOString(),
      cancelled: result.cancelled,
      targets: result.request.targets,
      ports: result.request.ports,
      ...(entry.fileName !== undefined ? { fileName: entry.fileName } : {}),
      dateKnown: entry.dateKnown !== false,
      counts: scanCounts(result, entry.assessment?.hosts),
      severities: entry.assessment?.counts ?? null,
    };
  }

  /** History rows, newest first, then the scans held in memory because the store failed. */
  list(
    offset: number,
    limit: number,
  ): { total: number; scans: ScanRecord[]; unreadable?: number; notice?: AppError } {
    const memory = [...this.unkept.values()].map((s) => s.record).reverse();
    let kept: { total: number; scans: ScanRecord[]; unreadable: number };
    try {
      kept = this.withStore((scans) => scans.list(offset, limit));
    } catch (error) {
      if (memory.length === 0) throw error;
      kept = { total: 0, scans: [], unreadable: 0 };
    }
    const readOnly = this.store.problem?.() ?? null;
    const room = Math.max(0, limit - kept.scans.length);
    const fromMemory = memory.slice(Math.max(0, offset - kept.total), room);
    return {
      total: kept.total + memory.length,
      scans: [...fromMemory, ...kept.scans],
      ...(kept.unreadable > 0 ? { unreadable: kept.unreadable } : {}),
      ...(readOnly ? { notice: toAppError(readOnly) } : {}),
    };
  }

  /** The scan kept or run last, or null. */
  latest(): ScanRecord | null {
    const memory = [...this.unkept.values()].at(-1)?.record ?? null;
    let kept: ScanRecord | null = null;
    try {
      kept = this.withStore((scans) => scans.latest());
    } catch (error) {
      if (!memory) throw error;
    }
    if (!memory) return kept;
    if (!kept) return memory;
    return memory.savedAt > kept.savedAt ? memory : kept;
  }

  /**
   * Imports the nmap XML file at `file` and keeps it as a scan of its own (the file's own id may
   * repeat: each import gets a new one), bounded in memory: in a worker thread with a capped heap
   * (import-thread.ts), the hosts go to the store as rows while the file is parsed, then are
   * assessed and written back ROW_BATCH at a time, the totals summed as they go (import-rows.ts);
   * this thread only finishes the scan and keeps its screen order. `onProgress(read, size)` hears
   * the bytes read. A store that cannot be written (damaged, read-only, locked, full) refuses the
   * import (errors `parts.importNotKept`, with the store's code and way out): a file is never
   * parsed in this thread, whose memory has no cap (review 13b, A3). Throws the import's
   * AppFailure (not nmap, unreadable XML…), `report.import-read` for a file that cannot be read,
   * or `report.nmap-too-large` when the file needs more than the thread's memory. When `signal`
   * aborts (the client that asked is gone), the thread stops, the begun scan is removed and
   * `report.import-stopped` is thrown.
   */
  async keepImport(
    file: string,
    options: Omit<NmapImportOptions, 'hosts'>,
    fileName?: string,
    onProgress?: (read: number, size: number) => void,
    signal?: AbortSignal,
  ): Promise<NmapImportResult> {
    const scanId = randomUUID();
    const notImported = (error: unknown): AppFailure => {
      const failure =
        error instanceof ImportStoreFailure
          ? error.appError
          : (storeFailure(error, databasePath(this.dataDir()))?.appError ?? toAppError(error));
      const name = fileName ?? path.basename(file);
      return AppFailure.relay({
        code: failure.code,
        message: {
          fr: textFor('fr', 'errors')('parts.importNotKept', {
            fileName: fileNameWords(name),
            message: failure.message.fr,
          }),
          en: textFor('en', 'errors')('parts.importNotKept', {
            fileName: fileNameWords(name),
            message: failure.message.en,
          }),
        },
        ...(failure.params ? { params: failure.params } : {}),
      });
    };
    let scans: ScanStore;
    try {
      scans = this.scans();
      scans.begin(scanId, 'nmap-import');
    } catch (error) {
      if (!isStoreError(error)) throw error;
      throw notImported(error);
    }
    const abandon = () => {
      try {
        scans.abandon(scanId);
      } catch {
        // The store failing is what the caller hears about.
      }
    };
    const rulesKey = JSON.stringify(this.assessor.rules());
    let rows: ImportedRows;
    try {
      rows = await runImportThread(
        {
          file,
          dataDir: this.dataDir(),
          scanId,
          localAddresses: [...(options.localAddresses ?? [])],
          rules: JSON.parse(rulesKey) as FirewallRule[],
          ...(fileName !== undefined ? { fileName } : {}),
          ...(onProgress ? { progress: true } : {}),
        },
        () => this.assessor.listeners(),
        this.importHeapMb,
        onProgress,
        signal,
      );
    } catch (error) {
      abandon();
      if (!(error instanceof ImportStoreFailure)) throw error;
      throw notImported(error);
    }
    try {
      const { imported, summary } = rows;
      const { hosts: _none, ...header } = imported.scan;
      this.remembered(scanId, rows.ownVerdicts);
      const record = scans.finish(
        scanId,
        {
          kind: rows.kind,
          result: { ...header, scanId },
          counts: rows.counts,
          summary,
          macAddresses: imported.macAddresses,
          ...(fileName ? { fileName } : {}),
          dateKnown: imported.startKnown,
          // What the import thread took as this PC's (`isLocal`, whether nmap ran here).
          thisPc: thisPcRecord(options.localAddresses ?? []),
        },
        this.retention(),
      );
      // The screen order with the rules the verdicts were given with: the first page asked for
      // next is then read from the cache, not worked out again from every row.
      // Only when no removed rule could have hidden a port from the file's scan: the import
      // thread's verdicts do not look at removed rules, prepare's do.
      if (summary && rows.sameRules && this.assessor.removedRules().length === 0) {
        const source = this.source(scanId);
        const rules = JSON.parse(rulesKey) as FirewallRule[];
        // The import's own claims (remembered above) rate this PC's ports: no sockets read again.
        this.remember(scanId, {
          now: null,
          nowKey: OWN_NOW_KEY,
          ...arrange(
            source,
            rules,
            JSON.stringify([rules, []]),
            {
              startedAt: source.header.result.startedAt,
              finishedAt: source.header.result.finishedAt,
              removed: [],
            },
            withSharedMarks(rows.ordered),
            0,
            // The import merged hosts of one address (ScanBuilder): no row repeats another's.
            new Set(),
            {
              ...summary,
              firewallRules: JSON.parse(rulesKey) as FirewallRule[],
            },
            // Worked out by the import thread from the rows it has just written.
            rows.counts,
          ),
        });
      }
      return { scanId, counts: record.counts, kept: true };
    } catch (error) {
      abandon();
      if (!isStoreError(error)) throw error;
      throw notImported(error);
    }
  }

  /**
   * The whole kept scan, rules applied to its verdicts, for exports: unlike paging, this holds the
   * whole scan and its verdicts in memory (a report is made of all of them). Throws
   * `scan.not-found`, `scan.unreadable`, `scan.no-longer-kept` (deleted by retention meanwhile).
   */
  full(scanId: string): StoredScan & { assessment: RiskAssessResult | null } {
    const prepared = this.prepare(scanId);
    const { source, rules, undone, summary, counts } = prepared;
    const local = this.localOf(source.header);
    const { kind } = source.header.record;
    const ranHere = keptRanHere(source.header, local);
    const rows: HostRow[] = [];
    for (let after = -1; ;) {
      const batch = source.rows(after, ROW_BATCH);
      if (batch.length === 0) break;
      for (const row of batch) {
        if (prepared.duplicates.has(row.seq)) continue;
        const checked = checkedKeptRow(row, local, kind, ranHere);
        if (checked) rows.push(checked);
      }
      after = (batch.at(-1) as HostRow).seq;
    }
    this.refuseGone(scanId, source);
    const hosts = rows.map((r) => r.host);
    const assessment = reassessKept(
      hosts,
      keptOf(source.header.summary, rows),
      rules,
      this.kb(),
      this.ownClaims(scanId),
      undone,
      prepared.now,
    );
    const { programsMissing: _batch, ...verdicts } = assessment;
    return {
      record: { ...source.header.record, counts },
      result: { ...source.header.result, notes: notesOf(source.header, prepared), hosts },
      // The totals and programs note the history and the screen show, whatever the last batch said.
      assessment: {
        ...verdicts,
        counts: summary.counts,
        blocked: summary.blocked,
        programsComplete: summary.programsComplete,
        ...(summary.programsMissing ? { programsMissing: summary.programsMissing } : {}),
      },
      macAddresses: source.header.macAddresses,
    };
  }

  /**
   * What an export thread needs of this app to export kept scan `scanId` as `full` gives it
   * (export-thread.ts ExportJob's context): this PC's addresses now, Port Auditor's rules and
   * removed rules as last read, and this process's own claims on the scan's ports when it kept
   * it. Opens the store (checked and upgraded) so the thread can open it again. Null when the scan
   * is held in memory (the store could not keep it, or a check): exported in this thread, as it is
   * held whole already. This PC's listening sockets are read again (checkListeners) and given too,
   * so the report rates this PC's ports as the screen does. Throws `scan.not-found`, or the
   * store's failure.
   */
  async exportContext(
    scanId: string,
  ): Promise<Omit<ExportJob, 'dataDir' | 'scanId' | 'format' | 'lang' | 'pcName'> | null> {
    if (this.unkept.has(scanId) || this.checks.has(scanId)) return null;
    if (!this.ownClaims(scanId)) await this.checkListeners();
    if (!this.withStore((scans) => scans.has(scanId))) {
      // One this process showed and retention deleted since says so, as `full` did (its source
      // is still cached); any other is unknown.
      throw this.cache.has(scanId) ? noLongerKept(scanId) : notFound(scanId);
    }
    const claims = this.own.get(scanId);
    const storeFile = this.readOnlyCopy();
    return {
      ...(storeFile ? { storeFile } : {}),
      localAddresses: [...this.local()],
      rules: [...this.rules()],
      removedRules: [...this.removedRules()],
      listeners: this.now,
      ...(claims ? { claims: [...claims] } : {}),
    };
  }

  /**
   * Reads this PC's listening sockets now (the Assessor's read, shared for a few seconds), which
   * kept scans' verdicts are then worked out with (see reassessKept); a read that fails leaves
   * none (null): this PC's kept ports then get the port-alone verdict. Never throws.
   */
  async checkListeners(): Promise<void> {
    let now: ListenersNow;
    try {
      now = await this.assessor.listeners();
    } catch {
      now = null;
    }
    this.useListeners(now);
  }

  /**
   * Takes `now` as this PC's listening sockets for kept scans' verdicts (see checkListeners): a
   * prepare or export thread is given those its host read.
   */
  useListeners(now: ListenersNow): void {
    this.now = now;
    this.nowKey = listenersKey(now);
  }

  /** The key of the sockets scan `scanId` is rated with: none for one whose claims are ours. */
  private nowKeyFor(scanId: string): string {
    return this.ownClaims(scanId) ? OWN_NOW_KEY : this.nowKey;
  }

  /**
   * Takes `claims` as this process's own for kept scan `scanId` (see `exportContext`): an export
   * thread's ScanHistory believes what the host that kept the scan saw of its ports, as the host's
   * own `full` does.
   */
  adoptClaims(scanId: string, claims: readonly [string, LocalPortInfo][]): void {
    this.own.set(scanId, new Map(claims));
  }

  /**
   * One page of hosts of a kept scan, with their verdicts (see ScanPage); only its rows are read.
   * `client` asks for it (see `prepared`). Throws as `prepared` does.
   */
  async page(
    request: Required<Pick<ScanGetRequest, 'scanId'>> & Required<ScanGetRequest>,
    client = 'in-process',
  ): Promise<ScanPage> {
    const prepared = await this.prepared(request.scanId, client);
    const { source, summary } = prepared;
    const { header } = source;
    const list = prepared.order[request.status];
    // A device's addresses (This PC's, or two sharing a MAC) are never cut across two pages.
    const [start, end] =
      request.status === 'up'
        ? devicePageBounds(prepared.upDevice, request.offset, request.limit)
        : [request.offset, request.offset + request.limit];
    const local = this.localOf(header);
    const { kind } = header.record;
    const ranHere = keptRanHere(header, local);
    const rows = source
      .rowsAt(list.slice(start, end))
      .flatMap((row) => checkedKeptRow(row, local, kind, ranHere) ?? []);
    this.refuseGone(request.scanId, source);
    // Cut first, then assess: only the ports the page carries get a verdict (a port's verdict is
    // its own), so a tarpit's 65,535 ports cost 200 verdicts, not 65,535 (review 13c, B1).
    const { hosts, cut, portsLeftOut, openPortList } = cutForPage(rows.map((r) => r.host));
    const own = this.ownClaims(request.scanId);
    const verdicts = reassessKept(
      hosts,
      keptOf(header.summary, rows),
      prepared.rules,
      this.kb(),
      own,
      prepared.undone,
      prepared.now,
    );
    const notes = notesOf(header, prepared);
    // A cut host's card still shows its whole verdict: one grouped verdict whatever its ports
    // for a host answering on every port (summariseHost), else its levels with all its ports.
    const whole = new Map<string, HostLevels>();
    rows.forEach((row, i) => {
      if (cut[i] && !row.host.answersEveryPort) {
        whole.set(row.host.address, this.levelsAt(prepared, row, own));
      }
    });
    const byAddress = new Map(verdicts.hosts.map((h) => [h.address, h]));
    const statusCounts = { up: 0, down: 0, unknown: 0 } as Record<HostStatus, number>;
    for (const status of Object.keys(prepared.order) as HostStatus[]) {
      statusCounts[status] = prepared.order[status].length;
    }
    const details: ScanDetails = {
      ...header.record,
      counts: prepared.counts,
      request: header.result.request,
      portCount: header.result.portCount,
      notes,
      statusCounts,
      severities: summary.counts,
    };
    return {
      scan: details,
      result: { ...header.result, notes },
      total: list.length,
      offset: request.offset,
      // The MAC the file or the neighbour table gave, with its maker for the card.
      hosts: hosts.map((h) => {
        const given = h.mac ? null : header.macAddresses[h.address];
        const mac = given ? normaliseMac(given) : null;
        return withMacVendor(mac ? { ...h, mac } : h);
      }),
      assessment: {
        ...summary,
        hosts: hosts.flatMap((h) => {
          const found = byAddress.get(h.address);
          if (!found) return [];
          const levels = whole.get(h.address);
          return [levels ? { ...found, ...levels } : found];
        }),
      },
      macAddresses: Object.fromEntries(
        hosts.flatMap((h) => {
          const mac = header.macAddresses[h.address] ?? h.mac;
          return mac ? [[h.address, mac]] : [];
        }),
      ),
      ...(Object.keys(portsLeftOut).length > 0 ? { portsLeftOut } : {}),
      ...(Object.keys(openPortList).length > 0 ? { openPortList } : {}),
    };
  }

  /**
   * The levels of kept host `row` (checked) with all its ports, as prepare found them with the
   * same rules, or worked out here once for a host it did not keep them for (an import's order
   * comes from its thread) and kept with them.
   */
  private levelsAt(prepared: Prepared, row: HostRow, own: OwnClaims | undefined): HostLevels {
    const known = prepared.levels.get(row.seq);
    if (known) return known;
    const verdict = reassessKept(
      [row.host],
      keptOf(prepared.source.header.summary, [row]),
      prepared.rules,
      this.kb(),
      own,
      prepared.undone,
      prepared.now,
    ).hosts[0];
    const levels: HostLevels = verdict
      ? levelsOf(verdict)
      : { worst: null, counts: emptySeverityCounts(), blocked: 0 };
    prepared.levels.set(row.seq, levels);
    return levels;
  }

  /**
   * More ports of one host of a kept scan (see ScanHostPortsRequest), with their verdicts as the
   * page gives them; `client` asks for them (see `prepared`). Throws `scan.not-found` / `scan.no-longer-kept` / `scan.unreadable`, and
   * `scan.host-unknown` when the scan has no such address (or its row no longer reads as one).
   */
  async hostPorts(
    request: Required<ScanHostPortsRequest>,
    client = 'in-process',
  ): Promise<ScanHostPorts> {
    const { scanId, address, offset, limit } = request;
    const prepared = await this.prepared(scanId, client);
    const { source } = prepared;
    const { row, ordered } = this.checkedRow(scanId, source, address, prepared.duplicates);
    this.refuseGone(scanId, source);
    const ports = ordered.slice(offset, offset + limit);
    const listed = new Set(ports.map((p) => `${p.protocol}/${p.port}`));
    const only = (kept: HostAssessment | null) =>
      kept && { ...kept, ports: kept.ports.filter((p) => listed.has(`${p.protocol}/${p.port}`)) };
    // Only these ports are assessed: a port's verdict is its own (the host's grouped "every port"
    // verdict rides on `answersEveryPort`), and a 65,535-port host is read for each of its pages.
    const verdicts = reassessKept(
      [{ ...row.host, ports }],
      keptOf(source.header.summary, [{ ...row, kept: only(row.kept) }]),
      prepared.rules,
      this.kb(),
      this.ownClaims(scanId),
      // As the page: a device port a since-removed rule hid keeps its finding here too.
      prepared.undone,
      prepared.now,
    ).hosts[0];
    return {
      scanId,
      address,
      total: ordered.length,
      offset,
      ports,
      verdicts: only(verdicts ?? null),
    };
  }

  /**
   * Kept host `address` of scan `scanId` (from `source`), checked as checkedKeptRow checks it
   * with this PC's addresses now, and its ports in page order: read and checked once while it
   * stays in CheckedRows, whose key holds all the check reads (the scan, the address, this PC's
   * addresses, whether its file ran here), so a change of any of them reads the row again. A row
   * deleted since is refused by the caller's refuseGone. Throws `scan.host-unknown` when the scan
   * has no such address (or its row no longer reads as one), `scan.unreadable`.
   */
  private checkedRow(
    scanId: string,
    source: HostSource,
    address: string,
    duplicates: ReadonlySet<number>,
  ): { row: HostRow; ordered: PortResult[] } {
    const local = this.localOf(source.header);
    const { kind } = source.header.record;
    const ranHere = keptRanHere(source.header, local);
    const key = JSON.stringify([scanId, address, ranHere, [...local].sort()]);
    const known = this.checkedRows.get(key);
    if (known) return known;
    const seq = source.seqOf(address);
    // The scan's own kind: an import's loopback is this PC only when its file proves it.
    // A row edited to repeat an earlier row's address is no host of the scan (review 13c B4).
    const row =
      seq === null || duplicates.has(seq)
        ? undefined
        : source.rowsAt([seq]).flatMap((r) => checkedKeptRow(r, local, kind, ranHere) ?? [])[0];
    if (!row || row.host.address !== address) {
      this.refuseGone(scanId, source);
      throw new AppFailure(Code['scan.host-unknown'], { scanId, address });
    }
    return this.checkedRows.set(key, row);
  }

  private source(scanId: string): HostSource {
    const memory = this.unkept.get(scanId) ?? this.checks.get(scanId);
    if (memory) return memorySource(memory);
    const header = this.withStore((scans) => scans.header(scanId));
    if (header === null) throw notFound(scanId);
    if (header === 'unreadable') throw unreadable(scanId);
    const checked = (rows: HostRow[] | 'unreadable'): HostRow[] => {
      if (rows === 'unreadable') throw unreadable(scanId);
      return rows;
    };
    return {
      header,
      // This PC's addresses worked out again, as for the rows (checkedKeptRow): an edited
      // `is_local` neither splits a device nor groups an address of this PC with one.
      sharedMacs: (upOnly) => {
        const local = this.localOf(header);
        const ranHere = keptRanHere(header, local);
        return this.withStore((scans) =>
          scans.sharedMacs(scanId, upOnly, (address) =>
            notADeviceNow(address, local, header.record.kind, ranHere),
          ),
        );
      },
      rows: (after, limit) => checked(this.withStore((scans) => scans.rows(scanId, after, limit))),
      rowsAt: (seqs) => checked(this.withStore((scans) => scans.rowsAt(scanId, seqs))),
      seqOf: (address) => this.withStore((scans) => scans.seqOf(scanId, address)),
      stillKept: () => this.withStore((scans) => scans.has(scanId)),
    };
  }

  /**
   * Throws `scan.no-longer-kept` when retention deleted the scan: asked after its rows are read,
   * so rows read during or after the deletion are never shown or exported. Its cache entry stays
   * (evicted as any other), so asking again says the same.
   */
  private refuseGone(scanId: string, source: HostSource): void {
    if (!source.stillKept()) throw noLongerKept(scanId);
  }

  /**
   * `prepare`, off this thread for a big kept scan: one weighing more than PREPARE_THREAD_FROM
   * (hosts plus open ports, as its history row counts them) is prepared by a prepare thread
   * (`threads`, which runs at most a few at once and one per scan and rules, `client` waiting for
   * it) reading the rows itself, its verdicts worked out again there exactly as `prepare` would,
   * so the app answers its other requests meanwhile (review A2). A scan held in memory, a small
   * one, one cached with these rules, or no `threads`: `prepare` here. Throws as `prepare` does,
   * and `internal` when `client` closed meanwhile (see `forget`).
   */
  private async prepared(scanId: string, client: string): Promise<Prepared> {
    // This PC's sockets now rate its kept ports as the live scan rated them (reassessKept); a
    // scan rated by this process's own claims needs none (a read is a PowerShell run on Windows).
    if (!this.ownClaims(scanId)) await this.checkListeners();
    const threads = this.threads;
    if (!threads || this.unkept.has(scanId) || this.checks.has(scanId)) {
      return this.prepare(scanId);
    }
    const rules = this.assessor.rules();
    const removed = this.assessor.removedRules();
    const rulesKey = JSON.stringify([rules, removed]);
    const now = this.now;
    const nowKey = this.nowKeyFor(scanId);
    const cached = this.cache.get(scanId);
    if (cached && cached.rulesKey === rulesKey && cached.nowKey === nowKey) {
      return this.prepare(scanId);
    }
    const source = cached?.source ?? this.source(scanId);
    const { counts } = source.header.record;
    if (counts.hosts + counts.openPorts <= PREPARE_THREAD_FROM) return this.prepare(scanId);
    const claims = this.own.get(scanId);
    const storeFile = this.readOnlyCopy();
    const job: PrepareJob = {
      dataDir: this.dataDir(),
      ...(storeFile ? { storeFile } : {}),
      scanId,
      localAddresses: [...this.local()],
      rules: [...rules],
      removedRules: [...removed],
      listeners: now,
      ...(claims ? { claims: [...claims] } : {}),
    };
    // The claims and this PC's sockets change what is said of this PC's ports: part of what
    // makes two requests one.
    const numbers = await threads.prepare(
      JSON.stringify([
        scanId,
        this.dataDir(),
        rulesKey,
        job.localAddresses,
        job.claims ?? null,
        nowKey,
      ]),
      job,
      client,
    );
    const prepared = { ...fromNumbers(source, rules, rulesKey, numbers), now, nowKey };
    this.remember(scanId, prepared);
    return prepared;
  }

  /**
   * What a prepare thread sends back of kept scan `scanId` (see prepare-worker.ts): `prepare`'s
   * numbers, without the rows' source. Throws as `prepare` does.
   */
  preparedNumbers(scanId: string): PreparedNumbers {
    const prepared = this.prepare(scanId);
    return {
      summary: prepared.summary,
      order: prepared.order,
      upDevice: prepared.upDevice,
      dropped: prepared.dropped,
      duplicates: [...prepared.duplicates],
      counts: prepared.counts,
      levels: [...prepared.levels],
    };
  }

  /**
   * The screen order and verdict totals of scan `scanId` with Port Auditor's rules as last read,
   * worked out a batch of rows at a time (only a few numbers per host are held) and cached until
   * the rules change. Verdicts are worked out again, never read back: the stored texts and
   * severities are in a file any program of the user can edit (see reassessKept).
   */
  private prepare(scanId: string): Prepared {
    const rules = this.assessor.rules();
    const removed = this.assessor.removedRules();
    // Removing a rule changes what the scan is said to have missed, so it is part of the key.
    const rulesKey = JSON.stringify([rules, removed]);
    const now = this.now;
    // Sockets that changed since rate this PC's kept ports otherwise: part of the key.
    const nowKey = this.nowKeyFor(scanId);
    const cached = this.cache.get(scanId);
    if (cached && cached.rulesKey === rulesKey && cached.nowKey === nowKey) {
      // Most recently used last, so the eviction below drops the least recent.
      this.cache.delete(scanId);
      this.cache.set(scanId, cached);
      return cached;
    }
    const source = cached?.source ?? this.source(scanId);
    const undone: RulesUndoneSince = {
      startedAt: source.header.result.startedAt,
      finishedAt: source.header.result.finishedAt,
      removed,
    };
    const kb = this.kb();
    const kept = source.header.summary;
    const totals = new VerdictTotals(source.sharedMacs(false));
    const tally = new ScanCountsTally(source.sharedMacs(true));
    const local = this.localOf(source.header);
    const { kind } = source.header.record;
    const ranHere = keptRanHere(source.header, local);
    const own = this.ownClaims(scanId);
    let hidden = false;
    let lacking = false;
    let dropped = 0;
    const duplicates = new Set<number>();
    // Addresses of the rows taken so far: a later row with one of them is an edit (B4).
    const addresses = new Set<string>();
    const ordered: OrderedHost[] = [];
    const levels = new Map<number, HostLevels>();
    for (let after = -1; ;) {
      const read = source.rows(after, ROW_BATCH);
      if (read.length === 0) break;
      after = (read.at(-1) as HostRow).seq;
      const checked = read.flatMap((row) => checkedKeptRow(row, local, kind, ranHere) ?? []);
      dropped += read.length - checked.length;
      const rows = checked.filter(({ seq, host }) => {
        if (!addresses.has(host.address)) return addresses.add(host.address);
        duplicates.add(seq);
        return false;
      });
      const keptRows = keptOf(kept, rows);
      const mayName = mayNameProgram(keptRows, own);
      const hosts = rows.map((r) => hostForTotals(r.host, mayName));
      const verdicts = reassessKept(hosts, keptRows, rules, kb, own, undone, now);
      hidden ||= verdicts.programsMissing === 'not-elevated';
      // Another PC's or process's scan: only a record the sockets do not confirm is "no longer
      // listens the same way"; a port whose owner was never known is not (review 13 final N1).
      const unnamed = (p: HostAssessment['ports'][number]) =>
        !p.program &&
        (own !== undefined || hidden || p.reasons.some((r) => r.ruleId === KEPT_CLAIM_UNCHECKED));
      lacking ||= verdicts.hosts.some((h) => h.isLocal && h.ports.some(unnamed));
      const byAddress = new Map<string, HostAssessment>(verdicts.hosts.map((h) => [h.address, h]));
      for (const { seq, host } of rows) {
        const verdict = byAddress.get(host.address);
        tally.add(host, verdict);
        if (verdict) totals.add(verdict);
        ordered.push(orderedHost(seq, host, verdict ?? null));
        if (verdict && !host.answersEveryPort && host.ports.length > LEVELS_FROM) {
          levels.set(seq, levelsOf(verdict));
        }
      }
    }
    const prepared: Prepared = {
      now,
      nowKey,
      ...arrange(
        source,
        rules,
        rulesKey,
        undone,
        ordered,
        dropped,
        duplicates,
        {
          hosts: [],
          ...totals.result(),
          ...keptProgramsNote(
            own ? kept?.programsComplete !== false : !hidden,
            lacking,
            own !== undefined,
          ),
          firewallRules: [...rules],
        },
        tally.counts(source.header.record.counts.addresses),
        levels,
      ),
    };
    this.remember(scanId, prepared);
    return prepared;
  }

  private remember(scanId: string, prepared: Prepared): void {
    this.cache.delete(scanId);
    this.cache.set(scanId, prepared);
    while (this.cache.size > CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
  }
}

/**
 * A Prepared from a prepare thread's `numbers` (see PreparedNumbers), worked out with `rules`
 * (keyed `rulesKey`), over the host's own `source` of the scan's rows.
 */
function fromNumbers(
  source: HostSource,
  rules: readonly FirewallRule[],
  rulesKey: string,
  numbers: PreparedNumbers,
): Omit<Prepared, 'now' | 'nowKey'> {
  const removed = (JSON.parse(rulesKey) as [unknown, FirewallRule[]])[1];
  return {
    source,
    rules,
    rulesKey,
    undone: {
      startedAt: source.header.result.startedAt,
      finishedAt: source.header.result.finishedAt,
      removed,
    },
    summary: numbers.summary,
    order: numbers.order,
    upDevice: numbers.upDevice,
    dropped: numbers.dropped,
    duplicates: new Set(numbers.duplicates),
    counts: numbers.counts,
    levels: new Map(numbers.levels),
  };
}

/** Prepared.nowKey of a scan rated by this process's own claims, whatever the sockets now. */
const OWN_NOW_KEY = 'own';

/**
 * A key saying which sockets `now` are (see Prepared.nowKey): the same sockets in any order give
 * the same key.
 */
export function listenersKey(now: ListenersNow): string {
  if (!now) return 'none';
  const one = (l: ListenersResult['listeners'][number]) =>
    JSON.stringify([l.protocol, l.address, l.port, l.program ?? null]);
  return JSON.stringify([now.complete, now.elevated ?? null, now.listeners.map(one).sort()]);
}

/**
 * Whether a reopened scan's listed ports of this PC all have their program, and why not. A scan
 * this process made keeps what it said when made (`madeHere`, `complete`: its programsComplete,
 * false only when owners were hidden for lack of rights). Any other kept scan is rated with this
 * PC's sockets now: `complete` false when they hid some owners for lack of rights this process
 * does not have (ownersHidden), the one case the "run as administrator" advice is given; else a
 * listed port of this PC without its program (`lacking`: its recorded program no longer listens
 * the same way, or none was recorded) is said to be that (review 15, #5; issue 13 review, #2).
 */
export function keptProgramsNote(
  complete: boolean,
  lacking: boolean,
  madeHere: boolean,
): Pick<RiskAssessResult, 'programsComplete' | 'programsMissing'> {
  if (madeHere) {
    return complete || !lacking
      ? { programsComplete: true }
      : { programsComplete: false, programsMissing: 'not-elevated' };
  }
  if (!lacking) return { programsComplete: true };
  return complete
    ? { programsComplete: false, programsMissing: 'kept' }
    : { programsComplete: false, programsMissing: 'not-elevated' };
}
