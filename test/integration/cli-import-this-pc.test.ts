import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';
import { listenTcp } from '../lab/firewall-lab.js';
import { addAddresses, createVeth, execIn, NetnsLab, uniqueName } from '../lab/netns.js';

/**
 * Review 13c new user #2 and #3: a file made on this very PC — `nmap -sT` of 127.0.0.1 and of an
 * address of this PC, or our own JSON report of a scan of this PC — is one device, "This PC",
 * when read again here through the CLI. A namespace of this test is the PC: it owns the lab
 * address, runs the listener, nmap and the CLI.
 */
const ROOT = path.resolve(__dirname, '../..');
const outdir = path.join(ROOT, 'dist', `test-ithis-${process.pid}`, 'main');
const CLI = path.join(outdir, 'cli.mjs');
const PC_ADDR = '10.77.65.1';
const PORT = 4446;
const exec = promisify(execFile);
const lab = new NetnsLab();
const pc = uniqueName('ithis', 'pc');
// The other end of the PC's lab link (no dummy interfaces on this kernel).
const peer = uniqueName('ithis', 'peer');
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

/** The newest kept scan's id (`history --json` lists the newest first). */
async function newestId(): Promise<string> {
  const list = JSON.parse(await ok(['history', '--json'])) as { scans: { scanId: string }[] };
  return list.scans[0]?.scanId as string;
}

async function ok(args: string[]): Promise<string> {
  const run = await cli(args);
  expect(run.code, `${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(0);
  return run.stdout;
}

beforeAll(async () => {
  await buildMain({
    only: CLI_BUNDLES,
    outdir,
  });
  lab.onTeardown(() => rmSync(path.dirname(outdir), { recursive: true, force: true }));
  dataDir = mkdtempSync(path.join(tmpdir(), 'pa-ithis-data-'));
  lab.onTeardown(() => rmSync(dataDir, { recursive: true, force: true }));
  files = mkdtempSync(path.join(tmpdir(), 'pa-ithis-files-'));
  lab.onTeardown(() => rmSync(files, { recursive: true, force: true }));
  await lab.namespace(pc);
  await lab.namespace(peer);
  await createVeth({ ns: pc, ifName: 'lab0', peerNs: peer, peerIfName: 'lab0' });
  await addAddresses(pc, 'lab0', [`${PC_ADDR}/24`]);
  await listenTcp(lab, pc, PORT);
});

afterAll(async () => {
  await lab.teardown();
});

describe('a file made on this PC, read again on it', () => {
  it('nmap -sT of 127.0.0.1 and this PC’s lab address imports as one device, This PC', async () => {
    const xml = path.join(files, 'pc.xml');
    await execIn(pc, 'nmap', ['-sT', '-n', '-p', String(PORT), '-oX', xml, '127.0.0.1', PC_ADDR]);
    const out = await ok(['import', xml]);
    expect(out).not.toContain('the PC that ran nmap');
    expect(out).toMatch(/This PC/);
    const id = await newestId();
    const json = path.join(files, 'x.json');
    await ok(['report', id, '-o', json]);
    const report = JSON.parse((await exec('cat', [json])).stdout) as {
      findings: { addresses: string[] }[];
    };
    expect(report.findings).toHaveLength(1);
    const pdf = path.join(files, 'x.pdf');
    await ok(['report', json, '-o', pdf]);
    const text = (await exec('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-'])).stdout;
    expect(text).toMatch(/^1\ndevices? up$/m);
    // The Method note rightly says the file's results are as seen from the PC that ran nmap;
    // no device of the list is that PC.
    expect(text).not.toContain('up: the PC that ran nmap');
  });

  it('our JSON report of a scan of this PC, turned into a PDF here, says 1 device', async () => {
    const scanJson = path.join(files, 'scan.json');
    await ok(['scan', 'this-pc', '-p', String(PORT), '--json', scanJson]);
    const id = await newestId();
    const json = path.join(files, 'pc-scan.json');
    await ok(['report', id, '-o', json]);
    const pdf = path.join(files, 'pc-from-json.pdf');
    await ok(['report', json, '-o', pdf]);
    const text = (await exec('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-'])).stdout;
    // The cover's count: one device (not This PC, 127.0.0.1 and ::1 apart).
    expect(text).toMatch(/^1\ndevices? up$/m);
    expect(text).toContain(
      'Results from a report file made on this PC (“vm”).'.replace('vm', hostname()),
    );
    expect(text).not.toContain('not on this PC');
    expect(text).not.toContain('the PC that ran nmap');
  });
});
