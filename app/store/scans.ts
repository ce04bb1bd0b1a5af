import {
  RiskAssessResult,
  ScanResult,
  type ScanCounts,
  type ScanKind,
  type ScanRecord,
  type Settings,
} from '../contract/index.js';
import { foldDevices } from '../contract/devices.js';
import type { Db } from './database.js';

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
}

/** A kept scan read back whole, each part checked against the contract. */
export interface StoredScan {
  record: ScanRecord;
  result: ScanResult;
  /** Null when kept without verdicts, or when those kept no longer fit the contract. */
  assessment: RiskAssessResult | null;
  macAddresses: Record<string, string>;
}

const RECORD_COLUMNS = `id, kind, started_at, finished_at, saved_at, cancelled, targets, ports,
  file_name, date_known, addresses, hosts, hosts_up, devices_up, open_ports, severities`;

/**
 * The counts the history shows, from a result's hosts: open ports per device and service, not per
 * address (this PC's port open on its LAN address and on 127.0.0.1 is one open port of one device).
 */
export function scanCounts(result: ScanResult): ScanCounts {
  const up = result.hosts.filter((host) => host.status === 'up');
  const devices = foldDevices(up);
  const openPorts = devices.reduce((n, device) => n + device.services.length, 0);
  return {
    addresses: result.addresses,
    hosts: result.hosts.length,
    hostsUp: up.length,
    devicesUp: devices.length,
    openPorts,
  };
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
 * The `scans` table: every finished or cancelled scan and every import, with its verdicts, kept
 * within the user's retention (Settings.history). Throws SQLite's errors as they come; callers
 * turn them into a StoreFailure (app/store/failure.ts).
 */
export class ScanStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  has(scanId: string): boolean {
    return this.db.prepare('SELECT 1 FROM scans WHERE id = ?').get(scanId) !== undefined;
  }

  /**
   * Keeps `entry` under its result's scanId (replacing nothing: an id already kept throws SQLite's
   * constraint error), then drops what `retention` no longer keeps, in one transaction.
   */
  save(entry: ScanEntry, retention: Settings['history']): ScanRecord {
    const { result } = entry;
    const counts = scanCounts(result);
    const savedAt = this.now().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO scans (id, kind, started_at, finished_at, saved_at, cancelled, targets, ports,
             file_name, date_known, addresses, hosts, hosts_up, devices_up, open_ports, severities, result,
             assessment, macs)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          result.scanId,
          entry.kind,
          result.startedAt,
          result.finishedAt,
          savedAt,
          result.cancelled ? 1 : 0,
          result.request.targets,
          result.request.ports,
          entry.fileName ?? null,
          entry.dateKnown === false ? 0 : 1,
          counts.addresses,
          counts.hosts,
          counts.hostsUp,
          counts.devicesUp,
          counts.openPorts,
          entry.assessment ? JSON.stringify(entry.assessment.counts) : null,
          JSON.stringify(result),
          entry.assessment ? JSON.stringify(entry.assessment) : null,
          JSON.stringify(entry.macAddresses ?? {}),
        );
      this.prune(retention);
    })();
    const row = this.db
      .prepare(`SELECT ${RECORD_COLUMNS} FROM scans WHERE id = ?`)
      .get(result.scanId) as ScanRow | undefined;
    // Retention of at least one scan keeps the newest, so the row is there.
    return toRecord(row as ScanRow);
  }

  /**
   * Drops the scans past `keepScans` (oldest kept first) and those kept more than `keepDays` ago,
   * but never the newest one: the last result stays on screen after a restart.
   */
  prune(retention: Settings['history']): number {
    const cutoff = new Date(this.now().getTime() - retention.keepDays * 86_400_000).toISOString();
    const newest = this.db
      .prepare('SELECT id FROM scans ORDER BY saved_at DESC, rowid DESC LIMIT 1')
      .get() as { id: string } | undefined;
    if (!newest) return 0;
    const tooMany = this.db
      .prepare(
        `DELETE FROM scans WHERE id IN (
           SELECT id FROM scans ORDER BY saved_at DESC, rowid DESC LIMIT -1 OFFSET ?)`,
      )
      .run(retention.keepScans).changes;
    const tooOld = this.db
      .prepare('DELETE FROM scans WHERE saved_at < ? AND id <> ?')
      .run(cutoff, newest.id).changes;
    return tooMany + tooOld;
  }

  /** History rows, newest kept first. */
  list(offset: number, limit: number): { total: number; scans: ScanRecord[] } {
    const total = (this.db.prepare('SELECT COUNT(*) AS n FROM scans').get() as { n: number }).n;
    const rows = this.db
      .prepare(
        `SELECT ${RECORD_COLUMNS} FROM scans ORDER BY saved_at DESC, rowid DESC LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as ScanRow[];
    return { total, scans: rows.map(toRecord) };
  }

  /** The scan kept last, or null when none is. */
  latest(): ScanRecord | null {
    return this.list(0, 1).scans[0] ?? null;
  }

  /**
   * The kept scan `scanId`, or null when none is kept under it. A result that no longer fits the
   * contract (the file edited by hand, a newer version's shape) reads as `unreadable`.
   */
  load(scanId: string): StoredScan | 'unreadable' | null {
    const row = this.db
      .prepare(`SELECT ${RECORD_COLUMNS}, result, assessment, macs FROM scans WHERE id = ?`)
      .get(scanId) as
      (ScanRow & { result: string; assessment: string | null; macs: string }) | undefined;
    if (!row) return null;
    const result = ScanResult.safeParse(parseJson(row.result));
    if (!result.success) return 'unreadable';
    const assessment = RiskAssessResult.safeParse(parseJson(row.assessment));
    const macAddresses = parseJson(row.macs);
    return {
      record: toRecord(row),
      result: result.data,
      assessment: assessment.success ? assessment.data : null,
      macAddresses: isStringRecord(macAddresses) ? macAddresses : {},
    };
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}
