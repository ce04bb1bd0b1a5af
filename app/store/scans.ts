import { z } from 'zod';
import {
  HostAssessment,
  HostResult,
  RiskAssessResult,
  ScanRecord,
  ScanResult,
  type ScanCounts,
  type ScanKind,
  type Settings,
} from '../contract/index.js';
import {
  deviceKeyOf,
  foldDevices,
  programKey,
  programLookup,
  sharedMacs,
  splitByProgram,
} from '../contract/devices.js';
import { canonicalIp, splitZone } from '../net/address.js';
import type { Db } from './database.js';
import { keptPart } from '../risk/reassess.js';
import { insertHostRows, PORT_BATCH, ROW_BATCH, type HostRow } from './scan-rows.js';

interface ScanRow {
  id: string;
  kind: ScanKind;
  started_at: string;
  finished_at: string;
  saved_at: string;
  cancelled: 0 | 1;
  targets: string;
  ports: string;
  file_name: string | null;
  date_known: 0 | 1;
  addresses: number;
  hosts: number;
  hosts_up: number;
  devices_up: number;
  open_ports: number;
  severities: string | null;
}

/** What is kept of one scan or import. */
export interface ScanEntry {
  kind: ScanKind;
  result: ScanResult;
  /** Its verdicts when they could be given, else null. */
  assessment: RiskAssessResult | null;
  macAddresses?: Record<string, string>;
  /** The imported file's name (imports). */
  fileName?: string;
  /** False when an imported file had no start time (the import's clock stood in). */
  dateKnown?: boolean;
  /** This PC's addresses when the scan ran or the file was imported (see ScanHeader.thisPc). */
  thisPc?: readonly string[];
}

/** A kept scan's own row: what the history lists, the scan's header, its verdict summary. */
export interface ScanHeader {
  record: ScanRecord;
  /** The result without its hosts (kept as rows, see HostRow). */
  result: Omit<ScanResult, 'hosts'>;
  /** The verdicts' summary as kept (`hosts` empty), or null when kept without verdicts. */
  summary: RiskAssessResult | null;
  macAddresses: Record<string, string>;
  /**
   * This PC's addresses (IP literals, no zone) when the scan ran or the file was imported, so a
   * reopened scan takes as this PC what the scan took, wherever this PC is now (issue 13 rev13user
   * F1); absent for a scan kept before they were recorded, or whose record does not read as a
   * list of at most MAX_THIS_PC_ADDRESSES IP literals (edited): today's addresses stand in.
   */
  thisPc?: readonly string[];
}

/** What finishing a kept scan's row writes, its hosts being already in their rows. */
export interface ScanFinish {
  kind: ScanKind;
  result: Omit<ScanResult, 'hosts'>;
  counts: ScanCounts;
  /** The verdicts' summary (`hosts` empty), or null when none could be given. */
  summary: RiskAssessResult | null;
  macAddresses?: Record<string, string>;
  fileName?: string;
  dateKnown?: boolean;
  /** See ScanHeader.thisPc. */
  thisPc?: readonly string[];
}

/** A kept scan read back whole, each part checked against the contract. */
export interface StoredScan {
  record: ScanRecord;
  result: ScanResult;
  /** Null when kept without verdicts, or when those kept no longer fit the contract. */
  assessment: RiskAssessResult | null;
  macAddresses: Record<string, string>;
  /** See ScanHeader.thisPc. */
  thisPc?: readonly string[];
}

/**
 * A history row as this app writes it: its dates ISO 8601 (toISOString). A row edited to hold
 * other text there (issue 13 review F6: `saved_at='x'`) is unreadable, never shown as a date (the
 * contract types them as plain strings).
 */
const KeptRecord = ScanRecord.extend({
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  savedAt: z.iso.datetime(),
});

const RECORD_COLUMNS = `id, kind, started_at, finished_at, saved_at, cancelled, targets, ports,
  file_name, date_known, addresses, hosts, hosts_up, devices_up, open_ports, severities`;

/**
 * The counts the history shows, from a result's hosts: open ports per device and service, not per
 * address (this PC's port open on its LAN address and on 127.0.0.1 is one open port of one device);
 * with the scan's `verdicts`, a port two different programs hold is two services (splitByProgram).
 */
