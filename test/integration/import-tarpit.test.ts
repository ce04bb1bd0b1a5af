import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localClient } from '../../app/api/local-client.js';
import {
  MAX_PORTS_PER_HOST_PAGE,
  MAX_PORTS_PER_PAGE,
  type PortResult,
} from '../../app/contract/index.js';
import { generateOpenPortsXml } from '../lab/nmap-xml.js';
import { typeset } from '../unit/support/typography.js';

/**
 * Review 13b (attacker) A1: nmap -p- against a tarpit (portspoof, a middlebox answering every
 * SYN) lists every port open. The import groups it into one verdict and `scan.get` carries a
 * bounded number of its ports, in the app's real store (a temp data folder of this test).
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One `<host>` at `address` with ports 1..`open` open. */
function hostXml(address: string, open: number): string {
  const ports = Array.from(
    { length: open },
    (_, i) =>
      `<port protocol="tcp" portid="${i + 1}"><state state="open" reason="syn-ack"/></port>`,
  ).join('\n');
  return `<host><status state="up" reason="syn-ack"/><address addr="${address}" addrtype="ipv4"/>
<ports>${ports}</ports></host>`;
}

/** An nmap run of `hosts` (never scanned: an import). */
function runXml(hosts: string[]): string {
  return `<?xml version="1.0"?>
<nmaprun scanner="nmap" args="nmap -p- 192.168.1.0/24" start="1700000000">
${hosts.join('\n')}
<runstats><finished time="1700000060"/><hosts up="${hosts.length}" down="0" total="${hosts.length}"/></runstats></nmaprun>`;
}

