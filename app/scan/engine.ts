import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { LocalizedText } from '../contract/errors.js';
import type {
  HostReason,
  HostResult,
  PortReason,
  PortResult,
  PortState,
  ScanEvent,
  ScanRequest,
  ScanResult,
} from '../contract/index.js';
import {
  deserializeIntervals,
  walkIntervals,
  type Family,
  type SerializedInterval,
} from './addresses.js';
import { NeighbourTable } from './neighbours.js';
import {
  createProber,
  readBanner,
  type ProbeHandle,
  type ProbeOutcome,
  type Prober,
} from './prober.js';
import { RttEstimator } from './rtt.js';

/** Everything the worker needs, already validated and expanded by the manager. */
export interface ScanPlan {
  scanId: string;
  request: ScanRequest;
  intervals: SerializedInterval[];
  count: number;
  hostnames: Record<string, string>;
  zones: Record<string, string>;
  localAddresses: string[];
  ports: number[];
  notes: LocalizedText[];
  tuning?: Partial<Tuning>;
}

export interface Tuning {
  minRtoMs: number;
  maxRtoMs: number;
  /** RFC 6298's initial RTO, used until a host or the scan has a measurement. */
  initialRtoMs: number;
  /** Shortest wait for a discovery probe, however fast the network looked so far. */
  discoveryMinMs: number;
  discoveryPorts: number[];
  /** Attempts per discovery probe: several ports are tried at once and the neighbour table backs them up. */
  discoveryTries: number;
  /** Attempts per probe before silence means "filtered" (raised per host when retries get answers). */
  maxTries: number;
  maxTriesCap: number;
  globalInitial: number;
  globalMax: number;
  hostInitial: number;
  hostMax: number;
  maxActiveHosts: number;
  bannerWaitMs: number;
  maxBannerSockets: number;
  progressIntervalMs: number;
  /** Down hosts are sent as events and kept in the result only up to this many addresses. */
  listDownHostsUpTo: number;
  /** Non-open states with more ports than this are summarised in `hidden`, as nmap does. */
  listStateUpTo: number;
  /** `auto` uses Node's TCP handle directly when available; `net` forces net.Socket. */
  prober: 'auto' | 'net';
}

export const defaultTuning: Tuning = {
  // Windows answers a connect to a closed port only after retrying the SYN for about a second
  // (two seconds on loopback): a shorter timeout would call closed ports filtered there.
  minRtoMs: process.platform === 'win32' ? 2500 : 100,
  maxRtoMs: process.platform === 'win32' ? 6000 : 3000,
  initialRtoMs: process.platform === 'win32' ? 3000 : 1000,
  discoveryMinMs: process.platform === 'win32' ? 2500 : 400,
  discoveryPorts: [80, 443, 22, 445],
  discoveryTries: 1,
  maxTries: 2,
  maxTriesCap: 5,
  globalInitial: 512,
  globalMax: 2048,
  hostInitial: 256,
  hostMax: 1024,
  maxActiveHosts: 512,
  bannerWaitMs: 600,
  maxBannerSockets: 256,
  progressIntervalMs: 200,
  listDownHostsUpTo: 65_536,
  listStateUpTo: 25,
  prober: 'auto',
};

type Phase = 'discovery' | 'checking' | 'ports' | 'done';

interface QueuedProbe {
  port: number;
  tries: number;
}

interface InFlight {
  host: HostState;
  port: number;
  tries: number;
  discovery: boolean;
  handle: ProbeHandle;
}

interface Answer {
  state: PortState;
  reason: PortReason;
  rttMs?: number;
}