export function scanCounts(
  result: ScanResult,
  verdicts: readonly HostAssessment[] = [],
): ScanCounts {
  const up = result.hosts.filter((host) => host.status === 'up');
  // A port two programs hold is two services (the rows the page, CLI and PDF list: review 13 F2).
  const devices = foldDevices(up, programLookup(verdicts));
  const openPorts = devices.reduce((n, device) => n + device.services.length, 0);
  return {
    addresses: result.addresses,
    hosts: result.hosts.length,
    hostsUp: up.length,
    devicesUp: devices.length,
    openPorts,
  };
}

/**
 * ScanCounts summed host by host (a batch at a time), equal to scanCounts over the same hosts:
 * an address that is a device of its own adds one device and its open ports; the addresses of one
 * device (this PC's, or those sharing a MAC — `sharedUpMacs`, found over the answering hosts as
 * scanCounts does) are counted together by device key.
 */
export class ScanCountsTally {
  private hosts = 0;
  private up = 0;
  private singles = 0;
  private singlePorts = 0;
  private readonly devices = new Set<string>();
  /** Per device and port, the program (programKey) of each address it is open on. */
  private readonly services = new Map<string, (string | undefined)[]>();

  constructor(private readonly sharedUpMacs: ReadonlySet<string>) {}

  /** Adds `host`; its `verdict` names each open port's program (two programs: two services). */
  add(host: HostResult, verdict?: Pick<HostAssessment, 'address' | 'ports'>): void {
    this.hosts++;
    if (host.status !== 'up') return;
    this.up++;
    const open = new Map(
      host.ports.filter((p) => p.state === 'open').map((p) => [`${p.protocol}/${p.port}`, p]),
    );
    const key = deviceKeyOf(host, this.sharedUpMacs);
    if (key === host.address && !host.isLocal) {
      this.singles++;
      this.singlePorts += open.size;
      return;
    }
    this.devices.add(key);
    const programOf = programLookup(verdict ? [verdict] : []);
    for (const [id, p] of open) {
      const program = programKey(programOf(host.address, p.port, p.protocol));
      const seen = this.services.get(`${key}|${id}`);
      if (seen) seen.push(program);
      else this.services.set(`${key}|${id}`, [program]);
    }
  }

  counts(addresses: number): ScanCounts {
    return {
      addresses,
      hosts: this.hosts,
      hostsUp: this.up,
      devicesUp: this.singles + this.devices.size,
      openPorts:
        this.singlePorts +
        [...this.services.values()].reduce(
          (n, programs) => n + splitByProgram(programs, (k) => k).length,
          0,
        ),
    };
  }
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function toRecord(row: ScanRow): ScanRecord {
  const severities = RiskAssessResult.shape.counts.safeParse(parseJson(row.severities));
  return {
    scanId: row.id,
    kind: row.kind,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    savedAt: row.saved_at,
    cancelled: row.cancelled === 1,
    targets: row.targets,
    ports: row.ports,
    ...(row.file_name !== null ? { fileName: row.file_name } : {}),
    dateKnown: row.date_known === 1,
    counts: {
      addresses: row.addresses,
      hosts: row.hosts,
      hostsUp: row.hosts_up,
      devicesUp: row.devices_up,
      openPorts: row.open_ports,
    },
    severities: severities.success ? severities.data : null,
  };
}

/**
 * Writes the hosts of a scan being kept as rows, ROW_BATCH hosts or PORT_BATCH ports at a time
 * (whichever comes first) in a transaction each, as they come (the nmap import's host sink): the
 * hosts of a batch not yet written are held, the others read back when a later `<host>` of the
 * same address is merged into one. Call `flush` at the end. Throws SQLite's errors as they come.
 */
export class HostRowWriter {
  private pending: HostResult[] = [];
  private pendingPorts = 0;
  private written = 0;

  constructor(
    private readonly db: Db,
    private readonly scanId: string,
  ) {}

  /** Hosts added so far. */
  get count(): number {
    return this.written + this.pending.length;
  }

  add(host: HostResult): void {
    this.pending.push(host);
    this.pendingPorts += host.ports.length;
    if (this.pending.length >= ROW_BATCH || this.pendingPorts >= PORT_BATCH) this.flush();
  }

