import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain } from '../../scripts/build-main.mjs';
import {
  FIREWALL_SYSTEM_DIRS,
  startMountSandbox,
  type MountSandbox,
} from '../lab/mount-sandbox.js';
import { addAddresses, createVeth, execIn, NetnsLab, run, uniqueName } from '../lab/netns.js';

/**
 * The real thing, as root, in namespaces of this test: a "PC" namespace running the CLI (root: the
 * change runs in the CLI itself, no helper) against its own ruleset, with a real listener, and a
 * peer namespace connecting to it. The root namespace's firewall is never touched: every nft call
 * runs under `ip netns exec`; the backup root writes to /var/lib/port-auditor lands in a tmpfs of a
 * private mount namespace. The normal-user path (pkexec, polkit) is firewall-polkit.test.ts.
 */
const ROOT = path.resolve(__dirname, '../..');
// The CLI as shipped (bundled), built into a folder of this run: it starts much faster than tsx.
const outdir = path.join(ROOT, 'dist', `test-fw-${process.pid}`, 'main');
const CLI = path.join(outdir, 'cli.mjs');
const PC_ADDR = '10.77.61.1';
const PEER_ADDR = '10.77.61.2';
const lab = new NetnsLab();
const pc = uniqueName('fw', 'pc');
const peer = uniqueName('fw', 'peer');
let dataDir = '';
let mounts: MountSandbox;

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const argv = mounts.enter(['ip', 'netns', 'exec', pc, process.execPath, CLI, ...args]);
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: ROOT,
      env: { ...process.env, PORT_AUDITOR_DATA_DIR: dataDir, LANG: 'en_US.UTF-8', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const PROBE = `
const net = require('node:net');
const [host, port] = process.argv.slice(1);
const s = net.connect({ host, port: Number(port) });
const done = (state) => { console.log(state); s.destroy(); process.exit(0); };
s.setTimeout(1500, () => done('filtered'));
s.on('connect', () => done('open'));
s.on('error', (e) => done(e.code === 'ECONNREFUSED' ? 'closed' : e.code === 'EPERM' || e.code === 'EACCES' ? 'filtered' : 'error:' + e.code));
`;

async function probe(from: string, host: string, port: number): Promise<string> {
  const { stdout } = await execIn(from, process.execPath, ['-e', PROBE, host, String(port)]);
  return stdout.trim();
}

async function ruleset(): Promise<string> {
  return (await execIn(pc, 'nft', ['list', 'ruleset'])).stdout;
}

async function rulesJson(): Promise<{
  verified: boolean;
  rules: { id: string; state: string; present: boolean | null; portFrom: number }[];
}> {
  const run = await cli(['rules', '--json']);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

function listen(ns: string, port: number) {
  const child = lab.spawn(ns, process.execPath, [
    '-e',
    `require('node:net').createServer((s) => s.end()).listen(${port}, '0.0.0.0', () => console.log('ready'))`,
  ]);
  return new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', () => resolve());
    child.on('exit', (code) => reject(new Error(`listener exited ${code}`)));
  });
}

async function backups(): Promise<string> {
  const [file, ...args] = mounts.enter([
    'sh',
    '-c',
    'cd /var/lib/port-auditor/backups && ls && sha256sum *',
  ]);
  return (await run(file as string, args)).stdout;
}

beforeAll(async () => {
  await buildMain({ only: ['cli.mjs', 'scan-worker.mjs'], outdir });
  lab.onTeardown(() => rmSync(path.dirname(outdir), { recursive: true, force: true }));
  mounts = await startMountSandbox(FIREWALL_SYSTEM_DIRS);
  lab.onTeardown(() => mounts.close());
  dataDir = mkdtempSync(path.join(tmpdir(), 'pa-fw-int-'));
  lab.onTeardown(() => rmSync(dataDir, { recursive: true, force: true }));
  await lab.namespace(pc);
  await lab.namespace(peer);
  await createVeth({ ns: pc, ifName: 'eth0', peerNs: peer, peerIfName: 'eth0' });
  await addAddresses(pc, 'eth0', [`${PC_ADDR}/24`]);
  await addAddresses(peer, 'eth0', [`${PEER_ADDR}/24`]);
  await listen(pc, 8080);
  await listen(peer, 9090);
});

afterAll(async () => {
  await lab.teardown();
});

