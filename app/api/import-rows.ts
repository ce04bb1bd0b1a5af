import {
  Code,
  type FirewallRule,
  type HostAssessment,
  type HostReason,
  type HostResult,
  type HostStatus,
  type PortState,
  type Protocol,
  type RiskAssessResult,
  type ScanCounts,
  type Severity,
} from '../contract/index.js';
import { isFilePc } from '../contract/devices.js';
import { AppFailure } from '../errors.js';
import {
  asRanHere,
  ranOnThisPc,
  type NmapImport,
  type NmapImportOptions,
} from '../report/nmap-xml-import.js';
import { keptPart } from '../risk/reassess.js';
import { VerdictTotals } from '../risk/verdict-totals.js';
import { ROW_BATCH, ROW_BATCH_BYTES, type HostRow } from '../store/scan-rows.js';
import { ScanCountsTally, type ScanStore } from '../store/scans.js';
import { readNmapFile } from './picked-import.js';

/** The failure of a kept scan whose rows cannot be read back. */
export function unreadable(scanId: string): AppFailure {
  return new AppFailure(Code['scan.unreadable'], { scanId });
}

/** What ordering reads of a host: the fold (devices.ts) and compareHostAssessments. */
export interface OrderedHost {
  seq: number;
  address: string;
  isLocal: boolean;
  mac?: string;
  /** Only when it names the imported file's own machine (devices.ts isFilePc): one device. */
  reason?: HostReason;
  status: HostStatus;
  worst: Severity | null;
  /** Stands for its ports as the fold reads them: whether one is open, whether any is listed. */
  ports: readonly { port: number; protocol: Protocol; state: PortState }[];
}

const OPEN_MARK = [{ port: 0, protocol: 'tcp', state: 'open' }] as const;
const LISTED_MARK = [{ port: 0, protocol: 'tcp', state: 'closed' }] as const;

/** What ordering keeps of a host and its verdicts. */
export function orderedHost(
  seq: number,
  host: HostResult,
  verdict: HostAssessment | null,
): OrderedHost {
  return {
    seq,
    address: host.address,
    isLocal: host.isLocal,
    ...(host.mac ? { mac: host.mac } : {}),
    ...(isFilePc(host) ? { reason: host.reason } : {}),
    status: host.status,
    worst: verdict?.worst ?? null,
    ports: host.ports.some((p) => p.state === 'open')
      ? OPEN_MARK
      : host.ports.length > 0
        ? LISTED_MARK
        : [],
  };
}

/**
 * `ordered` with each host's `ports` the shared marks again (records copied from another thread
 * carry a copy each), so a 65,000-host order costs a few numbers per host. Returns `ordered`.
 */
export function withSharedMarks(ordered: OrderedHost[]): OrderedHost[] {
  for (const host of ordered) {
    const first = host.ports[0];
    host.ports = !first ? [] : first.state === 'open' ? OPEN_MARK : LISTED_MARK;
  }
  return ordered;
}

/** An import's rows written with their verdicts: what keeping it as a scan still needs. */
export interface ImportedRows {
  /** What the file was: an nmap XML file, or a JSON report of this app's (import-json-rows.ts). */
  kind: 'nmap-import' | 'json-report';
  /** The file's scan, `hosts` empty (they are the rows). */
  imported: NmapImport;
  /** The scan's counts (scanCounts), tallied row by row. */
  counts: ScanCounts;
  /** The verdict totals (`hosts` empty), or null when verdicts could not be given. */
  summary: RiskAssessResult | null;
  /** Every host's ordering record, in seq order (unsorted). */
  ordered: OrderedHost[];
  /** The verdicts of this PC's hosts (isLocal), whose listener records the app keeps. */
  ownVerdicts: HostAssessment[];
  /** Whether every batch was assessed with the rules given as `rulesKey`. */
  sameRules: boolean;
}

/**
 * What the import thread assesses of `host`: a device answering open on every port
 * (`answersEveryPort`, not this PC) without its ports. Its verdict is one grouped verdict whose
 * severity, counts and order are the same whatever its ports (summariseHost, countServices), and
 * nothing of its ports' verdicts is kept (keptPart keeps this PC's ports and ports seen open by
 * an earlier scan, which an import does not know): 65,535 port verdicts per such host would be
 * held for nothing (review 13c attacker B2). Reopening the scan gives its ports their verdicts.
 */
export function assessedPart(host: HostResult): HostResult {
  return host.answersEveryPort && !host.isLocal ? { ...host, ports: [] } : host;
}

