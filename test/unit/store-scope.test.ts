import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePath, openDatabase, openDatabaseOrMemory } from '../../app/store/database.js';
import { StoreFailure } from '../../app/store/failure.js';
import { JOURNAL_TABLES } from '../../app/store/journal.js';

let dataDir = '';

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pa-scope-'));
  process.env.PORT_AUDITOR_DATA_DIR = dataDir;
  openDatabase(dataDir).close();
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** Overwrites the root page of `table` (a b-tree page) with bytes no b-tree page starts with. */
function damageTable(table: string): void {
  const file = databasePath(dataDir);
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const root = db
    .prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?')
    .pluck()
    .get(table) as number;
  db.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
  closeSync(fd);
}

function failure(open: () => unknown): StoreFailure | null {
  try {
    (open() as { close(): void }).close();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(StoreFailure);
    return error as StoreFailure;
  }
}

describe('a firewall command checks the tables it reads, not the kept scans (review 13 A14)', () => {
  it('damage in the kept scans: the journal opens, the whole store is refused as malformed', () => {
    damageTable('scan_hosts');
    expect(failure(() => openDatabase(dataDir, { tables: JOURNAL_TABLES }))).toBeNull();
    const whole = failure(() => openDatabase(dataDir));
    expect(whole?.damage).toBe('malformed');
    expect(whole?.message).toContain(databasePath(dataDir));
  });

  it('damage in the journal: refused for the firewall too, which falls back to memory', () => {
    damageTable('firewall_journal');
    const scoped = failure(() => openDatabase(dataDir, { tables: JOURNAL_TABLES }));
    expect(scoped?.damage).toBe('malformed');
    const fallback = openDatabaseOrMemory(dataDir, { tables: JOURNAL_TABLES });
    expect(fallback.problem?.damage).toBe('malformed');
    expect(fallback.db.prepare('SELECT count(*) FROM firewall_rules').pluck().get()).toBe(0);
    fallback.db.close();
  });

  it('an oversized value in the journal is still found with the firewall scope', () => {
    const db = new Database(databasePath(dataDir));
    db.prepare("INSERT INTO meta (key, value) VALUES ('planted', ?)").run(
      'x'.repeat(2 * 1024 * 1024),
    );
    db.close();
    expect(failure(() => openDatabase(dataDir, { tables: JOURNAL_TABLES }))?.damage).toBe(
      'oversized',
    );
  });

  it('an edited schema is refused whatever the scope (the schema is always compared whole)', () => {
    const db = new Database(databasePath(dataDir));
    db.exec('CREATE INDEX planted ON scan_hosts (address)');
    db.close();
    expect(failure(() => openDatabase(dataDir, { tables: JOURNAL_TABLES }))?.damage).toBe(
      'inconsistent',
    );
  });
});
