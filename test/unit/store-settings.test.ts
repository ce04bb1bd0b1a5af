import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  databasePath,
  openDatabase,
  openDatabaseOrMemory,
  setMeta,
} from '../../app/store/database.js';
import { storeFailure, StoreFailure } from '../../app/store/failure.js';
import { SettingsStore } from '../../app/store/settings.js';

/** The history's retention by default (Settings.history). */
const HISTORY = { keepScans: 100, keepDays: 90 };

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pa-settings-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('settings kept by the app (real SQLite file)', () => {
  it('start at their defaults, change one at a time, and survive a reopen', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const store = new SettingsStore(db);
    expect(store.get()).toEqual({ language: 'auto', theme: 'system', history: HISTORY });
    expect(store.set({ language: 'fr' })).toEqual({
      language: 'fr',
      theme: 'system',
      history: HISTORY,
    });
    expect(store.set({ theme: 'dark' })).toEqual({
      language: 'fr',
      theme: 'dark',
      history: HISTORY,
    });
    db.close();
    const again = openDatabase(dir);
    expect(new SettingsStore(again).get()).toEqual({
      language: 'fr',
      theme: 'dark',
      history: HISTORY,
    });
    again.close();
  });

  it('fall back to the default for a value another version or a hand edit left', () => {
    const db = openDatabase(tempDir());
    const put = db.prepare(
      "INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?, ?, 't')",
    );
    put.run('language', '"de"');
    put.run('theme', 'not json');
    put.run('__proto__', '{"polluted": true}');
    put.run('fontSize', '14');
    const settings = new SettingsStore(db).get();
    expect(settings).toEqual({ language: 'auto', theme: 'system', history: HISTORY });
    expect(Object.keys(settings).sort()).toEqual(['history', 'language', 'theme']);
    db.close();
  });
});

describe('a damaged store is named, with the way out', () => {
  it('a file that is not a database', () => {
    const dir = tempDir();
    writeFileSync(databasePath(dir), 'a note saved under the database’s name\n'.repeat(100));
    let thrown: unknown;
    try {
      openDatabase(dir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StoreFailure);
    const failure = thrown as StoreFailure;
    expect(failure.damage).toBe('not-a-database');
    expect(failure.appError.code).toBe('store.not-a-database');
    expect(failure.appError.params).toEqual({ file: databasePath(dir) });
    expect(failure.appError.message.en).toContain(
      `This file is not a Port Auditor database (it was replaced or truncated): ${databasePath(dir)}.`,
    );
    expect(failure.appError.message.fr).toContain('déplacez ce fichier ailleurs');
  });

  it('pages overwritten past the header', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    for (let i = 0; i < 200; i++) setMeta(db, `k${i}`, 'v'.repeat(200));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const fd = openSync(databasePath(dir), 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, 4096);
    closeSync(fd);
    const opened = openDatabaseOrMemory(dir);
    expect(opened.problem?.damage).toBe('malformed');
    expect(opened.problem?.appError.message.en).toContain(
      `Port Auditor’s database is damaged: ${databasePath(dir)}.`,
    );
    // The stand-in journal in memory has the whole schema, so reads and undo still run.
    expect(opened.db.prepare('SELECT count(*) AS n FROM firewall_rules').get()).toEqual({ n: 0 });
    opened.db.close();
  });

  it('SQLite and file-system failures each get their kind; anything else is not a store failure', () => {
    const file = '/data/port-auditor.sqlite';
    const sqlite = (code: string) => Object.assign(new Error(code), { code });
    expect(storeFailure(sqlite('SQLITE_CORRUPT'), file)?.damage).toBe('malformed');
    expect(storeFailure(sqlite('SQLITE_NOTADB'), file)?.damage).toBe('not-a-database');
    expect(storeFailure(sqlite('SQLITE_BUSY'), file)?.damage).toBe('locked');
    expect(storeFailure(sqlite('SQLITE_READONLY_DBMOVED'), file)?.damage).toBe('read-only');
    expect(storeFailure(sqlite('EROFS'), file)?.damage).toBe('read-only');
    expect(storeFailure(sqlite('SQLITE_FULL'), file)?.damage).toBe('disk-full');
    expect(storeFailure(sqlite('SQLITE_CONSTRAINT_UNIQUE'), file)).toBeNull();
    expect(storeFailure(new Error('no code'), file)).toBeNull();
    expect(storeFailure('text', file)).toBeNull();
  });
});
