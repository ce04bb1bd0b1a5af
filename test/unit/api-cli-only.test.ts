import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localClient, type LocalClient } from '../../app/api/local-client.js';
import type { HostKind, ScanResult } from '../../app/contract/index.js';
import { AppFailure } from '../../app/errors.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { generateNmapXml } from '../lab/nmap-xml.js';

/**
 * `report.exportInput` (issue 13 review F2): the CLI's own method, refused to a page or a window
 * before its params are read, and refused to anyone when a host address is not an IP literal.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function client(host: HostKind): LocalClient {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pa-cli-only-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const app = localClient({ host, dataDir }, `${host}-1`);
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

const scan = (): ScanResult => importNmapXml(generateNmapXml(3)).scan;

describe('report.exportInput, the CLI’s own method', () => {
  it('makes the report for the CLI', async () => {
    const file = await client('cli').call('report.exportInput', {
      scan: scan(),
      format: 'csv',
      lang: 'en',
    });
    const csv = Buffer.from(file.dataBase64, 'base64').toString('utf8');
    expect(file.mimeType).toMatch(/^text\/csv/);
    expect(csv).toContain('10.200.0.2');
  });

  it.each(['web', 'electron'] as const)(
    'is refused as not allowed to a %s client, whatever its params',
    async (host) => {
      const app = client(host);
      const refused = await failure(
        app.call('report.exportInput', { scan: scan(), format: 'csv', lang: 'en' }),
      );
      expect(refused.code).toBe('contract.not-allowed');
      expect(refused.appError.message).toEqual({
        en: 'Message refused: only the port-auditor command may send report.exportInput.',
        fr: 'Message refusé\u00a0: seule la commande port-auditor peut envoyer report.exportInput.',
      });
      // Refused before the params are read: an invalid message gets the same answer.
      const invalid = await failure(app.call('report.exportInput', { scan: 1 } as never));
      expect(invalid.code).toBe('contract.not-allowed');
      // The page's own export (by id) still answers, with its own failure for an unknown id.
      const byId = await failure(
        app.call('report.export', {
          scanId: '00000000-0000-4000-8000-000000000000',
          format: 'csv',
          lang: 'en',
        }),
      );
      expect(byId.code).toBe('scan.not-found');
    },
  );

  it.each(['__proto__', 'constructor', 'toString', 'example.org', '10.0.0.256'])(
    'refuses a host address that is not an IP literal (%s), even from the CLI',
    async (address) => {
      const result = scan();
      const hosts = result.hosts.map((h, i) => (i === 1 ? { ...h, address } : h));
      const refused = await failure(
        client('cli').call('report.exportInput', {
          scan: { ...result, hosts },
          format: 'csv',
          lang: 'fr',
        }),
      );
      expect(refused.code).toBe('contract.invalid-params');
      expect(refused.appError.message).toEqual({
        en: 'Parameters refused for report.exportInput: scan.hosts.1.address — not an IP address',
        fr: 'Paramètres refusés pour report.exportInput\u00a0: scan.hosts.1.address — ce n’est pas une adresse IP',
      });
    },
  );

  it.each(['constructor', 'example.org'])(
    'refuses a MAC address keyed by something else than an IP literal (%s)',
    async (key) => {
      const refused = await failure(
        client('cli').call('report.exportInput', {
          scan: scan(),
          macAddresses: { [key]: 'aa:bb:cc:dd:ee:ff' },
          format: 'json',
          lang: 'en',
        }),
      );
      expect(refused.code).toBe('contract.invalid-params');
      expect(refused.appError.params).toMatchObject({ path: 'macAddresses' });
    },
  );
});
