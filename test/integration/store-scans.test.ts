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
    // A smaller history in the settings applies at once: the newest stays (and the one this
    // client shows, were it another: it shows the newest again first).
    await again.call('scan.get', { scanId: second.scanId });
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

  it('never deletes by retention a scan a client shows; it goes once that client has gone', async () => {
    const dir = dataDir();
    const page = client(dir);
    const cli = client(dir);
    await page.call('settings.set', { history: { keepScans: 1, keepDays: 90 } });
    const shown = await page.call('report.importNmapXml', { xml: FIXTURE, fileName: 'lo.xml' });
    // Shown by the page, then another app on the same store (the CLI) keeps a scan past the limit.
    expect((await page.call('scan.get', { scanId: shown.scanId })).hosts).toHaveLength(1);
    const other = await cli.call('report.importNmapXml', {
      xml: generateNmapXml(3),
      fileName: 'lan.xml',
    });
    const kept = async () => (await cli.call('scan.list', {})).scans.map((s) => s.scanId);
    expect(await kept()).toEqual([other.scanId, shown.scanId]);
    for (const format of ['pdf', 'json', 'csv', 'nmap-xml'] as const) {
      const file = await page.call('report.export', { scanId: shown.scanId, format, lang: 'fr' });
      expect(file.dataBase64.length).toBeGreaterThan(0);
    }
    const csv = await page.call('report.export', {
      scanId: shown.scanId,
      format: 'csv',
      lang: 'en',
    });
    expect(Buffer.from(csv.dataBase64, 'base64').toString()).toContain('127.77.141.97');
    // The page moves on to the other scan: the next sweep drops the one it no longer shows.
    await page.call('scan.get', { scanId: other.scanId });
    const third = await cli.call('report.importNmapXml', { xml: FIXTURE, fileName: 'again.xml' });
    expect(await kept()).toEqual([third.scanId, other.scanId]);
    // The page goes: nothing it showed is held any more.
    await page.dispose();
    const fourth = await cli.call('report.importNmapXml', { xml: FIXTURE, fileName: 'last.xml' });
    expect(await kept()).toEqual([fourth.scanId]);
    // An id the history never had is refused, never exported empty.
    const unknown = await cli
      .call('report.export', { scanId: crypto.randomUUID(), format: 'csv', lang: 'en' })
      .then(
        () => 'answered',
        (e: AppFailure) => e.appError,
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
