import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { storeFailure, StoreFailure } from './failure.js';
import { DATABASE_FILE, databasePath } from './database-file.js';
import { closeToOthers, dataFolderOwner, foreignStoreFile, openToOthers } from './private-files.js';
import { accountWords } from './account-name.js';
import { splitWholeScans } from './scan-rows.js';

export type Db = Database.Database;

const RULE_STATES = `'pending-add', 'active', 'pending-remove', 'removed', 'failed', 'unknown', 'cancelled'`;

/**
 * Each entry moves the schema one version forward; `user_version` records how far a file got, so
 * an old database is upgraded in order and a migration never runs twice. A migration that rebuilds
 * a table (SQLite cannot change a CHECK constraint in place) runs with foreign keys off, as
 * SQLite's "Making Other Kinds Of Table Schema Changes" procedure requires, and is checked after.
 */
const MIGRATIONS: (string | ((db: Db) => void))[] = [
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
  // The user's choices (language, theme…), one JSON value per key, validated when read
  // (app/store/settings.ts) so a value written by an older or newer version falls back to its default.
  `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);`,
  // Kept scans and imports (app/store/scans.ts): the whole ScanResult and its verdicts as JSON,
  // validated when read, so fields later versions add to a result flow through; the columns are
  // what the history lists and sorts without reading the JSON.
  `CREATE TABLE scans (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('engine', 'nmap-import')),
     started_at TEXT NOT NULL,
     finished_at TEXT NOT NULL,
     saved_at TEXT NOT NULL,
     cancelled INTEGER NOT NULL CHECK (cancelled IN (0, 1)),
     targets TEXT NOT NULL,
     ports TEXT NOT NULL,
     file_name TEXT,
     date_known INTEGER NOT NULL DEFAULT 1 CHECK (date_known IN (0, 1)),
     addresses INTEGER NOT NULL,
     hosts INTEGER NOT NULL,
     hosts_up INTEGER NOT NULL,
     devices_up INTEGER NOT NULL,
     open_ports INTEGER NOT NULL,
     severities TEXT,
     result TEXT NOT NULL,
     assessment TEXT,
     macs TEXT NOT NULL DEFAULT '{}'
   );
   CREATE INDEX scans_by_saved ON scans (saved_at DESC);`,
  // Kept scans' hosts as rows (issue 13, bounded memory): a 65,000-host import is written, assessed
  // and paged a batch of rows at a time, never as one JSON text of the whole scan. `scans.result`
  // and `scans.assessment` then keep only the scan's header and verdict summary (`hosts: []`);
  // `complete` is 0 while an import is still writing its rows (never listed), and the scans kept
  // whole by migration 5 are split into rows here (splitWholeScans).
  (db) => {
    db.exec(`ALTER TABLE scans ADD COLUMN complete INTEGER NOT NULL DEFAULT 1 CHECK (complete IN (0, 1));
      CREATE TABLE scan_hosts (
        scan_id TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        address TEXT NOT NULL,
        status TEXT NOT NULL,
        is_local INTEGER NOT NULL CHECK (is_local IN (0, 1)),
        mac TEXT,
        host TEXT NOT NULL,
        assessment TEXT,
        PRIMARY KEY (scan_id, seq)
      );`);
    splitWholeScans(db);
  },
  // The kept scans a client of a running app is showing (issue 13: retention must not delete the
  // scan on screen, whichever process keeps the next one). A lease per client of a process, ended
  // when the client goes, or by its `until` when the process died without saying so.
  `CREATE TABLE shown_scans (holder TEXT PRIMARY KEY, scan_id TEXT NOT NULL, until TEXT NOT NULL);`,
  // JSON reports imported as scans of their own (issue 13, A15: kind `json-report`, the same road
  // as nmap XML imports). SQLite cannot change a CHECK in place: the table is made again, its rows
  // copied as they are (scan_hosts keeps pointing at the same ids; foreign keys off meanwhile).
  `CREATE TABLE scans_new (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('engine', 'nmap-import', 'json-report')),
     started_at TEXT NOT NULL,
     finished_at TEXT NOT NULL,
     saved_at TEXT NOT NULL,
     cancelled INTEGER NOT NULL CHECK (cancelled IN (0, 1)),
     targets TEXT NOT NULL,
     ports TEXT NOT NULL,
     file_name TEXT,
     date_known INTEGER NOT NULL DEFAULT 1 CHECK (date_known IN (0, 1)),
     addresses INTEGER NOT NULL,
     hosts INTEGER NOT NULL,
     hosts_up INTEGER NOT NULL,
     devices_up INTEGER NOT NULL,
     open_ports INTEGER NOT NULL,
     severities TEXT,
     result TEXT NOT NULL,
     assessment TEXT,
     macs TEXT NOT NULL DEFAULT '{}',
     complete INTEGER NOT NULL DEFAULT 1 CHECK (complete IN (0, 1))
   );
   INSERT INTO scans_new (id, kind, started_at, finished_at, saved_at, cancelled, targets, ports,
     file_name, date_known, addresses, hosts, hosts_up, devices_up, open_ports, severities, result,
     assessment, macs, complete)
   SELECT id, kind, started_at, finished_at, saved_at, cancelled, targets, ports, file_name,
     date_known, addresses, hosts, hosts_up, devices_up, open_ports, severities, result, assessment,
     macs, complete FROM scans;
   DROP TABLE scans;
   ALTER TABLE scans_new RENAME TO scans;
   CREATE INDEX scans_by_saved ON scans (saved_at DESC);`,
  // Which addresses were this PC's when the scan ran or the file was imported (issue 13 rev13user
  // F1): a JSON list of IP literals, read back by ScanStore.header, so a kept scan reopened after
  // this PC moved (another network, a new DHCP lease) folds this PC's addresses as the scan saw
  // them, not as today's interfaces say. NULL for scans kept before: they use today's, with a note.
  `ALTER TABLE scans ADD COLUMN this_pc TEXT;`,
];

