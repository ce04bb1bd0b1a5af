import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localClient, type LocalClient } from '../../app/api/local-client.js';
import { createAssessor } from '../../app/api/risk-handlers.js';
import { pageOrder, ScanHistory, type AppStore } from '../../app/api/scan-history.js';
import { lazyAppStore } from '../../app/api/settings-handlers.js';
import {
  MAX_PORTS_PER_HOST_PAGE,
  MAX_PORTS_PER_PAGE,
  type HostResult,
  type ScanPage,
  type ScanResult,
} from '../../app/contract/index.js';
import { knowledgeBase, type KnowledgeBase } from '../../app/risk/knowledge-base.js';
import { reassessKept } from '../../app/risk/reassess.js';
import { withEveryPortVerdict } from '../../app/scan/every-port.js';
import type { Db } from '../../app/store/database.js';
import type { CliContext } from '../../main/cli/context.js';
import { printKeptScan } from '../../main/cli/kept-scan.js';
import { serviceName } from '../../app/risk/knowledge-base.js';
import { planRule, validateBlockRequest } from '../../app/firewall/request.js';
import type { FirewallRule } from '../../app/contract/index.js';

/**
 * Review 13c (attacker) B1: a host answering on every port (nmap -p- against a tarpit: 65,535 open
 * ports; 60 hosts × 1,000 of a subnet a middlebox answers for) must not freeze the app: a page
 * works out verdicts for the ports it carries only, paging one host reads its row once, and the
 * cards still show each host's whole verdict. Counted through real seams: the knowledge base the
 * app assesses with (one `byPort` per port assessed) and the store (one row read by seq per
 * statement prepared), both injected into ScanHistory, over a real store in a temp folder.
 */
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A knowledge base counting the ports assessed with it (assessPort asks `byPort` once each). */
function countingKb(): { kb: () => KnowledgeBase; assessed: () => number; reset(): void } {
  const real = knowledgeBase();
  let n = 0;
  const kb: KnowledgeBase = {
    ...real,
    byPort: (port, protocol) => {
      n += 1;
      return real.byPort(port, protocol);
    },
  };
  return { kb: () => kb, assessed: () => n, reset: () => (n = 0) };
}

/** The app's store in `dir`, counting the statements that read host rows by seq (rowsAt). */
function countingStore(dir: string): { store: AppStore; rowReads: () => number } {
  const real = lazyAppStore(() => dir);
  cleanups.push(() => real.close());
  let reads = 0;
  const store: AppStore = {
    get(): Db {
      const db = real.get();
      return new Proxy(db, {
        get(target, property) {
          if (property === 'prepare') {
            return (sql: string) => {
              if (
                /SELECT seq, (address, )?host, assessment FROM scan_hosts WHERE scan_id = \? AND seq = \?/.test(
                  sql,
                )
              ) {
                reads += 1;
              }
              return target.prepare(sql);
            };
          }
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
        },
      });
    },
  };
  return { store, rowReads: () => reads };
}