class HostState {
  phase: Phase = 'discovery';
  status: 'up' | 'down' | undefined;
  reason: HostReason = 'no-response';
  inFlight = 0;
  limit: number;
  maxTries: number;
  nextPortIndex = 0;
  readonly retries: QueuedProbe[] = [];
  readonly discoveryQueue: QueuedProbe[] = [];
  /** Definite non-open answers from discovery, reused when the port phase reaches those ports. */
  readonly discoveryAnswers = new Map<number, Answer>();
  sawUnreachable = false;
  mac: string | undefined;
  /** Set once the host is reported, so a MAC address learnt afterwards still reaches the result. */
  result: HostResult | undefined;
  discoveryEndedAt = 0;
  neighbourChecks = 0;
  decided = 0;
  readonly open: PortResult[] = [];
  readonly closed: PortResult[] = [];
  readonly filtered: PortResult[] = [];
  readonly counts = { open: 0, closed: 0, filtered: 0 };
  readonly rtt: RttEstimator;

  constructor(
    readonly address: string,
    readonly family: Family,
    readonly connectAddress: string,
    readonly isLocal: boolean,
    readonly hostname: string | undefined,
    tuning: Tuning,
  ) {
    this.limit = tuning.hostInitial;
    this.maxTries = tuning.maxTries;
    this.rtt = new RttEstimator(tuning.minRtoMs, tuning.maxRtoMs);
  }
}

/**
 * The TCP connect scanner: walks targets and ports lazily, keeps a bounded window of hosts and
 * sockets, adapts timeouts (RFC 6298) and concurrency to the answers, and streams events.
 */
export class ScanEngine {
  private readonly tuning: Tuning;
  private readonly ports: number[];
  private readonly hosts: Generator<{ family: Family; address: string }>;
  private hostsExhausted = false;
  private readonly active: HostState[] = [];
  private rr = 0;
  private readonly inFlight = new Set<InFlight>();
  private readonly banners = new Set<() => void>();
  private globalLimit: number;
  private pausedUntil = 0;
  private pauseTimer: NodeJS.Timeout | undefined;
  private pumping = false;
  private readonly group: RttEstimator;
  private readonly prober: Prober;
  private readonly neighbours = new NeighbourTable();
  /** Neighbour-table reads for MAC addresses still running: the scan ends after them. */
  private macLookups = 0;
  private readonly localSet: Set<string>;
  private readonly results: HostResult[] = [];
  private readonly total: number;
  private done = 0;
  private openFound = 0;
  private lastProgress = '';
  private progressTimer: NodeJS.Timeout | undefined;
  private readonly startedAt = new Date();
  private readonly startedPerf = performance.now();
  private cancelled = false;
  private finished = false;
  private resolveRun: ((result: ScanResult) => void) | undefined;

  constructor(
    private readonly plan: ScanPlan,
    private readonly emit: (event: ScanEvent) => void,
  ) {
    this.tuning = { ...defaultTuning, ...plan.tuning };
    this.ports = plan.ports;
    this.hosts = walkIntervals(deserializeIntervals(plan.intervals));
    this.globalLimit = this.tuning.globalInitial;
    this.group = new RttEstimator(this.tuning.minRtoMs, this.tuning.maxRtoMs);
    this.prober = createProber(this.tuning.prober);
    this.localSet = new Set(plan.localAddresses);
    this.total = plan.count * plan.ports.length;
  }

  run(): Promise<ScanResult> {
    return new Promise((resolve) => {
      this.resolveRun = resolve;
      this.emit({
        type: 'started',
        scanId: this.plan.scanId,
        addresses: this.plan.count,
        portCount: this.ports.length,
        totalProbes: this.total,
        notes: this.plan.notes,
      });
      this.progressTimer = setInterval(() => this.emitProgress(), this.tuning.progressIntervalMs);
      this.pump();
    });
  }

  /** Stops every socket now and finishes with what was found. */
  cancel(): void {
    if (this.finished || this.cancelled) return;
    this.cancelled = true;
    for (const probe of this.inFlight) probe.handle.abort();
    this.inFlight.clear();
    for (const stop of this.banners) stop();
    this.banners.clear();
    for (const host of this.active) {
      if (host.status === 'up') this.results.push(this.hostResult(host));
    }
    this.active.length = 0;
    this.finish();
  }

