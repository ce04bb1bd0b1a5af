import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';
import { runCommand, type Runner } from '../../app/firewall/backend.js';
import { NftablesBackend } from '../../app/firewall/nftables.js';
import { FirewallService } from '../../app/firewall/service.js';
import {
  FIREWALL_SYSTEM_DIRS,
  startMountSandbox,
  type MountSandbox,
} from '../lab/mount-sandbox.js';
import { echoUdp, listenTcp, probeTcp, probeUdp } from '../lab/firewall-lab.js';
import { typeset } from '../unit/support/typography.js';
import {
  addAddresses,
  createVeth,
  execIn,
  killChild,
  loadNft,
  NetnsLab,
  run,
  sysctl,
  uniqueName,
} from '../lab/netns.js';

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
/** A "container" behind this PC, reached through a Docker-style port forward (DNAT). */
const CTR_ADDR = '10.77.66.2';
/** An address that is nobody's (TEST-NET-2), which the peer routes through this PC. */
const ELSEWHERE = '198.51.100.7';
const lab = new NetnsLab();
const pc = uniqueName('fw', 'pc');
const peer = uniqueName('fw', 'peer');
const ctr = uniqueName('fw', 'ctr');
let dataDir = '';
let mounts: MountSandbox;

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return inPc([process.execPath, CLI, ...args], env);
}

