import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../app/contract/index.js';
import { openDatabase } from '../../app/store/database.js';
import { PORT_BATCH } from '../../app/store/scan-rows.js';
import { ScanStore } from '../../app/store/scans.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), `pa-scans-${process.pid}-`));
  dirs.push(dir);
  return dir;
}

function result(scanId: string, startedAt: string): ScanResult {
  return {
    scanId,
    request: { targets: '127.0.0.1', ports: '22', skipDiscovery: false, confirmed: false },
    addresses: 1,
    portCount: 1,
    notes: [],
    startedAt,
    finishedAt: startedAt,
    cancelled: false,
    hosts: [],
  };
}

describe('the scans table (real SQLite file, injected clock)', () => {
  it('keeps the newest scans within the retention, never dropping the newest one', () => {
    const db = openDatabase(dataDir());
    let now = new Date('2026-01-01T00:00:00Z');
    const store = new ScanStore(db, () => now);
    const retention = { keepScans: 3, keepDays: 90 };
    for (let i = 1; i <= 5; i++) {
      now = new Date(now.getTime() + 60_000);
      store.save(
        { kind: 'engine', result: result(`s${i}`, now.toISOString()), assessment: null },
        retention,
      );
    }
    expect(store.list(0, 10).scans.map((s) => s.scanId)).toEqual(['s5', 's4', 's3']);
    // 100 days later: the three kept are past 90 days, the new one stays.
    now = new Date(now.getTime() + 100 * 86_400_000);
    store.save(
      { kind: 'engine', result: result('s6', now.toISOString()), assessment: null },
      retention,
    );
    expect(store.list(0, 10)).toMatchObject({ total: 1, scans: [{ scanId: 's6' }] });
    // Nothing newer: even past its days the newest is kept, so a restart still shows it.
    now = new Date(now.getTime() + 400 * 86_400_000);
    expect(store.prune({ keepScans: 1, keepDays: 1 })).toBe(0);
    expect(store.latest()?.scanId).toBe('s6');
    // A row whose JSON no longer fits the contract reads as unreadable, not as a crash.
    db.prepare("UPDATE scans SET result = '{\"hosts\": 3}' WHERE id = 's6'").run();
    expect(store.header('s6')).toBe('unreadable');
    expect(store.header('nope')).toBeNull();
    db.close();
  });
});

describe('a kept scan’s link-local host (issue 14 new-user review F4)', () => {
  it('keeps the zone it was scanned through, so it can be shown and scanned again', () => {
    const db = openDatabase(dataDir());
    const store = new ScanStore(db, () => new Date('2026-01-01T00:00:00Z'));
    const scan = result('z1', '2026-01-01T00:00:00.000Z');
    scan.hosts = [
      {
        address: 'fe80::1',
        zone: 'veth-a',
        family: 'ipv6',
        isLocal: false,
        status: 'up',
        reason: 'syn-ack',
        ports: [{ port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack' }],
        hidden: { open: 0, closed: 0, filtered: 0 },
      },
    ];
    store.save({ kind: 'engine', result: scan, assessment: null }, { keepScans: 5, keepDays: 90 });
    const rows = store.rows('z1', -1, 10);
    expect(rows).not.toBe('unreadable');
    expect((rows as Exclude<typeof rows, 'unreadable'>)[0]!.host).toMatchObject({
      address: 'fe80::1',
      zone: 'veth-a',
    });
  });
});

describe('batches of a scan’s rows follow their ports, not only their hosts (review 13c B2)', () => {
  /** A host at 10.0.0.`n` with ports 1..`open` open. */
  function host(n: number, open: number): ScanResult['hosts'][number] {
    return {
      address: `10.0.0.${n}`,
      family: 'ipv4',
      isLocal: false,
      status: 'up',
      reason: 'syn-ack',
      ports: Array.from({ length: open }, (_, i) => ({
        port: i + 1,
        protocol: 'tcp' as const,
        state: 'open' as const,
        reason: 'syn-ack' as const,
      })),
      hidden: { open: 0, closed: 0, filtered: 0 },
    };
  }

  it('writes a batch once it holds PORT_BATCH ports and reads one back within a byte budget', () => {
    const db = openDatabase(dataDir());
    const store = new ScanStore(db);
    store.begin('big', 'nmap-import');
    const writer = store.writer('big');
    const written = () =>
      db.prepare("SELECT COUNT(*) FROM scan_hosts WHERE scan_id = 'big'").pluck().get();
    // Two small hosts wait for more; a host of PORT_BATCH ports sends the three at once.
    writer.add(host(1, 2));
    writer.add(host(2, 2));
    expect(written()).toBe(0);
    writer.add(host(3, PORT_BATCH));
    expect(written()).toBe(3);
    writer.add(host(4, 2));
    writer.add(host(5, 2));
    writer.flush();
    expect(written()).toBe(5);

    const sizes = db
      .prepare("SELECT octet_length(host) FROM scan_hosts WHERE scan_id = 'big' ORDER BY seq")
      .pluck()
      .all() as number[];
    const seqs = (after: number, maxBytes: number) => {
      const rows = store.batch('big', after, 500, maxBytes, false);
      return rows === 'unreadable' ? rows : rows.map((r) => r.seq);
    };
    // The small hosts before the big one fit; the big one is a batch of its own, larger than the
    // budget (one host is never split); then the rest.
    const budget = sizes[0]! + sizes[1]! + 10;
    expect(seqs(-1, budget)).toEqual([0, 1]);
    expect(seqs(1, budget)).toEqual([2]);
    expect(seqs(2, budget)).toEqual([3, 4]);
    expect(seqs(4, budget)).toEqual([]);
    // The rows limit still holds, and checked rows read as the contract has them.
    const checked = store.batch('big', -1, 1, 1_000_000_000);
    expect(checked !== 'unreadable' && checked.map((r) => r.host.address)).toEqual(['10.0.0.1']);
  });
});