function history(dir: string, kb: () => KnowledgeBase, store: AppStore): ScanHistory {
  const assessor = createAssessor({
    listeners: async () => ({ platform: 'linux', listeners: [], complete: true }),
  });
  return new ScanHistory(
    store,
    () => dir,
    assessor,
    () => new Set(['10.99.0.1']),
    undefined,
    kb,
  );
}

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), `pa-tarpit-page-${process.pid}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An up host at `address` with ports `first`..`first + open - 1` open and `closed` hidden closed. */
function host(address: string, open: number, isLocal = false, closed = 0): HostResult {
  return withEveryPortVerdict({
    address,
    family: 'ipv4',
    isLocal,
    status: 'up',
    reason: isLocal ? 'localhost' : 'syn-ack',
    ports: Array.from({ length: open }, (_, i) => ({
      port: i + 1,
      protocol: 'tcp' as const,
      state: 'open' as const,
      reason: 'syn-ack' as const,
    })),
    hidden: { open: 0, closed, filtered: 0 },
  });
}

function engineScan(hosts: HostResult[]): ScanResult {
  return {
    scanId: `tarpit-${process.pid}-${hosts.length}`,
    request: {
      targets: hosts.map((h) => h.address).join(' '),
      ports: '1-65535',
      skipDiscovery: false,
      confirmed: false,
    },
    addresses: hosts.length,
    portCount: 65_535,
    notes: [],
    startedAt: '2026-12-01T05:00:00.000Z',
    finishedAt: '2026-12-01T05:10:00.000Z',
    cancelled: false,
    hosts,
  };
}

const sent = (page: ScanPage) => page.hosts.reduce((n, h) => n + h.ports.length, 0);
const medium = { critical: 0, high: 0, medium: 1, low: 0, info: 0 };

describe('a page of hosts answering on every port', () => {
  it('assesses only the ports it sends; cards, counts and paging are the whole hosts’', async () => {
    const dir = dataDir();
    const counter = countingKb();
    const { store, rowReads } = countingStore(dir);
    const scans = history(dir, counter.kb, store);
    // A tarpit device, a busy device that does not answer every port (1,000 open of 65,535), and
    // this PC's loopback answering every port (nft redirect), kept without verdicts.
    const tarpit = host('192.168.7.1', 65_535);
    const busy = host('192.168.7.2', 1_000, false, 64_535);
    const loopback = host('127.0.0.1', 1_000, true);
    expect(busy.answersEveryPort).toBeUndefined();
    expect(loopback.answersEveryPort).toEqual({ open: 1_000, probed: 1_000 });
    const scan = engineScan([tarpit, busy, loopback]);
    expect(scans.keep({ kind: 'engine', result: scan, assessment: null })).toMatchObject({
      kept: true,
    });

    const page = await scans.page({ scanId: scan.scanId, offset: 0, limit: 50, status: 'up' });
    // Working out the order: the busy device's 1,000 ports, one of this PC's (its verdict has
    // no program for certain), none of the tarpit's; then the page's 600 ports.
    expect(sent(page)).toBe(3 * MAX_PORTS_PER_HOST_PAGE);
    expect(counter.assessed()).toBe(1_000 + 1 + sent(page));
    counter.reset();
    const again = await scans.page({ scanId: scan.scanId, offset: 0, limit: 50, status: 'up' });
    expect(counter.assessed()).toBe(sent(again));
    expect(again).toEqual(page);

    // Every card as the whole host's verdicts give it, worked out here the old way (the tarpit's
    // with the ports the page lists: a port's verdict is its own, its card one grouped verdict).
    const full = reassessKept(
      [loopback, busy, { ...tarpit, ports: tarpit.ports.slice(0, MAX_PORTS_PER_HOST_PAGE) }],
      null,
      [],
      knowledgeBase(),
      undefined,
      { startedAt: scan.startedAt, finishedAt: scan.finishedAt, removed: [] },
    );
    const verdicts = page.assessment!;
    expect(verdicts.hosts.map((h) => h.address)).toEqual([
      '127.0.0.1',
      '192.168.7.2',
      '192.168.7.1',
    ]);
    for (const shown of verdicts.hosts) {
      const whole = full.hosts.find((h) => h.address === shown.address)!;
      const listed = new Set(
        page.hosts.find((h) => h.address === shown.address)!.ports.map((p) => p.port),
      );
      expect(shown).toEqual({ ...whole, ports: whole.ports.filter((p) => listed.has(p.port)) });
    }
    expect(verdicts.hosts[0]).toMatchObject({ worst: 'medium', counts: medium, blocked: 0 });
    expect(verdicts.hosts[2]).toMatchObject({ worst: 'medium', counts: medium, blocked: 0 });
    expect(verdicts.counts).toEqual(full.counts);
    // This PC's ports lack their program (kept by this process without listener records): said
    // as the whole host's verdicts say it (no "run as administrator" where no socket serves the
    // port now: the advice would not help, review 13 kept).
    expect({
      programsComplete: verdicts.programsComplete,
      programsMissing: verdicts.programsMissing,
    }).toEqual({ programsComplete: full.programsComplete, programsMissing: full.programsMissing });
    expect(verdicts.programsMissing).not.toBe('not-elevated');
    expect(page.scan.counts).toMatchObject({ openPorts: 67_535, hostsUp: 3 });
    expect(page.portsLeftOut).toEqual({
      '127.0.0.1': { open: 800, others: 0 },
      '192.168.7.2': { open: 800, others: 0 },
      '192.168.7.1': { open: 65_335, others: 0 },
    });
    // The open ports of the hosts answering on every port, for a reader printing only them.
    expect(page.openPortList).toEqual({ '127.0.0.1': '1-1000', '192.168.7.1': '1-65535' });

    // Paging the tarpit: its row read and checked once, 200 verdicts a call, the same ports.
    const reads = rowReads();
    counter.reset();
    let offset = MAX_PORTS_PER_HOST_PAGE;
    for (let call = 0; call < 5; call++) {
      const more = await scans.hostPorts({
        scanId: scan.scanId,
        address: '192.168.7.1',
        offset,
        limit: MAX_PORTS_PER_HOST_PAGE,
      });
      expect(more).toMatchObject({ total: 65_535, offset });
      expect(more.ports).toEqual(
        pageOrder(tarpit.ports).slice(offset, offset + MAX_PORTS_PER_HOST_PAGE),
      );
      const judged = more.verdicts?.ports.map((p) => p.port).sort((a, b) => a - b);
      expect(judged).toEqual(more.ports.map((p) => p.port));
      offset += more.ports.length;
    }
    expect(rowReads() - reads).toBe(1);
    expect(counter.assessed()).toBe(5 * MAX_PORTS_PER_HOST_PAGE);
    // Another host is read once too, and the first again from memory.
    await scans.hostPorts({ scanId: scan.scanId, address: '192.168.7.2', offset: 200, limit: 200 });
    await scans.hostPorts({ scanId: scan.scanId, address: '192.168.7.1', offset: 0, limit: 200 });
    expect(rowReads() - reads).toBe(2);
  });

  it('a 60 × 1,000-port import: each page assesses the ports it sends, also after a restart', async () => {
    const dir = dataDir();
    const file = path.join(dir, 't60.xml');
    const ports = Array.from(
      { length: 1_000 },
      (_, i) =>
        `<port protocol="tcp" portid="${i + 1}"><state state="open" reason="syn-ack"/></port>`,
    ).join('');
    const hosts = Array.from(
      { length: 60 },
      (_, i) =>
        `<host><status state="up" reason="syn-ack"/><address addr="192.168.9.${i + 1}" addrtype="ipv4"/><ports>${ports}</ports></host>`,
    );
    writeFileSync(
      file,
      `<?xml version="1.0"?>
