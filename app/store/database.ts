import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

const RULE_STATES = `'pending-add', 'active', 'pending-remove', 'removed', 'failed', 'unknown', 'cancelled'`;

/**
 * Each entry moves the schema one version forward; `user_version` records how far a file got, so
 * an old database is upgraded in order and a migration never runs twice. A migration that rebuilds
 * a table (SQLite cannot change a CHECK constraint in place) runs with foreign keys off, as
 * SQLite's "Making Other Kinds Of Table Schema Changes" procedure requires, and is checked after.
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
  // `unknown`: a change whose outcome could not be read back (helper killed, firewall unreadable),
  // reconciled at the next privileged read; `cancelled`: the user declined the prompt.
  `CREATE TABLE firewall_rules_new (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     backend TEXT NOT NULL,
     protocol TEXT NOT NULL CHECK (protocol IN ('tcp', 'udp')),
     port_from INTEGER NOT NULL CHECK (port_from BETWEEN 1 AND 65535),
     port_to INTEGER NOT NULL CHECK (port_to BETWEEN 1 AND 65535),
     direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
     remote TEXT NOT NULL DEFAULT '[]',
     ref TEXT,
     state TEXT NOT NULL CHECK (state IN (${RULE_STATES})),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     origin TEXT NOT NULL DEFAULT 'app' CHECK (origin IN ('app', 'found'))
   );
   INSERT INTO firewall_rules_new SELECT id, name, backend, protocol, port_from, port_to, direction,
     remote, ref, state, created_at, updated_at, origin FROM firewall_rules;
   CREATE TABLE firewall_journal_new (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     rule_id TEXT NOT NULL REFERENCES firewall_rules(id),
     op TEXT NOT NULL CHECK (op IN ('add', 'remove')),
     phase TEXT NOT NULL CHECK (phase IN ('begin', 'done', 'failed', 'cancelled', 'repaired', 'unknown')),
     at TEXT NOT NULL,
     detail TEXT
   );
   INSERT INTO firewall_journal_new SELECT seq, rule_id, op, phase, at, detail FROM firewall_journal;
   DROP TABLE firewall_journal;
   DROP TABLE firewall_rules;
   ALTER TABLE firewall_rules_new RENAME TO firewall_rules;
   ALTER TABLE firewall_journal_new RENAME TO firewall_journal;`,
];

/** Migrations (by index) that rebuild tables and so run with foreign keys off. */
const REBUILDS = new Set([2]);

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
    const rebuild = REBUILDS.has(version);
    if (rebuild) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(MIGRATIONS[version] as string);
        if (rebuild && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new Error(`migration ${version + 1} broke a foreign key`);
        }
        db.pragma(`user_version = ${version + 1}`);
      })();
    } finally {
      if (rebuild) db.pragma('foreign_keys = ON');
    }
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
