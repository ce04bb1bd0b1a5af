import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import type { PortReason, PortState, ScanResult } from '../../app/contract/index.js';
import { parsePorts } from '../../app/scan/ports.js';
import {
  addAddresses,
  createBridge,
  createVeth,
  execIn,
  loadNft,
  NetnsLab,
  sysctl,
  uniqueName,
} from './netns.js';

/**
 * The scan engine's test network, built from its own design: a scanner and target hosts on one
 * bridge (10.77.0.0/24, fd77::/64), with real listeners and nft rules. `expected()` gives the true
 * state of any (address, port) from this design — never from a scanner's output.
 */

export const SCANNER = '10.77.0.1';
export const SERVICES = '10.77.0.10'; // banners, closed ports, a dropped range, a rejected range
export const SERVICES_V6 = 'fd77::10';
export const DROP_ALL = '10.77.0.11'; // default-drop input policy
export const MANY_OPEN = '10.77.0.12'; // 300 open ports
export const EMPTY = Array.from({ length: 10 }, (_, i) => `10.77.0.${20 + i}`); // nothing there

export const BANNERS: Record<number, string> = {
  22: 'SSH-2.0-PortAuditorLab_1.0',
  25: '220 lab.example ESMTP ready',
};
export const SERVICES_OPEN = [22, 25, 80, 8080];
export const DROPPED = { from: 3000, to: 3009 };
export const REJECTED = { from: 4000, to: 4009 };
export const MANY_OPEN_PORTS = { from: 10000, to: 10299 };
export const EXTRA_PORTS = `3000-3009,4000-4009,8080,10000-10299`;

export interface Truth {
  status: 'up' | 'down';
  state?: PortState;
  /** Reasons the engine may legitimately give (IPv4 ICMP admin-prohibited reaches a connect() as EHOSTUNREACH). */
  reasons?: PortReason[];
}

const within = (port: number, range: { from: number; to: number }): boolean =>
  port >= range.from && port <= range.to;

export function expected(address: string, port: number): Truth {
  if (address === SERVICES || address === SERVICES_V6) {
    if (SERVICES_OPEN.includes(port)) return { status: 'up', state: 'open', reasons: ['syn-ack'] };
    if (within(port, DROPPED)) return { status: 'up', state: 'filtered', reasons: ['no-response'] };
    if (within(port, REJECTED)) {
      return {
        status: 'up',
        state: 'filtered',
        // IPv4: Linux hands ICMP admin-prohibited to connect() as EHOSTUNREACH. IPv6: EACCES, but in
        // this lab the ICMPv6 error only comes back for the kernel's own SYN retransmission (after
        // 1 s), so a probe that gives up sooner sees silence. The state is filtered either way.
        reasons:
          address === SERVICES_V6 ? ['admin-prohibited', 'no-response'] : ['host-unreachable'],
      };
    }
    return { status: 'up', state: 'closed', reasons: ['conn-refused'] };
  }
  if (address === DROP_ALL) return { status: 'up', state: 'filtered', reasons: ['no-response'] };
  if (address === MANY_OPEN) {
    if (within(port, MANY_OPEN_PORTS) || port === 22)
      return { status: 'up', state: 'open', reasons: ['syn-ack'] };
    return { status: 'up', state: 'closed', reasons: ['conn-refused'] };
  }
  return { status: 'down' };
}

const servicesRules = `
table inet palab {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport ${DROPPED.from}-${DROPPED.to} drop
    tcp dport ${REJECTED.from}-${REJECTED.to} reject with icmpx admin-prohibited
  }
}
`;
const dropAllRules = `
table inet palab {
  chain input {
    type filter hook input priority 0; policy drop;
  }
}
`;