<nmaprun scanner="nmap" args="nmap 192.168.9.0/24" start="1700000000">
<scaninfo type="syn" protocol="tcp" numservices="1000" services="1-1000"/>
${hosts.join('\n')}
<runstats><finished time="1700000060"/><hosts up="60" down="196" total="256"/></runstats></nmaprun>`,
    );
    const counter = countingKb();
    const { store } = countingStore(dir);
    const scans = history(dir, counter.kb, store);
    const imported = await scans.keepImport(file, { localAddresses: new Set<string>() }, 't60.xml');
    expect(imported).toMatchObject({ kept: true, counts: { hostsUp: 60, openPorts: 60_000 } });

    const check = (page: ScanPage, count: number) => {
      expect(page.hosts).toHaveLength(count);
      expect(sent(page)).toBeLessThanOrEqual(MAX_PORTS_PER_PAGE);
      expect(page.assessment?.counts).toEqual({ ...medium, medium: 60 });
      for (const [i, h] of page.hosts.entries()) {
        expect(h.answersEveryPort).toEqual({ open: 1_000, probed: 1_000 });
        expect(page.assessment?.hosts[i]).toMatchObject({
          address: h.address,
          worst: 'medium',
          counts: medium,
          blocked: 0,
        });
        expect(page.assessment?.hosts[i]?.ports).toHaveLength(h.ports.length);
        expect(page.portsLeftOut?.[h.address]).toEqual({ open: 1_000 - h.ports.length, others: 0 });
        expect(page.openPortList?.[h.address]).toBe('1-1000');
      }
    };
    // The order kept by the import: nothing assessed but the page's 2,000 ports.
    counter.reset();
    const first = await scans.page({ scanId: imported.scanId, offset: 0, limit: 50, status: 'up' });
    check(first, 50);
    expect(sent(first)).toBe(MAX_PORTS_PER_PAGE);
    expect(counter.assessed()).toBe(MAX_PORTS_PER_PAGE);
    counter.reset();
    const tenth = await scans.page({
      scanId: imported.scanId,
      offset: 10,
      limit: 10,
      status: 'up',
    });
    check(tenth, 10);
    expect(counter.assessed()).toBe(sent(tenth));

    // Another app on the same store (a restart, the CLI) orders the scan again from its rows:
    // the hosts answering every port need none of their ports' verdicts for it.
    const restarted = countingKb();
    const other = history(dir, restarted.kb, countingStore(dir).store);
    const page = await other.page({ scanId: imported.scanId, offset: 0, limit: 50, status: 'up' });
    check(page, 50);
    expect(restarted.assessed()).toBe(sent(page));
    expect(page).toEqual(first);
  }, 180_000);

  it('`show` prints a host answering every port as before, without asking for its ports', async () => {
    const dir = dataDir();
    const app = localClient({ host: 'cli', dataDir: dir });
    cleanups.push(() => void app.dispose());
    // 5,000 ports probed, every 100th closed: a tarpit of 4,950 open ports, and a device of three.
    const tarpit = Array.from({ length: 5_000 }, (_, i) => {
      const state = (i + 1) % 100 === 0 ? 'closed' : 'open';
      return `<port protocol="tcp" portid="${i + 1}"><state state="${state}" reason="syn-ack"/></port>`;
    }).join('');
    const device = [22, 23, 80]
      .map(
        (p) => `<port protocol="tcp" portid="${p}"><state state="open" reason="syn-ack"/></port>`,
      )
      .join('');
    const xml = `<?xml version="1.0"?>
