import { chmodSync, chownSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { databasePath, openDatabase } from '../../app/store/database.js';
import { StoreFailure } from '../../app/store/failure.js';
import { useDataDirPerTest } from './support/own-data-dir.js';
import { thrownBy } from './support/thrown.js';

/**
 * Review 13 hostile F2: a data folder of this user that others can write, or a store file another
 * user put in it, was used silently (that user's forged history and journal read as this user's,
 * this user's scans written into that user's file). Both are now refused before SQLite reads
 * anything, naming the folder or file and the way out. Another user is a uid this test gives the
 * file with chown (run as root, as the test suite is); no account is created.
 */
const OTHER_UID = 4_242_001;
const dataDir = useDataDirPerTest('planted');

/** The store failure opening the store in `dir` throws; any other outcome fails the test. */
function refusal(dir: string): StoreFailure {
  const error = thrownBy(() => openDatabase(dir).close());
  if (error instanceof StoreFailure) return error;
  if (error === null) throw new Error('openDatabase did not refuse');
  throw error;
}

describe('a store another user could have planted (POSIX)', () => {
  it('a store file of another user in this user’s folder is refused, naming it, left unchanged', () => {
    openDatabase(dataDir()).close();
    const file = databasePath(dataDir());
    chownSync(file, OTHER_UID, OTHER_UID);
    const before = statSync(file);
    const failure = refusal(dataDir());
    expect(failure.appError.code).toBe('store.foreign-file');
    expect(failure.appError.message.en).toContain(`(uid ${OTHER_UID})`);
    expect(failure.appError.message.en).toContain(`: ${file}.`);
    expect(failure.appError.message.en).toContain(
      'set PORT_AUDITOR_DATA_DIR to a folder of your own',
    );
    expect(failure.appError.message.fr).toContain(`\u00a0: ${file}.`);
    const after = statSync(file);
    expect([after.uid, after.mode, after.mtimeMs]).toEqual([
      before.uid,
      before.mode,
      before.mtimeMs,
    ]);
  });

  it('a -wal file of another user is refused too, and no -shm is made beside it', () => {
    openDatabase(dataDir()).close();
    const wal = `${databasePath(dataDir())}-wal`;
    // What another user plants: an empty -wal of theirs (SQLite would read and replay it).
    rmSync(`${databasePath(dataDir())}-shm`, { force: true });
    writeFileSync(wal, '');
    chownSync(wal, OTHER_UID, OTHER_UID);
    const failure = refusal(dataDir());
    expect(failure.appError.code).toBe('store.foreign-file');
    expect(failure.appError.message.en).toContain(`: ${wal}.`);
    expect(existsSync(`${databasePath(dataDir())}-shm`)).toBe(false);
  });

  it.each([0o777, 0o770, 0o1777])(
    'a folder others can write (%o) is refused before a file is made in it',
    (mode) => {
      // A group that is not this user's own private one (review F12 accepts that one's g+w).
      chownSync(dataDir(), statSync(dataDir()).uid, OTHER_UID);
      chmodSync(dataDir(), mode);
      const failure = refusal(dataDir());
      expect(failure.appError.code).toBe('store.open-folder');
      expect(failure.appError.message.en).toContain(`(permissions 0${mode.toString(8)})`);
      expect(failure.appError.message.en).toContain(`: ${dataDir()}.`);
      expect(failure.appError.message.en).toContain('chmod 700');
      expect(failure.appError.message.fr).toContain('fermez ce dossier aux autres');
      expect(existsSync(databasePath(dataDir()))).toBe(false);
      // Left as the user set it: refused, not narrowed.
      expect(statSync(dataDir()).mode & 0o7777).toBe(mode);
    },
  );

  it('this user’s own 0755 folder and files are used as before', () => {
    chmodSync(dataDir(), 0o755);
    openDatabase(dataDir()).close();
    openDatabase(dataDir()).close();
    expect(existsSync(databasePath(dataDir()))).toBe(true);
  });
});
