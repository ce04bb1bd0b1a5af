import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Each entry moves the schema one version forward; `user_version` records how far a file got, so
 * an old database is upgraded in order and a migration never runs twice.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE firewall_rules (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     backend TEXT NOT NULL,
     protocol TEXT NOT NULL CHECK (protocol IN ('tcp', 'udp')),
     port_from INTEGER NOT NULL CHECK (port_from BETWEEN 1 AND 65535),
     port_to INTEGER NOT NULL CHECK (port_to BETWEEN 1 AND 65535),
     direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
     remote TEXT NOT NULL DEFAULT '[]',
     ref TEXT,
     state TEXT NOT NULL CHECK (state IN ('pending-add', 'active', 'pending-remove', 'removed', 'failed')),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE firewall_journal (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     rule_id TEXT NOT NULL REFERENCES firewall_rules(id),
     op TEXT NOT NULL CHECK (op IN ('add', 'remove')),
     phase TEXT NOT NULL CHECK (phase IN ('begin', 'done', 'failed', 'cancelled', 'repaired')),
     at TEXT NOT NULL,
     detail TEXT
   );`,
  // Rules of ours found in the firewall but unknown to the journal (data folder deleted, or
  // restored from a backup): listed and undoable like the others, marked as found.
  `ALTER TABLE firewall_rules ADD COLUMN origin TEXT NOT NULL DEFAULT 'app' CHECK (origin IN ('app', 'found'));`,
];

export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(path.join(dataDir, 'port-auditor.sqlite'));
  db.pragma('journal_mode = WAL');
  // FULL: a journal row must be on disk before the firewall changes, or crash repair is blind.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

export function getMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
    { value: string } | undefined;
  return row?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}