<nmaprun scanner="nmap" args="nmap -p1-5000 192.168.8.0/24" start="1700000000">
<host><status state="up" reason="syn-ack"/><address addr="192.168.8.1" addrtype="ipv4"/><ports>${tarpit}</ports></host>
<host><status state="up" reason="syn-ack"/><address addr="192.168.8.2" addrtype="ipv4"/><ports>${device}</ports></host>
<runstats><finished time="1700000060"/><hosts up="2" down="0" total="2"/></runstats></nmaprun>`;
    const { scanId } = await app.call('report.importNmapXml', { xml, fileName: 'tarpit.xml' });

    /** What `show` prints through `client`, and the methods it called. */
    const show = async (client: LocalClient) => {
      const calls: string[] = [];
      let out = '';
      const ctx = {
        app: {
          call: (method: string, params: never, onEvent?: never) => {
            calls.push(method);
            return client.call(method as 'scan.get', params, onEvent);
          },
          dispose: () => client.dispose(),
        } as LocalClient,
        language: 'en',
        stdout: { write: (text: string) => ((out += text), true) },
      } as unknown as CliContext;
      await printKeptScan(ctx, scanId, serviceName);
      return { out, calls };
    };
    // As `show` printed it before: every port of every host asked for (the page without lists).
    const withoutLists: LocalClient = {
      call: (async (method: 'scan.get', params: never) => {
        const result = await app.call(method, params);
        if (method !== 'scan.get') return result;
        const { openPortList: _lists, ...page } = result;
        return page;
      }) as LocalClient['call'],
      dispose: () => app.dispose(),
    };
    const before = await show(withoutLists);
    expect(before.calls.filter((m) => m === 'scan.hostPorts').length).toBe(
      Math.ceil((5_000 - MAX_PORTS_PER_HOST_PAGE) / MAX_PORTS_PER_HOST_PAGE),
    );
    const now = await show(app);
    expect(now.calls).not.toContain('scan.hostPorts');
    expect(now.out).toBe(before.out);
    const open = Array.from({ length: 50 }, (_, i) => `${i * 100 + 1}-${i * 100 + 99}`).join(',');
    expect(now.out).toContain(`  Open ports: ${open}\n`);
  });
});

describe('ports past the first page of a host', () => {
  it('are judged as the page judges them: a port a since-removed rule hid stays a finding', async () => {
    const dir = dataDir();
    const { store } = countingStore(dir);
    // Port 23 of a device, filtered during the scan by this PC's outbound rule removed since; the
    // device's 250 open ports come first, so port 23 is only listed by scan.hostPorts.
    const device = host('192.168.7.3', 250, false, 1_000);
    device.ports.push({ port: 23_000, protocol: 'tcp', state: 'filtered', reason: 'no-response' });
    const scan = engineScan([device]);
    const removed: FirewallRule = {
      ...planRule(
        validateBlockRequest({
          protocol: 'tcp',
          port: 23_000,
          direction: 'out',
          remote: '192.168.7.3',
        }),
        '3f2b8c1e-9a4d-4e6f-8b7a-000000000001',
      ),
      backend: 'nftables',
      state: 'removed',
      createdAt: '2026-12-01T04:00:00.000Z',
      updatedAt: '2026-12-01T06:00:00.000Z',
      present: false,
      origin: 'app',
    };
    const assessor = createAssessor({
      listeners: async () => ({ platform: 'linux', listeners: [], complete: true }),
      removedRules: () => [removed],
    });
    const scans = new ScanHistory(
      store,
      () => dir,
      assessor,
      () => new Set<string>(),
    );
    expect(scans.keep({ kind: 'engine', result: scan, assessment: null })).toMatchObject({
      kept: true,
    });
    const page = await scans.page({ scanId: scan.scanId, offset: 0, limit: 50, status: 'up' });
    expect(page.hosts[0]!.ports.map((p) => p.port)).not.toContain(23_000);
    const more = await scans.hostPorts({
      scanId: scan.scanId,
      address: '192.168.7.3',
      offset: MAX_PORTS_PER_HOST_PAGE,
      limit: MAX_PORTS_PER_HOST_PAGE,
    });
    const hidden = more.verdicts?.ports.find((p) => p.port === 23_000);
    expect(hidden?.reasons[0]?.ruleId).toBe('firewall.hidden-by-removed-rule');
    expect(hidden?.severity).not.toBeNull();
  });
});
