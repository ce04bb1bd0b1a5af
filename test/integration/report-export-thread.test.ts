import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../app/api/core.js';
import { localClient } from '../../app/api/local-client.js';
import { generateOpenPortsXml } from '../lab/nmap-xml.js';
import { typeset } from '../unit/support/typography.js';

const run = promisify(execFile);

/**
 * `report.export` of a kept scan runs in a thread of its own (app/api/export-thread.ts), in the
 * app's real store (a temp data folder of this test): a report of a huge scan never blocks the
 * host's event loop (review 13c attacker B1: the PDF of one tarpit host, 65,535 open ports).
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `pa-export-${name}-${process.pid}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('exports of kept scans off the host’s thread', () => {
  it('answers app.info while the PDF of a host with every port open is made; the PDF prints one range', async () => {
    const dir = tempDir('tarpit');
    const app = localClient({ host: 'web', dataDir: dir }, 'export');
    cleanups.push(() => app.dispose());
    const { scanId, kept } = await app.call('report.importNmapXml', {
      xml: generateOpenPortsXml(1, 65_535),
      fileName: 'open65535.xml',
    });
    expect(kept).toBe(true);

    // A small scan's PDF first: the PDF library is loaded, so no loading of it stands in for
    // the big export's own work below.
    const small = await app.call('report.importNmapXml', {
      xml: generateOpenPortsXml(1, 3),
      fileName: 'small.xml',
    });
    await app.call('report.export', { scanId: small.scanId, format: 'pdf', lang: 'en' });

    const order: string[] = [];
    const exported = app
      .call('report.export', { scanId, format: 'pdf', lang: 'en' })
      .then((file) => {
        order.push('export');
        return file;
      });
    // Sent after the export began, each a turn of the event loop after the last one's answer:
    // all answered before the export's, which goes on in its own thread. Work of the export in
    // this thread would hold every turn until it ended.
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const info = await app.call('app.info', {});
      expect(info.name).toBeTruthy();
      order.push('info');
    }
    const file = await exported;
    expect(order).toEqual([...Array.from({ length: 20 }, () => 'info'), 'export']);

    expect(file.mimeType).toBe('application/pdf');
    const pdf = Buffer.from(file.dataBase64, 'base64');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdfPath = path.join(dir, 'tarpit.pdf');
    writeFileSync(pdfPath, pdf);
    const { stdout } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', pdfPath, '-'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const text = stdout.replace(/\s+/g, ' ');
    // The host's one grouped verdict and its ports as one range, not 65,535 port lines.
    expect(text).toContain('192.168.7.1');
    expect(text).toContain('Every port answers: firewall, proxy or trap');
    expect(text).toContain('65,535 of the 65,535 probed ports accepted the connection.');
    expect(text).toContain('Open ports: 1-65535');
    expect(text).not.toMatch(/\b65534\b/);
  }, 600_000);

  it('exports CSV, JSON and nmap XML of a kept scan through the thread; an unknown scan is refused', async () => {
    const dir = tempDir('formats');
    const app = localClient({ host: 'cli', dataDir: dir });
    cleanups.push(() => app.dispose());
    const { scanId } = await app.call('report.importNmapXml', {
      xml: generateOpenPortsXml(3, 20),
      fileName: 'small.xml',
    });
    const csv = await app.call('report.export', { scanId, format: 'csv', lang: 'en' });
    const rows = Buffer.from(csv.dataBase64, 'base64').toString('utf8');
    expect(rows).toContain('192.168.7.3');
    const json = await app.call('report.export', { scanId, format: 'json', lang: 'fr' });
    const report = JSON.parse(Buffer.from(json.dataBase64, 'base64').toString('utf8')) as {
      scan: { hosts: { address: string }[] };
    };
    expect(report.scan.hosts.map((h) => h.address)).toEqual([
      '192.168.7.1',
      '192.168.7.2',
      '192.168.7.3',
    ]);
    const xml = await app.call('report.export', { scanId, format: 'nmap-xml', lang: 'en' });
    expect(Buffer.from(xml.dataBase64, 'base64').toString('utf8')).toContain(
      '<address addr="192.168.7.2" addrtype="ipv4"/>',
    );
    await expect(
      app.call('report.export', {
        scanId: '00000000-0000-4000-8000-000000000000',
        format: 'pdf',
        lang: 'en',
      }),
    ).rejects.toMatchObject({ appError: { code: 'scan.not-found' } });
  }, 300_000);

  it('a client gets two reports made at once; its threads stop when it closes', async () => {
    const dir = tempDir('limits');
    const core = createCore({ host: 'web', dataDir: dir });
    cleanups.push(() => core.dispose());
    let id = 1;
    const call = async (client: string, method: string, params: unknown) =>
      core.dispatch({ kind: 'request', id: id++, method, params } as never, {
        client,
        emit: () => undefined,
      });
    const imported = await call('a', 'report.importNmapXml', {
      xml: generateOpenPortsXml(1, 3),
      fileName: 'small.xml',
    });
    expect(imported.ok).toBe(true);
    const { scanId } = (imported as { result: { scanId: string } }).result;
    const exportFor = (client: string) =>
      call(client, 'report.export', { scanId, format: 'pdf', lang: 'en' });
    const first = exportFor('a');
    const second = exportFor('a');
    // The third of the same client is refused at once, in words (review 13d attacker A1).
    const third = await exportFor('a');
    expect(third).toMatchObject({
      ok: false,
      error: { code: 'report.export-too-many-for-client' },
    });
    // The client goes: its two threads are stopped, their slots free again.
    await core.clientClosed('a');
    for (const stopped of await Promise.all([first, second])) {
      expect(stopped).toMatchObject({ ok: false, error: { code: 'internal' } });
    }
    const again = await exportFor('a');
    expect(again).toMatchObject({ ok: true, result: { mimeType: 'application/pdf' } });
  });

  it('an export past its heap cap is refused in words, and the app goes on', async () => {
    const dir = tempDir('heap');
    // A cap no PDF of this scan fits in, given to the app as its hosts give theirs.
    const core = createCore({ host: 'web', dataDir: dir, limits: { exportHeapMb: 24 } });
    cleanups.push(() => core.dispose());
    let id = 1;
    const call = async (method: string, params: unknown) =>
      core.dispatch({ kind: 'request', id: id++, method, params } as never, {
        client: 'heap',
        emit: () => undefined,
      });
    const imported = await call('report.importNmapXml', {
      xml: generateOpenPortsXml(1, 65_535),
      fileName: 'open65535.xml',
    });
    expect(imported.ok).toBe(true);
    const { scanId } = (imported as { result: { scanId: string } }).result;
    const refused = await call('report.export', { scanId, format: 'pdf', lang: 'fr' });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'report.export-too-large',
        message: {
          fr: typeset(
            'Le rapport PDF de cette analyse demande plus de mémoire qu’un export ne s’en accorde (24\u00a0Mo) : Port Auditor l’a arrêté, l’application et l’analyse conservée n’en souffrent pas. Exportez-la plutôt en CSV, plus léger, ou relancez l’analyse sur moins d’appareils ou de ports à la fois.',
          ),
          en: 'The PDF report of this scan needs more memory than an export is allowed (24 MB): Port Auditor stopped it; the app and the kept scan are unaffected. Export it as CSV instead, which is lighter, or scan fewer devices or ports at a time.',
        },
      },
    });
    // The app answers on, and the scan is still there to reopen.
    expect(await call('app.info', {})).toMatchObject({ ok: true });
    expect(await call('scan.get', { scanId, limit: 1, status: 'up' })).toMatchObject({
      ok: true,
      result: { total: 1 },
    });
  }, 300_000);
});