export interface ScanLab {
  scanner: string;
  /** The link-layer address of each target host's interface, by lab address (read from the lab). */
  macs: Record<string, string>;
  teardown(): Promise<void>;
  /** Runs the Port Auditor engine (ScanManager + worker) inside the scanner namespace. */
  scan(
    request: {
      targets: string;
      ports: string;
      skipDiscovery?: boolean;
      confirmed?: boolean;
      adapters?: string[];
    },
    tuning?: Record<string, unknown>,
    /** A bundled scan-once.mjs (benchmarks) instead of the TypeScript source under tsx. */
    script?: string,
    /** Runs the engine with at most this many open file descriptors (prlimit), to force EMFILE. */
    maxFiles?: number,
  ): Promise<{ elapsedMs: number; wallMs: number; peakRssBytes: number; result: ScanResult }>;
  /** Runs `nmap -sT` inside the scanner namespace and returns every port's state per host. */
  nmap(
    targets: string[],
    ports: string,
    extraArgs?: string[],
    timeoutMs?: number,
  ): Promise<{ elapsedMs: number; hosts: NmapHosts }>;
}

export type NmapHosts = Map<string, { status: 'up' | 'down'; ports: Map<number, PortState> }>;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const listenersScript = fileURLToPath(new URL('./listeners.mjs', import.meta.url));
const scanScript = fileURLToPath(new URL('./scan-once.ts', import.meta.url));

export async function createScanLab(area = 'scan'): Promise<ScanLab> {
  const lab = new NetnsLab();
  try {
    const sw = await lab.namespace(uniqueName(area, 'sw'));
    await createBridge(sw, 'br0');
    const scanner = await lab.namespace(uniqueName(area, 'sc'));
    const services = await lab.namespace(uniqueName(area, 'a'));
    const dropAll = await lab.namespace(uniqueName(area, 'b'));
    const manyOpen = await lab.namespace(uniqueName(area, 'c'));
    const members: [string, string, string[]][] = [
      [scanner, 'p-sc', [`${SCANNER}/24`, 'fd77::1/64']],
      [services, 'p-a', [`${SERVICES}/24`, `${SERVICES_V6}/64`]],
      [dropAll, 'p-b', [`${DROP_ALL}/24`]],
      [manyOpen, 'p-c', [`${MANY_OPEN}/24`]],
    ];
    const macs: Record<string, string> = {};
    for (const [ns, peer, addresses] of members) {
      await createVeth({ ns, ifName: 'eth0', peerNs: sw, peerIfName: peer, peerBridge: 'br0' });
      await addAddresses(ns, 'eth0', addresses);
      const { stdout } = await execIn(ns, 'cat', ['/sys/class/net/eth0/address']);
      for (const address of addresses) macs[address.split('/')[0]!] = stdout.trim().toLowerCase();
    }
    // Link-local IPv6 addresses go through duplicate address detection first: "this-pc" tests must
    // not start while the scanner's own fe80:: address is still tentative (unusable).
    for (let i = 0; i < 100; i++) {
      const { stdout } = await execIn(scanner, 'ip', ['-6', 'addr', 'show', 'tentative']);
      if (stdout.trim() === '') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await loadNft(services, servicesRules);
    // The kernel rate-limits ICMP errors per destination (about one a second after a burst of six):
    // off on this host, so every rejected port really answers "admin-prohibited" as designed.
    await sysctl(services, 'net.ipv4.icmp_ratelimit', '0');
    await sysctl(services, 'net.ipv6.icmp.ratelimit', '0');
    await sysctl(services, 'net.ipv4.icmp_msgs_per_sec', '100000').catch(() => undefined);
    await loadNft(dropAll, dropAllRules);

    await startListeners(
      lab,
      services,
      [...SERVICES_OPEN, DROPPED.from, REJECTED.from].map((port) => ({
        port,
        ...(BANNERS[port] ? { banner: BANNERS[port] } : {}),
      })),
    );
    // A service behind the default-drop policy still must not be seen.
    await startListeners(lab, dropAll, [{ port: 22, banner: BANNERS[22]! }, { port: 80 }]);
    const many: { port: number; banner?: string }[] = [{ port: 22, banner: BANNERS[22]! }];
    for (let port = MANY_OPEN_PORTS.from; port <= MANY_OPEN_PORTS.to; port++) many.push({ port });
    await startListeners(lab, manyOpen, many);

    return { scanner, macs, teardown: () => lab.teardown(), ...scannerIn(lab, scanner) };
  } catch (error) {
    await lab.teardown();
    throw error;
  }
}

/** A listener spec for listeners.mjs: a banner to send, an address to bind, or a reset on accept. */
export interface ListenerSpec {
  port: number;
  banner?: string;
  /** Listen on this address only (default: every address of the namespace). */
  host?: string;
  /** Accept, then reset the connection at once (SO_LINGER {1, 0} and close). */
  reset?: boolean;
}

/** Starts test/lab/listeners.mjs in a namespace and waits until every port listens. */
export async function startListeners(
  lab: NetnsLab,
  ns: string,
  specs: ListenerSpec[],
): Promise<void> {
  const child = lab.spawn(ns, process.execPath, [listenersScript, JSON.stringify(specs)]);
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => (output += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: string) => {
      output += d;
      if (output.includes('READY')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`listeners in ${ns} exited ${code}: ${output}`)));
  });
}

