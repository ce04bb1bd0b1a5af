import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { localClient, type LocalClient } from '../../app/api/local-client.js';
import type { HostAssessment, HostResult, ScanPage } from '../../app/contract/index.js';
import { deviceKeyOf, foldDevices, sharedMacs } from '../../app/contract/devices.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import type { AppFailure } from '../../app/errors.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { reassessKept } from '../../app/risk/reassess.js';
import { compareHostAssessments } from '../../app/risk/summary.js';
import { databasePath, openDatabase } from '../../app/store/database.js';
import { generateNmapXml } from '../lab/nmap-xml.js';

/**
 * Kept scans' hosts as rows (migration 6): a scan kept whole by an earlier version still opens,
 * a few-thousand-host import pages in device order across page boundaries, and a change of Port
 * Auditor's rules re-orders This PC's addresses. Real SQLite files in this test's temp folders.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), `pa-scan-rows-${process.pid}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function client(dir: string): LocalClient {
  const app = localClient({ host: 'web', dataDir: dir }, `rows-${process.pid}`);
  cleanups.push(() => app.dispose());
  return app;
}

/** Sends `xml` as the page does: importBegin, pieces of the app's size, importEnd. */
async function importAsPage(app: LocalClient, xml: string, fileName: string) {
  const bytes = Buffer.from(xml, 'utf8');
  const { uploadId, chunkBytes } = await app.call('report.importBegin', {
    fileName,
    size: bytes.length,
  });
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    await app.call('report.importChunk', {
      uploadId,
      offset,
      dataBase64: bytes.subarray(offset, offset + chunkBytes).toString('base64'),
    });
  }
  return app.call('report.importEnd', { uploadId });
}

/** Every answering host's page, at 0, limit, 2·limit… as the screen asks for them. */
async function upPages(app: LocalClient, scanId: string, limit: number): Promise<ScanPage[]> {
  const pages: ScanPage[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = await app.call('scan.get', { scanId, offset, limit, status: 'up' });
    pages.push(page);
    if (offset + limit >= page.total) return pages;
  }
}

const OPEN = (port: number, name: string) =>
  `<port protocol="tcp" portid="${port}"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="${name}" method="table" conf="3"/></port>\n`;

/** A host element with `ports` open and an optional MAC address. */
function hostXml(address: string, ports: [number, string][], mac?: string): string {
  const family = address.includes(':') ? 'ipv6' : 'ipv4';
  return (
    `<host><status state="up" reason="syn-ack" reason_ttl="0"/>\n` +
    `<address addr="${address}" addrtype="${family}"/>\n` +
    (mac ? `<address addr="${mac}" addrtype="mac"/>\n` : '') +
    `<ports>${ports.map(([p, n]) => OPEN(p, n)).join('')}</ports>\n</host>\n`
  );
}

function runXml(hosts: string[]): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<nmaprun scanner="nmap" args="nmap -sT 10.0.0.0/16" start="1795464333" version="7.93" xmloutputversion="1.05">\n' +
    '<scaninfo type="connect" protocol="tcp" numservices="1025" services="1-1024,3389"/>\n' +
    hosts.join('') +
    '<runstats><finished time="1795464393" exit="success"/></runstats>\n</nmaprun>\n'
  );
}