/** Migrations (by index) that rebuild tables and so run with foreign keys off. */
const REBUILDS = new Set([2, 7]);

export { DATABASE_FILE, databasePath } from './database-file.js';

/**
 * What a caller of openDatabase reads and writes: `tables`, the only tables it touches (the
 * firewall journal's, JOURNAL_TABLES), so the opener checks those and not the whole file; absent,
 * every table (the scans and settings of the app and CLI).
 */
export interface StoreScope {
  tables?: readonly string[];
}

/**
 * Opens (creating when absent) and upgrades the app's database in `dataDir`, then proves that what
 * the caller reads (`scope`, see StoreScope) reads (`PRAGMA quick_check`, of those tables and their
 * indexes only when the scope names them), holds only the schema this version made (schemaMismatch,
 * always whole: the schema is a few pages) and values of sizes it writes (oversizedValue, of the
 * scope's tables), and can be written (a stamp in `meta`), so damage is found here, named, rather
 * than mid-change.
 * Why a scope (review 13 A14): quick_check reads every page and the size check every row, 1 s for
 * a 600 MB store of kept scans, paid by `rules` and `unblock`, which read the journal's few pages
 * only. Damage in a table outside the scope cannot reach what the caller reads; it is found by the
 * first opener whose scope holds it (the app, history, show), and a write that meets a damaged
 * free page still fails as SQLITE_CORRUPT, named by storeFailure.
 * A file that needs migrations is checked whole whatever the scope: migrations may read any table.
 * Throws a StoreFailure naming the file and the way out (see failure.ts) for every damage kind.
 */
