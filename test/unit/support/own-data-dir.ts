import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach } from 'vitest';

/**
 * Gives the calling test file a data folder of its own: PORT_AUDITOR_DATA_DIR is set at once to a
 * new folder `pa-<name>-…` under the system's temp folder, so nothing the app reads or writes ever
 * reaches the user's real data; after all the file's tests (also when one failed) the folder is
 * removed. Call it at the top level of a test file; returns the folder's path.
 */
export function useOwnDataDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pa-${name}-`));
  process.env.PORT_AUDITOR_DATA_DIR = dir;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Gives each test of the calling file a new data folder `pa-<name>-…` under the system's temp
 * folder, set as PORT_AUDITOR_DATA_DIR before the test and removed after it (also when it failed):
 * for tests that chmod, chown or plant files in the folder, which the next test must not inherit.
 * Call it at the top level of a test file; returns a function giving the current test's folder
 * (an empty string outside a test).
 */
export function useDataDirPerTest(name: string): () => string {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), `pa-${name}-`));
    process.env.PORT_AUDITOR_DATA_DIR = dir;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}
