// The UDP workload of `npm run bench` (issue 16): the engine's common UDP services against
// nmap -sU on the same ports, on a lab host running real daemons (test/lab/udp-lab.ts) in
// namespaces of its own, torn down also on failure. Needs root.
import { setTimeout as delay } from 'node:timers/promises';
import type { ScanResult } from '../app/contract/index.js';
import { UDP_SERVICES } from '../app/scan/udp/services.js';
import { createUdpLab, designedUdpState, UDP_HOST, type UdpLab } from '../test/lab/udp-lab.js';

/**
 * The lab host's net.ipv4.icmp_ratelimit (ms), Linux's default, which test/lab/udp-lab.ts keeps:
 * port unreachables to one peer are paid from a token bucket refilled one per this many ms.
 */
const ICMP_RATELIMIT_MS = 1000;
/**
 * Linux lets a peer's bucket hold 6 tokens (XRLIM_BURST_FACTOR in net/ipv4/inetpeer.c): after
 * 6 × icmp_ratelimit of quiet, the host answers a burst of 6 port unreachables again. Each scan
 * starts after this pause, so neither scanner starts with the budget the other one spent (the
 * integration test shows how much that start changes nmap's verdicts).
 */
const ICMP_REFILL_MS = 6 * ICMP_RATELIMIT_MS + 500;

/** One run of each scanner: its wall-clock time (ms) and every port's state. */
export interface UdpRun {
  engineMs: number;
  engine: Map<number, string>;
  nmapMs: number;
  /** port → [state, reason] from nmap's XML. */
  nmap: Map<number, [string, string]>;
}

/** The measurements of the UDP workload: `runs` alternating runs on the lab host's `ports`. */
export interface UdpMeasured {
  ports: readonly number[];
  runs: UdpRun[];
}

/**
 * The engine's state of each of `ports` on the lab host in `result`: the UDP ports it lists, and
 * for a port it does not list the one state it counts in `hidden` (nmap's "Not shown"), else
 * `missing`.
 */
function engineStates(result: ScanResult, ports: readonly number[]): Map<number, string> {
  const host = result.hosts.find((h) => h.address === UDP_HOST);
  const listed = new Map(
    (host?.ports ?? []).filter((p) => p.protocol === 'udp').map((p) => [p.port, p.state]),
  );
  const hidden = Object.entries(host?.hidden ?? {}).filter(([, n]) => (n ?? 0) > 0);
  const rest = hidden.length === 1 ? hidden[0]![0] : 'missing';
  return new Map(ports.map((port) => [port, listed.get(port) ?? rest]));
}

/**
 * Runs the engine's `common-udp` set (discovery skipped, as nmap's -Pn) through the ScanManager
 * bundled as `script` (bench/index.ts bundleEngine), and `nmap -sU -n -Pn --reason -p <the same
 * ports>` at nmap's default timing, `repeat` times each, alternating, each after ICMP_REFILL_MS of
 * quiet, on a lab host made for the run and torn down afterwards, also when a run throws.
 * `log` gets one line per run.
 */