export function openDatabase(dataDir: string, scope: StoreScope = {}): Db {
  const file = databasePath(dataDir);
  let db: Db | undefined;
  try {
    // A folder made here is private to this user from the start (mkdir's mode, which the umask
    // can only narrow); a folder that already existed is left as its owner set it (review 13 A8
    // rest: PORT_AUDITOR_DATA_DIR may name the user's home), the store's own files being closed
    // below.
    const created = mkdirSync(dataDir, { recursive: true, mode: 0o700 }) !== undefined;
    // Another user's folder: that user could swap the store under this one (and under root).
    // On Windows a folder made here is restricted to this user first (mkdir's mode means nothing
    // there), and the owner of one that was there is read from its ACL.
    const owner = dataFolderOwner(dataDir, created);
    if (owner !== null) throw new StoreFailure('foreign-owner', file, owner);
    // Before SQLite reads anything: a folder others can write, or a store file another user put
    // there, is that user's database, not this user's (review 13 hostile F2).
    const writableBy = openToOthers(dataDir);
    if (writableBy !== null) throw new StoreFailure('open-folder', file, writableBy);
    const planted = foreignStoreFile(file);
    if (planted) throw new StoreFailure('foreign-file', planted.path, accountWords(planted.owner));
    db = new Database(file);
    for (const own of [file, `${file}-wal`, `${file}-shm`]) closeToOthers(own);
    // First, so a database another process holds waits instead of failing at once.
    db.pragma('busy_timeout = 5000');
    // Before anything writes: a file from a newer Port Auditor is refused, never changed.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new StoreFailure('newer', file, '', { found: version, known: MIGRATIONS.length });
    }
    configure(db);
    checkWhatWeMade(db, file, version, version === MIGRATIONS.length ? scope.tables : undefined);
    try {
      migrate(db);
    } catch (error) {
      // The tables matched their version, so a migration that still fails met a file this code
      // cannot upgrade: a store failure like the others, unless SQLite says why (disk full…).
      throw (
        storeFailure(error, file) ??
        new StoreFailure('inconsistent', file, error instanceof Error ? error.message : '')
      );
    }
    if (version < MIGRATIONS.length) {
      // An older file was checked by its columns only (schemaOf): now at this version, its whole
      // CREATE statements must be ours, so an edited CHECK or COLLATE of a table no migration
      // rebuilt is found too (review 13 A2).
      const mismatch = schemaMismatch(db, MIGRATIONS.length, true);
      if (mismatch) throw new StoreFailure('inconsistent', file, mismatch);
    }
    setMeta(db, 'opened_at', new Date().toISOString());
    return db;
  } catch (error) {
    try {
      db?.close();
    } catch {
      // Closing a broken handle may fail too; the failure below is the one to report.
    }
    throw storeFailure(error, file) ?? error;
  }
}

