import { accessSync, constants, statfsSync } from 'node:fs';
import path from 'node:path';
import { Code, type ErrorCode, type LocalizedText } from '../contract/index.js';
import { AppFailure, errorMessage } from '../errors.js';
import { bothLanguages } from '../text/catalogue.js';

/** The ways the app's database file can be unusable, each with its own message and way out. */
export type StoreDamage =
  | 'malformed'
  | 'not-a-database'
  | 'inconsistent'
  | 'oversized'
  | 'newer'
  | 'read-only'
  | 'disk-full'
  | 'locked'
  | 'unavailable'
  | 'foreign-owner'
  | 'foreign-file'
  | 'open-folder';

const CODES: Record<StoreDamage, ErrorCode> = {
  malformed: Code['store.malformed'],
  'not-a-database': Code['store.not-a-database'],
  inconsistent: Code['store.inconsistent'],
  oversized: Code['store.oversized'],
  newer: Code['store.newer'],
  'read-only': Code['store.read-only'],
  'disk-full': Code['store.disk-full'],
  locked: Code['store.locked'],
  unavailable: Code['store.unavailable'],
  'foreign-owner': Code['store.foreign-owner'],
  'foreign-file': Code['store.foreign-file'],
  'open-folder': Code['store.open-folder'],
};

/**
 * The versions of a file another Port Auditor wrote (`newer`): its schema version, and the newest
 * this version reads.
 */
export interface StoreVersions {
  found: number;
  known: number;
}

/**
 * The sentence of `damage` (errors.json `store.<damage>`), then the way out: moving the file aside
 * when a new one would do (not for a newer version's file, which the version that wrote it still
 * reads: its sentence says to update), and that the firewall rules are not lost with it.
 */
function messageFor(
  damage: StoreDamage,
  file: string,
  detail: string,
  versions: StoreVersions | undefined,
): LocalizedText {
  const moveAside =
    damage === 'malformed' ||
    damage === 'not-a-database' ||
    damage === 'inconsistent' ||
    damage === 'oversized' ||
    damage === 'unavailable';
  const rulesStay = damage !== 'disk-full';
  const parts = [
    errorMessage(CODES[damage], versions ? { ...versions } : undefined, {
      text: { file, dir: path.dirname(file), detail },
    }),
    ...(moveAside
      ? [bothLanguages('errors:store.parts.moveAside', { base: path.basename(file) })]
      : []),
    ...(rulesStay ? [bothLanguages('errors:store.parts.rulesStay')] : []),
  ];
  return {
    fr: parts.map((p) => p.fr).join(' '),
    en: parts.map((p) => p.en).join(' '),
  };
}

/**
 * The app's database is unusable: `damage` says how, the message names the file and the way out
 * in both languages, `code` is `store.<damage>`; `versions` for a `newer` file.
 */
export class StoreFailure extends AppFailure {
  constructor(
    readonly damage: StoreDamage,
    readonly file: string,
    detail = '',
    versions?: StoreVersions,
  ) {
    super(CODES[damage], messageFor(damage, file, detail, versions), { file, ...versions });
  }
}

/** Less than 64 KiB left for this user on the file system holding `dir` (statfs(2)). */
function nearlyFull(dir: string): boolean {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize < 64 * 1024;
  } catch {
    return false;
  }
}

function writable(target: string): boolean {
  try {
    accessSync(target, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * What a failure of SQLite or the file system on `file` means for the user, or null when it is not
 * a store failure. Codes: SQLite's result codes (https://www.sqlite.org/rescode.html) as
 * better-sqlite3 names them (`SqliteError.code`), and errno names for mkdir on the data folder.
 */
export function storeFailure(error: unknown, file: string): StoreFailure | null {
  if (error instanceof StoreFailure) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const detail = error instanceof Error ? error.message : code;
  if (code.startsWith('SQLITE_CORRUPT')) return new StoreFailure('malformed', file, detail);
  if (code === 'SQLITE_NOTADB') return new StoreFailure('not-a-database', file, detail);
  // A value longer than this SQLite reads ("string or blob too big"): another program wrote it,
  // since the app's own values are checked far below that when the file is opened.
  if (code === 'SQLITE_TOOBIG') return new StoreFailure('oversized', file, detail);
  // A write that fails on a full disk comes back as FULL, or as an I/O error when the shared
  // memory file or the WAL cannot grow: the free space of the folder tells which.
  if (code === 'SQLITE_FULL' || code === 'ENOSPC')
    return new StoreFailure('disk-full', file, detail);
  if (code.startsWith('SQLITE_IOERR') && nearlyFull(path.dirname(file))) {
    return new StoreFailure('disk-full', file, detail);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreFailure('locked', file, detail);
  }
  if (code.startsWith('SQLITE_READONLY') || ['EACCES', 'EPERM', 'EROFS'].includes(code)) {
    return new StoreFailure('read-only', file, detail);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    const dir = path.dirname(file);
    return new StoreFailure(!writable(dir) ? 'read-only' : 'unavailable', file, detail);
  }
  if (code.startsWith('SQLITE_IOERR')) return new StoreFailure('unavailable', file, detail);
  return null;
}
