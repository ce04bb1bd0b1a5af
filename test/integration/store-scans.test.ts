import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localClient, type LocalClient } from '../../app/api/local-client.js';
import { AppFailure } from '../../app/errors.js';
import { databasePath } from '../../app/store/database.js';
import { generateNmapXml } from '../lab/nmap-xml.js';

/**
 * Scans kept in the app's SQLite store (a real file in a temp data folder of this test): retention,
 * paging by id with verdicts, a restart, and a damaged store that must not lose the scan on screen.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), `pa-store-scans-${process.pid}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function client(dir: string): LocalClient {
  const app = localClient({ host: 'cli', dataDir: dir });
  cleanups.push(() => app.dispose());
  return app;
}

const FIXTURE = readFileSync(path.resolve(__dirname, '../fixtures/nmap/loopback-sT.xml'), 'utf8');

describe('scans kept by the app', () => {
  it('keeps an import with its verdicts, pages it by id, and shows it again after a restart', async () => {
    const dir = dataDir();
    const app = client(dir);
    const xml = generateNmapXml(120);
    const imported = await app.call('report.importNmapXml', { xml, fileName: 'lan.xml' });
    expect(imported).toMatchObject({
      kept: true,
      counts: { hosts: 120, hostsUp: 120, addresses: 120 },
    });
    const page = await app.call('scan.get', { scanId: imported.scanId, offset: 100, limit: 50 });
    expect(page.total).toBe(120);
    expect(page.hosts).toHaveLength(20);
    expect(page.scan).toMatchObject({ kind: 'nmap-import', fileName: 'lan.xml', dateKnown: true });
    // The result's own fields (without its hosts), as the contract has them.
    expect(page.result).toMatchObject({ scanId: imported.scanId, addresses: 120, portCount: 1025 });
    expect(page.result).not.toHaveProperty('hosts');
    // The verdicts of the page's hosts, the counts of the whole scan.
    expect(page.assessment?.hosts.map((h) => h.address)).toEqual(page.hosts.map((h) => h.address));
    expect(page.assessment?.counts.critical).toBeGreaterThan(0);
    // Worst first: telnet (23) is critical, so the first page starts with a host that has it.
    const first = await app.call('scan.get', { scanId: imported.scanId, limit: 1 });
    expect(first.assessment?.hosts[0]?.worst).toBe('critical');

    const csv = await app.call('report.export', {
      scanId: imported.scanId,
      format: 'csv',
      lang: 'en',
    });
    expect(Buffer.from(csv.dataBase64, 'base64').toString('utf8')).toContain('10.200.0.120');

    const second = await app.call('report.importNmapXml', { xml: FIXTURE, fileName: 'lo.xml' });
    await app.dispose();

    const again = client(dir);
    const latest = await again.call('scan.latest', {});
    expect(latest.scan).toMatchObject({ scanId: second.scanId, fileName: 'lo.xml' });
    const list = await again.call('scan.list', {});
    expect(list.scans.map((s) => s.scanId)).toEqual([second.scanId, imported.scanId]);
    expect(list.scans[1]).toMatchObject({ counts: { openPorts: imported.counts.openPorts } });
    const older = await again.call('scan.get', { scanId: imported.scanId, limit: 500 });
    expect(older.hosts).toHaveLength(120);
    // A smaller history in the settings applies at once: the newest stays.
    await again.call('settings.set', { history: { keepScans: 1, keepDays: 90 } });
    expect((await again.call('scan.list', {})).scans.map((s) => s.scanId)).toEqual([second.scanId]);
  });

  it('refuses a scan id in use or not a UUID, before scanning', async () => {
    const app = client(dataDir());
    const { scanId } = await app.call('report.importNmapXml', { xml: FIXTURE });
    const refuse = async (id: string) => {
      try {
        await app.call('scan.start', { scanId: id, targets: '127.0.0.1', ports: '1' });
      } catch (error) {
        if (error instanceof AppFailure) return error.appError.code;
        throw error;
      }
      return 'started';
    };
    expect(await refuse(scanId)).toBe('scan.duplicate-id');
    expect(await refuse('../../etc')).toBe('contract.invalid-params');
    const missing = await app
      .call('scan.get', { scanId: '00000000-0000-4000-8000-00000000abcd' })
      .catch((e: AppFailure) => e.appError.code);
    expect(missing).toBe('scan.not-found');
  });

  it('refuses to export or page a scan that retention deleted while it was shown', async () => {
    const dir = dataDir();
    const page = client(dir);
    const cli = client(dir);
    await page.call('settings.set', { history: { keepScans: 1, keepDays: 90 } });
    const shown = await page.call('report.importNmapXml', { xml: FIXTURE, fileName: 'lo.xml' });
    // Shown by the page (its order and totals held), then removed by another client's import.
    expect((await page.call('scan.get', { scanId: shown.scanId })).hosts).toHaveLength(1);
    await cli.call('report.importNmapXml', { xml: generateNmapXml(3), fileName: 'lan.xml' });
    const refused = async (call: () => Promise<unknown>) =>
      call().then(
        () => 'answered',
        (e: AppFailure) => e.appError,
      );
    for (const format of ['pdf', 'json', 'csv', 'nmap-xml'] as const) {
      const error = await refused(() =>
        page.call('report.export', { scanId: shown.scanId, format, lang: 'fr' }),
      );
      expect(error).toMatchObject({
        code: 'scan.no-longer-kept',
        message: {
          fr: 'Cette analyse n’est plus conservée (limite de l’historique) : relancez-la ou rouvrez-en une autre depuis l’historique.',
          en: 'This scan is no longer kept (history limit): run it again or open another one from the history.',
        },
      });
    }
    const paged = await refused(() => page.call('scan.get', { scanId: shown.scanId, offset: 50 }));
    expect(paged).toMatchObject({ code: 'scan.no-longer-kept' });
    // An id the history never had is refused too, never exported empty.
    const unknown = await refused(() =>
      page.call('report.export', { scanId: crypto.randomUUID(), format: 'csv', lang: 'en' }),
    );
    expect(unknown).toMatchObject({ code: 'scan.not-found' });
  });

  it('a file sent in one message is imported in the capped import thread, never in the host (review 13b, A3)', async () => {
    const dir = dataDir();
    // A heap too small for the import thread (Limits.importHeapMb), as a file too big for it would.
    const small = localClient({ host: 'web', dataDir: dir, limits: { importHeapMb: 4 } });
    cleanups.push(() => small.dispose());
    const failure = await small
      .call('report.importNmapXml', { xml: generateNmapXml(600), fileName: 'big.xml' })
      .then(
        () => null,
        (error: AppFailure) => error.appError,
      );
    expect(failure?.code).toBe('report.nmap-too-large');
    expect(failure?.message.en).toContain('needs more memory than an import allows itself (4 MB)');
    // Its text went through a private spool file, removed once the import ended.
    expect(readdirSync(path.join(dir, 'imports'))).toEqual([]);
  });

  it('with a damaged store, refuses the import naming the file, as a file sent in pieces is', async () => {
    const dir = dataDir();
    writeFileSync(databasePath(dir), 'not a database\n'.repeat(100));
    const app = client(dir);
    const failure = await app
      .call('report.importNmapXml', { xml: FIXTURE, fileName: 'lo.xml' })
      .then(
        () => null,
        (error: AppFailure) => error.appError,
      );
    expect(failure?.code).toBe('store.not-a-database');
    expect(failure?.message.en).toMatch(/^The nmap file “lo\.xml” was not imported: /);
    expect(failure?.message.fr).toContain(databasePath(dir));
  });
});