describe('kept scans as rows', () => {
  it('opens a scan an earlier version kept whole (migration 6 splits it into rows)', async () => {
    const dir = dataDir();
    // The store as version 5 left it: no host rows, the result and verdicts as two JSON texts.
    const db = openDatabase(dir);
    db.exec(
      `DROP TABLE scan_hosts; DROP TABLE shown_scans; ALTER TABLE scans DROP COLUMN complete;
       ALTER TABLE scans DROP COLUMN this_pc;`,
    );
    db.pragma('user_version = 5');
    const { scan } = importNmapXml(generateNmapXml(30), { fileName: 'old.xml' });
    const scanId = randomUUID();
    const result = { ...scan, scanId };
    const assessment = reassessKept(result.hosts, null, [], knowledgeBase());
    db.prepare(
      `INSERT INTO scans (id, kind, started_at, finished_at, saved_at, cancelled, targets, ports,
         file_name, date_known, addresses, hosts, hosts_up, devices_up, open_ports, severities,
         result, assessment, macs)
       VALUES (?, 'nmap-import', ?, ?, ?, 0, ?, ?, 'old.xml', 1, 30, 30, 30, 30, 60, ?, ?, ?, '{}')`,
    ).run(
      scanId,
      result.startedAt,
      result.finishedAt,
      '2026-11-01T00:00:00.000Z',
      result.request.targets,
      result.request.ports,
      JSON.stringify(assessment.counts),
      JSON.stringify(result),
      JSON.stringify(assessment),
    );
    db.close();

    const app = client(dir);
    expect((await app.call('scan.list', {})).scans.map((s) => s.scanId)).toEqual([scanId]);
    const page = await app.call('scan.get', { scanId, offset: 0, limit: 500, status: 'up' });
    expect(page.total).toBe(30);
    expect(new Set(page.hosts.map((h) => h.address))).toEqual(
      new Set(result.hosts.map((h) => h.address)),
    );
    expect(page.assessment?.counts).toEqual(assessment.counts);
    expect(page.assessment?.hosts[0]?.worst).toBe('critical');
    const csv = await app.call('report.export', { scanId, format: 'csv', lang: 'en' });
    expect(Buffer.from(csv.dataBase64, 'base64').toString('utf8')).toContain('10.200.0.30');

    // Split: one row per host, the scan's own row without its hosts.
    const after = new Database(databasePath(dir), { readonly: true });
    cleanups.push(() => {
      after.close();
    });
    expect(after.pragma('user_version', { simple: true })).toBe(9);
    expect(
      after.prepare('SELECT COUNT(*) FROM scan_hosts WHERE scan_id = ?').pluck().get(scanId),
    ).toBe(30);
    const kept = after.prepare('SELECT result FROM scans WHERE id = ?').pluck().get(scanId);
    expect(JSON.parse(kept as string)).toMatchObject({ scanId, hosts: [] });
  });

  it('pages a 3,000-address import in device order, never cutting a device in two', async () => {
    const app = client(dataDir());
    const hosts: string[] = [];
    // This PC (loopback addresses), devices of two addresses sharing a MAC (IPv4 and IPv6),
    // and devices of one address, with verdicts from critical (telnet) to low.
    for (const a of ['127.0.0.1', '127.0.0.2', '::1'])
      hosts.push(hostXml(a, a === '::1' ? [] : [[22, 'ssh']]));
    for (let i = 0; i < 3000 - 3; i++) {
      const pair = i < 600;
      const mac = pair
        ? `02:00:00:00:${((i >> 9) & 255).toString(16).padStart(2, '0')}:${((i >> 1) & 255).toString(16).padStart(2, '0')}`
        : undefined;
      const address =
        pair && i % 2 === 1 ? `2001:db8::${(i >> 1).toString(16)}` : `198.18.${i >> 8}.${i & 255}`;
      const ports: [number, string][] =
        i % 7 === 0 ? [[23, 'telnet']] : i % 3 === 0 ? [[445, 'microsoft-ds']] : [[80, 'http']];
      hosts.push(hostXml(address, ports, mac));
    }
    const imported = await importAsPage(app, runXml(hosts), 'lan.xml');
    expect(imported).toMatchObject({ kept: true, counts: { hosts: 3000 } });

    const pages = await upPages(app, imported.scanId, 50);
    const listed = pages.flatMap((p) => p.hosts);
    const verdicts = new Map(
      pages.flatMap((p) => p.assessment?.hosts ?? []).map((h) => [h.address, h]),
    );
    // Every address once.
    expect(listed).toHaveLength(3000);
    expect(new Set(listed.map((h) => h.address)).size).toBe(3000);
    // No device on two pages.
    const shared = sharedMacs(listed);
    const pageOf = new Map<string, number>();
    pages.forEach((page, index) => {
      for (const host of page.hosts) {
        const key = deviceKeyOf(host, shared);
        expect(pageOf.get(key) ?? index).toBe(index);
        pageOf.set(key, index);
      }
    });
    // The order the whole scan sorted at once gives: worst device first, This PC before all.
    const view = (h: HostResult): HostAssessment =>
      verdicts.get(h.address) ?? {
        address: h.address,
        isLocal: h.isLocal,
        worst: null,
        counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
        blocked: 0,
        ports: [],
      };
    const sorted = [...listed].sort((a, b) => compareHostAssessments(view(a), view(b)));
    const expected = foldDevices(sorted).flatMap((d) => [...d.hosts, ...d.folded]);
    expect(listed.map((h) => h.address)).toEqual(expected.map((h) => h.address));
    expect(listed.slice(0, 3).map((h) => h.address)).toEqual(['127.0.0.1', '127.0.0.2', '::1']);
    expect(view(listed[3] as HostResult).worst).toBe('critical');
    // The counts are the whole scan's on every page: 3 pairs' worth of devices fewer per 2 addresses.
    expect(pages[0]?.scan.counts).toMatchObject({ hostsUp: 3000, devicesUp: 3000 - 2 - 300 });
  });

  it('groups addresses by MAC with this PC’s addresses worked out again, never the rows’ is_local', async () => {
    // Issue 13 attacker review F5, continued: an edited row's is_local split a device in the
    // counts and the order (the shared MACs were read from that column).
    const dir = dataDir();
    const mac = '02:00:00:00:00:20';
    const xml = runXml([
      hostXml('198.18.0.20', [[23, 'telnet']], mac),
      hostXml('198.18.0.30', [[23, 'telnet']]),
      hostXml('127.0.0.1', [[22, 'ssh']]),
      hostXml(
        '2001:db8::20',
        [
          [23, 'telnet'],
          [80, 'http'],
        ],
        mac,
      ),
    ]);
    const imported = await importAsPage(client(dir), xml, 'lan.xml');
    const shown = async () => {
      // A new app each time: nothing it worked out before the edit is reused.
      const page = await client(dir).call('scan.get', { scanId: imported.scanId, limit: 50 });
      return { order: page.hosts.map((h) => h.address), severities: page.scan.severities };
    };
    const before = await shown();
    // The device's telnet once, 198.18.0.30's once; its two addresses side by side.
    expect(before.severities?.critical).toBe(2);
    expect(before.order.indexOf('2001:db8::20') - before.order.indexOf('198.18.0.20')).toBe(1);

    const db = new Database(databasePath(dir));
    const row = db
      .prepare('SELECT seq, host FROM scan_hosts WHERE scan_id = ? AND address = ?')
      .get(imported.scanId, '2001:db8::20') as { seq: number; host: string };
    db.prepare('UPDATE scan_hosts SET is_local = 1, host = ? WHERE scan_id = ? AND seq = ?').run(
      JSON.stringify({ ...(JSON.parse(row.host) as object), isLocal: true, reason: 'localhost' }),
      imported.scanId,
      row.seq,
    );
    db.close();
    const after = await shown();
    expect(after).toEqual(before);
  });

  it('works the verdicts and order out again when Port Auditor’s rules change', async () => {
    const dir = dataDir();
    const app = client(dir);
    const xml = runXml([
      hostXml('198.18.0.1', [[80, 'http']]),
      hostXml('127.0.0.2', [[80, 'http']]),
      hostXml('127.0.0.1', [[23, 'telnet']]),
    ]);
    const imported = await importAsPage(app, xml, 'pc.xml');
    const before = await app.call('scan.get', { scanId: imported.scanId, limit: 50 });
    // This PC first, its worst address (telnet) leading it.
    expect(before.hosts.map((h) => h.address)).toEqual(['127.0.0.1', '127.0.0.2', '198.18.0.1']);
    expect(before.assessment?.hosts[0]?.ports[0]?.firewall).toBeUndefined();

    // A rule of Port Auditor's on TCP 23, as the journal records it (not yet read back from the
    // firewall: "unverified", so it mitigates nothing yet).
    const id = randomUUID();
    const db = new Database(databasePath(dir));
    db.prepare(
      `INSERT INTO firewall_rules (id, name, backend, protocol, port_from, port_to, direction, remote, ref, state, created_at, updated_at, origin)
       VALUES (?, ?, 'nftables', 'tcp', 23, 23, 'in', '[]', NULL, 'active', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'app')`,
    ).run(id, `PortAuditor-${id}`);
    db.close();

    // The page cached with the import's rules is not reused: the verdicts carry the new rule.
    const after = await app.call('scan.get', { scanId: imported.scanId, limit: 50 });
    expect(after.hosts.map((h) => h.address)).toEqual(['127.0.0.1', '127.0.0.2', '198.18.0.1']);
    expect(after.assessment?.hosts[0]?.ports[0]?.firewall).toMatchObject({
      ruleId: id,
      effect: 'unverified',
    });
    expect(after.assessment?.firewallRules?.map((r) => r.id)).toEqual([id]);
  });

  it('refuses an import through the page with a damaged store, never parsing it outside the thread', async () => {
    const dir = dataDir();
    writeFileSync(databasePath(dir), 'not a database\n'.repeat(100));
    const app = client(dir);
    const refused = await importAsPage(app, generateNmapXml(120), 'lan.xml').then(
      () => null,
      (error: AppFailure) => error.appError,
    );
    expect(refused?.code).toBe('store.not-a-database');
    expect(refused?.message.en).toMatch(
      /^The nmap file “lan\.xml” was not imported: Port Auditor cannot write it to its history\. /,
    );
    expect(refused?.message.fr).toContain(databasePath(dir));
    // Nothing held in memory either: the history is the store's refusal alone.
    await expect(app.call('scan.list', {})).rejects.toMatchObject({
      appError: { code: 'store.not-a-database' },
    });
  });

  /** The scans and host rows the store holds, read from its file. */
  function storeRows(dir: string): { scans: number; hosts: number } {
    const db = new Database(databasePath(dir), { readonly: true });
    try {
      return {
        scans: db.prepare('SELECT count(*) FROM scans').pluck().get() as number,
        hosts: db.prepare('SELECT count(*) FROM scan_hosts').pluck().get() as number,
      };
    } finally {
      db.close();
    }
  }

  it('an import thread out of its memory is refused in fr/en, leaves no half scan, and the next import works', async () => {
    const dir = dataDir();
    // A heap too small for the import thread (Limits.importHeapMb), as a file too big for it would.
    const small = localClient({ host: 'web', dataDir: dir, limits: { importHeapMb: 4 } }, 'small');
    cleanups.push(() => small.dispose());
    const failure = await importAsPage(small, generateNmapXml(600), 'big.xml').then(
      () => null,
      (error: AppFailure) => error.appError,
    );
    expect(failure?.code).toBe('report.nmap-too-large');
    expect(failure?.message.fr).toContain(
      'demande plus de mémoire que l’import ne s’en accorde (4\u00a0Mo)',
    );
    expect(failure?.message.en).toContain('needs more memory than an import allows itself (4 MB)');
    expect(storeRows(dir)).toEqual({ scans: 0, hosts: 0 });
    const app = client(dir);
    const imported = await importAsPage(app, generateNmapXml(600), 'big.xml');
    expect(imported).toMatchObject({ kept: true, counts: { hosts: 600 } });
    expect(storeRows(dir)).toEqual({ scans: 1, hosts: 600 });
  });

  it('a file broken after 600 hosts fails as invalid XML and leaves none of its rows', async () => {
    const dir = dataDir();
    const app = client(dir);
    const whole = generateNmapXml(1200);
    const cut = whole.indexOf('<host', whole.indexOf('10.200.2.101"'));
    const broken = `${whole.slice(0, cut)}<host><status state="up"></host>${whole.slice(cut)}`;
    const failure = await importAsPage(app, broken, 'broken.xml').then(
      () => null,
      (error: AppFailure) => error.appError,
    );
    expect(failure?.code).toBe('report.nmap-invalid-xml');
    expect(storeRows(dir)).toEqual({ scans: 0, hosts: 0 });
  });
});