/** A command in the PC namespace, in the mount sandbox, with the test's data folder. */
function inPc(command: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const argv = mounts.enter(['ip', 'netns', 'exec', pc, ...command]);
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

const probe = probeTcp;

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

const listen = (ns: string, port: number) => listenTcp(lab, ns, port);

/**
 * A connection kept open from `from` to a TCP echo server: say() sends a line on it and tells
 * whether it came back within 1.5 s (`echoed`) or not (`silent`).
 */
async function heldConnection(
  from: string,
  host: string,
  port: number,
): Promise<{ say(): Promise<string> }> {
  const child = lab.spawn(from, process.execPath, [
    '-e',
    `const s = require('node:net').connect(${port}, '${host}', () => console.log('connected'));
let timer = null;
s.on('data', () => { clearTimeout(timer); console.log('echoed'); });
s.on('error', (e) => console.log('error:' + e.code));
require('node:readline').createInterface({ input: process.stdin }).on('line', (l) => {
  s.write(l + '\\n');
  timer = setTimeout(() => console.log('silent'), 1500);
});`,
  ]);
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  child.stdout?.setEncoding('utf8');
  let buffer = '';
  child.stdout?.on('data', (d: string) => {
    buffer += d;
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const next = () =>
    new Promise<string>((resolve) => {
      const line = lines.shift();
      if (line !== undefined) resolve(line);
      else waiters.push(resolve);
    });
  expect(await next()).toBe('connected');
  return {
    async say() {
      child.stdin?.write('ping\n');
      return next();
    },
  };
}

/**
 * A node script in namespace `ns` holding one TCP socket (`sock`, set by `setup`): each stdin line
 * is written to it, each chunk it receives is printed as `got:<text>`. next() waits for the next
 * printed line; seen() is everything printed so far.
 */
function talker(
  ns: string,
  setup: string,
): { next(): Promise<string>; say(text: string): void; seen(): string[] } {
  const child = lab.spawn(ns, process.execPath, [
    '-e',
    `let sock = null;
const hook = (s) => { s.on('data', (d) => console.log('got:' + d)); s.on('error', () => {}); };
${setup}
require('node:readline').createInterface({ input: process.stdin }).on('line', (l) => sock.write(l));`,
  ]);
  const all: string[] = [];
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (d: string) => {
    buffer += d;
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      all.push(line);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  return {
    next: () =>
      new Promise<string>((resolve) => {
        const line = lines.shift();
        if (line !== undefined) resolve(line);
        else waiters.push(resolve);
      }),
    say: (text) => void child.stdin?.write(`${text}\n`),
    seen: () => [...all],
  };
}

/**
 * A UDP question sent by this PC to the broadcast address of its network from `localPort`, as a
 * discovery protocol asks (mDNS, NetBIOS, SSDP): `answered` when a device's answer came back
 * within 1.5 s, `silent` otherwise.
 */
async function broadcastQuestion(port: number, localPort: number): Promise<string> {
  const script = `
const s = require('node:dgram').createSocket({ type: 'udp4', reuseAddr: true });
const done = (state) => { console.log(state); s.close(); process.exit(0); };
s.on('message', () => done('answered'));
s.bind(${localPort}, () => { s.setBroadcast(true); s.send('ping', ${port}, '10.77.61.255'); setTimeout(() => done('silent'), 1500); });
`;
  return (await execIn(pc, process.execPath, ['-e', script])).stdout.trim();
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
  await buildMain({
    only: CLI_BUNDLES,
    outdir,
  });
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
  // A container behind this PC: a Docker-style DNAT sends connections there through `forward`,
  // never through `input`.
  await lab.namespace(ctr);
  await createVeth({ ns: pc, ifName: 'br0', peerNs: ctr, peerIfName: 'eth0' });
  await addAddresses(pc, 'br0', ['10.77.66.1/24']);
  await addAddresses(ctr, 'eth0', [`${CTR_ADDR}/24`]);
  await execIn(ctr, 'ip', ['route', 'add', 'default', 'via', '10.77.66.1']);
  await sysctl(pc, 'net.ipv4.ip_forward', '1');
  await listen(ctr, 80);
  // The way back to the container's network, for its own connections out through this PC.
  await execIn(peer, 'ip', ['route', 'add', '10.77.66.0/24', 'via', PC_ADDR]);
  // This PC's own traffic from local port 40000 to the peer, TCP and UDP.
  await echoUdp(lab, peer, 5353);
});

/** Port forwards as Docker (`-p 8081:80`) and a local redirect (8082 → 8080) make them. */
const FORWARDS = `table ip dockerlike {
  chain pre {
    type nat hook prerouting priority dstnat;
    iifname "eth0" tcp dport 8081 dnat to ${CTR_ADDR}:80
    iifname "eth0" tcp dport 8082 redirect to :8080
  }
}`;

afterAll(async () => {
  await lab.teardown();
});

describe('nftables backend through the CLI as root, in namespaces', () => {
  it('inbound: open → block → filtered from the peer (loopback still open) → undo → open', async () => {
    expect(await probe(peer, PC_ADDR, 8080)).toBe('open');
    const blocked = await cli(['block', '--port', '8080', '--proto', 'tcp']);
    expect(blocked.stderr).toBe('');
    expect(blocked.code).toBe(0);
    expect(blocked.stdout).toContain('Block in place.');
    expect(blocked.stdout).toContain('✓ Rule read back from the firewall: yes');
    expect(blocked.stdout).toContain('No port forward goes around the rule.');
    expect(blocked.stdout).toContain('scan port 8080 (TCP) of this PC from another device');
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
    // Named by its date and port, never its UUID (review 15 N3).
    expect(undo.stdout).toMatch(/^Rule removed: the rule of .+ for port 8080\/tcp$/m);
    expect(undo.stdout).not.toContain(list.rules[0]!.id);
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
    const undo = await cli(['unblock', '--all'], { LANG: 'fr_FR.UTF-8' });
    expect(undo.code).toBe(0);
    expect(undo.stdout).toMatch(
      new RegExp(`^${typeset('Règle retirée : la règle du .+ pour le port 9090/tcp')}$`, 'm'),
    );
    expect(undo.stdout).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
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
    expect(before).toContain('fib daddr type local tcp dport 8080 drop');
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

  it('a scope that is this PC itself (its address, 127.0.0.1) is refused, in preview and block, and nothing changes', async () => {
    const before = await ruleset();
    for (const remote of [PC_ADDR, '127.0.0.1', `::ffff:${PC_ADDR}`]) {
      for (const extra of [['--dry-run'], []]) {
        const run = await cli([
          'block',
          '--port',
          '23',
          '--proto',
          'tcp',
          '--remote',
          remote,
          ...extra,
        ]);
        expect(run.code, remote).toBe(2);
        expect(run.stdout, remote).not.toContain('will no longer be able to connect');
        expect(run.stderr, remote).toMatch(/is an address of this PC, not of another device/);
      }
    }
    const fr = await cli(
      ['block', '--port', '23', '--proto', 'tcp', '--remote', `${PEER_ADDR},${PC_ADDR}`],
      {
        LANG: 'fr_FR.UTF-8',
      },
    );
    expect(fr.code).toBe(2);
    expect(fr.stderr).toContain(`${PC_ADDR} est une adresse de ce PC, pas d’un autre appareil`);
    expect(await ruleset()).toBe(before);
    expect((await rulesJson()).rules).toEqual([]);
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
    // One phrase per fact, no "journal" (review 13 N7).
    expect(text.stdout).toContain(
      '  active (found in the firewall; Port Auditor’s history did not know it)  ',
    );
    expect(text.stdout).not.toContain('journal');
    const inbound = rules.find((r) => r.direction === 'in')!;
    // Found, not the app's: never put back on its name alone (issue 15, N3), in fr and en.
    const before = await ruleset();
    const en = await cli(['reapply', inbound.id]);
    expect(en.code).toBe(2);
    expect(en.stderr).toContain(
      `The firewall rule “PortAuditor-${inbound.id}” is named like Port Auditor’s, but Port Auditor did not create it (its journal does not know it): it is not re-applied`,
    );
    const fr = await cli(['reapply', inbound.id], { LANG: 'fr_FR.UTF-8' });
    expect(fr.stderr).toContain(
      typeset(
        `La règle « PortAuditor-${inbound.id} » du pare-feu porte un nom comme ceux de Port Auditor`,
      ),
    );
    expect(await ruleset()).toBe(before);
    // Undo of one found rule by its id, then "undo all" for the rest.
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

  it('a port published through a forward (DNAT) or redirected is closed to other devices too', async () => {
    await loadNft(pc, FORWARDS);
    expect(await probe(peer, PC_ADDR, 8081)).toBe('open');
    expect(await probe(peer, PC_ADDR, 8082)).toBe('open');
    // Blocking the published port: the rule runs before the forward sends it to the container.
    const published = await cli(['block', '--port', '8081', '--proto', 'tcp']);
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toContain(`Port forward TCP 8081 → ${CTR_ADDR}:80: covered`);
    expect(await probe(peer, PC_ADDR, 8081)).toBe('filtered');
    // Blocking the port a redirect lands on: the input rule sees the rewritten port.
    const landing = await cli(['block', '--port', '8080', '--proto', 'tcp']);
    expect(landing.code, landing.stderr).toBe(0);
    expect(landing.stdout).toContain('Port forward TCP 8082 → :8080: covered');
    expect(await probe(peer, PC_ADDR, 8082)).toBe('filtered');
    expect(await probe(peer, PC_ADDR, 8080)).toBe('filtered');
    expect((await cli(['unblock', '--all'])).code).toBe(0);
    expect(await probe(peer, PC_ADDR, 8081)).toBe('open');
    expect(await probe(peer, PC_ADDR, 8082)).toBe('open');
    await execIn(pc, 'nft', ['delete', 'table', 'ip', 'dockerlike']);
  });

  it('a forward cannot be walked around through an address that is not this PC’s (DNAT and redirect)', async () => {
    // The reviewer's attack: the forwards match on the port only, so a device that routes a
    // made-up address through this PC reaches the forwarded service through it; prerouting's drop
    // only takes packets addressed to this PC.
    await loadNft(pc, FORWARDS);
    await execIn(peer, 'ip', ['route', 'add', `${ELSEWHERE}/32`, 'via', PC_ADDR]);
    expect(await probe(peer, ELSEWHERE, 8081)).toBe('open');
    expect(await probe(peer, ELSEWHERE, 8082)).toBe('open');
    const published = await cli(['block', '--port', '8081', '--proto', 'tcp']);
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toContain(
      `Port forward TCP 8081 → ${CTR_ADDR}:80: covered, the rule blocks the port asked for before and after the forward, whatever address it is sent to.`,
    );
    const redirected = await cli(['block', '--port', '8082', '--proto', 'tcp']);
    expect(redirected.code, redirected.stderr).toBe(0);
    expect(redirected.stdout).toContain('Port forward TCP 8082 → :8080: covered');
    expect(await probe(peer, ELSEWHERE, 8081)).toBe('filtered');
    expect(await probe(peer, ELSEWHERE, 8082)).toBe('filtered');
    expect(await probe(peer, PC_ADDR, 8081)).toBe('filtered');
    expect(await probe(peer, PC_ADDR, 8082)).toBe('filtered');
    // The port the redirect lands on was not blocked: still reachable by its own number.
    expect(await probe(peer, PC_ADDR, 8080)).toBe('open');
    const rules = await rulesJson();
    expect(rules.rules.map((r) => [r.portFrom, r.present])).toEqual([
      [8081, true],
      [8082, true],
    ]);
    expect((await cli(['unblock', '--all'])).code).toBe(0);
    expect(await probe(peer, ELSEWHERE, 8081)).toBe('open');
    expect(await probe(peer, ELSEWHERE, 8082)).toBe('open');
    await execIn(peer, 'ip', ['route', 'del', `${ELSEWHERE}/32`]);
    await execIn(pc, 'nft', ['delete', 'table', 'ip', 'dockerlike']);
  });

  it('a packet forged “from this PC’s blocked port” cannot open it as a reply (IPv6, PC that forwards), TCP and UDP', async () => {
    // The reviewer's attack: the peer sends this PC one packet with this PC's own address and
    // the blocked port as source, toward the peer. IPv6 does not drop a packet with a local source
    // address; a PC that forwards sends it back out, and conntrack records a connection opened by
    // this PC from the blocked port: the peer's packets to it would then be its "replies".
    const [PC6, PEER6] = ['fd77:61::1', 'fd77:61::2'];
    await addAddresses(pc, 'eth0', [`${PC6}/64`]);
    await addAddresses(peer, 'eth0', [`${PEER6}/64`]);
    await sysctl(pc, 'net.ipv6.conf.all.forwarding', '1');
    const [TCP_PORT, UDP_PORT] = [4447, 4448];
    const service = lab.spawn(pc, process.execPath, [
      '-e',
      `require('node:net').createServer((s) => s.end()).listen(${TCP_PORT}, '::', () => {
  const u = require('node:dgram').createSocket('udp6');
  u.on('message', (m, r) => u.send(m, r.port, r.address));
  u.bind(${UDP_PORT}, '::', () => console.log('ready'));
});`,
    ]);
    await new Promise((resolve) => service.stdout?.once('data', resolve));
    expect(await probe(peer, PC6, TCP_PORT)).toBe('open');
    expect(await probeUdp(peer, PC6, UDP_PORT, 5556)).toBe('answered');
    expect((await cli(['block', '--port', String(TCP_PORT), '--proto', 'tcp'])).code).toBe(0);
    expect((await cli(['block', '--port', String(UDP_PORT), '--proto', 'udp'])).code).toBe(0);
    expect(await probe(peer, PC6, TCP_PORT, 5555)).toBe('filtered');
    expect(await probeUdp(peer, PC6, UDP_PORT, 5556)).toBe('silent');
    // The peer keeps its own kernel from answering the forged SYN with a RST (which would end the
    // entry), as an attacker would.
    await loadNft(
      peer,
      `table inet attacker {
  chain in {
    type filter hook input priority 0;
    ip6 saddr ${PC6} tcp sport ${TCP_PORT} tcp flags == syn drop
  }
}`,
    );
    const pcMac = (await execIn(pc, 'cat', ['/sys/class/net/eth0/address'])).stdout.trim();
    const peerMac = (await execIn(peer, 'cat', ['/sys/class/net/eth0/address'])).stdout.trim();
    const forge = (args: string[], source = PC6) =>
      execIn(peer, 'nping', [
        '-6',
        ...args,
        '-S',
        source,
        '--send-eth',
        '-e',
        'eth0',
        '--source-mac',
        peerMac,
        '--dest-mac',
        pcMac,
        '-c',
        '1',
        PEER6,
      ]);
    await forge(['--tcp', '--flags', 'syn', '-g', String(TCP_PORT), '-p', '5555']);
    await forge(['--udp', '-g', String(UDP_PORT), '-p', '5556']);
    expect(await probe(peer, PC6, TCP_PORT, 5555)).toBe('filtered');
    expect(await probeUdp(peer, PC6, UDP_PORT, 5556)).toBe('silent');
    // The same from the subnet-router anycast address a forwarding PC holds for its prefix
    // (RFC 4291 §2.6.1): not one of its unicast addresses, still one it answers for; the service's
    // answer would come from its unicast address and the exchange go on from there.
    const ANYCAST6 = 'fd77:61::';
    await forge(['--udp', '-g', String(UDP_PORT), '-p', '5557'], ANYCAST6);
    expect(await probeUdp(peer, ANYCAST6, UDP_PORT, 5557)).toBe('silent');
    expect(await probeUdp(peer, PC6, UDP_PORT, 5557)).toBe('silent');
    expect(await ruleset()).toContain(
      `fib saddr type { local, broadcast, anycast, multicast } fib daddr type != { broadcast, multicast } tcp sport ${TCP_PORT} drop`,
    );
    expect((await cli(['unblock', '--all'])).code).toBe(0);
    await execIn(peer, 'nft', ['delete', 'table', 'inet', 'attacker']);
    await sysctl(pc, 'net.ipv6.conf.all.forwarding', '0');
    await killChild(service);
  });

  it('an inbound block of TCP and UDP 40000 leaves this PC’s own traffic from port 40000 working', async () => {
    expect(await probe(peer, PC_ADDR, 40000)).toBe('closed');
    expect((await cli(['block', '--port', '40000', '--proto', 'tcp'])).code).toBe(0);
    expect((await cli(['block', '--port', '40000', '--proto', 'udp'])).code).toBe(0);
    // Other devices can no longer open a connection to it (no answer instead of a refusal)…
    expect(await probe(peer, PC_ADDR, 40000)).toBe('filtered');
    // …but the replies to this PC's own connections that use 40000 as their local port pass.
    expect(await probeTcp(pc, PEER_ADDR, 9090, 40000)).toBe('open');
    expect(await probeUdp(pc, PEER_ADDR, 5353, 40000)).toBe('answered');
    expect((await cli(['unblock', '--all'])).code).toBe(0);
  });

  it('an inbound block leaves what this PC routes alone: a container behind it still reaches that port elsewhere', async () => {
    expect(await probe(ctr, PEER_ADDR, 9090)).toBe('open');
    const blocked = await cli(['block', '--port', '9090', '--proto', 'tcp']);
    expect(blocked.code, blocked.stderr).toBe(0);
    // Traffic addressed to another device passes through prerouting untouched…
    expect(await probe(ctr, PEER_ADDR, 9090)).toBe('open');
    expect(await ruleset()).toContain('fib daddr type local tcp dport 9090 drop');
    // …while the same port of this PC, from that container, is closed (it is another device).
    await listen(pc, 9090);
    expect(await probe(ctr, '10.77.66.1', 9090)).toBe('filtered');
    expect(await probe(peer, PC_ADDR, 9090)).toBe('filtered');
    expect((await cli(['unblock', '--all'])).code).toBe(0);
    expect(await probe(peer, PC_ADDR, 9090)).toBe('open');
  });

  it('a block also stops the connections opened before it, TCP and UDP', async () => {
    const echo = lab.spawn(pc, process.execPath, [
      '-e',
      "require('node:net').createServer((s) => s.pipe(s)).listen(4445, '0.0.0.0', () => console.log('ready'))",
    ]);
    await new Promise((resolve) => echo.stdout?.once('data', resolve));
    await echoUdp(lab, pc, 4445);
    const held = await heldConnection(peer, PC_ADDR, 4445);
    expect(await held.say()).toBe('echoed');
    // A UDP exchange from a fixed port: conntrack holds it as established from now on.
    expect(await probeUdp(peer, PC_ADDR, 4445, 41445)).toBe('answered');
    expect((await cli(['block', '--port', '4445', '--proto', 'tcp'])).code).toBe(0);
    expect((await cli(['block', '--port', '4445', '--proto', 'udp'])).code).toBe(0);
    expect(await held.say()).toBe('silent');
    expect(await probeUdp(peer, PC_ADDR, 4445, 41445)).toBe('silent');
    expect(await probe(peer, PC_ADDR, 4445)).toBe('filtered');
    expect((await cli(['unblock', '--all'])).code).toBe(0);
    expect(await probeUdp(peer, PC_ADDR, 4445, 41445)).toBe('answered');
  });

  it('a connection conntrack lost (forged RST, expiry) cannot come back reversed as a “reply” once blocked', async () => {
    // What a forged RST does (the reviewer's attack): conntrack forgets an established connection
    // while both sockets live on. Here the entry is made to expire quickly by a timeout policy (the
    // same kernel path, no raw packets needed). When this PC's service then speaks first, conntrack
    // picks the connection up mid-stream (nf_conntrack_tcp_loose) as opened BY this PC: without a
    // guard, the device's packets are "replies" and walk through the block.
    const PORT = 4446;
    await loadNft(
      pc,
      `table inet pa_test_ct {
  ct timeout quick {
    protocol tcp
    l3proto ip
    policy = { established: 2, close: 1 }
  }
  counter arrived {}
  counter passed {}
  chain raw {
    type filter hook prerouting priority -300;
    tcp dport ${PORT} counter name "arrived"
  }
  chain pre {
    type filter hook prerouting priority -160;
    tcp dport ${PORT} ct timeout set "quick"
  }
  chain after {
    type filter hook input priority 100;
    tcp dport ${PORT} counter name "passed"
  }
}`,
    );
    const counter = async (name: string): Promise<number> => {
      const out = await execIn(pc, 'nft', ['-j', 'list', 'counter', 'inet', 'pa_test_ct', name]);
      const doc = JSON.parse(out.stdout) as { nftables: { counter?: { packets: number } }[] };
      return doc.nftables.find((o) => o.counter)?.counter?.packets ?? -1;
    };
    const server = talker(
      pc,
      `require('node:net').createServer((s) => { sock = s; hook(s); console.log('accepted'); }).listen(${PORT}, '0.0.0.0', () => console.log('ready'));`,
    );
    expect(await server.next()).toBe('ready');
    const client = talker(
      peer,
      `sock = require('node:net').connect(${PORT}, '${PC_ADDR}', () => console.log('connected')); hook(sock);`,
    );
    expect(await client.next()).toBe('connected');
    expect(await server.next()).toBe('accepted');
    client.say('before');
    expect(await server.next()).toBe('got:before');

    expect((await cli(['block', '--port', String(PORT), '--proto', 'tcp'])).code).toBe(0);
    // Conntrack has forgotten the connection (both sockets still think it is established).
    for (let i = 0; ; i++) {
      const table = (await execIn(pc, 'cat', ['/proc/net/nf_conntrack'])).stdout;
      if (!table.includes(`port=${PORT} `)) break;
      expect(i, 'the conntrack entry never expired').toBeLessThan(100);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const arrived = await counter('arrived');
    const passed = await counter('passed');
    server.say('hello');
    client.say('after');
    // The device's packets reach this PC (its segment, then a retransmission)…
    for (let i = 0; (await counter('arrived')) < arrived + 2; i++) {
      expect(i, 'the device sent nothing').toBeLessThan(100);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // …and none of them gets past the block: no reversed entry, nothing delivered either way.
    expect(await counter('passed')).toBe(passed);
    expect((await execIn(pc, 'cat', ['/proc/net/nf_conntrack'])).stdout).not.toContain(
      `src=${PC_ADDR} dst=${PEER_ADDR} sport=${PORT}`,
    );
    expect(server.seen()).not.toContain('got:after');
    expect(client.seen()).not.toContain('got:hello');
    // The guard stops only pick-ups: this PC's own new connections from a blocked local port
    // start with a SYN and still work (the test of TCP and UDP 40000 above).
    expect((await cli(['unblock', '--all'])).code).toBe(0);
    await execIn(pc, 'nft', ['delete', 'table', 'inet', 'pa_test_ct']);
  });

  it('an outbound block with no remote leaves this PC’s connections to itself alone', async () => {
    await listen(pc, 9091);
    await listen(peer, 9091);
    expect((await cli(['block', '--port', '9091', '--proto', 'tcp', '--dir', 'out'])).code).toBe(0);
    expect(await probe(pc, PEER_ADDR, 9091)).toBe('filtered');
    expect(await probe(pc, '127.0.0.1', 9091)).toBe('open');
    expect(await probe(pc, PC_ADDR, 9091)).toBe('open');
    expect((await cli(['unblock', '--all'])).code).toBe(0);
    expect(await probe(pc, PEER_ADDR, 9091)).toBe('open');
  });

  it('the preview warns that blocking a discovery port silences this PC’s own questions, as it does', async () => {
    const preview = await cli(['block', '--port', '5353', '--proto', 'udp', '--dry-run']);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain(
      '- Port 5353 (UDP) is also used by this PC itself to discover the local network (mDNS: .local names, printers, shares): the other devices’ answers to the questions this PC sends from this port will be blocked too',
    );
    const fr = await cli(['block', '--port', '5353', '--proto', 'udp', '--dry-run'], {
      LANG: 'fr_FR.UTF-8',
    });
    expect(fr.stdout).toContain('- Le port 5353 (UDP) sert aussi à ce PC lui-même');
    const tcp = await cli(['block', '--port', '5353', '--proto', 'tcp', '--dry-run']);
    expect(tcp.stdout).not.toContain('discover the local network');
    expect(await broadcastQuestion(5353, 5353)).toBe('answered');
    expect((await cli(['block', '--port', '5353', '--proto', 'udp'])).code).toBe(0);
    // The warning holds: an answer to a broadcast question is no reply for connection tracking.
    expect(await broadcastQuestion(5353, 5353)).toBe('silent');
    expect((await cli(['unblock', '--all'])).code).toBe(0);
    expect(await broadcastQuestion(5353, 5353)).toBe('answered');
  });

  it('rules a reboot erased are reported as gone, and come back with reapply (or a new block)', async () => {
    const blocked = await cli(['block', '--port', '8080', '--proto', 'tcp']);
    expect(blocked.code).toBe(0);
    // What a reboot does to nftables.
    await execIn(pc, 'nft', ['flush', 'ruleset']);
    expect(await probe(peer, PC_ADDR, 8080)).toBe('open');
    const listed = await cli(['rules']);
    expect(listed.stdout).toContain('in the journal, not found in the firewall; to re-apply');
    // Not "active": the journal's state gives way to what the firewall holds; said in words.
    expect(listed.stdout).not.toMatch(/active, gone|GONE/);
    const fr = await cli(['rules'], { LANG: 'fr_FR.UTF-8' });
    expect(fr.stdout).toContain(
      'dans le journal, introuvable dans le pare-feu\u202f; à ré-appliquer',
    );
    expect(fr.stdout).not.toMatch(/DISPARUE|trouvée/);
    expect(listed.stderr).toContain(
      'Port Auditor’s journal lists 1 rule not found in the firewall (a restart?): port-auditor reapply --all puts it in place.',
    );
    const status = JSON.parse((await cli(['firewall-status', '--json'])).stdout);
    expect(status.missing).toBe(1);
    expect((await cli(['firewall-status'])).stdout).toContain(
      '! Port Auditor’s journal lists 1 rule not found in the firewall (a restart?): port-auditor reapply --all puts it in place.',
    );
    const back = await cli(['reapply', '--all']);
    expect(back.code, back.stderr).toBe(0);
    // Named by its date and port (issue 15), never its id.
    expect(back.stdout).toMatch(/^Rule re-applied: the rule of .+ for port \d+\/tcp$/m);
    // Checked as block checks a new rule, not only read back.
    expect(back.stdout).toMatch(/^Block (in place|not confirmed)\.$/m);
    expect(back.stdout).toContain('  ✓ Rule read back from the firewall: yes');
    expect(back.stdout).toContain('  ✓ nftables filtering available (Linux firewall): yes');
    expect(await probe(peer, PC_ADDR, 8080)).toBe('filtered');
    expect((await rulesJson()).rules.map((r) => r.present)).toEqual([true]);
    // Erased again: blocking the same port again puts that same rule back instead of refusing.
    await execIn(pc, 'nft', ['flush', 'ruleset']);
    const again = await cli(['block', '--port', '8080', '--proto', 'tcp']);
    expect(again.code, again.stderr).toBe(0);
    expect((await rulesJson()).rules).toHaveLength(1);
    expect(await probe(peer, PC_ADDR, 8080)).toBe('filtered');
    expect((await cli(['unblock', '--all'])).code).toBe(0);
  });

  it('IPv4-mapped and IPv4-compatible scopes are the IPv4 address: the peer is blocked', async () => {
    for (const remote of [`::ffff:${PEER_ADDR}`, `::${PEER_ADDR}`]) {
      const blocked = await cli(['block', '--port', '8080', '--proto', 'tcp', '--remote', remote]);
      expect(blocked.code, blocked.stderr).toBe(0);
      expect(await ruleset()).toContain(`ip saddr ${PEER_ADDR}`);
      expect(await probe(peer, PC_ADDR, 8080)).toBe('filtered');
      const [rule] = (await rulesJson()).rules as unknown as { id: string; remote: string[] }[];
      expect(rule?.remote).toEqual([PEER_ADDR]);
      expect((await cli(['unblock', '--all'])).code).toBe(0);
    }
    const wide = await cli([
      'block',
      '--port',
      '8080',
      '--proto',
      'tcp',
      `--remote=::ffff:${PEER_ADDR}/64`,
    ]);
    expect(wide.code).toBe(2);
    expect(wide.stderr).toContain('Remote address refused');
  });

  it('a journal edited by another program is corrected from the firewall, never believed', async () => {
    expect((await cli(['block', '--port', '8080', '--proto', 'tcp'])).code).toBe(0);
    const db = new Database(path.join(dataDir, 'port-auditor.sqlite'));
    db.prepare('UPDATE firewall_rules SET port_from = 22, port_to = 22').run();
    db.close();
    const listed = await cli(['rules', '--json']);
    expect(listed.stderr).toContain('The journal did not match the firewall');
    const rules = JSON.parse(listed.stdout).rules as { portFrom: number; present: boolean }[];
    expect(rules.map((r) => [r.portFrom, r.present])).toEqual([[8080, true]]);
    // Port 22 is not blocked, so blocking it is not refused as a duplicate.
    const ssh = await cli(['block', '--port', '22', '--proto', 'tcp', '--dry-run']);
    expect(ssh.code).toBe(0);
    expect((await cli(['unblock', '--all'])).code).toBe(0);
  });

  it('a journal row renamed after another rule is foreign: the firewall’s rule is found again, the forged port can be blocked, undo all leaves nothing', async () => {
    expect((await cli(['block', '--port', '8080', '--proto', 'tcp'])).code).toBe(0);
    const [mine] = (await rulesJson()).rules;
    const db = new Database(path.join(dataDir, 'port-auditor.sqlite'));
    db.prepare(
      'UPDATE firewall_rules SET name = ?, port_from = 445, port_to = 445 WHERE id = ?',
    ).run(`PortAuditor-${randomUUID()}`, mine!.id);
    db.close();
    const listed = (await rulesJson()).rules as unknown as {
      id: string;
      portFrom: number;
      present: boolean;
      origin: string;
    }[];
    expect(listed.map((r) => [r.id, r.portFrom, r.present, r.origin])).toEqual([
      [mine!.id, 8080, true, 'found'],
    ]);
    const ssh = await cli(['block', '--port', '445', '--proto', 'tcp']);
    expect(ssh.code, ssh.stderr).toBe(0);
    expect(ssh.stdout).toContain('Rule created:');
    expect(await ruleset()).toContain('tcp dport 445 drop');
    const all = await cli(['unblock', '--all']);
    expect(all.code, all.stderr).toBe(0);
    expect(await ruleset()).not.toMatch(/PortAuditor-[0-9a-f]{8}-/);
    expect((await rulesJson()).rules).toEqual([]);
  });

  it('what the results show as blocked is the firewall’s content, not a journal row edited since the last read', async () => {
    expect((await cli(['block', '--port', '8080', '--proto', 'tcp'])).code).toBe(0);
    // The desktop app's service, reading this namespace's firewall (reads only: nothing written).
    const inNamespace: Runner = (argv, options) =>
      runCommand(['ip', 'netns', 'exec', pc, ...argv], options);
    const service = new FirewallService({
      dataDir,
      backend: new NftablesBackend(inNamespace, 'nft'),
      platform: 'linux',
      elevated: true,
    });
    try {
      expect((await service.status()).canRead).toBe(true);
      expect(service.knownRules().map((r) => [r.portFrom, r.present])).toEqual([[8080, true]]);
      const db = new Database(path.join(dataDir, 'port-auditor.sqlite'));
      db.prepare(
        `UPDATE firewall_rules SET port_from = 4446, port_to = 4446 WHERE state = 'active'`,
      ).run();
      db.close();
      // Not read again: the row no longer says what the firewall held, so it blocks nothing.
      expect(service.knownRules().map((r) => [r.portFrom, r.present])).toEqual([[4446, false]]);
    } finally {
      service.close();
    }
    expect((await cli(['unblock', '--all'])).code).toBe(0);
  });

  it('re-apply puts back only what root recorded: a row another program wrote into the journal is refused', async () => {
    // A rule of the user's, lost in a reboot: root's record vouches for it.
    expect((await cli(['block', '--port', '8080', '--proto', 'tcp'])).code).toBe(0);
    // A hostile program of the user's adds an "active" rule to the journal: TCP 443 out, any device.
    const forged = randomUUID();
    const db = new Database(path.join(dataDir, 'port-auditor.sqlite'));
    db.prepare(
      `INSERT INTO firewall_rules (id, name, backend, protocol, port_from, port_to, direction, remote, ref, state, created_at, updated_at, origin)
       VALUES (?, ?, 'nftables', 'tcp', 443, 443, 'out', '[]', NULL, 'active', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'app')`,
    ).run(forged, `PortAuditor-${forged}`);
    db.close();
    await execIn(pc, 'nft', ['flush', 'ruleset']);
    const back = await cli(['reapply', '--all']);
    // Each rule's content is shown first; root refuses the one it never approved, with the reason.
    expect(back.stdout).toContain('To re-apply:');
    expect(back.stdout).toMatch(new RegExp(`${forged} +TCP 443 +outbound`));
    expect(back.stdout).toContain('Rule re-applied:');
    expect(back.stdout).toContain('  ✓ Rule read back from the firewall: yes');
    // Named by its date and port (issue 15); its UUID name only in --json.
    expect(back.stderr).toMatch(
      /Nothing is re-applied for the rule (of|found on) .+ for port 443\/tcp: it is not in the list of rules the administrator approved\./,
    );
    expect(back.stderr).not.toContain(`PortAuditor-${forged}`);
    expect(back.stderr).toMatch(
      /^Rule still missing: the rule (of|found on) .+ for port 443\/tcp$/m,
    );
    expect(back.stderr).not.toContain(forged);
    expect(back.code).toBe(4);
    const nft = await ruleset();
    expect(nft).toContain('tcp dport 8080 drop');
    expect(nft).not.toContain('443');
    const [cat, ...catArgs] = mounts.enter(['cat', '/var/lib/port-auditor/rules.json']);
    const recorded = JSON.parse((await run(cat as string, catArgs)).stdout) as { id: string }[];
    expect(recorded.map((r) => r.id)).not.toContain(forged);
    // Alone, it is refused outright, in French too.
    const alone = await cli(['reapply', forged], { LANG: 'fr_FR.UTF-8' });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(
      /Rien n’est ré-appliqué pour la règle (du|trouvée le) .+ pour le port 443\/tcp\u00a0: elle n’est pas dans la liste des règles que l’administrateur a approuvées\./,
    );
    expect(alone.stderr).not.toContain(forged);
    expect(await ruleset()).not.toContain('443');
    expect((await cli(['unblock', '--all'])).code).toBe(0);
  });

  it('--rule-id applies only the request its preview was for; the preview gives the whole command', async () => {
    const before = await ruleset();
    const preview = await cli(['block', '--port', '3389', '--proto', 'tcp', '--dry-run']);
    const id = /--rule-id ([0-9a-f-]{36})/.exec(preview.stdout)?.[1] as string;
    expect(preview.stdout).toContain(
      `To apply exactly this rule: port-auditor block --port 3389 --proto tcp --dir in --rule-id ${id}`,
    );
    const other = await cli(['block', '--port', '22', '--proto', 'tcp', '--rule-id', id]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      `Rule id ${id} was reserved by the preview for TCP 3389 (inbound), not for TCP 22 (inbound): nothing was changed.`,
    );
    const fr = await cli(['block', '--port', '22', '--proto', 'tcp', '--rule-id', id], {
      LANG: 'fr_FR.UTF-8',
    });
    expect(fr.stderr).toContain(
      typeset(
        `L’identifiant de règle ${id} a été réservé par l’aperçu pour TCP 3389 (entrant), pas pour TCP 22 (entrant) : rien n’a été modifié.`,
      ),
    );
    expect(await ruleset()).toBe(before);
    const applied = await cli(['block', '--port', '3389', '--proto', 'tcp', '--rule-id', id]);
    expect(applied.code, applied.stderr).toBe(0);
    // Named by date and port; the id only in the command that removes it (review 15b).
    expect(applied.stdout).toMatch(
      new RegExp(
        `^Rule created: the rule of .+ for port 3389/tcp\\. To remove it: port-auditor unblock ${id}$`,
        'm',
      ),
    );
    // Used up: the same id cannot apply another rule.
    const again = await cli(['block', '--port', '3390', '--proto', 'tcp', '--rule-id', id]);
    expect(again.code).toBe(2);
    expect((await cli(['unblock', '--all'])).code).toBe(0);
  });

  it('a vanished rule is named as put back, in the preview and after the block', async () => {
    expect((await cli(['block', '--port', '8080', '--proto', 'tcp'])).code).toBe(0);
    const [rule] = (await rulesJson()).rules;
    await execIn(pc, 'nft', ['flush', 'ruleset']);
    const preview = await cli(['block', '--port', '8080', '--proto', 'tcp', '--dry-run']);
    // Named by its date and port in the sentence (review 15b), by its name in the details.
    expect(preview.stdout).toMatch(
      /Port Auditor’s journal says this port was already blocked by the rule of \d{1,2} \w{3} \d{4}, \d\d:\d\d for port 8080\/tcp, which is not found in the firewall \(a restart\?\): that rule is put in place, under the same name\./,
    );
    expect(preview.stdout.split('Technical details')[0]).not.toContain(rule!.id);
    expect(preview.stdout).toContain(`Technical details (rule PortAuditor-${rule!.id}):`);
    expect(preview.stdout).toContain(`--rule-id ${rule!.id}`);
    const back = await cli(['block', '--port', '8080', '--proto', 'tcp', '--rule-id', rule!.id]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toMatch(
      /Rule put in place \(in the journal, not found in the firewall\): the rule of \d{1,2} \w{3} \d{4}, \d\d:\d\d for port 8080\/tcp\. To remove it: port-auditor unblock /,
    );
    expect(back.stdout).toContain(`port-auditor unblock ${rule!.id}`);
    expect(await probe(peer, PC_ADDR, 8080)).toBe('filtered');
    expect((await cli(['unblock', '--all'])).code).toBe(0);
  });

  it('piped into a reader that stops at once, the CLI finishes its block without crashing', async () => {
    const piped = await inPc([
      'bash',
      '-c',
      `${process.execPath} ${CLI} block --port 8083 --proto tcp | true; echo "exit \${PIPESTATUS[0]}"`,
    ]);
    expect(piped.stdout.trim()).toBe('exit 0');
    expect(piped.stderr).not.toMatch(/EPIPE|Error/);
    expect(await ruleset()).toContain('tcp dport 8083 drop');
    expect((await rulesJson()).rules.map((r) => [r.portFrom, r.present])).toEqual([[8083, true]]);
    expect((await cli(['unblock', '--all'])).code).toBe(0);
  });

  it('firewall-status on Linux speaks of nftables, not of Windows profiles, with French typography', async () => {
    const en = await cli(['firewall-status']);
    expect(en.stdout).toContain('Firewall: nftables (Linux)');
    expect(en.stdout).not.toMatch(/profile/i);
    const fr = await cli(['firewall-status'], { LANG: 'fr_FR.UTF-8' });
    expect(fr.stdout).toContain('Pare-feu\u00a0: nftables (Linux)');
    expect(fr.stdout).toContain('Disponible\u00a0: oui');
    expect(fr.stdout).not.toMatch(/profil/i);
  });
});
