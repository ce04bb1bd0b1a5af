import { spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain } from '../../scripts/build-main.mjs';
import {
  addAddresses,
  createVeth,
  execIn,
  loadNft,
  NetnsLab,
  run,
  uniqueName,
} from '../lab/netns.js';
import { startPolkitSandbox, type PolkitSandbox } from '../lab/polkit-sandbox.js';

/**
 * The path a normal Linux user takes, for real: a test user runs the bundled CLI in a "PC"
 * namespace; blocking goes through Debian's pkexec, a real polkitd on a private system bus, and
 * the helper installed root-owned in /usr/lib/port-auditor by scripts/install-helper.ts. A peer
 * namespace checks the effect from outside. Then the same user turns hostile: it swaps and plants
 * every file it can while the prompt is open, appends code to every file of the app it owns, and
 * the approved rule is still exactly the one applied and nothing it wrote runs as root.
 */
const ROOT = path.resolve(__dirname, '../..');
const outdir = path.join(ROOT, 'dist', `test-polkit-${process.pid}`, 'main');
const PC_ADDR = '10.77.62.1';
const PEER_ADDR = '10.77.62.2';
const lab = new NetnsLab();
const pc = uniqueName('pk', 'pc');
const peer = uniqueName('pk', 'peer');
let sandbox: PolkitSandbox;
let dataDir = '';
/** The user-owned copy of the app (a checkout or ~/.local install is writable by its user). */
let appDir = '';
let marker = '';

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function userCli(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<CliRun> } {
  const argv = sandbox.asUser([process.execPath, path.join(appDir, 'dist/main/cli.mjs'), ...args], {
    netns: pc,
    env: { PORT_AUDITOR_DATA_DIR: dataDir, ...env },
  });
  const child = spawn(argv[0] as string, argv.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliRun>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

const cli = (args: string[], env: Record<string, string> = {}) => userCli(args, env).done;

const PROBE = `
const net = require('node:net');
const [host, port] = process.argv.slice(1);
const s = net.connect({ host, port: Number(port) });
const done = (state) => { console.log(state); s.destroy(); process.exit(0); };
s.setTimeout(1500, () => done('filtered'));
s.on('connect', () => done('open'));
s.on('error', (e) => done(e.code === 'ECONNREFUSED' ? 'closed' : 'error:' + e.code));
`;

async function probe(port: number): Promise<string> {
  const { stdout } = await execIn(peer, process.execPath, ['-e', PROBE, PC_ADDR, String(port)]);
  return stdout.trim();
}

async function ruleset(): Promise<string> {
  return (await execIn(pc, 'nft', ['list', 'ruleset'])).stdout;
}

async function asRoot(argv: string[]): Promise<string> {
  const [file, ...args] = sandbox.asRoot(argv);
  return (await run(file as string, args)).stdout;
}

async function rulesJson(): Promise<{
  verified: boolean;
  rules: { id: string; state: string; present: boolean | null; portFrom: number; portTo: number }[];
}> {
  const listed = await cli(['rules', '--json']);
  expect(listed.code, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout);
}

/** The pid of the pkexec the test user started for the change helper, once it exists. */
async function pkexecPid(): Promise<number> {
  let pid = 0;
  await until(() => {
    pid = processes('/usr/bin/pkexec', '/usr/lib/port-auditor/firewall-helper')[0] ?? 0;
    return pid > 0;
  }, 'pkexec start');
  return pid;
}

/** Running (a zombie is not: this machine's init may leave the dead unreaped). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Every process whose command line starts with these words (zombies excluded). */
function processes(...argv: string[]): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const words = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.every((w, i) => words[i] === w) && alive(Number(entry))) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} never happened`);
}

function listen(ns: string, port: number) {
  const child = lab.spawn(ns, process.execPath, [
    '-e',
    `require('node:net').createServer((s) => s.end()).listen(${port}, '0.0.0.0', () => console.log('ready'))`,
  ]);
  return new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.on('exit', (code) => reject(new Error(`listener exited ${code}`)));
  });
}

/** Makes a user-owned copy of the app and appends a payload to every script in it. */
function plantUserOwnedApp(uid: number, gid: number): void {
  appDir = mkdtempSync(path.join(tmpdir(), 'pa-pk-app-'));
  const main = path.join(appDir, 'dist/main');
  mkdirSync(main, { recursive: true });
  cpSync(outdir, main, { recursive: true });
  const modules = path.join(appDir, 'node_modules');
  mkdirSync(modules);
  const owned = new Set(['zod', 'ipaddr.js']);
  for (const pkg of readdirSync(path.join(ROOT, 'node_modules'))) {
    const source = path.join(ROOT, 'node_modules', pkg);
    if (owned.has(pkg)) cpSync(source, path.join(modules, pkg), { recursive: true });
    else symlinkSync(source, path.join(modules, pkg));
  }
  const markDir = mkdtempSync(path.join(tmpdir(), 'pa-pk-mark-'));
  marker = path.join(markDir, 'ran-as');
  const payload = `\n;try { process.getBuiltinModule('node:fs').appendFileSync(${JSON.stringify(marker)}, String(process.getuid()) + '\\n'); } catch {}\n`;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) walk(file);
      else if (/\.(m?js|cjs)$/.test(entry.name)) appendFileSync(file, payload);
    }
  };
  walk(main);
  for (const pkg of owned) walk(path.join(modules, pkg));
  const chownAll = (dir: string) => {
    chownSync(dir, uid, gid);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) chownAll(file);
      else chownSync(file, uid, gid);
    }
  };
  chownAll(appDir);
  chownSync(markDir, uid, gid);
  lab.onTeardown(() => {
    rmSync(appDir, { recursive: true, force: true });
    rmSync(markDir, { recursive: true, force: true });
  });
}

beforeAll(async () => {
  await buildMain({
    only: [
      'cli.mjs',
      'scan-worker.mjs',
      'import-worker.mjs',
      'export-worker.mjs',
      'prepare-worker.mjs',
      'firewall-helper.mjs',
    ],
    outdir,
  });
  lab.onTeardown(() => rmSync(path.dirname(outdir), { recursive: true, force: true }));
  sandbox = await startPolkitSandbox(path.join(outdir, 'firewall-helper.mjs'));
  lab.onTeardown(() => sandbox.close());
  const { uid, gid } = sandbox.user;
  dataDir = mkdtempSync(path.join(tmpdir(), 'pa-pk-data-'));
  chownSync(dataDir, uid, gid);
  lab.onTeardown(() => rmSync(dataDir, { recursive: true, force: true }));
  plantUserOwnedApp(uid, gid);
  await lab.namespace(pc);
  await lab.namespace(peer);
  await createVeth({ ns: pc, ifName: 'eth0', peerNs: peer, peerIfName: 'eth0' });
  await addAddresses(pc, 'eth0', [`${PC_ADDR}/24`]);
  await addAddresses(peer, 'eth0', [`${PEER_ADDR}/24`]);
  await listen(pc, 8080);
});

afterAll(async () => {
  await lab.teardown();
});

describe('a normal user changes the firewall through polkit, and nobody else can', () => {
  it('a resource limit another program set never cuts the policy backup short', async () => {
    // pkexec keeps the caller's limits; here a same-user program caps the file size of its run.
    const ops = [
      'block',
      '--id',
      '0b7c6f2e-1d3a-4e5f-8a9b-0c1d2e3f4a5b',
      '--proto',
      'tcp',
      '--port',
      '8080',
      '--dir',
      'in',
    ];
    const limited = (limit: string) => {
      const [file, ...args] = sandbox.asUser(
        [
          'prlimit',
          `--fsize=${limit}`,
          '/usr/bin/pkexec',
          '/usr/lib/port-auditor/firewall-helper',
          ...ops,
        ],
        { netns: pc },
      );
      return run(file as string, args).then(
        () => 0,
        (e: { code?: unknown }) => (typeof e.code === 'number' ? e.code : -1),
      );
    };
    // A policy of some size on this PC, so a cut-short backup would show.
    const policy = Array.from({ length: 40 }, (_, i) => `tcp dport ${20000 + i} accept`).join('\n');
    await loadNft(pc, `table inet site {\n  chain c {\n${policy}\n  }\n}\n`);
    // A hard limit root cannot lift here: the helper refuses to run rather than write half a file.
    expect(await limited('100:100')).toBe(70);
    expect(await asRoot(['ls', '/var/lib/port-auditor'])).not.toContain('backups');
    expect(await ruleset()).not.toMatch(/PortAuditor-[0-9a-f]{8}-/);
    // A soft limit only: the helper lifts it and writes the whole backup.
    expect(await limited('100:unlimited')).toBe(0);
    const backup = await asRoot(['cat', '/var/lib/port-auditor/backups/before-first-change.nft']);
    expect(backup.length).toBeGreaterThan(1000);
    expect(backup).toContain('tcp dport 20039 accept');
    expect(backup.trimEnd().endsWith('}')).toBe(true);
    await execIn(pc, 'nft', ['delete', 'table', 'inet', 'site']);
    // The rule, unknown to the app's journal, is found and undone like any other.
    expect((await cli(['unblock', '--all'])).code).toBe(0);
    expect(await ruleset()).not.toMatch(/PortAuditor-[0-9a-f]{8}-/);
  });

  it('blocks, lists and unblocks as that user: the peer sees filtered, then open again', async () => {
    expect(await probe(8080)).toBe('open');
    const status = JSON.parse((await cli(['firewall-status', '--json'])).stdout);
    expect(status).toMatchObject({
      elevated: false,
      elevation: 'pkexec',
      canChange: true,
      canRead: true,
    });

    const blocked = await cli(['block', '--port', '8080', '--proto', 'tcp']);
    expect(blocked.stderr).toBe('');
    expect(blocked.code).toBe(0);
    expect(blocked.stdout).toContain('Block in place.');
    expect(await probe(8080)).toBe('filtered');

    const list = await rulesJson();
    expect(list.verified).toBe(true);
    expect(list.rules).toHaveLength(1);
    expect(list.rules[0]).toMatchObject({ state: 'active', present: true, portFrom: 8080 });
    // The journal is the user's own; the backup is root's alone, outside the user's reach.
    expect(statSync(path.join(dataDir, 'port-auditor.sqlite')).uid).toBe(sandbox.user.uid);
    const backup = await asRoot([
      'stat',
      '-c',
      '%U %a',
      '/var/lib/port-auditor/backups/before-first-change.nft',
    ]);
    expect(backup.trim()).toBe('root 600');
    const backupDir = await asRoot(['stat', '-c', '%U %a', '/var/lib/port-auditor/backups']);
    expect(backupDir.trim()).toBe('root 700');

    const undo = await cli(['unblock', list.rules[0]!.id]);
    expect(undo.stderr).toBe('');
    expect(undo.code).toBe(0);
    expect(await probe(8080)).toBe('open');
    expect((await rulesJson()).rules).toEqual([]);
    expect(await ruleset()).not.toMatch(/PortAuditor-[0-9a-f]{8}-/);
  });

  it('after a reboot the boot unit’s restore puts the rules back; the unit is valid', async () => {
    const blocked = await cli(['block', '--port', '8080', '--proto', 'tcp']);
    expect(blocked.code, blocked.stderr).toBe(0);
    expect((await asRoot(['stat', '-c', '%U %a', '/var/lib/port-auditor/rules.json'])).trim()).toBe(
      'root 600',
    );
    await execIn(pc, 'nft', ['flush', 'ruleset']);
    expect(await probe(8080)).toBe('open');
    // What port-auditor-firewall.service runs at boot, as root, with no user around.
    await asRoot(['ip', 'netns', 'exec', pc, '/usr/lib/port-auditor/firewall-helper', 'restore']);
    expect(await probe(8080)).toBe('filtered');
    expect((await rulesJson()).rules.map((r) => [r.state, r.present])).toEqual([['active', true]]);
    await asRoot([
      'systemd-analyze',
      'verify',
      path.join(ROOT, 'assets/linux/port-auditor-firewall.service'),
    ]);
    expect((await cli(['unblock', '--all'])).code).toBe(0);
    expect(await probe(8080)).toBe('open');
    // The installed helper imports nothing but Node's own modules: no node_modules as root.
    const bundle = readFileSync(path.join(outdir, 'firewall-helper.mjs'), 'utf8');
    // Static imports start a line of the ESM bundle; strings that merely contain "from '…'" (the
    // catalogue's sentences) do not.
    const imports = [
      ...bundle.matchAll(
        /^import\b[^;\n]*?\bfrom\s*["']([^"']+)["']|^import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']/gm,
      ),
    ].map((m) => m[1] ?? m[2] ?? m[3]);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((i) => !i?.startsWith('node:'))).toEqual([]);
  });

  it('a refusal by polkit changes nothing and says so', async () => {
    const before = await ruleset();
    await sandbox.setRefused(true);
    try {
      const refused = await cli(['block', '--port', '8080', '--proto', 'tcp']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        'Administrator authorisation was refused, or no prompt could be shown',
      );
      expect(await ruleset()).toBe(before);
      expect((await rulesJson()).rules).toEqual([]);
    } finally {
      await sandbox.setRefused(false);
    }
  });

  it('an app killed while the prompt is open leaves no rule, and the next start says so', async () => {
    await sandbox.setPromptDelay(3);
    try {
      const before = await ruleset();
      const { child, done } = userCli(['block', '--port', '8080', '--proto', 'tcp']);
      const pkexec = await pkexecPid();
      // The whole program goes: the app and its pkexec, before polkit has answered.
      await until(() => processes('/bin/sleep', '3').length === 1, 'the prompt open');
      process.kill(-(child.pid as number), 'SIGKILL');
      expect((await done).signal).toBe('SIGKILL');
      await until(() => !alive(pkexec), 'pkexec exit');
      // polkit answers after its delay; nobody is left to run the helper.
      await until(() => processes('/bin/sleep', '3').length === 0, 'polkit answer');
      expect(processes('/usr/lib/port-auditor/node')).toEqual([]);
      expect(await ruleset()).toBe(before);
      const next = await cli(['rules', '--json']);
      expect(next.stderr).toContain(
        'Block of TCP 8080 (inbound) checked afterwards: the rule was not created',
      );
      expect(JSON.parse(next.stdout).rules).toEqual([]);
    } finally {
      await sandbox.setPromptDelay(0);
    }
  });

  it('an app killed after the helper applied the rule: repaired as active, then undone', async () => {
    await sandbox.setPromptDelay(1);
    try {
      const { child, done } = userCli(['block', '--port', '8080', '--proto', 'tcp']);
      await pkexecPid();
      // The app stops waiting for its helper, which goes on as root and applies the rule.
      process.kill(child.pid as number, 'SIGSTOP');
      for (let i = 0; i < 200 && !(await ruleset()).includes('dport 8080'); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await ruleset()).toContain('tcp dport 8080');
      process.kill(child.pid as number, 'SIGKILL');
      expect((await done).signal).toBe('SIGKILL');
      const next = await cli(['rules', '--json']);
      expect(next.stderr).toContain(
        'Block of TCP 8080 (inbound) checked afterwards: the rule is in the firewall',
      );
      const rules = JSON.parse(next.stdout).rules as { id: string; state: string }[];
      expect(rules.map((r) => r.state)).toEqual(['active']);
      expect(await probe(8080)).toBe('filtered');
      expect((await cli(['unblock', rules[0]!.id])).code).toBe(0);
      expect(await probe(8080)).toBe('open');
    } finally {
      await sandbox.setPromptDelay(0);
    }
  });

  it('a helper that another user could change is refused before any prompt', async () => {
    await asRoot(['chmod', 'o+w', '/usr/lib/port-auditor/firewall-helper.mjs']);
    try {
      const before = await ruleset();
      const refused = await cli(['block', '--port', '8080', '--proto', 'tcp']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('Port Auditor refuses to ask for administrator rights');
      expect(refused.stderr).toContain(
        '/usr/lib/port-auditor/firewall-helper.mjs is writable by users other than root',
      );
      expect(await ruleset()).toBe(before);
      const status = JSON.parse((await cli(['firewall-status', '--json'])).stdout);
      expect(status).toMatchObject({ elevation: 'unavailable', canChange: false });
    } finally {
      await asRoot(['chmod', 'o-w', '/usr/lib/port-auditor/firewall-helper.mjs']);
    }
  });

  it('a hostile program of the same user cannot change what root applies nor run as root', async () => {
    const { uid, gid } = sandbox.user;
    // Planted before: the file names the old design read and wrote, links to root's files, and a
    // root-only secret whose content must never reach the user.
    const secret = path.join(tmpdir(), `pa-pk-secret-${process.pid}`);
    writeFileSync(secret, 'root only\n', { mode: 0o600 });
    lab.onTeardown(() => rmSync(secret, { force: true }));
    const wide = JSON.stringify({
      version: 1,
      ops: [
        {
          op: 'block',
          rule: { protocol: 'tcp', portFrom: 1, portTo: 65535, direction: 'in', remote: [] },
        },
      ],
    });
    for (const dir of ['helper', 'backups'])
      mkdirSync(path.join(dataDir, dir), { recursive: true });
    writeFileSync(path.join(dataDir, 'helper', 'planted.request.json'), wide);
    symlinkSync(secret, path.join(dataDir, 'helper', 'planted.result.json'));
    symlinkSync(secret, path.join(dataDir, 'backups', 'before-first-change.nft'));
    for (const file of ['helper', 'backups', 'helper/planted.request.json']) {
      chownSync(path.join(dataDir, file), uid, gid);
    }
    const evil = path.join(appDir, 'evil.cjs');
    writeFileSync(
      evil,
      `require('node:fs').appendFileSync(${JSON.stringify(marker)}, String(process.getuid()) + '\\n');\n`,
    );
    chownSync(evil, uid, gid);

    await sandbox.setPromptDelay(3);
    try {
      const { done } = userCli(['block', '--port', '8080', '--proto', 'tcp'], {
        NODE_OPTIONS: `--require ${evil}`,
      });
      const pkexec = await pkexecPid();
      // While the prompt is open, the same user tries every file root could touch.
      const attack = `
        const fs = require('node:fs');
        const tried = {};
        const attempt = (name, fn) => { try { fn(); tried[name] = 'done'; } catch (e) { tried[name] = e.code; } };
        attempt('helper bundle', () => fs.appendFileSync('/usr/lib/port-auditor/firewall-helper.mjs', 'x'));
        attempt('helper wrapper', () => fs.writeFileSync('/usr/lib/port-auditor/firewall-helper', '#!/bin/sh\\nid'));
        attempt('helper runtime', () => fs.symlinkSync('/bin/sh', '/usr/lib/port-auditor/evil'));
        attempt('backup folder', () => fs.mkdirSync('/var/lib/port-auditor/backups/x'));
        attempt('polkit policy', () => fs.appendFileSync('/usr/share/polkit-1/actions/org.portauditor.firewall.policy', 'x'));
        for (const f of fs.readdirSync(${JSON.stringify(path.join(dataDir, 'helper'))})) {
          if (f.endsWith('.request.json')) fs.writeFileSync(${JSON.stringify(path.join(dataDir, 'helper'))} + '/' + f, ${JSON.stringify(wide)});
        }
        console.log(JSON.stringify(tried));
      `;
      const [file, ...args] = sandbox.asUser([process.execPath, '-e', attack], { netns: pc });
      const tried = JSON.parse((await run(file as string, args)).stdout);
      // The attack ran while the prompt was still open, and every privileged path refused it.
      expect(alive(pkexec)).toBe(true);
      expect(tried).toEqual({
        'helper bundle': 'EACCES',
        'helper wrapper': 'EACCES',
        'helper runtime': 'EACCES',
        'backup folder': 'EACCES',
        'polkit policy': 'EACCES',
      });
      const blocked = await done;
      expect(blocked.code, blocked.stderr).toBe(0);
    } finally {
      await sandbox.setPromptDelay(0);
    }
    // Exactly the approved rule: TCP 8080, not 1-65535.
    const rules = await rulesJson();
    expect(rules.rules.map((r) => [r.portFrom, r.portTo])).toEqual([[8080, 8080]]);
    expect(await ruleset()).not.toContain('1-65535');
    expect(await probe(8080)).toBe('filtered');
    // The user's code ran (in the user's own app) but never as root.
    const ran = readFileSync(marker, 'utf8').trim().split('\n');
    expect(ran.length).toBeGreaterThan(0);
    expect(new Set(ran)).toEqual(new Set([String(uid)]));
    // Root left nothing in the user's folders and did not follow the planted links.
    const rootOwned: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (statSync(file, { throwIfNoEntry: false })?.uid === 0 && !entry.isSymbolicLink())
          rootOwned.push(file);
        if (entry.isDirectory()) walk(file);
      }
    };
    walk(dataDir);
    walk(sandbox.user.home);
    expect(rootOwned).toEqual([]);
    expect(readFileSync(secret, 'utf8')).toBe('root only\n');
    expect(statSync(secret).mode & 0o777).toBe(0o600);

    expect((await cli(['unblock', '--all'])).code).toBe(0);
    expect(await probe(8080)).toBe('open');
  });
});
