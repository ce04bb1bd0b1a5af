import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScanResult } from '../../app/contract/index.js';
import type { UdpPortResult } from '../../app/scan/udp/prober.js';
import {
  addAddresses,
  createVeth,
  execIn,
  loadNft,
  NetnsLab,
  sysctl,
  uniqueName,
} from './netns.js';
import { scannerIn, type ScanLab } from './scan-lab.js';

/**
 * A UDP lab: a scanner namespace and a host namespace joined by one veth, the host running real
 * Debian daemons on their UDP ports (dnsmasq as DNS, chronyd as an NTP server, snmpd with
 * community `public`, memcached with UDP on), one port dropped by nft (open|filtered), one
 * rejected with ICMP admin-prohibited (filtered), every other port of the set closed. The host
 * keeps the kernel's default ICMP rate limit (net.ipv4.icmp_ratelimit 1000 ms), so the closed
 * ports' port unreachables are limited as on a real LAN device. Needs root and the packages of
 * .ci/run.
 */

export const UDP_SCANNER = '10.78.0.1';
export const UDP_HOST = '10.78.0.2';
/** Ports the daemons answer on. */
export const UDP_OPEN = { dns: 53, ntp: 123, snmp: 161, memcached: 11211 };
/** Dropped by nft: no answer at all. */
export const UDP_DROPPED = 5683;
/** Rejected by nft with ICMP "administratively prohibited" (type 3 code 13). */
export const UDP_PROHIBITED = 1194;

/**
 * The state and reason, in nmap's words, that the lab's design gives `port` over UDP: `open`
 * (udp-response) where a daemon answers, `open|filtered` (no-response) where nft drops,
 * `filtered` (admin-prohibited) where nft rejects, `closed` (port-unreach) everywhere else.
 */
export function designedUdpState(port: number): [state: string, reason: string] {
  if ((Object.values(UDP_OPEN) as number[]).includes(port)) return ['open', 'udp-response'];
  if (port === UDP_DROPPED) return ['open|filtered', 'no-response'];
  if (port === UDP_PROHIBITED) return ['filtered', 'admin-prohibited'];
  return ['closed', 'port-unreach'];
}