  private pump(): void {
    if (this.pumping || this.finished || this.cancelled) return;
    this.pumping = true;
    try {
      while (this.inFlight.size < this.globalLimit) {
        if (performance.now() < this.pausedUntil) {
          this.schedulePumpAt(this.pausedUntil);
          break;
        }
        const host = this.pickHost();
        if (!host) break;
        this.launchNext(host);
        this.checkHostDone(host);
      }
    } finally {
      this.pumping = false;
    }
    this.maybeFinish();
  }

  private schedulePumpAt(at: number): void {
    if (this.pauseTimer) return;
    this.pauseTimer = setTimeout(
      () => {
        this.pauseTimer = undefined;
        this.pump();
      },
      Math.max(1, at - performance.now()),
    );
  }

  private hasWork(host: HostState): boolean {
    if (host.inFlight >= host.limit) return false;
    if (host.phase === 'discovery') return host.discoveryQueue.length > 0;
    if (host.phase === 'ports')
      return host.retries.length > 0 || host.nextPortIndex < this.ports.length;
    return false;
  }

  private pickHost(): HostState | undefined {
    for (;;) {
      const n = this.active.length;
      for (let i = 0; i < n; i++) {
        const index = (this.rr + i) % n;
        const host = this.active[index]!;
        if (this.hasWork(host)) {
          this.rr = (index + 1) % n;
          return host;
        }
      }
      if (this.hostsExhausted || this.active.length >= this.tuning.maxActiveHosts) return undefined;
      const next = this.hosts.next();
      if (next.done) {
        this.hostsExhausted = true;
        return undefined;
      }
      this.activate(next.value.family, next.value.address);
    }
  }

  private activate(family: Family, address: string): void {
    const zone = this.plan.zones[address];
    const isLocal = this.localSet.has(address) || (family === 4 && address.startsWith('127.'));
    const host = new HostState(
      address,
      family,
      zone ? `${address}%${zone}` : address,
      isLocal,
      this.plan.hostnames[address],
      this.tuning,
    );
    this.active.push(host);
    if (isLocal) this.markUp(host, 'localhost');
    else if (this.plan.request.skipDiscovery) this.markUp(host, 'user-set');
    else
      for (const port of this.tuning.discoveryPorts) host.discoveryQueue.push({ port, tries: 0 });
  }

  private timeoutFor(host: HostState, tries: number, discovery: boolean): number {
    let base = host.rtt.rto() ?? this.group.rto() ?? this.tuning.initialRtoMs;
    if (discovery) base = Math.max(base, this.tuning.discoveryMinMs);
    // RFC 6298 §5.5: back off on each retransmission.
    return Math.min(this.tuning.maxRtoMs * 2, base * 2 ** tries);
  }

  private launchNext(host: HostState): void {
    if (host.phase === 'discovery') {
      const item = host.discoveryQueue.shift()!;
      this.launch(host, item.port, item.tries, true);
      return;
    }
    const retry = host.retries.shift();
    if (retry) {
      this.launch(host, retry.port, retry.tries, false);
      return;
    }
    const port = this.ports[host.nextPortIndex++]!;
    const known = host.discoveryAnswers.get(port);
    if (known) {
      this.decide(host, port, known.state, known.reason, known.rttMs);
      return;
    }
    this.launch(host, port, 0, false);
  }

  private launch(host: HostState, port: number, tries: number, discovery: boolean): void {
    const probe: InFlight = { host, port, tries, discovery, handle: { abort: () => undefined } };
    this.inFlight.add(probe);
    host.inFlight++;
    probe.handle = this.prober.probe(
      host.connectAddress,
      host.family,
      port,
      this.timeoutFor(host, tries, discovery),
      (outcome) => this.onOutcome(probe, outcome),
    );
  }

