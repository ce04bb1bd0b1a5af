import { databasePath, openDatabaseForReading, type Db } from '../store/database.js';
import { identityOf, storeFileChange, type FileIdentity } from '../store/file-check.js';
import { StoreFailure } from '../store/failure.js';
import { ScanStore } from '../store/scans.js';
import { SettingsStore } from '../store/settings.js';
import type { Handlers } from './dispatcher.js';

/**
 * The app's database for everything but the firewall journal (which opens its own connection),
 * opened on first use so a host that never needs it creates no data folder. A damaged store throws
 * its StoreFailure (naming the file) at each use rather than once, so a fix is picked up. A
 * read-only store is opened for reading (openDatabaseForReading): `problem()` is then its
 * read-only failure, the notice that nothing new is kept; writes throw it.
 * Each use first checks the file is still the one opened and sound (storeFileChange, review 13: a
 * store changed under the app): a file overwritten or cut short throws its StoreFailure, as at
 * start, instead of being read from SQLite's cache until a change meets it; a file renamed over it
 * or moved aside throws `malformed` naming the file at every use until the app restarts: it is not
 * opened in its place, since the WAL beside it is still the old file's (SQLite would replay the old
 * file's pages over the new one) and the firewall journal's connection still holds the old file.
 * A read-only store's copy is a snapshot and is not checked.
 */
export function lazyAppStore(dataDir: () => string) {
  let db: Db | null = null;
  let problem: StoreFailure | null = null;
  let opened: FileIdentity | null = null;
  /** Set once the file was found replaced: kept until the app restarts (see above). */
  let replaced: StoreFailure | null = null;
  const close = () => {
    db?.close();
    db = null;
    problem = null;
    opened = null;
  };
  return {
    get(): Db {
      if (replaced) throw replaced;
      if (db && !problem && opened) {
        const file = databasePath(dataDir());
        const change = storeFileChange(file, opened);
        if (change === 'swapped') {
          replaced = new StoreFailure('malformed', file, 'replaced while Port Auditor ran');
          throw replaced;
        }
        if (change) {
          close();
          throw change;
        }
      }
      if (!db) {
        ({ db, problem } = openDatabaseForReading(dataDir()));
        opened = identityOf(databasePath(dataDir()));
      }
      return db;
    },
    /** The read-only failure of the store opened for reading, or null. */
    problem(): StoreFailure | null {
      return problem;
    },
    close,
  };
}

export function settingsHandlers(
  store: ReturnType<typeof lazyAppStore>,
): Pick<Handlers, 'settings.get' | 'settings.set'> {
  return {
    'settings.get': async () => new SettingsStore(store.get()).get(),
    'settings.set': async (change) => {
      const settings = new SettingsStore(store.get()).set(change);
      // A smaller history applies at once, not only at the next scan.
      if (change.history) new ScanStore(store.get()).prune(settings.history);
      return settings;
    },
  };
}