export async function measureUdp(
  script: string,
  repeat: number,
  log: (line: string) => void,
): Promise<UdpMeasured> {
  const ports = UDP_SERVICES.map((service) => service.port);
  let lab: UdpLab | undefined;
  try {
    lab = await createUdpLab('benchu');
    const runs: UdpRun[] = [];
    for (let run = 0; run < repeat; run++) {
      await delay(ICMP_REFILL_MS);
      const engine = await lab.engine.scan(
        { targets: UDP_HOST, ports: 'common-udp', skipDiscovery: true },
        undefined,
        script,
      );
      await delay(ICMP_REFILL_MS);
      const nmap = await lab.nmap(ports);
      runs.push({
        engineMs: engine.wallMs,
        engine: engineStates(engine.result, ports),
        nmapMs: nmap.elapsedMs,
        nmap: nmap.ports,
      });
      log(`udp run ${run + 1}: engine ${engine.wallMs} ms, nmap -sU ${nmap.elapsedMs} ms`);
    }
    return { ports, runs };
  } finally {
    await lab?.teardown();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** `value` as a percentage of `total` with its counts: `100.00 % (45/45)`. */
function share(value: number, total: number): string {
  return `${((100 * value) / Math.max(total, 1)).toFixed(2)} % (${value}/${total})`;
}

/** `text` as a Markdown table cell: nmap's `open|filtered` must not split the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The states a port had over the runs: `closed`, or `closed ×2, open|filtered ×1` when they differ. */
function statesOver(states: string[]): string {
  const counts = new Map<string, number>();
  for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
  if (counts.size === 1) return states[0]!;
  return [...counts].map(([state, n]) => `${state} ×${n}`).join(', ');
}

/**
 * The figures of `measured` as Markdown (no heading): how it was run, the table (medians, ratio,
 * agreement with nmap port by port and with the lab's design), each run's times and the states
 * of every port.
 */
export function udpMarkdown(measured: UdpMeasured): string {
  const { ports, runs } = measured;
  const engineMs = median(runs.map((r) => r.engineMs));
  const nmapMs = median(runs.map((r) => r.nmapMs));
  let agreed = 0;
  let engineDesign = 0;
  let nmapDesign = 0;
  const total = ports.length * runs.length;
  for (const run of runs) {
    for (const port of ports) {
      const [designed] = designedUdpState(port);
      if (run.engine.get(port) === run.nmap.get(port)?.[0]) agreed++;
      if (run.engine.get(port) === designed) engineDesign++;
      if (run.nmap.get(port)?.[0] === designed) nmapDesign++;
    }
  }
  const over = runs.length > 1 ? ` over ${runs.length} runs` : '';
  const names = new Map(UDP_SERVICES.map((s) => [s.port, s.name]));
  return [
    `Lab host (test/lab/udp-lab.ts, in namespaces of its own joined by one veth): dnsmasq (DNS, 53), chronyd (NTP, 123), snmpd (community \`public\`, 161) and memcached (UDP on, 11211) answer; nft drops 5683 and rejects 1194 with ICMP admin-prohibited; every other port of the set is closed. The host keeps Linux's default ICMP limit (net.ipv4.icmp_ratelimit ${ICMP_RATELIMIT_MS} ms: port unreachables to one peer about one a second after a burst of 6), as a LAN device does. The engine scans \`-p common-udp\` (${ports.length} ports) with discovery skipped, through the ScanManager and its worker thread, bundled as shipped and timed from its process start; nmap runs \`nmap -sU -n -Pn --reason -p ${ports.join(',')}\` (default timing, -T3), timed the same way. Each scanner runs ${runs.length} times, the two alternating, each after ${(ICMP_REFILL_MS / 1000).toFixed(1)} s of quiet so that it starts with the host's full ICMP budget; times are medians, agreement counts every run's every port.`,
    '',
    '| Workload | Engine | nmap -sU | Ratio | Agreement with nmap | Agreement with the lab’s design |',
    '|---|---:|---:|---:|---|---|',
    `| (u) ${ports.length} common UDP services of a lab host | ${(engineMs / 1000).toFixed(2)} s | ${(nmapMs / 1000).toFixed(2)} s | ${(engineMs / nmapMs).toFixed(3)} | ${share(agreed, total)}${over} | engine ${share(engineDesign, total)}, nmap ${share(nmapDesign, total)} |`,
    '',
    `Runs: engine ${runs.map((r) => r.engineMs).join('/')} ms, nmap -sU ${runs.map((r) => r.nmapMs).join('/')} ms.`,
    '',
    `Every port's state over the runs (nmap's reason in brackets):`,
    '',
    '| Port | Service | Lab design | Engine | nmap -sU |',
    '|---:|---|---|---|---|',
    ...ports.map((port) => {
      const nmapText = statesOver(
        runs.map((r) => {
          const [state, reason] = r.nmap.get(port) ?? ['missing', ''];
          return reason ? `${state} (${reason})` : state;
        }),
      );
      const engineText = statesOver(runs.map((r) => r.engine.get(port) ?? 'missing'));
      return `| ${port} | ${names.get(port)} | ${cell(designedUdpState(port)[0])} | ${cell(engineText)} | ${cell(nmapText)} |`;
    }),
  ].join('\n');
}