  private onOutcome(probe: InFlight, outcome: ProbeOutcome): void {
    if (this.cancelled) {
      if (outcome.kind === 'open') outcome.socket.destroy();
      return;
    }
    this.inFlight.delete(probe);
    const { host, port, tries } = probe;
    host.inFlight--;
    if (outcome.kind === 'self') {
      // Not an answer from the port: the same attempt goes again, from another source port.
      const requeue = { port, tries };
      if (probe.discovery && host.phase === 'discovery') host.discoveryQueue.unshift(requeue);
      else if (!probe.discovery) host.retries.unshift(requeue);
    } else if (outcome.kind === 'resource') {
      // Out of descriptors or buffers: the probe is not lost, it waits and goes again.
      const requeue = { port, tries };
      if (probe.discovery && host.phase === 'discovery') host.discoveryQueue.unshift(requeue);
      else if (!probe.discovery) host.retries.unshift(requeue);
      this.globalLimit = Math.max(8, Math.floor(this.inFlight.size * 0.75));
      this.pausedUntil = performance.now() + 25;
    } else if (probe.discovery) {
      this.onDiscoveryOutcome(host, port, tries, outcome);
    } else {
      this.onPortOutcome(host, port, tries, outcome);
    }
    this.checkHostDone(host);
    this.pump();
  }

  private learn(host: HostState, rttMs: number, tries: number): void {
    if (tries === 0) {
      // Karn's rule: only unambiguous (first-attempt) answers feed the estimate.
      host.rtt.sample(rttMs);
      this.group.sample(rttMs);
      host.limit = Math.min(this.tuning.hostMax, host.limit + 1);
      this.globalLimit = Math.min(this.tuning.globalMax, this.globalLimit + 1);
    } else {
      // An answer after a silent attempt is loss: slow down and allow more attempts on this host.
      host.maxTries = Math.min(this.tuning.maxTriesCap, Math.max(host.maxTries, tries + 2));
      host.limit = Math.max(4, Math.floor(host.limit / 2));
      this.globalLimit = Math.max(32, Math.floor(this.globalLimit * 0.8));
    }
  }

  private onDiscoveryOutcome(
    host: HostState,
    port: number,
    tries: number,
    outcome: ProbeOutcome,
  ): void {
    switch (outcome.kind) {
      case 'open':
        outcome.socket.destroy();
        this.learn(host, outcome.rttMs, tries);
        if (host.phase === 'discovery') this.markUp(host, 'syn-ack');
        break;
      case 'closed':
        this.learn(host, outcome.rttMs, tries);
        host.discoveryAnswers.set(port, {
          state: 'closed',
          reason: 'conn-refused',
          rttMs: outcome.rttMs,
        });
        if (host.phase === 'discovery') this.markUp(host, 'conn-refused');
        break;
      case 'unreachable':
        host.sawUnreachable = true;
        break;
      case 'timeout':
      case 'error':
        if (host.phase === 'discovery' && tries + 1 < this.tuning.discoveryTries) {
          host.discoveryQueue.push({ port, tries: tries + 1 });
        }
        break;
      case 'resource':
        break;
    }
    if (host.phase === 'discovery' && host.discoveryQueue.length === 0 && host.inFlight === 0) {
      host.phase = 'checking';
      host.discoveryEndedAt = Date.now();
      this.checkNeighbour(host);
    }
  }

  private checkNeighbour(host: HostState): void {
    void this.neighbours.lookup(host.address, host.discoveryEndedAt).then(({ state, mac }) => {
      if (this.cancelled || host.phase !== 'checking') return;
      if (state === 'confirmed') {
        host.mac = mac;
        // On the same link and silent: time probes on what the scan measured, or a short LAN guess.
        host.rtt.seed(this.group.smoothedMs ?? 20, Math.max(this.group.variationMs, 10));
        // It exists yet answered nothing: silence is its policy, not congestion, so go wide at once.
        host.limit = this.tuning.hostMax;
        this.markUp(host, 'neighbour');
      } else if (state === 'unconfirmed' && host.neighbourChecks++ < 6) {
        // STALE/DELAY/PROBE: the kernel is still checking; look again once it has decided.
        setTimeout(() => {
          host.discoveryEndedAt = Date.now();
          this.checkNeighbour(host);
        }, 1000);
        return;
      } else {
        this.markDown(host, host.sawUnreachable ? 'host-unreachable' : 'no-response');
      }
      this.pump();
    });
  }