/** The settings every connection to the app's database uses. */
function configure(db: Db): void {
  db.pragma('journal_mode = WAL');
  // FULL: a journal row must be on disk before the firewall changes, or crash repair is blind.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

/**
 * A second connection to the app's database in `dataDir`, which this process already opened,
 * checked and upgraded with openDatabase (an import's worker thread writes its rows through one):
 * the same settings (waits for a writer, WAL, synchronous FULL, foreign keys), without reading the
 * whole file again. `readonly`: a connection that only reads (a prepare thread, which must never
 * change the store), taking the database's WAL mode as the host set it. Throws SQLite's errors
 * (turned into a StoreFailure naming the file). `opened`: the file the host's connection reads
 * when it is not `dataDir`'s own (a read-only store's copy, openDatabaseForReading); failures
 * still name the data directory's file, the one the user knows.
 */
export function openDatabaseAgain(dataDir: string, readonly = false, opened?: string): Db {
  const file = databasePath(dataDir);
  let db: Db | undefined;
  try {
    db = new Database(opened ?? file, { fileMustExist: true, readonly });
    db.pragma('busy_timeout = 5000');
    if (!readonly) configure(db);
    return db;
  } catch (error) {
    try {
      db?.close();
    } catch {
      // The failure below is the one to report.
    }
    throw storeFailure(error, file) ?? error;
  }
}

/**
 * openDatabase, or — when the file or its folder is read-only (review 13 A5/N3) — the store opened
 * for reading only, with that failure as `problem` (the notice that nothing new is kept): reading
 * commands (history, show, report ID) still work; every write fails with SQLITE_READONLY, which
 * storeFailure names as the same read-only message. A WAL database cannot be opened read-only in
 * a folder where SQLite cannot create its `-shm` file, and this build of SQLite takes no URI
 * (`immutable=1`), so the file (and its `-wal`, whose changes are part of it) is copied to a
 * private temporary folder (0700) and the copy opened read-only; the copy is removed when the
 * connection closes or the process exits. The copy gets the same checks as the file
 * (quick_check, schema, sizes); a file of an older schema, which would need an upgrade, is
 * refused with the read-only failure. Other failures throw as openDatabase's do.
 */
export function openDatabaseForReading(dataDir: string): { db: Db; problem: StoreFailure | null } {
  try {
    return { db: openDatabase(dataDir), problem: null };
  } catch (error) {
    if (!(error instanceof StoreFailure) || error.damage !== 'read-only') throw error;
    const file = databasePath(dataDir);
    if (!existsSync(file)) throw error;
    const copyDir = mkdtempSync(path.join(tmpdir(), 'port-auditor-ro-'));
    const removeCopy = () => rmSync(copyDir, { recursive: true, force: true });
    process.once('exit', removeCopy);
    let db: Db | undefined;
    try {
      const copy = path.join(copyDir, DATABASE_FILE);
      copyFileSync(file, copy);
      if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
      db = new Database(copy, { readonly: true, fileMustExist: true });
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version !== MIGRATIONS.length) throw error;
      checkWhatWeMade(db, file, version);
      const close = db.close.bind(db);
      db.close = () => {
        const closed = close();
        removeCopy();
        process.removeListener('exit', removeCopy);
        return closed;
      };
      return { db, problem: error };
    } catch (failure) {
      try {
        db?.close();
      } catch {
        // The failure below is the one to report.
      }
      removeCopy();
      process.removeListener('exit', removeCopy);
      throw storeFailure(failure, file) ?? failure;
    }
  }
}

/**
 * openDatabase, or — when the file is damaged, read-only, locked or on a full disk — an empty
 * database in memory with the same schema, and the failure to show. The firewall uses it so that
 * reading rules and undoing them still work: its rules are found by name in the firewall itself.
 * `scope`: what the caller touches, see openDatabase.
 */
export function openDatabaseOrMemory(
  dataDir: string,
  scope: StoreScope = {},
): { db: Db; problem: StoreFailure | null } {
  try {
    return { db: openDatabase(dataDir, scope), problem: null };
  } catch (error) {
    if (!(error instanceof StoreFailure)) throw error;
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return { db, problem: error };
  }
}

/**
 * Every object of the schema — tables, indexes, triggers, views — by `type name`.
 * `full` false (a file of an older version, before its migrations run): each described by its table
 * and what it is made of: a table's columns (names, types, NOT NULL, defaults, keys) and foreign
 * keys (referenced table and columns, ON UPDATE/ON DELETE actions), an index's columns and
 * uniqueness, a trigger's or view's SQL. Not a table's SQL text: a file an earlier build wrote may
 * spell the same columns otherwise (test/unit/store-journal.test.ts keeps one, version 2), and
 * refusing it before its migrations rebuild those tables would set the user's journal aside for
 * nothing.
 * `full` true (a file at this version's schema, or just migrated to it): each object's whole
 * CREATE statement (sqlite_schema.sql) normalised by normalisedSql, so a CHECK constraint or a
 * COLLATE clause another program edited (review 13 A2: a CHECK widened to accept any state, a
 * COLLATE NOCASE making two rule names one) is a difference, which columns alone do not show.
 * SQLite's own objects (sqlite_sequence, ANALYZE's sqlite_stat*, the automatic indexes of UNIQUE
 * and PRIMARY KEY) are left out: SQLite makes them as it goes.
 */
