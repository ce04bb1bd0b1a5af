import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localClient } from '../../app/api/local-client.js';
import { MAX_PORTS_PER_HOST_PAGE } from '../../app/contract/index.js';

/**
 * Review 13b (attacker) A1: nmap -p- against a tarpit (portspoof, a middlebox answering every
 * SYN) lists every port open. The import groups it into one verdict and `scan.get` carries a
 * bounded number of its ports, in the app's real store (a temp data folder of this test).
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One host at 192.168.1.5 (never scanned: an import) with ports 1..`open` open. */
function tarpitXml(open: number): string {
  const ports = Array.from(
    { length: open },
    (_, i) =>
      `<port protocol="tcp" portid="${i + 1}"><state state="open" reason="syn-ack"/></port>`,
  ).join('\n');
  return `<?xml version="1.0"?>
<nmaprun scanner="nmap" args="nmap -p- 192.168.1.5" start="1700000000">
<host><status state="up" reason="syn-ack"/><address addr="192.168.1.5" addrtype="ipv4"/>
<ports>${ports}</ports></host>
<runstats><finished time="1700000060"/><hosts up="1" down="0" total="1"/></runstats></nmaprun>`;
}

describe('an imported host answering on every port', () => {
  it('imports 30,000 open ports as one grouped verdict, paged in bounded messages', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `pa-tarpit-${process.pid}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const app = localClient({ host: 'cli', dataDir: dir });
    cleanups.push(() => app.dispose());

    const imported = await app.call('report.importNmapXml', {
      xml: tarpitXml(30_000),
      fileName: 'tarpit.xml',
    });
    expect(imported.kept).toBe(true);
    const page = await app.call('scan.get', { scanId: imported.scanId, limit: 1 });
    // A bound of MAX_PORTS_PER_HOST_PAGE ports' worth (each with its fr/en verdict), not 27 MB.
    expect(JSON.stringify(page).length).toBeLessThan(250_000);
    const [host] = page.hosts;
    expect(host?.ports).toHaveLength(MAX_PORTS_PER_HOST_PAGE);
    expect(page.portsLeftOut).toEqual({
      '192.168.1.5': { open: 30_000 - MAX_PORTS_PER_HOST_PAGE, others: 0 },
    });
    expect(host?.answersEveryPort).toEqual({ open: 30_000, probed: 30_000 });
    const verdict = page.assessment?.hosts[0];
    expect(verdict?.worst).toBe('medium');
    expect(verdict?.ports).toHaveLength(MAX_PORTS_PER_HOST_PAGE);
    expect(page.assessment?.counts).toEqual({ critical: 0, high: 0, medium: 1, low: 0, info: 0 });
    // Its ports per address: the ports the file lists (it has no <scaninfo>), not 0.
    expect(page.scan.portCount).toBe(30_000);
  });

  it('imports one host with all 65,535 ports open through the import thread (A2)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `pa-tarpit-all-${process.pid}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const app = localClient({ host: 'web', dataDir: dir }, 'all');
    cleanups.push(() => app.dispose());
    // Uploaded in pieces as the page sends a file: imported in the capped import thread.
    const bytes = Buffer.from(tarpitXml(65_535), 'utf8');
    const { uploadId, chunkBytes } = await app.call('report.importBegin', {
      fileName: 'open65535.xml',
      size: bytes.length,
    });
    for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
      await app.call('report.importChunk', {
        uploadId,
        offset,
        dataBase64: bytes.subarray(offset, offset + chunkBytes).toString('base64'),
      });
    }
    const imported = await app.call('report.importEnd', { uploadId });
    expect(imported).toMatchObject({ kept: true, counts: { hostsUp: 1 } });
    const page = await app.call('scan.get', { scanId: imported.scanId, limit: 1 });
    expect(page.hosts[0]?.answersEveryPort).toEqual({ open: 65_535, probed: 65_535 });
    expect(page.portsLeftOut?.['192.168.1.5']?.open).toBe(65_535 - MAX_PORTS_PER_HOST_PAGE);
  }, 120_000);
});