  get(index: number): HostResult {
    if (index >= this.written) return this.pending[index - this.written] as HostResult;
    const text = this.db
      .prepare('SELECT host FROM scan_hosts WHERE scan_id = ? AND seq = ?')
      .pluck()
      .get(this.scanId, index) as string;
    return JSON.parse(text) as HostResult;
  }

  set(index: number, host: HostResult): void {
    if (index >= this.written) {
      const before = this.pending[index - this.written] as HostResult;
      this.pending[index - this.written] = host;
      this.pendingPorts += host.ports.length - before.ports.length;
      if (this.pendingPorts >= PORT_BATCH) this.flush();
      return;
    }
    this.db
      .prepare('UPDATE scan_hosts SET status = ?, mac = ?, host = ? WHERE scan_id = ? AND seq = ?')
      .run(host.status, host.mac?.toLowerCase() ?? null, JSON.stringify(host), this.scanId, index);
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending.map((host, i) => ({ seq: this.written + i, host, kept: null }));
    this.db.transaction(() => insertHostRows(this.db, this.scanId, rows))();
    this.written += rows.length;
    this.pending = [];
    this.pendingPorts = 0;
  }
}

/**
 * The `scans` table and its hosts' rows (`scan_hosts`): every finished or cancelled scan and every
 * import, with the verdicts it was kept with, kept within the user's retention
 * (Settings.history). A scan's hosts are written and read a batch of rows at a time, so no step
 * holds a whole large scan. Throws SQLite's errors as they come; callers turn them into a
 * StoreFailure (app/store/failure.ts).
 */
export class ScanStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Whether `scanId` is taken, by a kept scan or one still being written. */
  has(scanId: string): boolean {
    return this.db.prepare('SELECT 1 FROM scans WHERE id = ?').get(scanId) !== undefined;
  }

  /**
   * Starts keeping scan `scanId`: its row, not listed until `finish`, so its hosts can be written
   * (`writer`, `insertRows`) in several transactions. An id already kept throws SQLite's
   * constraint error.
   */
  begin(scanId: string, kind: ScanKind): void {
    const at = this.now().toISOString();
    this.db
      .prepare(
        `INSERT INTO scans (id, kind, started_at, finished_at, saved_at, cancelled, targets, ports,
           addresses, hosts, hosts_up, devices_up, open_ports, result, complete)
         VALUES (?, ?, ?, ?, ?, 0, '', '', 0, 0, 0, 0, 0, '{}', 0)`,
      )
      .run(scanId, kind, at, at, at);
  }

  /** A sink that writes the hosts of the scan `begin` started as they come. */
  writer(scanId: string): HostRowWriter {
    return new HostRowWriter(this.db, scanId);
  }

  /** Writes hosts' rows of a begun scan in one transaction. */
  insertRows(scanId: string, rows: readonly HostRow[]): void {
    this.db.transaction(() => insertHostRows(this.db, scanId, rows))();
  }

  /** Sets the verdicts kept with hosts of a begun scan (by seq), in one transaction. */
  setVerdicts(scanId: string, rows: readonly { seq: number; kept: HostAssessment | null }[]): void {
    const update = this.db.prepare(
      'UPDATE scan_hosts SET assessment = ? WHERE scan_id = ? AND seq = ?',
    );
    this.db.transaction(() => {
      for (const { seq, kept } of rows) update.run(kept ? JSON.stringify(kept) : null, scanId, seq);
    })();
  }