/** One host at 192.168.1.5 with ports 1..`open` open. */
function tarpitXml(open: number): string {
  return runXml([hostXml('192.168.1.5', open)]);
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
    // Its ports per address: what its command line asks for (`-p-`; it has no <scaninfo>), not 0
    // nor the largest host's count (review 13c new user #7).
    expect(page.scan.portCount).toBe(65_535);
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

  it('gives the rest of a 30,000-port host through scan.hostPorts, page by page', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `pa-tarpit-pages-${process.pid}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const app = localClient({ host: 'cli', dataDir: dir });
    cleanups.push(() => app.dispose());
    const { scanId } = await app.call('report.importNmapXml', {
      xml: tarpitXml(30_000),
      fileName: 'tarpit.xml',
    });
    const page = await app.call('scan.get', { scanId, limit: 1 });
    const seen: PortResult[] = [...(page.hosts[0]?.ports ?? [])];
    let largest = 0;
    while (seen.length < 30_000) {
      const more = await app.call('scan.hostPorts', {
        scanId,
        address: '192.168.1.5',
        offset: seen.length,
        limit: MAX_PORTS_PER_HOST_PAGE,
      });
      expect(more).toMatchObject({ total: 30_000, offset: seen.length });
      expect(more.ports.length).toBeGreaterThan(0);
      expect(more.ports.length).toBeLessThanOrEqual(MAX_PORTS_PER_HOST_PAGE);
      // The verdicts of these ports, none of the others.
      const listed = new Set(more.ports.map((p) => p.port));
      expect(more.verdicts?.ports.length).toBeGreaterThan(0);
      expect(more.verdicts?.ports.every((p) => listed.has(p.port))).toBe(true);
      largest = Math.max(largest, JSON.stringify(more).length);
      seen.push(...more.ports);
    }
    // Every port once, in the order kept, never a message of the whole host.
    expect(seen.map((p) => p.port)).toEqual(Array.from({ length: 30_000 }, (_, i) => i + 1));
    expect(largest).toBeLessThan(250_000);
    const past = await app.call('scan.hostPorts', {
      scanId,
      address: '192.168.1.5',
      offset: 30_000,
    });
    expect(past.ports).toEqual([]);

    // Refused, in both languages: an address the scan does not have, a scan not kept, a limit
    // over the cap.
    const unknown = app.call('scan.hostPorts', { scanId, address: '192.168.1.6' });
    await expect(unknown).rejects.toMatchObject({
      appError: {
        code: 'scan.host-unknown',
        message: {
          en: expect.stringContaining('192.168.1.6'),
          fr: expect.stringContaining('192.168.1.6'),
        },
      },
    });
    await expect(
      app.call('scan.hostPorts', { scanId: randomUUID(), address: '192.168.1.5' }),
    ).rejects.toMatchObject({ appError: { code: 'scan.not-found' } });
    await expect(
      app.call('scan.hostPorts', { scanId, address: '192.168.1.5', limit: 201 }),
    ).rejects.toMatchObject({ appError: { code: 'contract.invalid-params' } });
  }, 120_000);

  it('bounds the ports of one scan.get page of several big hosts (MAX_PORTS_PER_PAGE)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `pa-tarpit-budget-${process.pid}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const app = localClient({ host: 'cli', dataDir: dir });
    cleanups.push(() => app.dispose());
    // 15 hosts × 1,000 open ports: 15 × MAX_PORTS_PER_HOST_PAGE = 3,000 over the page's budget.
    const hosts = Array.from({ length: 15 }, (_, i) => hostXml(`192.168.1.${10 + i}`, 1000));
    const { scanId } = await app.call('report.importNmapXml', {
      xml: runXml(hosts),
      fileName: 'tarpits.xml',
    });
    const page = await app.call('scan.get', { scanId, limit: 50 });
    expect(page.hosts).toHaveLength(15);
    const carried = page.hosts.reduce((n, h) => n + h.ports.length, 0);
    expect(carried).toBe(MAX_PORTS_PER_PAGE);
    // Shared evenly: every host of the page keeps some of its ports (review 13c: cards past the
    // budget read "no open port" next to critical ones).
    expect(page.hosts.map((h) => h.ports.length)).toEqual(
      page.hosts.map((_, i) => (i < 5 ? 134 : 133)),
    );
    for (const host of page.hosts) {
      expect(host.ports.length).toBeLessThanOrEqual(MAX_PORTS_PER_HOST_PAGE);
      // What each host's ports miss is told, and adds up to its 1,000.
      const left = page.portsLeftOut?.[host.address];
      expect(host.ports.length + (left?.open ?? 0) + (left?.others ?? 0)).toBe(1000);
    }
    const verdictPorts = (page.assessment?.hosts ?? []).reduce((n, h) => n + h.ports.length, 0);
    expect(verdictPorts).toBeLessThanOrEqual(MAX_PORTS_PER_PAGE);
    // A host past the budget still gives its ports through scan.hostPorts.
    const last = page.hosts.at(-1)!;
    const more = await app.call('scan.hostPorts', {
      scanId,
      address: last.address,
      offset: last.ports.length,
    });
    expect(more.ports).toHaveLength(MAX_PORTS_PER_HOST_PAGE);
  }, 120_000);

  // Review 13c attacker B2: far under the 64 MB limit, files whose cost is their open ports were
  // refused by the import thread's memory. Both go through the capped import thread as the page
  // and the CLI send them.
  it('imports two hosts with every TCP port open (≈ 12 MB), sent in pieces as the page does', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `pa-tarpit-two-${process.pid}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const app = localClient({ host: 'web', dataDir: dir }, 'two');
    cleanups.push(() => app.dispose());
    const bytes = Buffer.from(generateOpenPortsXml(2, 65_535), 'utf8');
    const { uploadId, chunkBytes } = await app.call('report.importBegin', {
      fileName: 'two65535.xml',
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
    expect(imported).toMatchObject({
      kept: true,
      counts: { addresses: 2, hosts: 2, hostsUp: 2, devicesUp: 2, openPorts: 131_070 },
    });
    const page = await app.call('scan.get', { scanId: imported.scanId, limit: 10 });
    expect(page.hosts.map((h) => [h.address, h.answersEveryPort])).toEqual([
      ['192.168.7.1', { open: 65_535, probed: 65_535 }],
      ['192.168.7.2', { open: 65_535, probed: 65_535 }],
    ]);
    // One grouped verdict per device, not 131,070.
    expect(page.assessment?.counts).toEqual({ critical: 0, high: 0, medium: 2, low: 0, info: 0 });
    const [history] = (await app.call('scan.list', { offset: 0, limit: 1 })).scans;
    expect(history?.severities).toEqual({ critical: 0, high: 0, medium: 2, low: 0, info: 0 });
  }, 300_000);

  it('imports 256 hosts × 1,000 open ports (nmap’s default scan of a /24 a middlebox answers for, ≈ 25 MB)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `pa-tarpit-24-${process.pid}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const app = localClient({ host: 'cli', dataDir: dir });
    cleanups.push(() => app.dispose());
    const imported = await app.call('report.importNmapXml', {
      xml: generateOpenPortsXml(256, 1000),
      fileName: 'tarpit24.xml',
    });
    expect(imported).toMatchObject({
      kept: true,
      counts: { addresses: 256, hosts: 256, hostsUp: 256, devicesUp: 256, openPorts: 256_000 },
    });
    const page = await app.call('scan.get', { scanId: imported.scanId, limit: 300 });
    expect(page.total).toBe(256);
    expect(page.hosts.every((h) => h.answersEveryPort?.open === 1000)).toBe(true);
    expect(page.assessment?.counts).toEqual({ critical: 0, high: 0, medium: 256, low: 0, info: 0 });
    // Every host's ports are all there, whatever the page carried of them.
    const last = page.hosts.at(-1)!;
    const more = await app.call('scan.hostPorts', {
      scanId: imported.scanId,
      address: last.address,
      offset: 0,
    });
    expect(more.total).toBe(1000);
  }, 600_000);

  it('a refusal for want of memory names the ports of the host it could not hold, fr and en', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `pa-tarpit-heap-${process.pid}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // A heap far too small for one host of 65,535 ports (Limits.importHeapMb), as a host too big
    // for the real one would be: past 12,288 ports read, the thread has told what it read.
    const app = localClient({ host: 'cli', dataDir: dir, limits: { importHeapMb: 32 } });
    cleanups.push(() => app.dispose());
    const refused = app.call('report.importNmapXml', {
      xml: generateOpenPortsXml(3, 65_535),
      fileName: 'tarpits.xml',
    });
    const error = await refused.then(
      () => null,
      (e: { appError: { code: string; message: { fr: string; en: string } } }) => e.appError,
    );
    expect(error?.code).toBe('report.nmap-too-large');
    expect(error?.message.en).toMatch(
      /^The nmap file “tarpits\.xml” needs more memory than an import allows itself \(32 MB\): (one of its hosts lists at least [\d,]+ ports|at least [\d,]+ open ports on [\d,]+ hosts, up to [\d,]+ ports on one), and an import handles about 65,535 per host when nmap -sV describes each\. /,
    );
    expect(error?.message.en).toMatch(/TCP and UDP in two files, or one port range per file/);
    expect(error?.message.fr).toContain(
      typeset('l’import en traite environ 65\u202f535 par hôte quand nmap -sV décrit chacun.'),
    );
    // Nothing kept.
    expect((await app.call('scan.list', {})).total).toBe(0);
  }, 300_000);
});