  private onPortOutcome(host: HostState, port: number, tries: number, outcome: ProbeOutcome): void {
    switch (outcome.kind) {
      case 'open': {
        this.learn(host, outcome.rttMs, tries);
        this.openWithBanner(host, port, outcome.rttMs, outcome.socket);
        break;
      }
      case 'closed':
        this.learn(host, outcome.rttMs, tries);
        this.decide(host, port, 'closed', 'conn-refused', outcome.rttMs);
        break;
      case 'unreachable':
        this.decide(host, port, 'filtered', outcome.reason, outcome.rttMs);
        break;
      case 'timeout':
      case 'error':
        if (tries + 1 < host.maxTries) host.retries.push({ port, tries: tries + 1 });
        else {
          this.decide(host, port, 'filtered', 'no-response');
          // Silence confirmed by retries is a filter, not congestion: keep the pace up.
          host.limit = Math.min(this.tuning.hostMax, host.limit + 1);
        }
        break;
      case 'resource':
        break;
    }
  }

  private openWithBanner(host: HostState, port: number, rttMs: number, socket: Socket): void {
    if (this.banners.size >= this.tuning.maxBannerSockets) {
      socket.destroy();
      this.decide(host, port, 'open', 'syn-ack', rttMs);
      return;
    }
    host.inFlight++; // the host is not finished while its banner is being read
    const stop = readBanner(socket, this.tuning.bannerWaitMs, (banner) => {
      this.banners.delete(stop);
      if (this.cancelled) return;
      host.inFlight--;
      this.decide(host, port, 'open', 'syn-ack', rttMs, banner);
      this.checkHostDone(host);
      this.pump();
    });
    this.banners.add(stop);
  }

  private decide(
    host: HostState,
    port: number,
    state: PortState,
    reason: PortReason,
    rttMs?: number,
    banner?: string,
  ): void {
    const result: PortResult = {
      port,
      protocol: 'tcp',
      state,
      reason,
      ...(rttMs !== undefined ? { rttMs: Math.round(rttMs * 1000) / 1000 } : {}),
      ...(banner !== undefined ? { banner } : {}),
    };
    host.decided++;
    this.done++;
    host.counts[state]++;
    if (state === 'open') {
      host.open.push(result);
      this.openFound++;
      this.emit({ type: 'port', scanId: this.plan.scanId, address: host.address, result });
    } else {
      const list = state === 'closed' ? host.closed : host.filtered;
      if (list.length <= this.tuning.listStateUpTo) list.push(result);
    }
  }

  private markUp(host: HostState, reason: HostReason): void {
    host.status = 'up';
    host.reason = reason;
    host.phase = 'ports';
    this.emitHost(host);
    if (!host.isLocal && host.mac === undefined) this.lookUpMac(host);
  }

  /**
   * A host that answered TCP is now in the neighbour table when it is on this PC's link: its MAC
   * address lets reports name the device's maker. Read off the clock of the probes, then reported
   * by a second `host` event and in the host's result.
   */
  private lookUpMac(host: HostState): void {
    this.macLookups++;
    void this.neighbours
      .lookup(host.address)
      .then(({ mac }) => {
        if (this.cancelled || !mac) return;
        host.mac = mac;
        if (host.result) host.result.mac = mac;
        this.emitHost(host);
      })
      .finally(() => {
        this.macLookups--;
        this.maybeFinish();
      });
  }