  /**
   * Finishes a begun scan: its header, counts and verdict summary written, listed from now on; then
   * drops what `retention` no longer keeps, in one transaction.
   */
  finish(scanId: string, scan: ScanFinish, retention: Settings['history']): ScanRecord {
    const { result, counts } = scan;
    const savedAt = this.now().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE scans SET kind = ?, started_at = ?, finished_at = ?, saved_at = ?, cancelled = ?,
             targets = ?, ports = ?, file_name = ?, date_known = ?, addresses = ?, hosts = ?,
             hosts_up = ?, devices_up = ?, open_ports = ?, severities = ?, result = ?,
             assessment = ?, macs = ?, this_pc = ?, complete = 1
           WHERE id = ?`,
        )
        .run(
          scan.kind,
          result.startedAt,
          result.finishedAt,
          savedAt,
          result.cancelled ? 1 : 0,
          result.request.targets,
          result.request.ports,
          scan.fileName ?? null,
          scan.dateKnown === false ? 0 : 1,
          counts.addresses,
          counts.hosts,
          counts.hostsUp,
          counts.devicesUp,
          counts.openPorts,
          scan.summary ? JSON.stringify(scan.summary.counts) : null,
          JSON.stringify({ ...result, hosts: [] }),
          scan.summary ? JSON.stringify({ ...scan.summary, hosts: [] }) : null,
          JSON.stringify(scan.macAddresses ?? {}),
          scan.thisPc ? JSON.stringify(thisPcRecord(scan.thisPc)) : null,
          scanId,
        );
      this.prune(retention);
    })();
    const row = this.db.prepare(`SELECT ${RECORD_COLUMNS} FROM scans WHERE id = ?`).get(scanId) as
      ScanRow | undefined;
    // Retention of at least one scan keeps the newest, so the row is there.
    return toRecord(row as ScanRow);
  }

  /** Drops a begun scan that will not be finished, with its rows. */
  abandon(scanId: string): void {
    this.db.prepare('DELETE FROM scans WHERE id = ? AND complete = 0').run(scanId);
  }

  /**
   * Keeps `entry` (a whole result held in memory: a scan of the engine) under its result's scanId,
   * its hosts as rows each with its verdicts, then drops what `retention` no longer keeps.
   */
  save(entry: ScanEntry, retention: Settings['history']): ScanRecord {
    const { result, assessment } = entry;
    const scanId = result.scanId;
    const verdicts = new Map(
      (assessment?.hosts ?? []).flatMap((h) => {
        const part = keptPart(h);
        return part ? [[h.address, part] as const] : [];
      }),
    );
    this.begin(scanId, entry.kind);
    try {
      for (let from = 0; from < result.hosts.length; from += ROW_BATCH) {
        this.insertRows(
          scanId,
          result.hosts.slice(from, from + ROW_BATCH).map((host, i) => ({
            seq: from + i,
            host,
            kept: verdicts.get(host.address) ?? null,
          })),
        );
      }
      const { hosts: _hosts, ...header } = result;
      return this.finish(
        scanId,
        {
          kind: entry.kind,
          result: header,
          counts: scanCounts(result, assessment?.hosts),
          summary: assessment,
          ...(entry.macAddresses ? { macAddresses: entry.macAddresses } : {}),
          ...(entry.fileName !== undefined ? { fileName: entry.fileName } : {}),
          ...(entry.dateKnown !== undefined ? { dateKnown: entry.dateKnown } : {}),
          ...(entry.thisPc ? { thisPc: entry.thisPc } : {}),
        },
        retention,
      );
    } catch (error) {
      try {
        this.abandon(scanId);
      } catch {
        // The store failing is the error to report.
      }
      throw error;
    }
  }

  /**
   * Drops the scans past `keepScans` (oldest kept first) and those kept more than `keepDays` ago,
   * but never the newest one: the last result stays on screen after a restart; nor one a client
   * of a running app is showing (`shown_scans`, see `show`), which a later sweep drops once it is
   * no longer shown. Rows of a scan begun more than a day ago and never finished (the app stopped
   * mid-import) go too, and leases past their `until`.
   */
  prune(retention: Settings['history']): number {
    const now = this.now().getTime();
    const nowText = new Date(now).toISOString();
    this.db.prepare('DELETE FROM shown_scans WHERE until <= ?').run(nowText);
    const notShown = 'id NOT IN (SELECT scan_id FROM shown_scans)';
    const cutoff = new Date(now - retention.keepDays * 86_400_000).toISOString();
    const stale = this.db
      .prepare('DELETE FROM scans WHERE complete = 0 AND saved_at < ?')
      .run(new Date(now - 86_400_000).toISOString()).changes;
    const newest = this.db
      .prepare('SELECT id FROM scans WHERE complete = 1 ORDER BY saved_at DESC, rowid DESC LIMIT 1')
      .get() as { id: string } | undefined;
    if (!newest) return stale;
    const tooMany = this.db
      .prepare(
        `DELETE FROM scans WHERE id IN (
           SELECT id FROM scans WHERE complete = 1 ORDER BY saved_at DESC, rowid DESC
           LIMIT -1 OFFSET ?) AND ${notShown}`,
      )
      .run(retention.keepScans).changes;
    const tooOld = this.db
      .prepare(`DELETE FROM scans WHERE complete = 1 AND saved_at < ? AND id <> ? AND ${notShown}`)
      .run(cutoff, newest.id).changes;
    return stale + tooMany + tooOld;
  }

  /**
   * Records that `holder` (one client of one running app: see ScanHistory) shows kept scan
   * `scanId` until `until` (a lease, renewed as it pages; replaces what it showed before), so no
   * retention sweep of any process deletes it meanwhile. Throws SQLite's errors.
   */
  show(holder: string, scanId: string, until: Date): void {
    this.db
      .prepare(
        `INSERT INTO shown_scans (holder, scan_id, until) VALUES (?, ?, ?)
         ON CONFLICT (holder) DO UPDATE SET scan_id = excluded.scan_id, until = excluded.until`,
      )
      .run(holder, scanId, until.toISOString());
  }

  /** Ends the leases of the holders `holder` names (`prefix%` for all of a process). */
  unshow(holder: string, prefix = false): void {
    this.db
      .prepare(`DELETE FROM shown_scans WHERE holder ${prefix ? 'LIKE ?' : '= ?'}`)
      .run(prefix ? `${holder.replace(/[%_]/g, '')}%` : holder);
  }

  /**
   * History rows, newest kept first, `total` of them. A row that no longer fits the contract (the
   * file edited by hand: issue 13 attacker review F10) is left out of the list and of `total`, and
   * counted in `unreadable`, so the others are still listed and pages stay contiguous. Every row's
   * record is read to tell (at most Settings.history.keepScans, 10,000, small columns only).
   */
  list(offset: number, limit: number): { total: number; scans: ScanRecord[]; unreadable: number } {
    const rows = this.db
      .prepare(
        `SELECT ${RECORD_COLUMNS} FROM scans WHERE complete = 1
         ORDER BY saved_at DESC, rowid DESC`,
      )
      .all() as ScanRow[];
    const readable: ScanRecord[] = [];
    for (const row of rows) {
      const record = KeptRecord.safeParse(toRecord(row));
      if (record.success) readable.push(record.data);
    }
    return {
      total: readable.length,
      scans: readable.slice(offset, offset + limit),
      unreadable: rows.length - readable.length,
    };
  }

  /** The scan kept last, or null when none is. */
  latest(): ScanRecord | null {
    return this.list(0, 1).scans[0] ?? null;
  }

  /**
   * The kept scan `scanId`'s own row, or null when none is kept under it. A header that no longer
   * fits the contract (the file edited by hand, a newer version's shape) reads as `unreadable`.
   */
  header(scanId: string): ScanHeader | 'unreadable' | null {
    const row = this.db
      .prepare(
        `SELECT ${RECORD_COLUMNS}, result, assessment, macs, this_pc FROM scans
         WHERE id = ? AND complete = 1`,
      )
      .get(scanId) as
      | (ScanRow & {
          result: string;
          assessment: string | null;
          macs: string;
          this_pc: string | null;
        })
      | undefined;
    if (!row) return null;
    const result = ScanResult.safeParse(parseJson(row.result));
    // A scan kept whole that migration 6 could not split (its hosts not a list) is unreadable.
    if (!result.success || result.data.hosts.length > 0) return 'unreadable';
    const summary = RiskAssessResult.safeParse(parseJson(row.assessment));
    const macAddresses = parseJson(row.macs);
    const thisPc = KeptThisPc.safeParse(parseJson(row.this_pc));
    const { hosts: _none, ...header } = result.data;
    return {
      record: toRecord(row),
      result: header,
      summary: summary.success ? summary.data : null,
      macAddresses: isStringRecord(macAddresses) ? macAddresses : {},
      ...(thisPc.success ? { thisPc: thisPc.data } : {}),
    };
  }

  /**
   * Up to `limit` host rows of scan `scanId` after seq `after` (-1 for the first), in seq order,
   * each checked against the contract (unless `check` is false: rows this process has just
   * written): `unreadable` when one no longer fits it. Verdicts kept that no longer fit read as
   * none.
   */
  rows(scanId: string, after: number, limit: number, check = true): HostRow[] | 'unreadable' {
    const rows = this.db
      .prepare(
        `SELECT seq, address, host, assessment FROM scan_hosts WHERE scan_id = ? AND seq > ?
         ORDER BY seq LIMIT ?`,
      )
      .all(scanId, after, limit) as RawRow[];
    if (!check) {
      return rows.map((r) => ({
        seq: r.seq,
        host: JSON.parse(r.host) as HostResult,
        kept: r.assessment === null ? null : (JSON.parse(r.assessment) as HostAssessment),
      }));
    }
    return checkRows(rows);
  }

  /**
   * The next batch of scan `scanId`'s host rows after seq `after` (-1 for the first), in seq order:
   * up to `limit` rows whose host JSON is `maxBytes` long in all, and always at least one row (a
   * host bigger than that is a batch of its own). So a batch's memory follows its ports, whatever
   * its number of hosts (PORT_BATCH): only the rows' lengths are read to choose it. Rows are
   * checked as `rows` does unless `check` is false. Throws SQLite's errors.
   */
  batch(
    scanId: string,
    after: number,
    limit: number,
    maxBytes: number,
    check = true,
  ): HostRow[] | 'unreadable' {
    const sizes = this.db
      .prepare(
        `SELECT seq, octet_length(host) AS bytes FROM scan_hosts WHERE scan_id = ? AND seq > ?
         ORDER BY seq LIMIT ?`,
      )
      .all(scanId, after, limit) as { seq: number; bytes: number }[];
    if (sizes.length === 0) return [];
    let count = 0;
    let total = 0;
    for (const { bytes } of sizes) {
      if (count > 0 && total + bytes > maxBytes) break;
      total += bytes;
      count++;
    }
    return this.rows(scanId, after, count, check);
  }

  /**
   * The seq of scan `scanId`'s row for `address` (the first, if several), or null: read within
   * the scan's own rows (the primary key's range), so a 65,000-host scan is one range scan.
   */
  seqOf(scanId: string, address: string): number | null {
    const row = this.db
      .prepare('SELECT seq FROM scan_hosts WHERE scan_id = ? AND address = ? ORDER BY seq LIMIT 1')
      .get(scanId, address) as { seq: number } | undefined;
    return row ? row.seq : null;
  }

  /** The host rows of scan `scanId` at `seqs` (in that order), checked as `rows` does. */
  rowsAt(scanId: string, seqs: readonly number[]): HostRow[] | 'unreadable' {
    const read = this.db.prepare(
      'SELECT seq, address, host, assessment FROM scan_hosts WHERE scan_id = ? AND seq = ?',
    );
    const rows = seqs.flatMap((seq) => {
      const row = read.get(scanId, seq) as RawRow | undefined;
      return row ? [row] : [];
    });
    return checkRows(rows);
  }

  /**
   * The MAC addresses (lower case) two or more of scan `scanId`'s addresses not this PC's share
   * (app/contract/devices.ts sharedMacs), among its answering hosts only when `upOnly`. Which
   * addresses are this PC's is `isThisPc`'s answer when given (a kept scan read back: its rows'
   * `is_local` is in a file any program of the user can edit), else the rows' own `is_local`
   * (rows this process has just written).
   */
  sharedMacs(
    scanId: string,
    upOnly: boolean,
    isThisPc?: (address: string) => boolean,
  ): Set<string> {
    const up = upOnly ? "AND status = 'up'" : '';
    if (!isThisPc) {
      const macs = this.db
        .prepare(
          `SELECT mac FROM scan_hosts WHERE scan_id = ? AND is_local = 0 AND mac IS NOT NULL ${up}
           GROUP BY mac HAVING COUNT(*) > 1`,
        )
        .pluck()
        .all(scanId) as string[];
      return new Set(macs);
    }
    // Only the rows of a MAC seen twice or more, this PC's included, are read and asked about.
    const rows = this.db
      .prepare(
        `SELECT address, mac FROM scan_hosts WHERE scan_id = ? AND mac IS NOT NULL ${up}
           AND mac IN (SELECT mac FROM scan_hosts WHERE scan_id = ? AND mac IS NOT NULL ${up}
                       GROUP BY mac HAVING COUNT(*) > 1)`,
      )
      .all(scanId, scanId) as { address: string; mac: string }[];
    const seen = new Set<string>();
    const shared = new Set<string>();
    for (const { address, mac } of rows) {
      if (isThisPc(address)) continue;
      if (seen.has(mac)) shared.add(mac);
      seen.add(mac);
    }
    return shared;
  }
}

interface RawRow {
  seq: number;
  /** The row's `address` column, which seqOf looks hosts up by. */
  address: string;
  host: string;
  assessment: string | null;
}

/** Ports one host may hold of one protocol: every port number, 0 to 65535. */
const PORT_NUMBERS = 65_536;

/**
 * A kept host as an import reads one (review 13: the store is the user's file, which any program
 * of theirs can write while the app runs, so it is trusted no more than a file): on top of the
 * contract's shape, each listed port appears once per protocol, and no count of hidden ports is
 * more than the port numbers there are (a forged `closed: 9e15` would be said as a count). Its
 * address is not checked here: the reader of a kept scan (checkedKeptRow, app/api/scan-history.ts)
 * leaves out a row whose address is no IP literal (`local-network`, markup, a name) and says so
 * in a note, rewriting the others in the form the importers write (hostAddress: canonical, a zone
 * such as `fe80::1%tun_0` kept), so one forged row never costs the rest of the scan.
 */
const KeptHost = HostResult.superRefine((host, ctx) => {
  const seen = new Set<string>();
  for (const p of host.ports) {
    const key = `${p.protocol}/${p.port}`;
    if (seen.has(key)) {
      ctx.addIssue({ code: 'custom', path: ['ports'], message: `${key} listed twice` });
      return;
    }
    seen.add(key);
  }
  const hidden = Object.values(host.hidden).reduce<number>((n, c) => n + (c ?? 0), 0);
  if (hidden > 2 * PORT_NUMBERS) {
    ctx.addIssue({ code: 'custom', path: ['hidden'], message: 'more ports than there are' });
  }
});

/**
 * Each row's host read as KeptHost, and its `address` column the host's own (a row whose column
 * says another address would be found for it by seqOf): `unreadable` when one is not. Verdicts
 * kept that do not fit the contract, or that are another address's, read as none.
 */
function checkRows(rows: readonly RawRow[]): HostRow[] | 'unreadable' {
  const checked: HostRow[] = [];
  for (const row of rows) {
    const host = KeptHost.safeParse(parseJson(row.host));
    if (!host.success || row.address !== host.data.address) return 'unreadable';
    const kept = HostAssessment.safeParse(parseJson(row.assessment));
    const verdicts = kept.success && kept.data.address === host.data.address ? kept.data : null;
    checked.push({ seq: row.seq, host: host.data, kept: verdicts });
  }
  return checked;
}

/**
 * The most addresses a kept scan records as this PC's: far more than a PC's interfaces hold (a
 * Windows PC with Hyper-V, WSL and VPNs has a few dozen), few enough that an edited record stays a
 * small read.
 */
export const MAX_THIS_PC_ADDRESSES = 1024;

/** A kept `this_pc` record: canonical IP literals without zone, at most MAX_THIS_PC_ADDRESSES. */
const KeptThisPc = z
  .array(
    z
      .string()
      .max(64)
      .refine((a) => !a.includes('%') && canonicalIp(a) === a),
  )
  .max(MAX_THIS_PC_ADDRESSES);

/**
 * `addresses` as a scan keeps them (see ScanHeader.thisPc): each IP literal without its zone
 * (fe80::1%eth0 is this PC's on any link), once, in order; what is not an IP literal is left out;
 * at most MAX_THIS_PC_ADDRESSES. Pure.
 */
export function thisPcRecord(addresses: Iterable<string>): string[] {
  const kept = new Set<string>();
  for (const address of addresses) {
    const literal = canonicalIp(splitZone(address).address);
    if (literal) kept.add(literal);
    if (kept.size >= MAX_THIS_PC_ADDRESSES) break;
  }
  return [...kept];
}

/** The MAC addresses shared by two or more of `hosts` (see app/contract/devices.ts). */
export function sharedMacsOf(hosts: readonly HostResult[], upOnly: boolean): Set<string> {
  return sharedMacs(upOnly ? hosts.filter((h) => h.status === 'up') : hosts);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}
