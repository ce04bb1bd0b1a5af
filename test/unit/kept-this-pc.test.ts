import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAssessor } from '../../app/api/risk-handlers.js';
import { ScanHistory, thisPcOfScan } from '../../app/api/scan-history.js';
import { lazyAppStore } from '../../app/api/settings-handlers.js';
import type { HostResult, ScanPage, ScanResult } from '../../app/contract/index.js';
import { thisPcRecord } from '../../app/store/scans.js';
import { bothLanguages } from '../../app/text/catalogue.js';
import { upHost } from './support/up-host.js';

/**
 * Issue 13 rev13user F1: a kept "This PC" scan reopened after this PC's addresses changed (a
 * laptop moved to another network, a new DHCP lease) must still show this PC as one device. Which
 * addresses were this PC's is kept with the scan; reopening folds by those, not by the addresses
 * this PC has now (the injected `local` of ScanHistory, A at scan time, B when reopened), over a
 * real store in a temp folder.
 */
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), `pa-kept-this-pc-${process.pid}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A ScanHistory on the store of `dir` for which this PC's addresses are `local`. */
function history(dir: string, local: string[]): { scans: ScanHistory; sql: (s: string) => void } {
  const store = lazyAppStore(() => dir);
  cleanups.push(() => store.close());
  const assessor = createAssessor({
    listeners: async () => ({ platform: 'linux', listeners: [], complete: true }),
  });
  const scans = new ScanHistory(
    store,
    () => dir,
    assessor,
    () => new Set(local),
  );
  return { scans, sql: (s) => store.get().exec(s) };
}

/** A device that is up with the one TCP port `port` open. */
const host = (address: string, isLocal: boolean, port: number): HostResult =>
  upHost(address, isLocal, [{ port, protocol: 'tcp', state: 'open', reason: 'syn-ack' }]);

/** "This PC" scanned where its addresses were 10.99.0.1 and fe80::1 (link rv0), and a neighbour. */
function scanAtA(): ScanResult {
  const hosts = [
    host('10.99.0.1', true, 23),
    host('fe80::1%rv0', true, 9000),
    host('127.0.0.1', true, 6379),
    host('10.99.0.7', false, 80),
  ];
  return {
    scanId: 'b7a4c1de-2f0a-4c51-9a57-3b1f00000001',
    request: { targets: 'this-pc', ports: '1-10000', skipDiscovery: false, confirmed: false },
    addresses: hosts.length,
    portCount: 10_000,
    notes: [],
    startedAt: '2026-12-02T16:50:00.000Z',
    finishedAt: '2026-12-02T16:50:30.000Z',
    cancelled: false,
    hosts,
  };
}

const A = ['10.99.0.1', 'fe80::1', '127.0.0.1', '::1'];
const B = ['10.20.0.9', '127.0.0.1', '::1'];
const todayNote = bothLanguages('messages:kept.thisPcToday');

const local = (page: ScanPage) => Object.fromEntries(page.hosts.map((h) => [h.address, h.isLocal]));

async function firstPage(scans: ScanHistory, scanId: string): Promise<ScanPage> {
  return scans.page({ scanId, offset: 0, limit: 50, status: 'up' });
}

/** The kept scan reopened by another process where this PC's addresses are B: its first page. */
async function reopenedAtB(dir: string, scanId: string) {
  const atB = history(dir, B);
  return { atB, page: await firstPage(atB.scans, scanId) };
}

/**
 * Which of scanAtA's hosts a page shows as this PC: its A addresses when folded by the kept ones
 * (`byKept`), else only loopback, which this PC has at B too; the neighbour never.
 */
const thisPcAtA = (byKept: boolean) => ({
  '10.99.0.1': byKept,
  'fe80::1%rv0': byKept,
  '127.0.0.1': true,
  '10.99.0.7': false,
});

describe('a kept scan keeps which addresses were this PC when it ran', () => {
  it('records them as IP literals without zone, once each', () => {
    expect(
      thisPcRecord(['fe80::1%rv0', 'FE80::1%rv1', '10.0.0.1', 'local-network', '::ffff:10.0.0.1']),
    ).toEqual(['fe80::1', '10.0.0.1']);
    expect(thisPcOfScan(scanAtA())).toEqual(['10.99.0.1', 'fe80::1', '127.0.0.1']);
  });

  it('reopened where this PC’s addresses changed, it folds by the kept addresses (page, full)', async () => {
    const dir = dataDir();
    const scan = scanAtA();
    const atA = history(dir, A);
    expect(atA.scans.keep({ kind: 'engine', result: scan, assessment: null })).toMatchObject({
      kept: true,
    });
    const shownAtA = await firstPage(atA.scans, scan.scanId);

    // The laptop moved: this PC is 10.20.0.9 now. Another process (the CLI, a restart) reopens.
    const { atB, page } = await reopenedAtB(dir, scan.scanId);
    expect(local(page)).toEqual(thisPcAtA(true));
    // One device for this PC and one neighbour, as when it ran; no note about today's addresses.
    expect(page.scan.counts).toEqual(shownAtA.scan.counts);
    expect(page.scan.counts.devicesUp).toBe(2);
    expect(page.scan.notes).not.toContainEqual(todayNote);
    expect(page.assessment?.hosts.map((h) => [h.address, h.isLocal])).toEqual(
      shownAtA.assessment?.hosts.map((h) => [h.address, h.isLocal]),
    );
    // Exports (PDF, JSON, CSV, nmap XML) are made from `full`: the same fold.
    const full = atB.scans.full(scan.scanId);
    expect(Object.fromEntries(full.result.hosts.map((h) => [h.address, h.isLocal]))).toEqual(
      local(page),
    );
    expect(full.record.counts.devicesUp).toBe(2);
  });

  it('a scan kept without the record (older version, or edited) folds by today’s, and says so', async () => {
    const dir = dataDir();
    const scan = scanAtA();
    const atA = history(dir, A);
    atA.scans.keep({ kind: 'engine', result: scan, assessment: null });
    atA.sql('UPDATE scans SET this_pc = NULL');

    const { page } = await reopenedAtB(dir, scan.scanId);
    expect(local(page)).toEqual(thisPcAtA(false));
    expect(page.scan.counts.devicesUp).toBe(4);
    expect(page.scan.notes).toContainEqual(todayNote);

    // A record that is not a list of IP literals reads as none: a neighbour is never made this PC
    // by text that is not an address.
    const edited = history(dir, B);
    atA.sql(`UPDATE scans SET this_pc = '["10.99.0.7%x", "local-network"]'`);
    const again = await firstPage(edited.scans, scan.scanId);
    expect(local(again)['10.99.0.7']).toBe(false);
    expect(again.scan.notes).toContainEqual(todayNote);
  });
});