/** The engine and nmap -sT, both run inside the scanner namespace `scanner` of `lab`. */
export function scannerIn(lab: NetnsLab, scanner: string): Pick<ScanLab, 'scan' | 'nmap'> {
  return {
    async scan(request, tuning, script, maxFiles) {
      const started = performance.now();
      const args = [
        ...(script ? [script] : ['--import', 'tsx', scanScript]),
        JSON.stringify(request),
      ];
      if (tuning) args.push(JSON.stringify(tuning));
      const child =
        maxFiles === undefined
          ? lab.spawn(scanner, process.execPath, args, { cwd: repoRoot })
          : lab.spawn(scanner, 'prlimit', [`--nofile=${maxFiles}`, process.execPath, ...args], {
              cwd: repoRoot,
            });
      let stdout = '';
      let stderr = '';
      child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const [code] = (await once(child, 'exit')) as [number | null];
      if (code !== 0) throw new Error(`engine scan failed (${code}): ${stderr}`);
      const last = stdout.trim().split('\n').at(-1) ?? '{}';
      const wallMs = Math.round(performance.now() - started);
      const parsed = JSON.parse(last) as {
        elapsedMs: number;
        peakRssBytes: number;
        result: ScanResult;
      };
      return { ...parsed, wallMs };
    },
    async nmap(targets, ports, extraArgs = [], timeoutMs = 900_000) {
      const started = performance.now();
      const { stdout } = await execIn(
        scanner,
        'nmap',
        ['-sT', '-T4', '-n', '--reason', '-p', ports, ...extraArgs, '-oX', '-', ...targets],
        { timeoutMs },
      );
      return { elapsedMs: Math.round(performance.now() - started), hosts: parseNmapXml(stdout) };
    },
  };
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function expandPortList(text: string): number[] {
  return parsePorts(text);
}

/** Every port's state per host from nmap's XML, including the ports it summarises as "extraports". */
export function parseNmapXml(xml: string): NmapHosts {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
  const doc = parser.parse(xml) as { nmaprun: { host?: unknown } };
  const hosts: NmapHosts = new Map();
  for (const host of asArray(
    doc.nmaprun.host as Record<string, unknown> | Record<string, unknown>[],
  )) {
    const h = host as {
      status: { state: string };
      address: { addr: string; addrtype: string } | { addr: string; addrtype: string }[];
      ports?: {
        port?:
          | { portid: string; state: { state: string } }
          | { portid: string; state: { state: string } }[];
        extraports?: unknown;
      };
    };
    const address = asArray(h.address).find(
      (a) => a.addrtype === 'ipv4' || a.addrtype === 'ipv6',
    )!.addr;
    const ports = new Map<number, PortState>();
    for (const extra of asArray(
      h.ports?.extraports as Record<string, unknown> | Record<string, unknown>[],
    )) {
      const e = extra as { state: string; extrareasons?: unknown };
      for (const reason of asArray(e.extrareasons as { ports?: string } | { ports?: string }[])) {
        if (reason.ports)
          for (const port of expandPortList(reason.ports)) ports.set(port, e.state as PortState);
      }
    }
    for (const port of asArray(h.ports?.port))
      ports.set(Number(port.portid), port.state.state as PortState);
    hosts.set(address, { status: h.status.state === 'up' ? 'up' : 'down', ports });
  }
  return hosts;
}
