import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostResult, ScanResult } from '../../app/contract/index.js';
import { openDatabase, type Db } from '../../app/store/database.js';
import { ScanStore } from '../../app/store/scans.js';
import { checkedKeptRow } from '../../app/api/scan-history.js';

/**
 * Rows written into a kept scan by another program of the same user while the app runs (review 13:
 * the store is trusted no more than an imported file): each forged host makes the scan
 * unreadable, never a port twice or counts no scan has; a made-up address is left out by the
 * kept scan's reader (checkedKeptRow), which says so, so one forged row never costs the rest.
 */
let dataDir = '';
let db: Db;
let store: ScanStore;

const HOST: HostResult = {
  address: '10.0.0.7',
  family: 'ipv4',
  isLocal: false,
  status: 'up',
  reason: 'syn-ack',
  ports: [{ port: 22, protocol: 'tcp', state: 'open' }],
  hidden: { open: 0, closed: 999, filtered: 0 },
} as HostResult;

function result(hosts: HostResult[]): ScanResult {
  return {
    scanId: 'kept',
    request: { targets: '10.0.0.7', ports: '1-1000', skipDiscovery: false, confirmed: false },
    addresses: 1,
    portCount: 1000,
    notes: [],
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:00:05.000Z',
    cancelled: false,
    hosts,
  };
}

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pa-forged-'));
  db = openDatabase(dataDir);
  store = new ScanStore(db);
  store.save(
    { kind: 'engine', result: result([HOST]), assessment: null },
    { keepScans: 10, keepDays: 30 },
  );
});
afterEach(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Writes `host` over the kept host's row, as another program would (its column as given). */
function forge(host: unknown, column = (host as { address?: string }).address ?? '10.0.0.7') {
  db.prepare("UPDATE scan_hosts SET host = ?, address = ? WHERE scan_id = 'kept'").run(
    typeof host === 'string' ? host : JSON.stringify(host),
    column,
  );
}

describe('a kept scan’s forged host rows read as unreadable (review 13, store swapped or rows forged)', () => {
  it('the row as the app wrote it reads back', () => {
    const rows = store.rows('kept', -1, 10);
    expect(rows !== 'unreadable' && rows.map((r) => r.host.address)).toEqual(['10.0.0.7']);
  });

  it.each([
    [
      'a port listed twice',
      { ...HOST, ports: [...HOST.ports, { port: 22, protocol: 'tcp', state: 'closed' }] },
    ],
    [
      'more hidden ports than there are',
      { ...HOST, hidden: { open: 0, closed: 9e15, filtered: 0 } },
    ],
    [
      'a state not in the vocabulary',
      { ...HOST, ports: [{ port: 22, protocol: 'tcp', state: 'pwned' }] },
    ],
    ['text that is not JSON', '{"address": "10.0.0.7", '],
  ])('%s', (_what, forged) => {
    forge(forged);
    expect(store.rows('kept', -1, 10)).toBe('unreadable');
    expect(store.batch('kept', -1, 10, 1_000_000)).toBe('unreadable');
    expect(store.rowsAt('kept', [0])).toBe('unreadable');
  });

  it.each([
    ['an address that is no IP literal', 'local-network'],
    ['markup as its address', '<img src=x onerror=alert(1)>'],
    ['a zone no interface has', 'fe80::1%<b>'],
  ])('%s: the row reads back and its reader leaves it out (a note says so)', (_what, address) => {
    forge({ ...HOST, address });
    const rows = store.rows('kept', -1, 10);
    if (rows === 'unreadable') throw new Error('one forged address costs the whole scan');
    expect(rows.map((row) => checkedKeptRow(row, new Set()))).toEqual([null]);
  });

  it.each([
    ['an IPv6 address said to be IPv4', 'fe80::1', 'fe80::1'],
    ['an IPv6 address not in the RFC 5952 form the app writes', 'FE80:0:0::1', 'fe80::1'],
  ])('%s: read in the form the app writes, with its family', (_what, address, canonical) => {
    forge({ ...HOST, address });
    const rows = store.rows('kept', -1, 10);
    if (rows === 'unreadable') throw new Error('unreadable');
    expect(rows.map((row) => checkedKeptRow(row, new Set())?.host)).toMatchObject([
      { address: canonical, family: 'ipv6' },
    ]);
  });

  it('a kept imported link-local host with its zone (fe80::1%tun_0, as the importers keep it) reads back', () => {
    const linkLocal = { ...HOST, address: 'fe80::1%tun_0', family: 'ipv6' } as HostResult;
    store.save(
      { kind: 'engine', result: { ...result([linkLocal]), scanId: 'zoned' }, assessment: null },
      { keepScans: 10, keepDays: 30 },
    );
    const rows = store.rows('zoned', -1, 10);
    expect(rows !== 'unreadable' && rows.map((r) => r.host.address)).toEqual(['fe80::1%tun_0']);
    expect(store.seqOf('zoned', 'fe80::1%tun_0')).toBe(0);
    expect(store.rowsAt('zoned', [0])).not.toBe('unreadable');
  });

  it('a row whose address column names another host than its JSON', () => {
    forge(HOST, '10.0.0.8');
    expect(store.seqOf('kept', '10.0.0.8')).toBe(0);
    expect(store.rowsAt('kept', [0])).toBe('unreadable');
  });

  it('verdicts kept under another address read as none', () => {
    db.prepare("UPDATE scan_hosts SET assessment = ? WHERE scan_id = 'kept'").run(
      JSON.stringify({ address: '10.0.0.99', ports: [], counts: {} }),
    );
    const rows = store.rows('kept', -1, 10);
    expect(rows !== 'unreadable' && rows[0]?.kept).toBeNull();
  });
});