export interface UdpLab {
  scanner: string;
  host: string;
  /** Runs scanUdpHost in the scanner namespace against UDP_HOST. */
  scan(
    ports: readonly number[],
    options?: Record<string, number>,
  ): Promise<{ elapsedMs: number; results: UdpPortResult[] }>;
  /**
   * The whole engine as the app runs it (ScanManager and its worker thread, test/lab/scan-once.ts
   * or a bundled copy of it) from the scanner namespace, timed from process start (`wallMs`):
   * what the benchmark sets against nmap -sU.
   */
  engine: Pick<ScanLab, 'scan'>;
  /** A whole scan through the ScanManager (test/lab/scan-once.ts) from the scanner namespace. */
  scanWithManager(request: { targets: string; ports: string }): Promise<ScanResult>;
  /** How many of `count` probes sent at once to closed `port` got a port unreachable. */
  burst(port: number, count: number): Promise<number>;
  /** nmap -sU on the same ports from the scanner namespace (plus `extraArgs`): port → [state, reason]. */
  nmap(
    ports: readonly number[],
    extraArgs?: readonly string[],
  ): Promise<{ elapsedMs: number; ports: Map<number, [string, string]> }>;
  /** Sets the host's net.ipv4.icmp_ratelimit (ms between ICMP errors to a peer; 0: no limit). */
  setIcmpRateLimit(ms: number): Promise<void>;
  teardown(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const onceScript = fileURLToPath(new URL('./udp-scan-once.ts', import.meta.url));
const managerScript = fileURLToPath(new URL('./scan-once.ts', import.meta.url));

const nftRules = `
table inet pa_udp_lab {
  chain input {
    type filter hook input priority 0; policy accept;
    udp dport ${UDP_DROPPED} drop
    udp dport ${UDP_PROHIBITED} reject with icmp type admin-prohibited
  }
}
`;

export async function createUdpLab(area = 'udp'): Promise<UdpLab> {
  const lab = new NetnsLab();
  try {
    const scanner = await lab.namespace(uniqueName(area, 'sc'));
    const host = await lab.namespace(uniqueName(area, 'h'));
    await createVeth({ ns: scanner, ifName: 'eth0', peerNs: host, peerIfName: 'eth0' });
    await addAddresses(scanner, 'eth0', [`${UDP_SCANNER}/24`]);
    await addAddresses(host, 'eth0', [`${UDP_HOST}/24`]);
    await execIn(host, 'ip', ['link', 'set', 'lo', 'up']);
    // The kernel's defaults, set so the test does not depend on the machine's: ICMP errors to a
    // peer limited to one a second after a short burst (icmp_ratelimit in ms, ratemask bit 3 =
    // destination unreachable).
    await sysctl(host, 'net.ipv4.icmp_ratelimit', '1000');
    await sysctl(host, 'net.ipv4.icmp_ratemask', '6168');
    await loadNft(host, nftRules);

    const dir = await mkdtemp(join(tmpdir(), `pa-udp-lab-${process.pid}-`));
    lab.onTeardown(() => rm(dir, { recursive: true, force: true }));
    await writeFile(
      join(dir, 'chrony.conf'),
      `bindaddress ${UDP_HOST}\nallow all\nlocal stratum 8\ncmdport 0\npidfile ${join(dir, 'chronyd.pid')}\n`,
    );
    await writeFile(
      join(dir, 'snmpd.conf'),
      `agentaddress udp:${UDP_HOST}:161\nrocommunity public default\nsysDescr Port Auditor UDP lab\n`,
    );
    const quiet = { stdio: 'ignore' as const };
    lab.spawn(
      host,
      '/usr/sbin/dnsmasq',
      [
        '--keep-in-foreground',
        '--no-resolv',
        '--no-hosts',
        '--conf-file=/dev/null',
        `--listen-address=${UDP_HOST}`,
        '--bind-interfaces',
        '--except-interface=lo',
        '--user=root',
        `--pid-file=${join(dir, 'dnsmasq.pid')}`,
        '--address=/lab.test/10.78.0.2',
      ],
      quiet,
    );
    lab.spawn(
      host,
      '/usr/sbin/chronyd',
      ['-d', '-x', '-u', 'root', '-f', join(dir, 'chrony.conf')],
      quiet,
    );
    lab.spawn(
      host,
      '/usr/sbin/snmpd',
      ['-f', '-Lo', '-C', '-c', join(dir, 'snmpd.conf'), '-p', join(dir, 'snmpd.pid')],
      { ...quiet, env: { ...process.env, SNMP_PERSISTENT_DIR: dir, MIBS: '' } },
    );
    lab.spawn(
      host,
      '/usr/bin/memcached',
      ['-U', String(UDP_OPEN.memcached), '-p', '0', '-l', UDP_HOST, '-u', 'root'],
      quiet,
    );
    await waitForListeners(host, Object.values(UDP_OPEN));

    return {
      scanner,
      host,
      engine: scannerIn(lab, scanner),
      async scan(ports, options) {
        return (await runOnce(lab, scanner, { address: UDP_HOST, ports, options })) as {
          elapsedMs: number;
          results: UdpPortResult[];
        };
      },
      async scanWithManager(request) {
        const out = (await runScript(lab, scanner, managerScript, request)) as {
          result: ScanResult;
        };
        return out.result;
      },
      async burst(port, count) {
        const out = (await runOnce(lab, scanner, { address: UDP_HOST, port, burst: count })) as {
          refused: number;
        };
        return out.refused;
      },
      async setIcmpRateLimit(ms) {
        await sysctl(host, 'net.ipv4.icmp_ratelimit', String(ms));
      },
      async nmap(ports, extraArgs = []) {
        const started = performance.now();
        const { stdout } = await execIn(
          scanner,
          'nmap',
          [
            '-sU',
            '-n',
            '-Pn',
            '--reason',
            '-p',
            ports.join(','),
            ...extraArgs,
            '-oX',
            '-',
            UDP_HOST,
          ],
          { timeoutMs: 300_000 },
        );
        const out = new Map<number, [string, string]>();
        for (const match of stdout.matchAll(
          /<port protocol="udp" portid="(\d+)"><state state="([^"]+)" reason="([^"]+)"/g,
        )) {
          out.set(Number(match[1]), [match[2]!, match[3]!]);
        }
        return { elapsedMs: Math.round(performance.now() - started), ports: out };
      },
      teardown: () => lab.teardown(),
    };
  } catch (error) {
    await lab.teardown();
    throw error;
  }
}

/** Waits until every port of `ports` has a UDP socket bound in `ns` (ss -uln), up to 20 s. */
async function waitForListeners(ns: string, ports: readonly number[]): Promise<void> {
  let missing: number[] = [...ports];
  for (let i = 0; i < 200 && missing.length > 0; i++) {
    const { stdout } = await execIn(ns, 'ss', ['-H', '-u', '-l', '-n']);
    const bound = new Set([...stdout.matchAll(/:(\d+)\s/g)].map((m) => Number(m[1])));
    missing = ports.filter((port) => !bound.has(port));
    if (missing.length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (missing.length > 0) throw new Error(`UDP lab: nothing listens on ${missing.join(', ')}`);
}

function runOnce(lab: NetnsLab, scanner: string, input: object): Promise<unknown> {
  return runScript(lab, scanner, onceScript, input);
}

async function runScript(
  lab: NetnsLab,
  scanner: string,
  script: string,
  input: object,
): Promise<unknown> {
  const child = lab.spawn(
    scanner,
    process.execPath,
    ['--import', 'tsx', script, JSON.stringify(input)],
    {
      cwd: repoRoot,
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`UDP scan failed (${code}): ${stderr}`);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}
