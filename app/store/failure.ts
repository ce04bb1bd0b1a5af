import { accessSync, constants, statfsSync } from 'node:fs';
import path from 'node:path';
import { Code, type ErrorCode, type LocalizedText } from '../contract/index.js';
import { AppFailure } from '../errors.js';

/** The ways the app's database file can be unusable, each with its own message and way out. */
export type StoreDamage =
  'malformed' | 'not-a-database' | 'read-only' | 'disk-full' | 'locked' | 'unavailable';

const CODES: Record<StoreDamage, ErrorCode> = {
  malformed: Code['store.malformed'],
  'not-a-database': Code['store.not-a-database'],
  'read-only': Code['store.read-only'],
  'disk-full': Code['store.disk-full'],
  locked: Code['store.locked'],
  unavailable: Code['store.unavailable'],
};

const RULES_STAY: LocalizedText = {
  fr: 'Vos règles de pare-feu restent dans le pare-feu : Port Auditor les retrouve par leur nom et les reprend au démarrage suivant.',
  en: 'Your firewall rules stay in the firewall: Port Auditor finds them by name and takes them back at the next start.',
};

function moveAside(file: string): LocalizedText {
  return {
    fr: `Fermez Port Auditor, déplacez ce fichier ailleurs (avec ${path.basename(file)}-wal et ${path.basename(file)}-shm s’ils existent), puis relancez-le : il en créera un neuf.`,
    en: `Close Port Auditor, move this file elsewhere (with ${path.basename(file)}-wal and ${path.basename(file)}-shm if present), then start it again: it will create a new one.`,
  };
}

function messageFor(damage: StoreDamage, file: string, detail: string): LocalizedText {
  const join = (...parts: LocalizedText[]): LocalizedText => ({
    fr: parts.map((p) => p.fr).join(' '),
    en: parts.map((p) => p.en).join(' '),
  });
  switch (damage) {
    case 'malformed':
      return join(
        {
          fr: `La base de données de Port Auditor est endommagée : ${file}.`,
          en: `Port Auditor’s database is damaged: ${file}.`,
        },
        moveAside(file),
        RULES_STAY,
      );
    case 'not-a-database':
      return join(
        {
          fr: `Ce fichier n’est pas une base de données de Port Auditor (il a été remplacé ou tronqué) : ${file}.`,
          en: `This file is not a Port Auditor database (it was replaced or truncated): ${file}.`,
        },
        moveAside(file),
        RULES_STAY,
      );
    case 'read-only':
      return join(
        {
          fr: `Port Auditor ne peut pas écrire dans sa base de données : ${file} (le fichier ou son dossier est en lecture seule). Rendez-les modifiables par votre compte, ou déplacez le dossier ${path.dirname(file)} ailleurs et relancez Port Auditor.`,
          en: `Port Auditor cannot write to its database: ${file} (the file or its folder is read-only). Make them writable by your account, or move the folder ${path.dirname(file)} elsewhere and start Port Auditor again.`,
        },
        RULES_STAY,
      );
    case 'disk-full':
      return {
        fr: `Le disque qui contient la base de données de Port Auditor est plein : ${file}. Libérez de la place sur ce disque, puis recommencez.`,
        en: `The disk holding Port Auditor’s database is full: ${file}. Free some space on that disk, then try again.`,
      };
    case 'locked':
      return join(
        {
          fr: `La base de données de Port Auditor est verrouillée par un autre programme (une autre fenêtre ou commande de Port Auditor ?) : ${file}. Fermez-le, puis recommencez.`,
          en: `Port Auditor’s database is locked by another program (another Port Auditor window or command?): ${file}. Close it, then try again.`,
        },
        RULES_STAY,
      );
    case 'unavailable':
      return join(
        {
          fr: `Port Auditor ne peut pas ouvrir sa base de données : ${file} (${detail}).`,
          en: `Port Auditor cannot open its database: ${file} (${detail}).`,
        },
        moveAside(file),
        RULES_STAY,
      );
  }
}

/**
 * The app's database is unusable: `damage` says how, the message names the file and the way out
 * in both languages, `code` is `store.<damage>`.
 */
export class StoreFailure extends AppFailure {
  constructor(
    readonly damage: StoreDamage,
    readonly file: string,
    detail = '',
  ) {
    super(CODES[damage], messageFor(damage, file, detail), { file });
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
