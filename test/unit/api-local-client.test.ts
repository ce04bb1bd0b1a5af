import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localClient, type LocalClient } from '../../app/api/local-client.js';
import { AppFailure } from '../../app/errors.js';
import { databasePath } from '../../app/store/database.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A client over a real core whose data folder is a temp folder of this test. */
function client(prepare?: (dataDir: string) => void): LocalClient {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pa-local-client-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  prepare?.(dataDir);
  const app = localClient({ host: 'cli', dataDir });
  cleanups.push(() => app.dispose());
  return app;
}

async function failure(task: Promise<unknown>): Promise<AppFailure> {
  try {
    await task;
  } catch (error) {
    if (error instanceof AppFailure) return error;
    throw error;
  }
  throw new Error('did not fail');
}

describe('the app in the same process (the CLI’s composition root)', () => {
  it('answers through the contract and validates what it is given', async () => {
    const app = client();
    expect(await app.call('app.info', {})).toMatchObject({ name: 'Port Auditor', host: 'cli' });
    expect(await app.call('settings.set', { theme: 'dark' })).toEqual({
      language: 'auto',
      theme: 'dark',
      history: { keepScans: 100, keepDays: 90 },
    });
    const refused = await failure(
      app.call('scan.start', {
        scanId: '00000000-0000-4000-8000-000000000001',
        targets: '',
        ports: 'top100',
      }),
    );
    expect(refused.appError.code).toBe('contract.invalid-params');
    expect(refused.appError.message.en).toMatch(/^Parameters refused for scan\.start: targets/);
  });

  it('gives the firewall notices of a damaged store, and the elevation only when asked', async () => {
    const app = client((dataDir) =>
      writeFileSync(databasePath(dataDir), 'not a database\n'.repeat(100)),
    );
    const plain = await app.call('firewall.notices', {});
    expect(plain.elevation).toBeNull();
    expect(plain.notices).toHaveLength(1);
    expect(plain.notices[0]?.en).toMatch(
      /^This file is not a Port Auditor database .*: .+\.sqlite\./,
    );
    const asked = await app.call('firewall.notices', { elevation: true });
    expect(['none', 'pkexec', 'uac', 'unavailable']).toContain(asked.elevation);
  });
});
