import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';
import { addAddresses, createVeth, NetnsLab, uniqueName } from '../lab/netns.js';

/**
 * Review 13c attacker B3 and B4, through the CLI: lo.xml is nmap run on another machine (its own
 * addresses 192.0.2.2 and fd00::2 answered localhost-response), scanning its loopback and itself,
 * each address written two ways. Read on this PC — a namespace of this test owning only its lab
 * address, so the file cannot be this PC's — it is one device, "the PC that ran nmap", its two
 * services counted once; a kept row edited to repeat another row's address is left out.
 */
const ROOT = path.resolve(__dirname, '../..');
const outdir = path.join(ROOT, 'dist', `test-iother-${process.pid}`, 'main');
const CLI = path.join(outdir, 'cli.mjs');
const LO_XML = path.join(ROOT, 'test/fixtures/nmap/lo.xml');
const lab = new NetnsLab();
const pc = uniqueName('iother', 'pc');
const peer = uniqueName('iother', 'peer');
let dataDir = '';
let files = '';

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', pc, process.execPath, CLI, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT_AUDITOR_DATA_DIR: dataDir,
        PORT_AUDITOR_ASSETS: path.join(ROOT, 'assets'),
        LANG: 'en_US.UTF-8',
        LC_ALL: '',
        LC_MESSAGES: '',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function ok(args: string[]): Promise<string> {
  const run = await cli(args);
  expect(run.code, `${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(0);
  return run.stdout;
}

interface Listed {
  scanId: string;
  recordedCounts: { hostsUp: number; devicesUp: number; openPorts: number };
}

beforeAll(async () => {
  await buildMain({ only: CLI_BUNDLES, outdir });
  lab.onTeardown(() => rmSync(path.dirname(outdir), { recursive: true, force: true }));
  dataDir = mkdtempSync(path.join(tmpdir(), 'pa-iother-data-'));
  lab.onTeardown(() => rmSync(dataDir, { recursive: true, force: true }));
  files = mkdtempSync(path.join(tmpdir(), 'pa-iother-files-'));
  lab.onTeardown(() => rmSync(files, { recursive: true, force: true }));
  await lab.namespace(pc);
  await lab.namespace(peer);
  await createVeth({ ns: pc, ifName: 'lab0', peerNs: peer, peerIfName: 'lab0' });
  await addAddresses(pc, 'lab0', ['10.77.66.1/24']);
});

afterAll(async () => {
  await lab.teardown();
});

describe('lo.xml, made by nmap on another machine', () => {
  let scanId = '';

  it('imports as one device, the PC that ran nmap, each service once, with a note on ::ffff:', async () => {
    const out = await ok(['import', LO_XML]);
    expect(out).toContain('4 addresses scanned, 4 up (1 device), 2 open ports in 100.0\u00a0s.');
    expect(out).toContain('Open ports by risk level: Critical 1, High 1.');
    expect(out).toContain('192.0.2.2  up (the PC that ran nmap)');
    expect(out).toContain(
      'This machine’s addresses (as the file gives them): 192.0.2.2, fd00::2, 127.0.0.1, ::1',
    );
    expect(out).toContain(
      'nmap file: 2 hosts written as IPv6 ::ffff:a.b.c.d merged with their IPv4 addresses',
    );
    expect(out).not.toContain('This PC');
    expect(out).not.toContain('same MAC');
    expect(out.match(/^ {2}23\/tcp /gm)).toHaveLength(1);
    expect(out.match(/^ {2}445\/tcp /gm)).toHaveLength(1);

    const list = JSON.parse(await ok(['history', '--json'])) as { scans: Listed[] };
    const listed = list.scans[0]!;
    scanId = listed.scanId;
    expect(listed.recordedCounts).toMatchObject({ hostsUp: 4, devicesUp: 1, openPorts: 2 });
  });

  it('shows and exports the kept scan the same way', async () => {
    const shown = await ok(['show', scanId]);
    expect(shown).toContain('4 up (1 device), 2 open ports');
    expect(shown).toContain('Open ports by risk level: Critical 1, High 1.');
    // The note is the importer's own, not shown as the file's words.
    expect(shown).toContain(
      'nmap file: 2 hosts written as IPv6 ::ffff:a.b.c.d merged with their IPv4 addresses',
    );
    expect(shown).not.toContain('Note from the nmap file: nmap file:');

    const json = path.join(files, 'lo.json');
    await ok(['report', scanId, '-o', json]);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      summary: Record<string, unknown>;
      findings: { port: number; addresses: string[] }[];
    };
    expect(report.summary).toMatchObject({ hostsUp: 4, devicesUp: 1, openPorts: 2 });
    expect(report.findings.map((f) => f.port)).toEqual([23, 445]);
    const csv = path.join(files, 'lo.csv');
    await ok(['report', scanId, '-o', csv]);
    expect(readFileSync(csv, 'utf8').trim().split('\r\n').slice(1)).toHaveLength(2);
  });

  it('leaves out a kept row edited to repeat another row’s address, saying so (B4)', async () => {
    const db = new Database(path.join(dataDir, 'port-auditor.sqlite'));
    try {
      const changed = db
        .prepare(
          `UPDATE scan_hosts SET address = '127.0.0.1',
             host = replace(host, '"address":"::1"', '"address":"127.0.0.1"')
           WHERE scan_id = ? AND address = '::1'`,
        )
        .run(scanId);
      expect(changed.changes).toBe(1);
    } finally {
      db.close();
    }
    const shown = await ok(['show', scanId]);
    expect(shown).toContain(
      'Database: 1 duplicate host ignored (same address as an earlier host; the kept scan was edited).',
    );
    expect(shown).toContain('3 up (1 device), 2 open ports');
    expect(shown).toContain('Open ports by risk level: Critical 1, High 1.');
    expect(shown).not.toContain('127.0.0.1, 127.0.0.1');
    expect(shown).not.toContain('same MAC');
  });
});