function schemaOf(db: Db, full: boolean): Map<string, string> {
  const objects = db
    .prepare(
      `SELECT type, name, tbl_name AS tableName, sql FROM sqlite_schema
       WHERE NOT (type IN ('table', 'index') AND name LIKE 'sqlite\\_%' ESCAPE '\\')`,
    )
    .all() as { type: string; name: string; tableName: string; sql: string | null }[];
  const rows = (sql: string, name: string) =>
    (db.prepare(sql).raw().all(name) as unknown[][]).map((row) => JSON.stringify(row));
  return new Map(
    objects.map(({ type, name, tableName, sql }) => {
      if (full) return [`${type} ${name}`, JSON.stringify([tableName, normalisedSql(sql)])];
      const parts =
        type === 'table'
          ? [
              ...rows(
                'SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)',
                name,
              ).sort(),
              // Foreign keys and their actions (review 13 A2: ON DELETE CASCADE removed from
              // scan_hosts made every later retention fail "FOREIGN KEY constraint failed").
              ...rows(
                'SELECT "table", "from", "to", on_update, on_delete, "match" FROM pragma_foreign_key_list(?)',
                name,
              )
                .map((row) => `fk ${row}`)
                .sort(),
            ]
          : type === 'index'
            ? [
                ...rows('SELECT seqno, name FROM pragma_index_info(?)', name),
                /\bUNIQUE\b/i.test(sql ?? '') ? 'unique' : '',
              ]
            : [(sql ?? '').replace(/\s+/g, ' ').trim()];
      return [`${type} ${name}`, JSON.stringify([tableName, ...parts])];
    }),
  );
}

/**
 * A CREATE statement as SQLite keeps it (sqlite_schema.sql), with only what does not change its
 * meaning taken away: runs of white space become one space, none is kept next to `(`, `)` or `,`.
 * Case and quoting are kept (a string in a CHECK is case-sensitive); a statement spelt otherwise
 * than our migrations spell it is then a difference, which is what an edited file is.
 */
