import path from 'node:path';

/**
 * Where the store's file is in a data directory: one module that both the store (database.ts) and
 * the data folder checks (private-files.ts, which database.ts imports) name it from, so a refusal
 * never names a file other than the store's (review F8).
 */

/** The database's file name inside the data directory. */
export const DATABASE_FILE = 'port-auditor.sqlite';

/** The store's file in data directory `dataDir` (its -wal and -shm sit beside it). Pure. */
export function databasePath(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE);
}