/**
 * Imports the nmap XML file at `file` into the rows of scan `scanId` (begun in `scans`, not
 * finished), then gives the rows their verdicts a batch at a time (ROW_BATCH hosts or
 * ROW_BATCH_BYTES of rows, PORT_BATCH's ports, whichever comes first: ScanStore.batch) with
 * `assess`, summing the counts and verdict totals as it goes (ScanCountsTally, VerdictTotals), so
 * only one batch of hosts and ports is held at a time; a host answering on every port is assessed
 * as its one grouped verdict (assessedPart). An `assess` that throws leaves the scan without verdicts (summary null).
 * `rulesKey` is the firewall rules the caller will order the scan with, as JSON; `onProgress`
 * hears the bytes read (readNmapFile). Throws the import's AppFailure, `report.import-read` naming
 * a file that cannot be read (readNmapFile), or SQLite's errors as they come.
 */
export async function importRows(
  scans: ScanStore,
  scanId: string,
  file: string,
  options: Omit<NmapImportOptions, 'hosts'>,
  assess: (hosts: readonly HostResult[]) => Promise<RiskAssessResult>,
  rulesKey: string,
  onProgress: (read: number, size: number) => void = () => undefined,
): Promise<ImportedRows> {
  const writer = scans.writer(scanId);
  const imported = await readNmapFile(file, { ...options, hosts: writer }, onProgress);
  writer.flush();
  // The rows were written before the file's end proved where nmap ran: its loopback hosts are
  // this PC when it ran here (ranOnThisPc), as reopening the scan works out (checkedKeptRow).
  const ranHere = ranOnThisPc(imported.scan.source, options.localAddresses);
  const asRead = (row: HostRow): HostRow => (ranHere ? { ...row, host: asRanHere(row.host) } : row);
  return {
    kind: 'nmap-import',
    imported,
    ...(await assessWrittenRows(scans, scanId, asRead, assess, rulesKey, imported.scan.addresses)),
  };
}

/**
 * Gives the rows of scan `scanId` (written, the scan not finished) their verdicts a batch at a
 * time (ROW_BATCH hosts or ROW_BATCH_BYTES of rows: ScanStore.batch) with `assess`, each row as
 * `asRead` gives it, summing the counts (for `addresses` covered) and verdict totals as it goes,
 * so only one batch of hosts and ports is held at a time (see importRows). Throws
 * `scan.unreadable` when the rows cannot be read back, SQLite's errors as they come.
 */
export async function assessWrittenRows(
  scans: ScanStore,
  scanId: string,
  asRead: (row: HostRow) => HostRow,
  assess: (hosts: readonly HostResult[]) => Promise<RiskAssessResult>,
  rulesKey: string,
  addresses: number,
): Promise<Omit<ImportedRows, 'imported' | 'kind'>> {
  const tally = new ScanCountsTally(scans.sharedMacs(scanId, true));
  const totals = new VerdictTotals(scans.sharedMacs(scanId, false));
  let verdicts = true;
  let programsComplete = true;
  let firewallRules: FirewallRule[] | undefined;
  let sameRules = true;
  const ordered: OrderedHost[] = [];
  const ownVerdicts: HostAssessment[] = [];
  for (let after = -1; ;) {
    // Written by this import a moment ago: not checked again.
    const written = scans.batch(scanId, after, ROW_BATCH, ROW_BATCH_BYTES, false);
    if (written === 'unreadable') throw unreadable(scanId);
    if (written.length === 0) break;
    const rows = written.map(asRead);
    after = (rows.at(-1) as HostRow).seq;
    const hosts = rows.map((r) => r.host);
    for (const host of hosts) tally.add(host);
    if (!verdicts) continue;
    let assessment: RiskAssessResult;
    try {
      assessment = await assess(hosts.map(assessedPart));
    } catch {
      // Kept without verdicts, as a scan whose assessment failed; they are given on load.
      verdicts = false;
      continue;
    }
    for (const verdict of assessment.hosts) if (verdict.isLocal) ownVerdicts.push(verdict);
    const byAddress = new Map(assessment.hosts.map((h) => [h.address, h]));
    const kept: { seq: number; kept: HostAssessment }[] = [];
    for (const { seq, host } of rows) {
      const verdict = byAddress.get(host.address);
      ordered.push(orderedHost(seq, host, verdict ?? null));
      if (!verdict) continue;
      totals.add(verdict);
      const part = keptPart(verdict);
      if (part) kept.push({ seq, kept: part });
    }
    if (kept.length > 0) scans.setVerdicts(scanId, kept);
    programsComplete &&= assessment.programsComplete;
    firewallRules = assessment.firewallRules;
    sameRules &&= JSON.stringify(firewallRules ?? []) === rulesKey;
  }
  const summary: RiskAssessResult | null = verdicts
    ? {
        hosts: [],
        ...totals.result(),
        programsComplete,
        // Each batch's verdicts were made by this process's listeners, as assessWith words it.
        ...(programsComplete ? {} : { programsMissing: 'not-elevated' as const }),
        ...(firewallRules ? { firewallRules } : {}),
      }
    : null;
  return {
    counts: tally.counts(addresses),
    summary,
    ordered,
    ownVerdicts,
    sameRules,
  };
}
