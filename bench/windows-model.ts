// `npm run bench:windows-model` — what Windows' closed-port delay costs a scan of a home /24 ×
// top1000, in the engine's own model: the real ScanEngine on the scripted network and virtual clock
// of the unit tests (test/unit/support/sim-network.ts), so the figures are the engine's decisions,
// not this machine's speed. No Windows is needed, and nothing is sent on any network.
//
// Windows answers a connect to a closed port of another host only after retrying the SYN: the
// reset arrives about 1 to 2 s late (nmap/nmap#2113; libuv turns the retries off for loopback
// only). The engine's Windows timings (minRtoMs 2500, …) wait that long rather than call the port
// filtered; this shows what the wait costs.
import { serializeIntervals, cidrInterval } from '../app/scan/addresses.js';
import { ScanEngine, type ScanPlan, type Tuning } from '../app/scan/engine.js';
import { parsePorts } from '../app/scan/ports.js';
import { parseIp } from '../app/net/address.js';
import type { ScanResult } from '../app/contract/index.js';
import {
  SimProber,
  simNeighbours,
  VirtualClock,
  type SimAnswer,
  type SimHost,
} from '../test/unit/support/sim-network.js';

/** The engine's timings on Windows (app/scan/engine.ts, defaultTuning's win32 branch). */
const WINDOWS_TIMINGS: Partial<Tuning> = {
  minRtoMs: 2500,
  maxRtoMs: 6000,
  initialRtoMs: 3000,
  discoveryMinMs: 2500,
};

const NETWORK = '192.168.1.0/24';
const PORTS = parsePorts('top1000');

/**
 * A home network: ten devices that reset closed ports (router, PCs, phones, a NAS, a TV…) with a
 * few open ones, two PCs whose firewall drops everything but one port, the rest of the /24 empty.
 */
function homeNetwork(closedAfterMs: number | undefined): {
  hosts: Record<string, SimHost>;
  neighbours: Record<string, string>;
} {
  const hosts: Record<string, SimHost> = {};
  const neighbours: Record<string, string> = {};
  const closed: SimAnswer = closedAfterMs
    ? { kind: 'closed', afterMs: closedAfterMs }
    : { kind: 'closed' };
  for (let i = 1; i <= 10; i++) {
    const open = new Set([80, 443, 22 + i, 8000 + i]);
    hosts[`192.168.1.${i}`] = {
      rttMs: 2,
      answer: (port) => (open.has(port) ? { kind: 'open' } : closed),
    };
    neighbours[`192.168.1.${i}`] = `02:00:00:00:00:${String(i).padStart(2, '0')}`;
  }
  for (const i of [20, 21]) {
    hosts[`192.168.1.${i}`] = {
      rttMs: 2,
      answer: (port) => (port === 445 ? { kind: 'open' } : { kind: 'silent' }),
    };
    neighbours[`192.168.1.${i}`] = `02:00:00:00:00:${i}`;
  }
  return { hosts, neighbours };
}

async function simulate(
  closedAfterMs: number | undefined,
  tuning: Partial<Tuning>,
): Promise<{ seconds: number; result: ScanResult }> {
  const [address, prefix] = NETWORK.split('/') as [string, string];
  const { family, value } = parseIp(address)!;
  const interval = cidrInterval(family, value, Number(prefix));
  interval.end -= 1n;
  const plan: ScanPlan = {
    scanId: 'windows-model',
    request: { targets: NETWORK, ports: 'top1000', skipDiscovery: false, confirmed: false },
    intervals: serializeIntervals([interval]),
    count: 255,
    hostnames: {},
    zones: {},
    localAddresses: ['127.0.0.1', '::1'],
    connected: serializeIntervals([cidrInterval(family, value, Number(prefix))]),
    ports: PORTS,
    notes: [],
    tuning,
  };
  const { hosts, neighbours } = homeNetwork(closedAfterMs);
  const clock = new VirtualClock();
  const engine = new ScanEngine(plan, () => undefined, {
    prober: new SimProber(clock, hosts),
    clock,
    neighbours: simNeighbours(neighbours),
  });
  let result: ScanResult | undefined;
  void engine.run().then((r) => (result = r));
  await clock.runUntil(() => result !== undefined);
  return { seconds: clock.now() / 1000, result: result! };
}

function closedCount(result: ScanResult): number {
  return result.hosts.reduce(
    (n, h) => n + h.hidden.closed + h.ports.filter((p) => p.state === 'closed').length,
    0,
  );
}

async function main(): Promise<void> {
  const cases: [string, number | undefined, Partial<Tuning>][] = [
    ['Linux/macOS timings, resets after one round trip', undefined, {}],
    ['Windows timings, resets after one round trip (no delay)', undefined, WINDOWS_TIMINGS],
    ['Windows timings, resets 1 s late (SYN retried)', 1000, WINDOWS_TIMINGS],
    ['Windows timings, resets 2 s late', 2000, WINDOWS_TIMINGS],
  ];
  console.log(`${NETWORK} × top1000: 10 devices resetting closed ports, 2 dropping, 243 empty\n`);
  const expected = Object.values(homeNetwork(undefined).hosts).reduce(
    (n, host) => n + PORTS.filter((port) => host.answer(port, 0).kind === 'closed').length,
    0,
  );
  console.log(`| Case | Simulated duration | Closed ports found (of ${expected}) |`);
  console.log('|---|---:|---:|');
  for (const [label, delay, tuning] of cases) {
    const { seconds, result } = await simulate(delay, tuning);
    console.log(`| ${label} | ${seconds.toFixed(1)} s | ${closedCount(result)} |`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
