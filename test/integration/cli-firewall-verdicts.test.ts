import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';
import { listenTcp, probeTcp } from '../lab/firewall-lab.js';
import {
  FIREWALL_SYSTEM_DIRS,
  startMountSandbox,
  type MountSandbox,
} from '../lab/mount-sandbox.js';
import { addAddresses, createVeth, execIn, NetnsLab, uniqueName } from '../lab/netns.js';

/**
 * `scan`, `import` and `report` say what Port Auditor's rules do only after reading the firewall,
 * for real, as root in namespaces of this test: a "PC" namespace runs the CLI against its own
 * ruleset, a peer plays a device. A rule erased behind the app's back (what a reboot or `nft flush
 * ruleset` does) is never "blocked" again, in the table or in a report; a device port this PC's own
 * outbound rule hides stays a finding; the PDF has its Firewall section.
 */
const ROOT = path.resolve(__dirname, '../..');
const outdir = path.join(ROOT, 'dist', `test-fwv-${process.pid}`, 'main');
const CLI = path.join(outdir, 'cli.mjs');
const PC_ADDR = '10.77.64.1';
const PEER_ADDR = '10.77.64.2';
const PC_PORT = 4445;
const DEVICE_PORT = 23;
const exec = promisify(execFile);
const lab = new NetnsLab();
const pc = uniqueName('fwv', 'pc');
const peer = uniqueName('fwv', 'peer');
let dataDir = '';
let files = '';
let mounts: MountSandbox;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], lang: 'en' | 'fr' = 'en'): Promise<CliRun> {
  return new Promise((resolve) => {
    const argv = mounts.enter(['ip', 'netns', 'exec', pc, process.execPath, CLI, ...args]);
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT_AUDITOR_DATA_DIR: dataDir,
        // The bundle of this run sits one folder deeper than dist/main: the fonts are the checkout's.
        PORT_AUDITOR_ASSETS: path.join(ROOT, 'assets'),
        LANG: lang === 'fr' ? 'fr_FR.UTF-8' : 'en_US.UTF-8',
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

async function ok(args: string[], lang: 'en' | 'fr' = 'en'): Promise<CliRun> {
  const run = await cli(args, lang);
  expect(run.code, `${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(0);
  return run;
}

interface ReportFinding {
  address: string;
  addresses: string[];
  port: number;
  state: string;
  severity: string | null;
  portAuditorRule: { effect: string; name: string } | null;
}

function jsonReport(file: string): {
  summary: { blockedByPortAuditor: number };
  findings: ReportFinding[];
  firewallRules: { name: string; present: boolean | null }[] | null;
  assessment: { hosts: { ports: { firewall?: { effect: string } }[] }[] };
} {
  return JSON.parse(readFileSync(file, 'utf8'));
}

async function pdfText(file: string): Promise<string> {
  return (await exec('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'])).stdout;
}

beforeAll(async () => {
  await buildMain({
    only: CLI_BUNDLES,
    outdir,
  });
  lab.onTeardown(() => rmSync(path.dirname(outdir), { recursive: true, force: true }));
  mounts = await startMountSandbox(FIREWALL_SYSTEM_DIRS);
  lab.onTeardown(() => mounts.close());
  dataDir = mkdtempSync(path.join(tmpdir(), 'pa-fwv-data-'));
  lab.onTeardown(() => rmSync(dataDir, { recursive: true, force: true }));
  files = mkdtempSync(path.join(tmpdir(), 'pa-fwv-files-'));
  lab.onTeardown(() => rmSync(files, { recursive: true, force: true }));
  await lab.namespace(pc);
  await lab.namespace(peer);
  await createVeth({ ns: pc, ifName: 'eth0', peerNs: peer, peerIfName: 'eth0' });
  await addAddresses(pc, 'eth0', [`${PC_ADDR}/24`]);
  await addAddresses(peer, 'eth0', [`${PEER_ADDR}/24`]);
  await listenTcp(lab, pc, PC_PORT);
  await listenTcp(lab, peer, DEVICE_PORT);
});

afterAll(async () => {
  await lab.teardown();
});

describe('the CLI reads the firewall before it says a port is blocked', () => {
  it('blocked while the firewall holds the rule; not after the rule was erased', async () => {
    await ok(['block', '--port', String(PC_PORT), '--proto', 'tcp']);
    expect(await probeTcp(peer, PC_ADDR, PC_PORT)).toBe('filtered');
    const scanJson = path.join(files, 'scan.json');
    const before = await ok([
      'scan',
      `${PC_ADDR},127.0.0.1`,
      '-p',
      String(PC_PORT),
      '--json',
      scanJson,
      '--report',
      path.join(files, 'before.pdf'),
    ]);
    expect(before.stdout).toMatch(
      new RegExp(`^ {2}${PC_PORT}/tcp\\s+open\\s.*→ blocked by Port Auditor`, 'm'),
    );
    // One device, one row: reachable on both addresses, and what the rule stops is said in words
    // (other devices), since loopback is left open on purpose: this PC's own programs still connect.
    expect(before.stdout).toMatch(
      new RegExp(
        `^ {2}${PC_PORT}/tcp\\s.*\\s${PC_ADDR.replaceAll('.', '\\.')}, 127\\.0\\.0\\.1$`,
        'm',
      ),
    );
    expect(before.stdout).toContain('other devices can no longer connect to it');
    expect(before.stdout).toMatch(/blocked by Port Auditor 1\.$/m);
    // The PDF made by the CLI has its Firewall section, with the rule, as the app's does.
    const pdf = await pdfText(path.join(files, 'before.pdf'));
    expect(pdf).toMatch(/^\f?Firewall$/m);
    const firewall = pdf.slice(pdf.indexOf('Blocking rules Port Auditor created on this PC'));
    expect(firewall).toMatch(
      // The date may wrap in its column, or not: "yes" ends the row either way.
      new RegExp(`${PC_PORT}/tcp inbound active all addresses \\d[^\\n]*(\\n[^\\n]*)?\\byes\\n`),
    );
    expect(pdf).toContain('Blocked by Port Auditor');

    // What a reboot without the boot unit, or `nft flush ruleset`, does behind the app's back.
    await execIn(pc, 'nft', ['delete', 'table', 'inet', 'port_auditor']);
    expect(await probeTcp(peer, PC_ADDR, PC_PORT)).toBe('open');
    const after = await ok(['scan', PC_ADDR, '-p', String(PC_PORT)]);
    expect(after.stdout).not.toContain('blocked by Port Auditor');
    expect(after.stdout).toMatch(/^Open ports by risk level: \w+ 1\.$/m);
    // The row says the block is only the journal's word, not found in the firewall (review 13
    // A10); one summary line says how to put it in place.
    expect(after.stdout).toMatch(
      new RegExp(
        `^ {2}${PC_PORT}/tcp\\s+open\\s.*\\w+ · journal’s rule not found in the firewall`,
        'm',
      ),
    );
    expect(after.stdout).toMatch(
      /^ {6}\* According to Port Auditor’s journal, the rule of .+ for port \d+\/tcp blocked this port; it is not found in the firewall .*risk unchanged\.$/m,
    );
    expect(after.stdout).toContain(
      '! Port Auditor’s journal lists 1 rule not found in the firewall (a restart?): port-auditor reapply --all puts it in place.',
    );
    const afterFr = await ok(['scan', PC_ADDR, '-p', String(PC_PORT)], 'fr');
    // By its date and port, never its UUID name (review 15b).
    expect(afterFr.stdout).toMatch(
      /\* Selon le journal de Port Auditor, la règle du [^()]+ pour le port \d+\/tcp bloquait ce port/,
    );
    expect(afterFr.stdout).not.toContain('PortAuditor-');
    expect(afterFr.stdout).toContain(
      '! Le journal de Port Auditor liste 1 règle introuvable dans le pare-feu (redémarrage\u202f?)\u00a0: port-auditor reapply --all la met en place.',
    );

    // A report of the earlier scan reads the firewall now: present false, never "blocked".
    const report = path.join(files, 'after.json');
    await ok(['report', scanJson, '-o', report]);
    const doc = jsonReport(report);
    expect(doc.firewallRules?.map((r) => r.present)).toEqual([false]);
    expect(doc.summary.blockedByPortAuditor).toBe(0);
    // This PC's port, open on its address and on 127.0.0.1, is one finding of one device.
    expect(doc.findings.map((f) => [f.portAuditorRule?.effect ?? null, f.addresses])).toEqual([
      ['vanished', [PC_ADDR, '127.0.0.1']],
    ]);
    expect(
      doc.assessment.hosts.flatMap((h) => h.ports.map((p) => p.firewall?.effect ?? null)),
    ).toEqual(['vanished', 'vanished']);
    const pdfAfter = path.join(files, 'after.pdf');
    await ok(['report', scanJson, '-o', pdfAfter, '--lang', 'fr'], 'fr');
    const text = await pdfText(pdfAfter);
    expect(text).not.toMatch(/Bloqué par Port Auditor/);
    expect(text).toMatch(
      new RegExp(
        `${PC_PORT}/tcp entrant absente toutes les adresses \\d[^\\n]+\\n?[^\\n]*\\nabsente du\\s+pare-feu\\n`,
      ),
    );

    // An nmap XML of the same scan, imported: the same verdict, from the same read.
    const xml = path.join(files, 'scan.xml');
    await ok(['report', scanJson, '-o', xml]);
    const imported = await ok(['import', xml]);
    expect(imported.stdout).not.toContain('blocked by Port Auditor');
    expect(imported.stdout).toMatch(new RegExp(`^ {2}${PC_PORT}/tcp\\s+open`, 'm'));
    await ok(['unblock', '--all']);
  });

  it('a device port this PC’s own rule hides stays a finding, in the table and the report', async () => {
    await ok([
      'block',
      '--port',
      String(DEVICE_PORT),
      '--proto',
      'tcp',
      '--dir',
      'out',
      '--remote',
      PEER_ADDR,
    ]);
    const report = path.join(files, 'hidden.json');
    const run = await ok(['scan', PEER_ADDR, '-p', String(DEVICE_PORT), '--report', report]);
    expect(run.stdout).toMatch(
      new RegExp(
        `^ {2}${DEVICE_PORT}/tcp\\s+filtered\\s.*telnet\\s+\\w+ · seen filtered because of a rule of this PC`,
        'm',
      ),
    );
    expect(run.stdout).toContain('* This PC blocks its own connections to this port (rule of ');
    // Seen filtered, counted among no open port, yet rated: the verdict line says which it is.
    expect(run.stdout).toMatch(
      /^Open ports by risk level: \w+ 1 \(1 of them a port seen filtered because of a rule of this PC\)\.$/m,
    );
    const doc = jsonReport(report);
    const telnet = doc.findings.find((f) => f.port === DEVICE_PORT);
    expect(telnet).toMatchObject({
      address: PEER_ADDR,
      state: 'filtered',
      portAuditorRule: { effect: 'scan-blocked' },
    });
    expect(telnet?.severity).not.toBeNull();
    await ok(['unblock', '--all']);
    expect(await probeTcp(pc, PEER_ADDR, DEVICE_PORT)).toBe('open');
    // The kept scan could not see the port: with its rule removed it stays a finding, saying so.
    const kept = JSON.parse((await ok(['history', '--json'])).stdout) as {
      scans: { scanId: string }[];
    };
    const shown = await ok(['show', kept.scans[0]!.scanId]);
    expect(shown.stdout).toMatch(
      new RegExp(`^ {2}${DEVICE_PORT}/tcp\\s+filtered\\s.*telnet\\s+\\w+\\s*$`, 'm'),
    );
    expect(shown.stdout).toMatch(
      /Seen filtered during the scan because of the rule of .+ for port 23\/tcp of this PC/,
    );
    expect(shown.stdout).toContain('removed since');
  });
});
