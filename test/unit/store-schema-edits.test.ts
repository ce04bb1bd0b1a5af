import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePath, openDatabase } from '../../app/store/database.js';
import { StoreFailure } from '../../app/store/failure.js';

let dataDir = '';

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pa-schema-'));
  process.env.PORT_AUDITOR_DATA_DIR = dataDir;
  openDatabase(dataDir).close();
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** Rewrites `table`'s SQL in sqlite_schema as another program with writable_schema would. */
function editTableSql(table: string, edit: (sql: string) => string): void {
  const db = new Database(databasePath(dataDir));
  try {
    db.unsafeMode(true);
    const sql = db
      .prepare('SELECT sql FROM sqlite_schema WHERE name = ?')
      .pluck()
      .get(table) as string;
    const edited = edit(sql);
    expect(edited).not.toBe(sql);
    db.pragma('writable_schema = ON');
    db.prepare('UPDATE sqlite_schema SET sql = ? WHERE name = ?').run(edited, table);
    db.pragma('writable_schema = OFF');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    db.close();
  }
}

function refusal(): unknown {
  try {
    openDatabase(dataDir).close();
    return null;
  } catch (error) {
    return error;
  }
}

describe('the store opener compares foreign keys (review 13 A2)', () => {
  it('refuses scan_hosts without ON DELETE CASCADE as inconsistent, naming the file', () => {
    editTableSql('scan_hosts', (sql) => sql.replace(/\s+ON DELETE CASCADE/i, ''));
    const error = refusal();
    expect(error).toBeInstanceOf(StoreFailure);
    expect((error as StoreFailure).damage).toBe('inconsistent');
    expect((error as StoreFailure).file).toBe(databasePath(dataDir));
    expect((error as StoreFailure).message).toContain(databasePath(dataDir));
  });

  it('refuses a foreign key removed from the journal', () => {
    editTableSql('firewall_journal', (sql) =>
      sql.replace(/\s+REFERENCES firewall_rules\(id\)/i, ''),
    );
    expect((refusal() as StoreFailure).damage).toBe('inconsistent');
  });

  it('still opens the file it made', () => {
    expect(refusal()).toBeNull();
  });
});

describe('the store opener compares whole CREATE statements (review 13 A2 rest)', () => {
  const inconsistent = (error: unknown) => {
    expect(error).toBeInstanceOf(StoreFailure);
    expect((error as StoreFailure).damage).toBe('inconsistent');
    expect((error as StoreFailure).message).toContain(databasePath(dataDir));
    return (error as StoreFailure).message;
  };

  it('refuses a CHECK widened on the journal (any rule state accepted)', () => {
    editTableSql('firewall_rules', (sql) =>
      sql.replace(/state TEXT NOT NULL CHECK \(state IN \([^)]*\)\)/, 'state TEXT NOT NULL'),
    );
    inconsistent(refusal());
  });

  it('refuses a CHECK constraint whose values were changed, columns alone unchanged', () => {
    editTableSql('firewall_rules', (sql) => sql.replace("'udp'", "'sctp'"));
    inconsistent(refusal());
  });

  it('refuses a COLLATE NOCASE added to a rule name', () => {
    editTableSql('firewall_rules', (sql) =>
      sql.replace('name TEXT NOT NULL UNIQUE', 'name TEXT NOT NULL COLLATE NOCASE UNIQUE'),
    );
    inconsistent(refusal());
  });

  it('refuses an older file whose table no migration rebuilds had its CHECK edited, once upgraded', () => {
    // A version-6 file (no shown_scans yet) with the settings table given a CHECK that this
    // version never writes: its columns match version 6, its whole statement does not.
    const db = new Database(databasePath(dataDir));
    db.exec('DROP TABLE shown_scans; PRAGMA user_version = 6');
    db.close();
    editTableSql('settings', (sql) =>
      sql.replace('value TEXT NOT NULL', "value TEXT NOT NULL CHECK (value != '')"),
    );
    inconsistent(refusal());
  });

  it('opens a file whose statements differ from ours in white space only', () => {
    editTableSql('settings', (sql) => sql.replace(/ \(/, '(\n   ').replace(/, /g, ' ,\n'));
    expect(refusal()).toBeNull();
  });
});
