import type { HostAssessment, HostResult } from '../contract/index.js';
import type { Db } from './database.js';

/** One host of a kept scan as its row keeps it: the host and the verdicts it was kept with. */
export interface HostRow {
  /** Its place in the scan's hosts (the order the scan or the file gave them), from 0. */
  seq: number;
  host: HostResult;
  /** Its verdicts when the scan was kept (null: none given); only read back as data. */
  kept: HostAssessment | null;
}

/** Rows written per transaction: short enough that the firewall's journal never waits long. */
export const ROW_BATCH = 500;

/**
 * Ports (listed, any state) a batch of hosts held at once by an import may carry, whatever its
 * number of hosts: a batch is ROW_BATCH hosts or this many ports, whichever comes first, so an
 * import's memory follows its ports, not its hosts (256 hosts × 1,000 open ports, nmap's default
 * against a subnet a middlebox answers for, were 256,000 ports held with their verdicts at once:
 * review 13c attacker B2). One host is never split: a host of 65,535 ports is a batch of its own.
 */
export const PORT_BATCH = 20_000;

/**
 * Bytes of host rows' JSON read back as one batch (ScanStore.batch): PORT_BATCH ports' worth, at
 * about 60 bytes per listed port as a row keeps it.
 */
export const ROW_BATCH_BYTES = PORT_BATCH * 60;

const INSERT = `INSERT INTO scan_hosts (scan_id, seq, address, status, is_local, mac, host, assessment)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

/** Writes `rows` of scan `scanId` (SQLite's errors thrown as they come; no transaction of its own). */
export function insertHostRows(db: Db, scanId: string, rows: readonly HostRow[]): void {
  const insert = db.prepare(INSERT);
  for (const { seq, host, kept } of rows) {
    insert.run(
      scanId,
      seq,
      host.address,
      host.status,
      host.isLocal ? 1 : 0,
      host.mac?.toLowerCase() ?? null,
      JSON.stringify(host),
      kept ? JSON.stringify(kept) : null,
    );
  }
}

/**
 * Splits the scans migration 5 kept whole (the ScanResult and its verdicts as two JSON texts) into
 * host rows, leaving the header and the verdict summary in the `scans` row, one scan at a time. A
 * text that does not read as JSON with a hosts array is left as it is: the scan then reads as
 * unreadable, as it did before. Runs inside the migration's transaction.
 */
export function splitWholeScans(db: Db): void {
  const ids = db.prepare('SELECT id FROM scans').pluck().all() as string[];
  const read = db.prepare('SELECT result, assessment FROM scans WHERE id = ?');
  const update = db.prepare('UPDATE scans SET result = ?, assessment = ? WHERE id = ?');
  for (const id of ids) {
    const row = read.get(id) as { result: string; assessment: string | null };
    const result = parse(row.result) as { hosts?: unknown } | null;
    if (!result || !Array.isArray(result.hosts)) continue;
    const assessment = parse(row.assessment) as { hosts?: unknown } | null;
    const verdicts = new Map<string, HostAssessment>();
    if (assessment && Array.isArray(assessment.hosts)) {
      for (const h of assessment.hosts as HostAssessment[]) {
        if (h && typeof h.address === 'string') verdicts.set(h.address, h);
      }
    }
    const hosts = result.hosts as HostResult[];
    // Rows of hosts not shaped as a host (a hand-edited file) still go in: they read as unreadable.
    insertHostRows(
      db,
      id,
      hosts.map((host, seq) => ({
        seq,
        host: {
          ...host,
          address: String(host?.address ?? ''),
          status: String(host?.status ?? 'unknown') as HostResult['status'],
          isLocal: host?.isLocal === true,
        },
        kept: verdicts.get(String(host?.address)) ?? null,
      })),
    );
    update.run(
      JSON.stringify({ ...result, hosts: [] }),
      assessment ? JSON.stringify({ ...assessment, hosts: [] }) : null,
      id,
    );
  }
}

function parse(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
