import type { AppError } from '../contract/index.js';
import { toAppError } from '../errors.js';
import { StoreFailure, storeFailure } from '../store/failure.js';

/**
 * Whether `error` is the store's: a StoreFailure, or an error of SQLite (`SqliteError.code`
 * SQLITE_*), not of the file being read or of the work itself.
 */
export function isStoreError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof StoreFailure || (typeof code === 'string' && code.startsWith('SQLITE'));
}

/**
 * A worker thread's failure (import, export, prepare) as the contract sends it to the host: an
 * error of the thread's own connection to the store (`file`, the database the user knows) named
 * as the host's connection names it (storeFailure: `store.locked`, `store.read-only`… with the
 * file and the way out), not as `internal` (review 13, hostile F9: an import while another
 * program held the store's lock said "Unexpected internal error: database is locked"). Only
 * SQLite's errors are mapped: an errno of the file being imported is not the store's.
 */
export function workerFailure(error: unknown, file: string): AppError {
  const mapped = isStoreError(error) ? storeFailure(error, file) : null;
  return toAppError(mapped ?? error);
}
