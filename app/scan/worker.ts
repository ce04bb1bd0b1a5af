import { parentPort, workerData } from 'node:worker_threads';
import type { ScanEvent } from '../contract/index.js';
import { toAppError } from '../errors.js';
import { ScanEngine, type ScanPlan } from './engine.js';
import { addUdpResults, type ScanUdpHost } from './udp/phase.js';
import { scanUdpHost } from './udp/prober.js';
import { UdpProgress } from './udp/progress.js';
import { mdnsReverseLookup } from './mdns.js';
import { netbiosNodeStatusLookup } from './netbios.js';
import { systemReverseLookup } from './reverse-dns.js';
import { networkServiceProbes } from './service-detection/probes.js';

/**
 * Worker-thread entry: runs one scan and posts its events, so a 65,535-port scan never blocks the
 * host's event loop. The parent sends `{ type: 'cancel' }` to stop it. Events go out in batches,
 * one message per turn of the event loop: each message costs a structured clone and a wake-up of
 * the parent, which a host with hundreds of open ports would otherwise pay per port.
 */
const plan = workerData as ScanPlan;
const port = parentPort;
if (!port) throw new Error('app/scan/worker.ts must run in a worker thread');

let batch: ScanEvent[] = [];
let flushScheduled = false;
const flush = (): void => {
  flushScheduled = false;
  if (batch.length === 0) return;
  port.postMessage(batch);
  batch = [];
};
const post = (event: ScanEvent): void => {
  batch.push(event);
  if (event.type === 'finished' || event.type === 'failed') flush();
  else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
};

/**
 * The engine's events, except that with UDP ports its `finished` waits for the UDP phase, whose
 * ports join the result (and go out as `port` events) first. A cancel stops the UDP phase too.
 */
const cancelUdp = new AbortController();
const udpPorts = plan.udpPorts ?? [];
/** Settles once the UDP phase has posted its `finished` (or `failed`); the port closes after it. */
let udpDone: Promise<void> = Promise.resolve();
/** UDP probes counted in the progress events, like the engine's TCP ones. */
const udpProgress = new UdpProgress(plan.scanId, plan.count, udpPorts.length);
const fromEngine = (event: ScanEvent): void => {
  if (udpPorts.length > 0 && event.type === 'progress') {
    post(udpProgress.engine(event));
    return;
  }
  if (event.type !== 'finished' || udpPorts.length === 0 || event.result.cancelled) {
    post(event);
    return;
  }
  const tcp = event.result;
  const open = (ports: readonly { state: string }[]) =>
    ports.filter((p) => p.state === 'open').length;
  post(
    udpProgress.start(
      tcp.hosts.filter((h) => h.status === 'up').length,
      tcp.addresses * tcp.portCount,
      tcp.hosts.reduce((n, h) => n + open(h.ports) + h.hidden.open, 0),
    ),
  );
  const scanHost: ScanUdpHost = async (...args) => {
    const verdicts = await scanUdpHost(...args);
    post(udpProgress.hostDone(open(verdicts)));
    return verdicts;
  };
  udpDone = addUdpResults(
    event.result,
    udpPorts,
    { signal: cancelUdp.signal },
    (address, result) => post({ type: 'port', scanId: plan.scanId, address, result }),
    scanHost,
  ).then(
    (result) =>
      post({
        ...event,
        result: {
          ...result,
          portCount: result.portCount + udpPorts.length,
          finishedAt: new Date().toISOString(),
          cancelled: cancelUdp.signal.aborted,
        },
      }),
    (error: unknown) => post({ type: 'failed', scanId: plan.scanId, error: toAppError(error) }),
  );
};

try {
  // The hosts' PTR names through this PC's resolver, or the servers the caller named; their mDNS
  // and NetBIOS names asked of each of them (UDP 5353, 137); HTTP and TLS service probes.
  const engine = new ScanEngine(plan, fromEngine, {
    reverseDns: systemReverseLookup(plan.tuning?.dnsServers),
    mdns: mdnsReverseLookup(),
    netbios: netbiosNodeStatusLookup(),
    services: networkServiceProbes,
  });
  port.on('message', (message: { type?: string }) => {
    if (message.type === 'cancel') {
      engine.cancel();
      cancelUdp.abort();
    }
  });
  void engine
    .run()
    .then(() => udpDone)
    .then(() => port.close());
} catch (error) {
  post({ type: 'failed', scanId: plan.scanId, error: toAppError(error) });
  port.close();
}