describe('nftables backend through the CLI as root, in namespaces', () => {
  it('inbound: open → block → filtered from the peer (loopback still open) → undo → open', async () => {
    expect(await probe(peer, PC_ADDR, 8080)).toBe('open');
    const blocked = await cli(['block', '--port', '8080', '--proto', 'tcp']);
    expect(blocked.stderr).toBe('');
    expect(blocked.code).toBe(0);
    expect(blocked.stdout).toContain('Read back from the firewall: yes');
    expect(await probe(peer, PC_ADDR, 8080)).toBe('filtered');
    // Like Windows, loopback is not filtered: this PC still reaches its own port.
    expect(await probe(pc, '127.0.0.1', 8080)).toBe('open');
    const backup = await backups();
    expect(backup.split('\n')[0]).toBe('before-first-change.nft');

    const list = await rulesJson();
    expect(list.verified).toBe(true);
    expect(list.rules).toHaveLength(1);
    expect(list.rules[0]).toMatchObject({ state: 'active', present: true, portFrom: 8080 });

    const undo = await cli(['unblock', list.rules[0]!.id]);
    expect(undo.code).toBe(0);
    expect(await probe(peer, PC_ADDR, 8080)).toBe('open');
    expect((await rulesJson()).rules).toEqual([]);
    // A second change does not take a second backup: the first one holds the original policy.
    expect(await backups()).toBe(backup);
  });

  it('outbound to a device: open → blocked for that address only → undo', async () => {
    expect(await probe(pc, PEER_ADDR, 9090)).toBe('open');
    const blocked = await cli([
      'block',
      '--port',
      '9090',
      '--proto',
      'tcp',
      '--dir',
      'out',
      '--remote',
      PEER_ADDR,
    ]);
    expect(blocked.code).toBe(0);
    expect(await probe(pc, PEER_ADDR, 9090)).toBe('filtered');
    const undo = await cli(['unblock', '--all']);
    expect(undo.code).toBe(0);
    expect(await probe(pc, PEER_ADDR, 9090)).toBe('open');
  });

  // The payloads, each in every field of the request, as `--opt=value` so `-1` stays a value.
  const PAYLOADS = ['80; flush ruleset', 'x" dir=out', 'all', '-1', '65536', '1e3', '٨٠'];
  const FIELDS: Record<string, (v: string) => string[]> = {
    port: (v) => [`--port=${v}`, '--proto=tcp'],
    protocol: (v) => ['--port=80', `--proto=${v}`],
    direction: (v) => ['--port=80', '--proto=tcp', `--dir=${v}`],
    remote: (v) => ['--port=80', '--proto=tcp', `--remote=${v}`],
  };
  const attacks: [string, string[]][] = Object.entries(FIELDS).flatMap(([field, make]) =>
    PAYLOADS.map((p): [string, string[]] => [`${field} = ${p}`, make(p)]),
  );

  it('refuses every injection with a clear error and leaves the ruleset byte-for-byte unchanged', async () => {
    // A rule in place first, so "unchanged" covers a non-empty ruleset too.
    expect((await cli(['block', '--port', '8080', '--proto', 'tcp'])).code).toBe(0);
    const before = await ruleset();
    expect(before).toContain('tcp dport 8080 drop');
    for (const [label, args] of attacks) {
      const run = await cli(['block', ...args]);
      expect(run.code, label).toBe(2);
      expect(run.stderr, label).toMatch(/refused: “/);
      expect(await ruleset(), label).toBe(before);
    }
    const fr = await cli(['block', '--port', '80; flush ruleset', '--proto', 'tcp'], {
      LANG: 'fr_FR.UTF-8',
    });
    expect(fr.stderr).toContain('Port refusé');
    expect(await ruleset()).toBe(before);
    expect((await cli(['unblock', '--all'])).code).toBe(0);
  });

  it('rules of ours missing from the journal (data folder deleted) are listed as found and undone', async () => {
    expect((await cli(['block', '--port', '8080', '--proto', 'tcp'])).code).toBe(0);
    const out = await cli([
      'block',
      '--port=9090',
      '--proto=tcp',
      '--dir=out',
      `--remote=${PEER_ADDR}`,
    ]);
    expect(out.code).toBe(0);
    expect(await probe(peer, PC_ADDR, 8080)).toBe('filtered');
    expect(await probe(pc, PEER_ADDR, 9090)).toBe('filtered');
    // The user deletes Port Auditor's data folder: the journal is gone, the rules are not.
    rmSync(dataDir, { recursive: true, force: true });
    const list = await rulesJson();
    expect(list.verified).toBe(true);
    const rules = list.rules as unknown as {
      id: string;
      state: string;
      origin: string;
      present: boolean;
      protocol: string;
      portFrom: number;
      direction: string;
      remote: string[];
    }[];
    expect(
      rules.map((r) => [r.origin, r.state, r.present, r.portFrom, r.direction, r.remote]).sort(),
    ).toEqual([
      ['found', 'active', true, 8080, 'in', []],
      ['found', 'active', true, 9090, 'out', [PEER_ADDR]],
    ]);
    const text = await cli(['rules']);
    expect(text.stdout).toContain('found in the firewall, not in the journal');
    // Undo of one found rule by its id, then "undo all" for the rest.
    const inbound = rules.find((r) => r.direction === 'in')!;
    expect((await cli(['unblock', inbound.id])).code).toBe(0);
    expect(await probe(peer, PC_ADDR, 8080)).toBe('open');
    expect(await probe(pc, PEER_ADDR, 9090)).toBe('filtered');
    rmSync(dataDir, { recursive: true, force: true });
    const all = await cli(['unblock', '--all']);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('Rule removed');
    expect(await probe(pc, PEER_ADDR, 9090)).toBe('open');
    expect(await ruleset()).not.toMatch(/PortAuditor-[0-9a-f]{8}-/);
    expect((await rulesJson()).rules).toEqual([]);
  });

  it('firewall-status reads the namespace firewall', async () => {
    const run = await cli(['firewall-status', '--json']);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status).toMatchObject({
      backend: 'nftables',
      available: true,
      elevated: true,
      canRead: true,
    });
    expect(status.backupPath).toBe('/var/lib/port-auditor/backups/before-first-change.nft');
  });
});