  private markDown(host: HostState, reason: HostReason): void {
    host.status = 'down';
    host.reason = reason;
    host.phase = 'done';
    this.done += this.ports.length;
    if (this.plan.count <= this.tuning.listDownHostsUpTo) {
      this.emitHost(host);
      this.results.push(this.hostResult(host));
    }
    this.remove(host);
  }

  private emitHost(host: HostState): void {
    this.emit({
      type: 'host',
      scanId: this.plan.scanId,
      address: host.address,
      isLocal: host.isLocal,
      ...(host.hostname !== undefined ? { hostname: host.hostname } : {}),
      ...(host.mac !== undefined ? { mac: host.mac } : {}),
      status: host.status ?? 'down',
      reason: host.reason,
    });
  }

  private checkHostDone(host: HostState): void {
    if (host.phase !== 'ports' || host.inFlight > 0 || host.decided < this.ports.length) return;
    host.phase = 'done';
    const result = this.hostResult(host);
    for (const port of result.ports) {
      if (port.state !== 'open') {
        this.emit({ type: 'port', scanId: this.plan.scanId, address: host.address, result: port });
      }
    }
    this.results.push(result);
    this.remove(host);
  }

  private remove(host: HostState): void {
    const index = this.active.indexOf(host);
    if (index >= 0) {
      this.active.splice(index, 1);
      if (this.rr > index) this.rr--;
      if (this.rr >= this.active.length) this.rr = 0;
    }
  }

  private hostResult(host: HostState): HostResult {
    const limit = this.tuning.listStateUpTo;
    const showClosed = host.counts.closed <= limit;
    const showFiltered = host.counts.filtered <= limit;
    const ports = [
      ...host.open,
      ...(showClosed ? host.closed : []),
      ...(showFiltered ? host.filtered : []),
    ].sort((a, b) => a.port - b.port);
    return (host.result = {
      address: host.address,
      family: host.family === 4 ? 'ipv4' : 'ipv6',
      ...(host.hostname !== undefined ? { hostname: host.hostname } : {}),
      isLocal: host.isLocal,
      ...(host.mac !== undefined ? { mac: host.mac } : {}),
      status: host.status ?? 'down',
      reason: host.reason,
      ports,
      hidden: {
        open: 0,
        closed: showClosed ? 0 : host.counts.closed,
        filtered: showFiltered ? 0 : host.counts.filtered,
      },
    });
  }

  private emitProgress(force = false): void {
    const elapsed = performance.now() - this.startedPerf;
    const key = `${this.done}/${this.openFound}`;
    if (!force && key === this.lastProgress) return;
    this.lastProgress = key;
    const remaining = this.total - this.done;
    const etaMs =
      this.done > 0 && elapsed > 300 && remaining >= 0
        ? Math.round((elapsed / this.done) * remaining)
        : undefined;
    this.emit({
      type: 'progress',
      scanId: this.plan.scanId,
      done: this.done,
      total: this.total,
      ...(etaMs !== undefined ? { etaMs } : {}),
      openFound: this.openFound,
    });
  }

  private maybeFinish(): void {
    if (this.finished || this.cancelled) return;
    if (!this.hostsExhausted || this.active.length > 0 || this.inFlight.size > 0) return;
    if (this.macLookups > 0) return;
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.progressTimer) clearInterval(this.progressTimer);
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.emitProgress(true);
    const result: ScanResult = {
      scanId: this.plan.scanId,
      request: this.plan.request,
      addresses: this.plan.count,
      portCount: this.ports.length,
      notes: this.plan.notes,
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      cancelled: this.cancelled,
      hosts: this.results.sort(compareHosts),
    };
    this.emit({ type: 'finished', scanId: this.plan.scanId, result });
    this.resolveRun?.(result);
  }
}

function compareHosts(a: HostResult, b: HostResult): number {
  if (a.family !== b.family) return a.family === 'ipv4' ? -1 : 1;
  if (a.family === 'ipv4') {
    const av = a.address.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    const bv = b.address.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    return av - bv;
  }
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}
