import { chmodSync, chownSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  databasePath,
  openDatabase,
  openDatabaseForReading,
  openDatabaseOrMemory,
} from '../../app/store/database.js';
import { StoreFailure } from '../../app/store/failure.js';
import { foreignOwner } from '../../app/store/private-files.js';
import { useDataDirPerTest } from './support/own-data-dir.js';
import { thrownBy } from './support/thrown.js';

const dataDir = useDataDirPerTest('private');

const othersBits = (file: string) => statSync(file).mode & 0o077;

describe('the data folder and the store are private to their user (review 13 A8, POSIX)', () => {
  it('a data folder made by the app is 0700; the store file made 0600', () => {
    const made = path.join(dataDir(), 'made', 'port-auditor');
    openDatabase(made).close();
    expect(statSync(made).mode & 0o777).toBe(0o700);
    expect(othersBits(databasePath(made))).toBe(0);
  });

  it('an existing folder the app did not make keeps its mode (A8 rest: a home folder); the store file is closed', () => {
    chmodSync(dataDir(), 0o755);
    openDatabase(dataDir()).close();
    expect(statSync(dataDir()).mode & 0o777).toBe(0o755);
    expect(othersBits(databasePath(dataDir()))).toBe(0);
  });

  it('a store file opened to others is closed again, its -wal too', () => {
    const db = openDatabase(dataDir());
    db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    chmodSync(databasePath(dataDir()), 0o644);
    chmodSync(`${databasePath(dataDir())}-wal`, 0o644);
    const again = openDatabase(dataDir());
    expect(othersBits(databasePath(dataDir()))).toBe(0);
    expect(othersBits(`${databasePath(dataDir())}-wal`)).toBe(0);
    again.close();
    db.close();
  });
});

/** A user number no account of this machine has: the folder is "another user's". */
const OTHER_UID = 64_999;

describe('a data folder owned by another user is refused, naming it (review 13 A8 rest, POSIX)', () => {
  it('is a store failure naming the folder in fr and en; the firewall falls back to memory', () => {
    // Run as root here (the test machine): chown gives the folder away for real.
    chownSync(dataDir(), OTHER_UID, OTHER_UID);
    const error = thrownBy(() => openDatabase(dataDir()).close());
    expect(error).toBeInstanceOf(StoreFailure);
    const failure = error as StoreFailure;
    expect(failure.damage).toBe('foreign-owner');
    expect(failure.code).toBe('store.foreign-owner');
    expect(failure.written?.en).toContain(
      `Port Auditor’s data folder belongs to another user account (uid ${OTHER_UID}), which could replace the database in it: ${dataDir()}.`,
    );
    expect(failure.written?.fr).toContain(
      `Le dossier de données de Port Auditor appartient à un autre compte (uid ${OTHER_UID}), qui pourrait remplacer la base de données qu’il contient\u00a0: ${dataDir()}.`,
    );
    // Nothing made or changed in that folder.
    expect(existsSync(databasePath(dataDir()))).toBe(false);
    expect(statSync(dataDir()).uid).toBe(OTHER_UID);
    expect(() => openDatabaseForReading(dataDir())).toThrow(StoreFailure);
    const memory = openDatabaseOrMemory(dataDir());
    expect(memory.problem?.damage).toBe('foreign-owner');
    memory.db.close();
  });

  it('this user’s folder and root’s are not another user’s; Windows is left to its ACLs', () => {
    expect(foreignOwner(dataDir(), 'linux', statSync(dataDir()).uid)).toBeNull();
    // A folder root owns, opened by a normal user (uid 1000): set up so on purpose.
    expect(statSync(dataDir()).uid).toBe(0);
    expect(foreignOwner(dataDir(), 'linux', 1000)).toBeNull();
    chownSync(dataDir(), OTHER_UID, OTHER_UID);
    expect(foreignOwner(dataDir(), 'linux', 0)).toBe(OTHER_UID);
    expect(foreignOwner(dataDir(), 'linux', 1000)).toBe(OTHER_UID);
    expect(foreignOwner(dataDir(), 'win32', 0)).toBeNull();
  });
});
