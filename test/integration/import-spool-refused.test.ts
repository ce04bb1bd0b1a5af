import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localClient } from '../../app/api/local-client.js';
import { AppFailure } from '../../app/errors.js';

/**
 * Review 13 hostile F2 (rest): an import into a data folder the store refuses made `imports/` in
 * it before the refusal. The refusal now comes first and nothing is made. Another user is a uid
 * this test gives the folder with chown (run as root); no account is created.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function refusedImport(dir: string): Promise<AppFailure> {
  const app = localClient({ host: 'web', dataDir: dir }, 'page-1');
  cleanups.push(() => app.dispose());
  const failure = await app
    .call('report.importBegin', { fileName: 'lan.xml', size: 100 })
    .catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(AppFailure);
  return failure as AppFailure;
}

describe('an import into a data folder the store refuses', () => {
  it('another user’s folder: refused as foreign-owner, no imports/ made', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `pa-spool-foreign-${process.pid}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    chownSync(dir, 4_242_002, 4_242_002);
    const failure = await refusedImport(dir);
    expect(failure.appError.code).toBe('store.foreign-owner');
    expect(existsSync(path.join(dir, 'imports'))).toBe(false);
  });

  it('a folder others can write: refused as open-folder, no imports/ made', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `pa-spool-open-${process.pid}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    chmodSync(dir, 0o777);
    const failure = await refusedImport(dir);
    expect(failure.appError.code).toBe('store.open-folder');
    expect(failure.appError.message.en).toContain(dir);
    expect(existsSync(path.join(dir, 'imports'))).toBe(false);
  });
});
