import { openDatabaseForReading, type Db } from '../store/database.js';
import type { StoreFailure } from '../store/failure.js';
import { ScanStore } from '../store/scans.js';
import { SettingsStore } from '../store/settings.js';
import type { Handlers } from './dispatcher.js';

/**
 * The app's database for everything but the firewall journal (which opens its own connection),
 * opened on first use so a host that never needs it creates no data folder. A damaged store throws
 * its StoreFailure (naming the file) at each use rather than once, so a fix is picked up. A
 * read-only store is opened for reading (openDatabaseForReading): `problem()` is then its
 * read-only failure, the notice that nothing new is kept; writes throw it.
 */
export function lazyAppStore(dataDir: () => string) {
  let db: Db | null = null;
  let problem: StoreFailure | null = null;
  return {
    get(): Db {
      if (!db) ({ db, problem } = openDatabaseForReading(dataDir()));
      return db;
    },
    /** The read-only failure of the store opened for reading, or null. */
    problem(): StoreFailure | null {
      return problem;
    },
    close(): void {
      db?.close();
      db = null;
      problem = null;
    },
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
