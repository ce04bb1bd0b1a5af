import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostResult } from '../../app/contract/index.js';
import { openDatabase } from '../../app/store/database.js';
import { ScanStore } from '../../app/store/scans.js';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';
import { runBuiltCli } from '../lab/built-cli.js';

/**
 * Issue 13 rev13user F1, the path a user takes: `port-auditor show` of a kept "This PC" scan
 * made where this PC was 10.99.0.1 (an address this machine does not have: the laptop moved)
 * shows one "This PC" with both its addresses, as when it ran; a scan kept before the addresses
 * were recorded shows today's fold and says so.
 */
const outdir = path.resolve('dist', `test-cli-kept-this-pc-${process.pid}`, 'main');
const SCAN_ID = 'b7a4c1de-2f0a-4c51-9a57-3b1f00000002';

function host(address: string, port: number): HostResult {
  return {
    address,
    family: 'ipv4',
    isLocal: true,
    status: 'up',
    reason: 'localhost',
    ports: [{ port, protocol: 'tcp', state: 'open', reason: 'syn-ack' }],
    hidden: { open: 0, closed: 0, filtered: 0 },
  };
}

/** A data folder holding one kept scan of this PC at 10.99.0.1 and 127.0.0.1; `recorded` false: as an older version kept it. */
function keptScan(dir: string, recorded: boolean): void {
  const db = openDatabase(dir);
  try {
    new ScanStore(db).save(
      {
        kind: 'engine',
        thisPc: ['10.99.0.1', '127.0.0.1'],
        assessment: null,
        result: {
          scanId: SCAN_ID,
          request: { targets: 'this-pc', ports: '1-10000', skipDiscovery: false, confirmed: false },
          addresses: 2,
          portCount: 10_000,
          notes: [],
          startedAt: '2026-12-02T16:50:00.000Z',
          finishedAt: '2026-12-02T16:50:30.000Z',
          cancelled: false,
          hosts: [host('10.99.0.1', 23), host('127.0.0.1', 6379)],
        },
      },
      { keepScans: 100, keepDays: 90 },
    );
    if (!recorded) db.exec('UPDATE scans SET this_pc = NULL');
  } finally {
    db.close();
  }
}

describe('port-auditor show of a kept scan made where this PC had other addresses', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), `pa-cli-kept-this-pc-${process.pid}-`));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    await buildMain({ only: CLI_BUNDLES, outdir });
  });

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    rmSync(path.dirname(outdir), { recursive: true, force: true });
  });

  it('shows one This PC with the addresses it had then', async () => {
    const here = Object.values(os.networkInterfaces()).flatMap((list) =>
      (list ?? []).map((info) => info.address),
    );
    expect(here).not.toContain('10.99.0.1');
    const dir = dataDir();
    keptScan(dir, true);
    const shown = await runBuiltCli(outdir, dir, ['show', SCAN_ID]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('This PC’s addresses: 10.99.0.1, 127.0.0.1');
    expect(shown.stdout).toContain('2 up (1 device)');
    expect(shown.stdout).not.toMatch(/^10\.99\.0\.1 /m);
    expect(shown.stdout).not.toContain('This PC’s addresses: today’s');
  });

  it('a scan kept without them: today’s addresses, and a note saying so', async () => {
    const dir = dataDir();
    keptScan(dir, false);
    const shown = await runBuiltCli(outdir, dir, ['show', SCAN_ID]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^10\.99\.0\.1 /m);
    expect(shown.stdout).toContain('2 addresses scanned, 2 up, 2 open ports');
    expect(shown.stdout).toContain('This PC’s addresses: today’s.');
  });
});