export function normalisedSql(sql: string | null): string {
  return (sql ?? '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([(),]) ?/g, '$1')
    .trim();
}

/**
 * The checks a store file passes before it is used, writable or read from a copy: SQLite's
 * quick_check, then the schema against what our migrations make (schemaMismatch), then no value
 * too big to read (oversizedValue). `tables`: only these tables are read by quick_check and the
 * size check (see openDatabase's scope), after the schema check proved them ours; every table when
 * absent. Throws StoreFailure `malformed`, `inconsistent` or `oversized` naming `file`.
 */
function checkWhatWeMade(db: Db, file: string, version: number, tables?: readonly string[]): void {
  // The schema table first: every later check reads names from it.
  const schemaCheck = db.pragma('quick_check(sqlite_schema)', { simple: true });
  if (schemaCheck !== 'ok') throw new StoreFailure('malformed', file, String(schemaCheck));
  const mismatch = schemaMismatch(db, version, version === MIGRATIONS.length);
  if (mismatch) throw new StoreFailure('inconsistent', file, mismatch);
  // Table names only from the schema just proved ours, never from a caller's string as SQL;
  // sqlite_sequence (AUTOINCREMENT's counters, written with each journal row) may be named too.
  const ours = new Set(tablesOf(db, true));
  const checked = tables ? tables.filter((table) => ours.has(table)) : null;
  for (const target of checked ?? [null]) {
    const check = db.pragma(target ? `quick_check(${quoted(target)})` : 'quick_check', {
      simple: true,
    });
    if (check !== 'ok') throw new StoreFailure('malformed', file, String(check));
  }
  const oversized = oversizedValue(db, checked ?? tablesOf(db, false));
  if (oversized) throw new StoreFailure('oversized', file, oversized);
}

/**
 * How the schema of `db` differs from the one the migrations make up to `version` (its
 * `user_version`), or null when it matches: a header edited, restored apart from its pages, or a
 * table dropped would otherwise make a migration fail midway ("table meta already exists") or a
 * command fail later ("no such table"); a trigger, view or index another program added (review
 * A6: a trigger on firewall_rules that aborts or rewrites the journal's writes) would run inside
 * the app's own statements. The reference is an empty database in memory migrated to that
 * version, so this check never needs updating with a new migration.
 */
function schemaMismatch(db: Db, version: number, full: boolean): string | null {
  const reference = new Database(':memory:');
  try {
    migrate(reference, version);
    const expected = schemaOf(reference, full);
    const found = schemaOf(db, full);
    const differ = [...new Set([...expected.keys(), ...found.keys()])]
      .filter((key) => expected.get(key) !== found.get(key))
      .sort();
    return differ.length === 0 ? null : `version ${version}, ${differ.join(', ')}`;
  } finally {
    reference.close();
  }
}

/**
 * The most bytes one value may hold, by table. The app's own values are far below: journal rows,
 * settings and meta are a few hundred bytes (1 MiB); a kept scan's host row is one host's JSON,
 * made from at most an import file of MAX_NMAP_XML_BYTES (64 MiB; twice that allows for JSON's
 * keys). Each limit is far under what SQLite hands to this process (a 600-million-character text
 * is "string or blob too big"), so a value that passes is read whole, and memory stays bounded.
 */
const VALUE_LIMITS: Record<string, number> = {
  scans: 128 * 1024 * 1024,
  scan_hosts: 128 * 1024 * 1024,
};
const DEFAULT_VALUE_LIMIT = 1024 * 1024;

/**
 * The first `table.column` of `tables` in `db` holding a value longer than its limit (VALUE_LIMITS), or null.
 * Lengths come from octet_length(), which SQLite answers from the record's header without loading
 * the value (https://sqlite.org/lang_corefunc.html#octet_length), so a huge value planted by
 * another program (review A6b) is found without being read. The schema must already match
 * (schemaMismatch): names come from it.
 */
function oversizedValue(db: Db, tables: readonly string[]): string | null {
  for (const table of tables) {
    const columns = db
      .prepare('SELECT name FROM pragma_table_info(?)')
      .pluck()
      .all(table) as string[];
    const longest = db
      .prepare(
        `SELECT ${columns.map((c) => `max(octet_length(${quoted(c)}))`).join(', ')} FROM ${quoted(table)}`,
      )
      .raw()
      .get() as (number | null)[];
    const limit = VALUE_LIMITS[table] ?? DEFAULT_VALUE_LIMIT;
    const index = longest.findIndex((bytes) => bytes !== null && bytes > limit);
    if (index >= 0) return `${table}.${columns[index]}: ${longest[index]} bytes`;
  }
  return null;
}

/** The names of `db`'s tables; SQLite's own (sqlite_sequence, sqlite_stat1…) only when `own`. */
function tablesOf(db: Db, own: boolean): string[] {
  const names = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
    .pluck()
    .all() as string[];
  return own ? names : names.filter((name) => !name.startsWith('sqlite_'));
}

/** `name` as an SQL identifier, in double quotes. */
function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Upgrades `db` from its `user_version` to `target` (by default the newest schema this version
 * knows), one migration per transaction. Callers on a user's file check it first (openDatabase).
 */
export function migrate(db: Db, target = MIGRATIONS.length): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < target; version++) {
    const rebuild = REBUILDS.has(version);
    if (rebuild) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        const step = MIGRATIONS[version] as string | ((db: Db) => void);
        if (typeof step === 'string') db.exec(step);
        else step(db);
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
