import type { Socket } from 'node:net';
import type { LocalizedText } from '../contract/errors.js';
import type {
  HostReason,
  HostResult,
  HostStatus,
  PortReason,
  PortResult,
  PortState,
  ScanEvent,
  ScanRequest,
  ScanResult,
} from '../contract/index.js';
import { parseIp } from '../net/address.js';
import {
  deserializeIntervals,
  walkIntervals,
  type Family,
  type Interval,
  type SerializedInterval,
} from './addresses.js';
import { systemClock, type Clock } from './clock.js';
import { CongestionWindow, SendBudget } from './congestion.js';
import {
  broadcastText,
  lateLocalErrorText,
  localErrorText,
  type ConnectPhase,
  type ProbeOutcome,
} from './connect-outcome.js';
import { LossMonitor } from './loss.js';
import { NeighbourTable, type NeighbourEntry } from './neighbours.js';
import { createProber, readBanner, type ProbeHandle, type Prober } from './prober.js';
import { sshDetected } from './service-detection/ssh.js';
import {
  serviceProbeFor,
  type ServiceFacts,
  type ServiceProbes,
} from './service-detection/probes.js';
import { PortStateTable } from './port-states.js';
import { ProgressMeter } from './progress.js';
import { RttEstimator } from './rtt.js';
import { EVERY_PORT_MIN_PROBED, EVERY_PORT_OPEN_SHARE, everyPortVerdict } from './every-port.js';
import { ResetLog } from './silence.js';
import {
  defaultReverseDnsLimits,
  ReverseNames,
  type ReverseDnsLimits,
  type ReverseLookup,
} from './reverse-dns.js';

/** Everything the worker needs, already validated and expanded by the manager. */
export interface ScanPlan {
  scanId: string;
  request: ScanRequest;
  intervals: SerializedInterval[];
  count: number;
  hostnames: Record<string, string>;
  zones: Record<string, string>;
  localAddresses: string[];
  /** The subnets of this PC's interfaces: hosts in them are reached with no router in between. */
  connected?: SerializedInterval[];
  /** TCP ports, probed by this engine. */
  ports: number[];
  /**
   * UDP ports, probed by the worker once this engine is done, on the hosts it found up
   * (app/scan/udp/phase.ts); absent or empty: none.
   */
  udpPorts?: number[];
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
  /** Extra rounds for ports whose silence overlapped a loss, before they are called filtered. */
  maxConfirmRounds: number;
  /**
   * On a host that answers with resets, rounds in a row in which neither a silent port nor the
   * witness after them was answered (the host's limiter empty, or the host gone) before its silent
   * ports are called filtered all the same; the wait between such rounds doubles from the RTO.
   */
  maxIdleVerifyRounds: number;
  /** Longest wait between two such rounds. */
  maxVerifyWaitMs: number;
  /**
   * Verification rounds one port may have before its silence is called filtered all the same,
   * like nmap's --max-retries: each round probes every unproven port again, so without a bound a
   * host that lets one reset through now and then keeps the rounds going and the probes grow as
   * (silent ports) × (resets let through). See docs/scan-timing.md.
   */
  maxVerifyPasses: number;
  globalInitial: number;
  globalMax: number;
  hostInitial: number;
  hostMax: number;
  /**
   * Window ceiling for a host on this PC's own link while pings show a quiet path (see
   * docs/scan-timing.md for why this is safe for a home network).
   */
  silentMax: number;
  /**
   * Shortest timeout on such a quiet, directly connected path: nmap -T5's --min-rtt-timeout. The
   * measured RTO (SRTT + 4·RTTVAR, RFC 6298) is used when longer.
   */
  quietMinRtoMs: number;
  /** Probes a second to one host at full speed: about what nmap -T4 sends to a LAN host that answers. */
  silentMaxRate: number;
  /** A host silent this long gets a ping to one of its answering ports. */
  pingIntervalMs: number;
  /** A ping answered this recently, with no loss since, makes the path quiet. */
  quietWithinMs: number;
  maxActiveHosts: number;
  bannerWaitMs: number;
  /**
   * How long one service probe (HTTP `HEAD /`, a TLS handshake and its `HEAD /`) may take, from
   * its connect to the end of the answer: app/scan/service-detection/.
   */
  serviceProbeMs: number;
  maxBannerSockets: number;
  /**
   * Banners one host may have being read at once: a host with hundreds of open ports (a tarpit, a
   * server farm behind one address) must not take every slot, or the SSH or SMTP banner of the
   * other hosts scanned at the same time is lost, by chance of timing.
   */
  maxBannerSocketsPerHost: number;
  progressIntervalMs: number;
  /** A probe short of local resources for this long is reported as a local error. */
  resourceGiveUpMs: number;
  /** Down hosts are sent as events and kept in the result only up to this many addresses. */
  listDownHostsUpTo: number;
  /** Non-open states with more ports than this are summarised in `hidden`, as nmap does. */
  listStateUpTo: number;
  /** A host with at least this many probed ports… */
  everyPortMinPorts: number;
  /**
   * …of which at least this share answered open, answers on every port (see HostResult). 80 %:
   * real devices listen on few ports (a busy server on tens; nmap's top-1,000 list rarely finds
   * more than a few dozen open on one host), so 40 or more of 50 probed ports open is not a set of
   * services but something accepting every connection. A trap or a redirecting middlebox only has
   * to leave a few ports closed to get under 90 % (review of issue 14: every ninth port closed,
   * 89 % open), so the share sits well below; below it, a busy host whose ports the user picked
   * one by one keeps its verdicts port by port.
   */
  everyPortOpenShare: number;
  /** `auto` uses Node's TCP handle directly when available; `net` forces net.Socket. */
  prober: 'auto' | 'net';
  /** Bounds of the reverse DNS lookups of the hosts found up (app/scan/reverse-dns.ts). */
  reverseDns: ReverseDnsLimits;
  /**
   * Bounds of the NetBIOS node status queries of the IPv4 hosts found up (app/scan/netbios.ts):
   * each lookup is one datagram and at most one retry of ≤ 1 s each, so a lookup needs ~2 s; a
   * device that does not run the service is the common case, so silence never stops the others.
   */
  netbios: ReverseDnsLimits;
  /**
   * Bounds of the mDNS queries (app/scan/mdns.ts) of the hosts found up on this PC's own link
   * (mDNS does not cross a router): as NetBIOS's, two tries of ≤ 1 s each.
   */
  mdns: ReverseDnsLimits;
  /**
   * DNS servers to ask the hosts' PTR names of instead of this PC's own (nmap's --dns-servers);
   * empty: the system's. Read by the worker, which gives the engine its resolver.
   */
  dnsServers: string[];
}

export const defaultTuning: Tuning = {
  // Windows answers a connect to a closed port of another host only after retrying the SYN: the
  // reset comes 1 to 2 s late (nmap/nmap#2113; libuv turns those retries off for loopback only, so
  // 127.0.0.1 answers at once). A shorter timeout would call the LAN's closed ports filtered; what
  // the wait costs: npm run bench:windows-model.
  // 100 ms elsewhere is nmap -T4's --min-rtt-timeout: no answer is given up on sooner than nmap.
  minRtoMs: process.platform === 'win32' ? 2500 : 100,
  maxRtoMs: process.platform === 'win32' ? 6000 : 3000,
  initialRtoMs: process.platform === 'win32' ? 3000 : 1000,
  discoveryMinMs: process.platform === 'win32' ? 2500 : 400,
  discoveryPorts: [80, 443, 22, 445],
  discoveryTries: 1,
  maxTries: 2,
  maxTriesCap: 6,
  maxConfirmRounds: 3,
  maxIdleVerifyRounds: 8,
  maxVerifyWaitMs: 1000,
  maxVerifyPasses: 12,
  globalInitial: 512,
  globalMax: 4096,
  hostInitial: 256,
  hostMax: 1024,
  silentMax: 2048,
  quietMinRtoMs: 50,
  silentMaxRate: 25_000,
  pingIntervalMs: 200,
  quietWithinMs: 600,
  maxActiveHosts: 512,
  bannerWaitMs: 600,
  serviceProbeMs: 2000,
  maxBannerSockets: 256,
  maxBannerSocketsPerHost: 32,
  progressIntervalMs: 200,
  resourceGiveUpMs: 10_000,
  listDownHostsUpTo: 65_536,
  listStateUpTo: 25,
  everyPortMinPorts: EVERY_PORT_MIN_PROBED,
  everyPortOpenShare: EVERY_PORT_OPEN_SHARE,
  prober: 'auto',
  reverseDns: defaultReverseDnsLimits,
  netbios: {
    concurrency: 8,
    lookupTimeoutMs: 2500,
    totalMs: 30_000,
    giveUpAfterTimeouts: Number.POSITIVE_INFINITY,
  },
  mdns: {
    concurrency: 8,
    lookupTimeoutMs: 2500,
    totalMs: 30_000,
    giveUpAfterTimeouts: Number.POSITIVE_INFINITY,
  },
  dnsServers: [],
};

/** The neighbour table as the engine reads it (app/scan/neighbours.ts). */
export interface NeighbourLookup {
  lookup(address: string, freshAfter?: number): Promise<NeighbourEntry>;
}

/** What the engine talks to: injected by tests to run it on a scripted network and clock. */
export interface EngineDeps {
  prober?: Prober;
  clock?: Clock;
  neighbours?: NeighbourLookup;
  /**
   * Asks the PTR names of the hosts found up (the worker gives systemReverseLookup); without it,
   * the engine names no host (unit tests on a simulated network).
   */
  reverseDns?: ReverseLookup;
  /**
   * Asks the NetBIOS workstation name of the IPv4 hosts found up (the worker gives
   * netbiosNodeStatusLookup); without it, no NetBIOS name.
   */
  netbios?: ReverseLookup;
  /**
   * Asks the mDNS name of the hosts found up on this PC's link (the worker gives
   * mdnsReverseLookup; a link-local address comes with its `%zone`); without it, no mDNS name.
   */
  mdns?: ReverseLookup;
  /**
   * Service probes that open their own connection (HTTP `HEAD /`, TLS; the worker gives
   * networkServiceProbes); without them, the engine reads banners only (unit tests on a simulated
   * network).
   */
  services?: ServiceProbes;
}

type Phase = 'discovery' | 'checking' | 'ports' | 'done';

/** A fixed scattering of port numbers (Knuth's multiplicative hash), to spread neighbours apart. */
function scatter(port: number): number {
  return Math.imul(port, 0x9e3779b1) >>> 0;
}

/** Probes launched in one go before the engine yields to the event loop. */
const PUMP_SLICE = 1024;

interface QueuedProbe {
  port: number;
  tries: number;
  /** When the previous attempt for this port left (its silence is what this one checks). */
  lastSentAt: number;
  /** Since when this probe has been short of local resources. */
  shortSince?: number;
  /** A round checking a silent port of a host that answers with resets (see checkHostDone). */
  verify?: boolean;
  /** Verification rounds this port has had, this one included (see `maxVerifyPasses`). */
  passes?: number;
}

/**
 * A ping is a probe to a port known to answer, sent when a host has been silent a while; a
 * witness is one sent right after the last probe of a verification round, to learn whether the
 * host could answer just then.
 */
type ProbeKind = 'discovery' | 'port' | 'ping' | 'witness';

interface InFlight {
  host: HostState;
  port: number;
  tries: number;
  kind: ProbeKind;
  /** Launch order: which probes left after which. */
  seq: number;
  verify: boolean;
  passes: number;
  sentAt: number;
  lastSentAt: number;
  shortSince: number | undefined;
  timeoutMs: number;
  handle: ProbeHandle;
}

interface Answer {
  state: PortState;
  reason: PortReason;
  rttMs?: number;
}

/** A port whose every attempt went unanswered: filtered, unless its silence overlapped a loss. */
interface SilentPort {
  port: number;
  tries: number;
  /** Verification rounds it has had (see `maxVerifyPasses`). */
  passes: number;
  seq: number;
  sentAt: number;
  expiredAt: number;
}

/**
 * Rounds that check the silent ports of a host that answers with resets: a port there is called
 * filtered only with proof that its silence was not a reset dropped by a rate limit (silence.ts).
 */
interface Verification {
  /** A round is under way (its probes launched or waiting to be). */
  active: boolean;
  /** Verification probes of this round still to launch. */
  pending: number;
  /** Ports of this round that answered. */
  answered: number;
  witnessAnswered: boolean;
  /** Rounds in a row where no port answered but the witness did. */
  witnessed: number;
  /** Rounds in a row where nothing answered. */
  idle: number;
  /** When the first round began (NaN before). */
  startedAt: number;
  /** Resets (and other answers) that came back during the rounds: what the limiter let through. */
  resets: number;
  /** Probes in the round under way. */
  size: number;
  /** Probes a second the rounds may send (see `verificationPace`); Infinity: not paced. */
  pace: number;
}

class HostState {
  phase: Phase = 'discovery';
  status: HostStatus | undefined;
  reason: HostReason = 'no-response';
  inFlight = 0;
  maxTries: number;
  nextPortIndex = 0;
  readonly retries: QueuedProbe[] = [];
  readonly discoveryQueue: QueuedProbe[] = [];
  /** Definite non-open answers from discovery, reused when the port phase reaches those ports. */
  readonly discoveryAnswers = new Map<number, Answer>();
  silent: SilentPort[] = [];
  round = 0;
  /** Resets this host sent, to tell its silence from dropped resets (silence.ts). */
  readonly resets = new ResetLog();
  readonly verification: Verification = {
    active: false,
    pending: 0,
    answered: 0,
    witnessAnswered: false,
    witnessed: 0,
    idle: 0,
    startedAt: Number.NaN,
    resets: 0,
    size: 0,
    pace: Number.POSITIVE_INFINITY,
  };
  sawUnreachable = false;
  /** Banners of this host being read now (see Tuning.maxBannerSocketsPerHost). */
  bannerReads = 0;
  mac: string | undefined;
  /** How `hostname` was found: typed by the user, its reverse DNS, mDNS or NetBIOS name. */
  hostnameMethod: 'user' | 'ptr' | 'mdns' | 'netbios' | undefined;
  /** Set once the host is reported, so a MAC address learnt afterwards still reaches the result. */
  result: HostResult | undefined;
  discoveryEndedAt = 0;
  neighbourChecks = 0;
  /** Ports needing no more probes (decided, or silent and waiting for the verdict on loss). */
  settled = 0;
  /** Answers of any kind (open, closed, ICMP): the host was reached. */
  answers = 0;
  localError: { code: string; message: LocalizedText } | undefined;
  /** A local error came before anything was sent (`sync`): only that may end the host's scan. */
  localErrorBeforeSending = false;
  localErrorPorts = 0;
  /** A port known to answer, probed now and then to check that the path still carries answers. */
  pingPort: { port: number; state: 'open' | 'closed' } | undefined;
  pingInFlight = false;
  lastPingAt = Number.NEGATIVE_INFINITY;
  /** Paces a host that limits its answers, and caps one scanned at full speed. */
  readonly budget = new SendBudget();
  readonly open: PortResult[] = [];
  readonly closed: PortResult[] = [];
  readonly filtered: PortResult[] = [];
  readonly counts = { open: 0, closed: 0, filtered: 0, 'open|filtered': 0 };
  /** Every decided port's state, listed or not, for the result's `portStates`. */
  readonly states = new PortStateTable();
  readonly rtt: RttEstimator;
  readonly window: CongestionWindow;
  readonly loss = new LossMonitor();

  constructor(
    readonly address: string,
    readonly family: Family,
    /** The zone a link-local address is reached through (RFC 4007 §11), kept in its results. */
    readonly zone: string | undefined,
    readonly connectAddress: string,
    readonly isLocal: boolean,
    /** On this PC's own link: no router, and no router's NAT table, between us and the host. */
    readonly onLink: boolean,
    /** The name the user typed for it, later the PTR name when it has none (`hostnameMethod`). */
    public hostname: string | undefined,
    tuning: Tuning,
  ) {
    this.maxTries = tuning.maxTries;
    this.rtt = new RttEstimator(tuning.minRtoMs, tuning.maxRtoMs);
    this.window = new CongestionWindow({
      initial: tuning.hostInitial,
      min: 4,
      max: tuning.hostMax,
    });
  }
}

/**
 * The TCP connect scanner: walks targets and ports lazily, keeps a bounded window of hosts and
 * sockets, adapts timeouts (RFC 6298) and concurrency to the answers, tells loss and rate
 * limiting from filtering (app/scan/loss.ts), and streams events. Its prober, clock and
 * neighbour table are injected (EngineDeps), so tests can drive it with scripted outcomes.
 */
export class ScanEngine {
  private readonly tuning: Tuning;
  private readonly ports: number[];
  private readonly hosts: Generator<{ family: Family; address: string }>;
  private hostsExhausted = false;
  private readonly active: HostState[] = [];
  private rr = 0;
  private readonly inFlight = new Set<InFlight>();
  private launches = 0;
  private readonly banners = new Set<() => void>();
  private readonly global: CongestionWindow;
  private pausedUntil = 0;
  private cancelWake: (() => void) | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;
  private pumping = false;
  private resumeScheduled = false;
  private readonly group: RttEstimator;
  private readonly prober: Prober;
  private readonly clock: Clock;
  private readonly neighbours: NeighbourLookup;
  /** Neighbour-table reads for MAC addresses still running: the scan ends after them. */
  private macLookups = 0;
  /** The scan's reverse DNS lookups, when the engine was given a resolver. */
  private readonly names: ReverseNames | undefined;
  /** The scan's NetBIOS node status queries, bounded and cached as the PTR ones. */
  private readonly netbiosNames: ReverseNames | undefined;
  /** The scan's mDNS queries, bounded and cached as the PTR ones. */
  private readonly mdnsNames: ReverseNames | undefined;
  private readonly services: ServiceProbes | undefined;
  /** Reverse DNS lookups still running: the scan ends after them (bounded by their limits). */
  private nameLookups = 0;
  private readonly localSet: Set<string>;
  private readonly connected: Interval[];
  private readonly results: HostResult[] = [];
  private readonly meter: ProgressMeter;
  private stopTicking: (() => void) | undefined;
  private lastProgressAt = Number.NEGATIVE_INFINITY;
  private readonly startedAt: Date;
  private readonly startedClock: number;
  private cancelled = false;
  private finished = false;
  private resolveRun: ((result: ScanResult) => void) | undefined;

  constructor(
    private readonly plan: ScanPlan,
    private readonly emit: (event: ScanEvent) => void,
    deps: EngineDeps = {},
  ) {
    this.tuning = { ...defaultTuning, ...plan.tuning };
    this.ports = plan.ports;
    this.hosts = walkIntervals(deserializeIntervals(plan.intervals));
    this.global = new CongestionWindow({
      initial: this.tuning.globalInitial,
      min: 8,
      max: this.tuning.globalMax,
    });
    this.group = new RttEstimator(this.tuning.minRtoMs, this.tuning.maxRtoMs);
    this.prober = deps.prober ?? createProber(this.tuning.prober);
    this.clock = deps.clock ?? systemClock;
    this.neighbours = deps.neighbours ?? new NeighbourTable();
    this.names = deps.reverseDns
      ? new ReverseNames(deps.reverseDns, this.clock, this.tuning.reverseDns)
      : undefined;
    this.netbiosNames = deps.netbios
      ? new ReverseNames(deps.netbios, this.clock, this.tuning.netbios)
      : undefined;
    this.mdnsNames = deps.mdns
      ? new ReverseNames(deps.mdns, this.clock, this.tuning.mdns)
      : undefined;
    this.services = deps.services;
    this.localSet = new Set(plan.localAddresses);
    this.connected = deserializeIntervals(plan.connected ?? []);
    this.meter = new ProgressMeter(plan.count * plan.ports.length);
    this.startedAt = this.clock.date();
    this.startedClock = this.clock.now();
  }

  run(): Promise<ScanResult> {
    return new Promise((resolve) => {
      this.resolveRun = resolve;
      this.emit({
        type: 'started',
        scanId: this.plan.scanId,
        addresses: this.plan.count,
        portCount: this.ports.length,
        totalProbes: this.meter.total,
        notes: this.plan.notes,
      });
      this.tick();
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

  /** Progress events and pings, every half ping interval while the scan runs. */
  private tick(): void {
    if (this.finished || this.cancelled) return;
    const now = this.clock.now();
    if (now - this.lastProgressAt >= this.tuning.progressIntervalMs) {
      this.lastProgressAt = now;
      this.emitProgress();
    }
    for (const host of this.active) this.maybePing(host, now);
    this.stopTicking = this.clock.after(
      Math.min(this.tuning.progressIntervalMs, this.tuning.pingIntervalMs / 2),
      () => this.tick(),
    );
  }

  private pump(): void {
    if (this.pumping || this.finished || this.cancelled) return;
    this.pumping = true;
    let launched = 0;
    try {
      while (this.inFlight.size < this.global.limit) {
        if (launched++ >= PUMP_SLICE) {
          // A few thousand connects block the thread for tens of milliseconds: let a cancel
          // request and the answers already in come first, then go on.
          this.resumeSoon();
          break;
        }
        const now = this.clock.now();
        if (now < this.pausedUntil) {
          this.wakeUpAt(this.pausedUntil);
          break;
        }
        const host = this.pickHost(now);
        if (!host) break;
        this.launchNext(host, now);
        this.checkHostDone(host);
      }
    } finally {
      this.pumping = false;
    }
    this.maybeFinish();
  }

  private resumeSoon(): void {
    if (this.resumeScheduled) return;
    this.resumeScheduled = true;
    this.clock.soon(() => {
      this.resumeScheduled = false;
      this.pump();
    });
  }

  private wakeUpAt(at: number): void {
    if (this.cancelWake && this.wakeAt <= at) return;
    this.cancelWake?.();
    this.wakeAt = at;
    this.cancelWake = this.clock.after(Math.max(1, at - this.clock.now()), () => {
      this.cancelWake = undefined;
      this.wakeAt = Number.POSITIVE_INFINITY;
      this.pump();
    });
  }

  private hasWork(host: HostState, now: number): boolean {
    if (host.inFlight >= host.window.limit) return false;
    let pending = false;
    if (host.phase === 'discovery') pending = host.discoveryQueue.length > 0;
    else if (host.phase === 'ports')
      pending = host.retries.length > 0 || host.nextPortIndex < this.ports.length;
    if (!pending) return false;
    if (!host.budget.ready(now)) {
      // Paced or capped: come back when its next probe may leave.
      this.wakeUpAt(host.budget.nextAt(now));
      return false;
    }
    return true;
  }

  private pickHost(now: number): HostState | undefined {
    for (;;) {
      const n = this.active.length;
      for (let i = 0; i < n; i++) {
        const index = (this.rr + i) % n;
        const host = this.active[index]!;
        if (this.hasWork(host, now)) {
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
    const value = parseIp(address)?.value ?? -1n;
    const onLink =
      zone !== undefined ||
      this.connected.some((c) => c.family === family && value >= c.start && value <= c.end);
    const host = new HostState(
      address,
      family,
      zone || undefined,
      zone ? `${address}%${zone}` : address,
      isLocal,
      onLink,
      this.plan.hostnames[address],
      this.tuning,
    );
    if (host.hostname !== undefined) host.hostnameMethod = 'user';
    this.active.push(host);
    if (isLocal) this.markUp(host, 'localhost');
    else if (this.plan.request.skipDiscovery) this.markUp(host, 'user-set');
    else
      for (const port of this.tuning.discoveryPorts)
        host.discoveryQueue.push({ port, tries: 0, lastSentAt: 0 });
  }

  /**
   * RFC 6298: the host's RTO, or the scan's, or the initial one; retries back off (§5.5) unless
   * pings show the path quiet right now, where a retry only guards against a rare lost packet.
   */
  private timeoutFor(
    host: HostState,
    tries: number,
    kind: ProbeKind,
    now: number,
    verify = false,
  ): number {
    const quiet = host.loss.quiet(now, this.tuning.quietWithinMs);
    const floor = quiet && host.onLink ? this.tuning.quietMinRtoMs : this.tuning.minRtoMs;
    let base = host.rtt.rto(floor) ?? this.group.rto() ?? this.tuning.initialRtoMs;
    if (kind === 'discovery') base = Math.max(base, this.tuning.discoveryMinMs);
    // A verification round checks for a rate limit, not for loss: one back-off step, however
    // many rounds the port has had.
    const backoff = quiet ? 1 : 2 ** (verify ? Math.min(tries, 1) : tries);
    return Math.min(this.tuning.maxRtoMs * 2, base * backoff);
  }

  private launchNext(host: HostState, now: number): void {
    if (host.phase === 'discovery') {
      this.launch(host, host.discoveryQueue.shift()!, 'discovery', now);
      return;
    }
    const retry = host.retries.shift();
    if (retry) {
      this.launch(host, retry, 'port', now);
      if (retry.verify && --host.verification.pending === 0 && host.pingPort?.state === 'closed') {
        // Right after the round's last probe, in the same turn: had that probe's reset been
        // dropped for want of a token, the witness's would most likely be dropped too.
        this.launch(host, { port: host.pingPort.port, tries: 0, lastSentAt: now }, 'witness', now);
      }
      return;
    }
    const port = this.ports[host.nextPortIndex++]!;
    const known = host.discoveryAnswers.get(port);
    if (known) {
      this.decide(host, port, known.state, known.reason, known.rttMs);
      return;
    }
    this.launch(host, { port, tries: 0, lastSentAt: now }, 'port', now);
  }

  private launch(host: HostState, item: QueuedProbe, kind: ProbeKind, now: number): void {
    const probe: InFlight = {
      host,
      port: item.port,
      tries: item.tries,
      kind,
      seq: this.launches++,
      verify: item.verify === true,
      passes: item.passes ?? 0,
      sentAt: now,
      lastSentAt: item.tries === 0 ? now : item.lastSentAt,
      shortSince: item.shortSince,
      timeoutMs: this.timeoutFor(host, item.tries, kind, now, item.verify === true),
      handle: { abort: () => undefined },
    };
    this.inFlight.add(probe);
    host.inFlight++;
    if (kind !== 'ping' && kind !== 'witness') host.budget.take(now);
    probe.handle = this.prober.probe(
      host.connectAddress,
      host.family,
      item.port,
      probe.timeoutMs,
      (outcome) => this.onOutcome(probe, outcome),
    );
  }

  /** A probe to a port known to answer, when the host has been silent for a while. */
  private maybePing(host: HostState, now: number): void {
    if (host.phase !== 'ports' || !host.pingPort || host.pingInFlight || host.isLocal) return;
    // Verification rounds have their witness; a ping would spend a limiter's tokens they need.
    if (host.inFlight === 0 || host.verification.active) return;
    const quietFor = now - Math.max(host.loss.lastAnswerAt, host.lastPingAt);
    if (quietFor < this.tuning.pingIntervalMs) return;
    host.pingInFlight = true;
    host.lastPingAt = now;
    this.launch(host, { port: host.pingPort.port, tries: 0, lastSentAt: now }, 'ping', now);
  }

  private requeue(probe: InFlight, shortSince?: number): void {
    const item: QueuedProbe = {
      port: probe.port,
      tries: probe.tries,
      lastSentAt: probe.lastSentAt,
      ...(shortSince !== undefined ? { shortSince } : {}),
      ...(probe.verify ? { verify: true } : {}),
      ...(probe.passes > 0 ? { passes: probe.passes } : {}),
    };
    const { host } = probe;
    if (probe.kind === 'discovery' && host.phase === 'discovery') host.discoveryQueue.unshift(item);
    else if (probe.kind === 'port') {
      host.retries.unshift(item);
      if (probe.verify) host.verification.pending++;
    } else if (probe.kind === 'ping') host.pingInFlight = false;
  }

  private onOutcome(probe: InFlight, outcome: ProbeOutcome): void {
    if (this.cancelled || !this.inFlight.has(probe)) {
      if (outcome.kind === 'open') outcome.socket?.destroy();
      return;
    }
    this.inFlight.delete(probe);
    const { host } = probe;
    host.inFlight--;
    const now = this.clock.now();
    if (outcome.kind === 'self') {
      // Not an answer from the port: the same attempt goes again, from another source port.
      this.requeue(probe);
    } else if (outcome.kind === 'resource') {
      // Out of descriptors or buffers: the probe is not lost, it waits and goes again — unless
      // the shortage lasts, when it is a fact about this PC (e.g. no usable source address).
      const since = probe.shortSince ?? now;
      if (now - since > this.tuning.resourceGiveUpMs) {
        this.onLocalError(probe, { code: outcome.code, scope: 'host', phase: 'sync' });
      } else {
        this.requeue(probe, since);
        this.global.clampTo(Math.floor(this.inFlight.size * 0.75));
        this.pausedUntil = now + 25;
      }
    } else if (outcome.kind === 'local') {
      this.onLocalError(probe, outcome);
    } else if (probe.kind === 'ping') {
      this.onPingOutcome(probe, outcome, now);
    } else if (probe.kind === 'witness') {
      this.onWitnessOutcome(probe, outcome, now);
    } else if (probe.kind === 'discovery') {
      this.onDiscoveryOutcome(probe, outcome, now);
    } else {
      this.onPortOutcome(probe, outcome, now);
    }
    this.checkHostDone(host);
    this.pump();
  }

  /** Karn's rule: only first attempts time the path; later answers are loss evidence. */
  private learn(probe: InFlight, rttMs: number, now: number): void {
    const { host } = probe;
    host.answers++;
    host.loss.answered(now, probe.tries, probe.lastSentAt);
    if (probe.tries === 0) {
      host.rtt.sample(rttMs);
      this.group.sample(rttMs);
      host.window.grow();
      this.global.grow();
      if (host.rtt.samples === 1) this.retime(host, now);
    } else {
      // An answer after a silent attempt is loss: slow down and allow more attempts on this host.
      host.maxTries = Math.min(this.tuning.maxTriesCap, Math.max(host.maxTries, probe.tries + 2));
      host.window.cut(probe.lastSentAt, now);
      this.global.cut(probe.lastSentAt, now, 0.8);
      // Loss ends the fast mode and may set a pace; a first-try answer changes neither.
      this.refreshMode(host, now);
    }
  }

  /**
   * The host's first measured answer: probes still out on the initial timeout (RFC 6298's 1 s,
   * made for an unknown path) would hold the window ten times longer than the path needs. Once
   * the measured timeout has passed, those still silent are read as timed out, as they would
   * have been had the path been known when they left.
   */
  private retime(host: HostState, now: number): void {
    const measured = this.timeoutFor(host, 0, 'port', now);
    // After the next poll of the event loop: answers already in are read first, not mistaken for
    // silence while the engine was busy.
    this.clock.after(measured, () => this.clock.soon(() => this.expireSlow(host, measured)));
  }

  private expireSlow(host: HostState, measured: number): void {
    if (this.cancelled || this.finished) return;
    const at = this.clock.now();
    const slow = [...this.inFlight].filter(
      (p) =>
        p.host === host && p.kind === 'port' && p.timeoutMs > measured && at - p.sentAt >= measured,
    );
    for (const probe of slow) {
      probe.handle.abort();
      this.onOutcome(probe, { kind: 'timeout' });
    }
  }

  /** Silence on a path with no loss since the probe left costs nothing: the window may grow. */
  private silenceWasQuiet(probe: InFlight): void {
    if (probe.host.loss.lastLossAt >= probe.sentAt) return;
    probe.host.window.grow();
    this.global.grow();
  }

  /**
   * The pace of the next verification round. A round sent at once gets about as many resets as
   * the host's limiter holds tokens (one, with a burst of 1), so finding the closed ports among
   * many dropped ones would take as many rounds as there are closed ports. Only probes to closed
   * ports spend tokens: sending at half the rate resets came back so far, divided by the share of
   * the last round that answered (an estimate of the closed share, low while starved, so it
   * converges from above), lets most of them through in few rounds.
   */
  private verificationPace(host: HostState, now: number): void {
    const v = host.verification;
    if (Number.isNaN(v.startedAt)) {
      v.startedAt = now;
      return;
    }
    const elapsed = now - v.startedAt;
    if (elapsed <= 0 || v.resets === 0 || v.size === 0) return;
    const rate = (v.resets * 1000) / elapsed;
    const share = Math.max(v.answered, 1) / v.size;
    v.pace = Math.max(rate, (0.5 * rate) / share);
    this.refreshMode(host, now);
  }

  /**
   * A directly connected host whose pings come back is scanned at full speed: a wider window and
   * shorter timeouts, within a send-rate cap (docs/scan-timing.md). A host that limits its
   * answers is paced at the rate they come back (loss.ts).
   */
  private refreshMode(host: HostState, now: number): void {
    const fast = host.onLink && host.loss.quiet(now, this.tuning.quietWithinMs);
    host.window.setCeiling(fast ? this.tuning.silentMax : this.tuning.hostMax);
    const rate = this.tuning.silentMaxRate;
    const verifying = host.verification.active ? host.verification.pace : Number.POSITIVE_INFINITY;
    // Evenly spaced, but in small bursts at higher paces: a timer wakes the engine at best
    // every millisecond, so one probe per wake-up would cap any pace at 1,000 a second.
    const paced = (pace: number) => host.budget.set(pace, Math.max(1, pace / 50), now);
    if (host.loss.paceMs > 0) paced(Math.min(1000 / host.loss.paceMs, verifying));
    else if (Number.isFinite(verifying)) paced(fast ? Math.min(rate, verifying) : verifying);
    else if (fast) host.budget.set(rate, rate / 20, now);
    else host.budget.set(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, now);
  }

  private rememberPingPort(host: HostState, port: number, state: 'open' | 'closed'): void {
    // A closed port is the better ping: a reset leaves no connection behind on the host.
    if (!host.pingPort || (host.pingPort.state === 'open' && state === 'closed'))
      host.pingPort = { port, state };
  }

  private onPingOutcome(probe: InFlight, outcome: ProbeOutcome, now: number): void {
    const { host } = probe;
    host.pingInFlight = false;
    if (outcome.kind === 'open' || outcome.kind === 'closed') {
      if (outcome.kind === 'open') outcome.socket?.destroy();
      else host.resets.add(probe.seq, now);
      host.loss.pingAnswered(now);
      host.rtt.sample(outcome.rttMs);
      this.group.sample(outcome.rttMs);
    } else {
      host.loss.pingLost(probe.sentAt, now);
      host.window.cut(probe.sentAt, now);
      this.global.cut(probe.sentAt, now, 0.8);
    }
    this.refreshMode(host, now);
  }

  /** The witness of a verification round: whether the host could answer right after it. */
  private onWitnessOutcome(probe: InFlight, outcome: ProbeOutcome, now: number): void {
    const { host } = probe;
    if (outcome.kind === 'open' || outcome.kind === 'closed') {
      if (outcome.kind === 'open') outcome.socket?.destroy();
      else host.resets.add(probe.seq, now);
      host.verification.witnessAnswered = true;
      host.verification.resets++;
    }
  }

  /**
   * A probe this PC could not send. Only an error raised before anything left (`sync`) may end
   * the scan of a host that has not answered: an `async` one ended one attempt after its SYN left,
   * so it is about that attempt (one port), and never abandons the host.
   */
  private onLocalError(
    probe: InFlight,
    outcome: { code: string; scope: 'host' | 'port'; phase: ConnectPhase },
  ): void {
    const { host } = probe;
    if (probe.kind === 'ping') {
      host.pingInFlight = false;
      return;
    }
    if (probe.kind === 'witness') return;
    const beforeSending = outcome.phase === 'sync';
    if (beforeSending) host.localErrorBeforeSending = true;
    host.localError ??= {
      code: outcome.code,
      message: this.isBroadcast(host)
        ? broadcastText(outcome.code)
        : beforeSending
          ? localErrorText(outcome.code)
          : lateLocalErrorText(outcome.code),
    };
    if (beforeSending && outcome.scope === 'host' && host.answers === 0) {
      this.markUnprobed(host);
      return;
    }
    if (probe.kind === 'port') {
      host.localErrorPorts++;
      this.decide(host, probe.port, 'filtered', 'local-error');
    }
    this.endDiscoveryIfIdle(host);
  }

  private isBroadcast(host: HostState): boolean {
    if (host.family !== 4) return false;
    const value = parseIp(host.address)?.value;
    return this.connected.some((c) => c.family === 4 && c.end - c.start >= 3n && c.end === value);
  }

  private onDiscoveryOutcome(probe: InFlight, outcome: ProbeOutcome, now: number): void {
    const { host, port, tries } = probe;
    switch (outcome.kind) {
      case 'open':
        outcome.socket?.destroy();
        this.learn(probe, outcome.rttMs, now);
        this.rememberPingPort(host, port, 'open');
        if (host.phase === 'discovery') this.markUp(host, 'syn-ack');
        break;
      case 'closed':
        this.learn(probe, outcome.rttMs, now);
        host.resets.add(probe.seq, now);
        this.rememberPingPort(host, port, 'closed');
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
          host.discoveryQueue.push({ port, tries: tries + 1, lastSentAt: probe.sentAt });
        }
        break;
      default:
        break;
    }
    this.endDiscoveryIfIdle(host);
  }

  private endDiscoveryIfIdle(host: HostState): void {
    if (host.phase === 'discovery' && host.discoveryQueue.length === 0 && host.inFlight === 0) {
      if (host.localErrorBeforeSending && host.answers === 0) {
        this.markUnprobed(host);
        return;
      }
      host.phase = 'checking';
      host.discoveryEndedAt = this.clock.date().getTime();
      this.checkNeighbour(host);
    }
  }

  private checkNeighbour(host: HostState): void {
    void this.neighbours.lookup(host.address, host.discoveryEndedAt).then((entry) => {
      const { mac } = entry;
      if (this.cancelled || host.phase !== 'checking') return;
      // A STALE entry confirmed since this scan started (to the second the kernel counts) answered
      // the scan's own ARP/NDP request: the device was there. Without it, a silent host whose
      // probes outlasted the kernel's reachable time (15–45 s) was STALE when looked up, and
      // stayed so, as nothing was sent to it anymore: it was called down.
      const answeredThisScan =
        entry.confirmedAt !== undefined && entry.confirmedAt >= this.startedAt.getTime();
      const state = entry.state === 'unconfirmed' && answeredThisScan ? 'confirmed' : entry.state;
      if (state === 'confirmed') {
        host.mac = mac;
        // On the same link and silent: time probes on what the scan measured, or a short LAN guess.
        host.rtt.seed(this.group.smoothedMs ?? 20, Math.max(this.group.variationMs, 10));
        // It exists yet answered nothing: silence is its policy, not congestion, so go wide at once.
        host.window.openTo(this.tuning.hostMax);
        this.markUp(host, 'neighbour');
      } else if (state === 'unconfirmed' && host.neighbourChecks++ < 6) {
        // STALE/DELAY/PROBE: the kernel is still checking; look again once it has decided.
        this.clock.after(1000, () => {
          host.discoveryEndedAt = this.clock.date().getTime();
          this.checkNeighbour(host);
        });
        return;
      } else {
        this.markDown(host, host.sawUnreachable ? 'host-unreachable' : 'no-response');
      }
      this.pump();
    });
  }

  private onPortOutcome(probe: InFlight, outcome: ProbeOutcome, now: number): void {
    const { host, port, tries } = probe;
    // Only a listener's answer (SYN-ACK or reset) tells about the reset limiter the rounds are
    // for. An ICMP error decides its own port filtered, but the kernel sends those at about one a
    // second: counted, they kept the rounds going one port at a time (minutes where nmap took
    // seconds on a host that drops, rejects with ICMP and resets).
    if (probe.verify && (outcome.kind === 'open' || outcome.kind === 'closed')) {
      host.verification.answered++;
      host.verification.resets++;
    }
    switch (outcome.kind) {
      case 'open':
        this.learn(probe, outcome.rttMs, now);
        this.rememberPingPort(host, port, 'open');
        if (outcome.socket) this.openWithBanner(host, port, outcome.rttMs, outcome.socket);
        // Reset right after the handshake (ECONNRESET): a listener all the same, with nothing to read.
        else this.decide(host, port, 'open', 'syn-ack', outcome.rttMs);
        break;
      case 'closed':
        this.learn(probe, outcome.rttMs, now);
        host.resets.add(probe.seq, now);
        this.rememberPingPort(host, port, 'closed');
        this.decide(host, port, 'closed', 'conn-refused', outcome.rttMs);
        break;
      case 'unreachable':
        host.answers++;
        this.decide(host, port, 'filtered', outcome.reason, outcome.rttMs);
        break;
      case 'timeout':
      case 'error':
        this.silenceWasQuiet(probe);
        // A verification round gives each port one attempt: the round is judged as a whole.
        if (!probe.verify && tries + 1 < host.maxTries) {
          host.retries.push({ port, tries: tries + 1, lastSentAt: probe.sentAt });
        } else {
          // Filtered, unless the verdict on loss and limits (checkHostDone) finds it suspect.
          host.silent.push({
            port,
            tries,
            passes: probe.passes,
            seq: probe.seq,
            sentAt: probe.sentAt,
            expiredAt: now,
          });
          host.settled++;
          this.meter.settle();
        }
        break;
      default:
        break;
    }
  }

  private openWithBanner(host: HostState, port: number, rttMs: number, socket: Socket): void {
    if (
      this.banners.size >= this.tuning.maxBannerSockets ||
      host.bannerReads >= this.tuning.maxBannerSocketsPerHost
    ) {
      socket.destroy();
      this.decide(host, port, 'open', 'syn-ack', rttMs);
      return;
    }
    host.inFlight++; // the host is not finished while its banner is being read
    host.bannerReads++;
    const settle = (banner: string | undefined, facts?: ServiceFacts): void => {
      host.bannerReads--;
      if (this.cancelled) return;
      host.inFlight--;
      this.decide(host, port, 'open', 'syn-ack', rttMs, banner, false, facts);
      this.checkHostDone(host);
      this.pump();
    };
    const stop = readBanner(socket, this.tuning.bannerWaitMs, (banner) => {
      this.banners.delete(stop);
      // A service that said nothing on a web or TLS port is asked, on a connection of its own,
      // holding the same banner slot (the bounds on sockets stay those of banners).
      const probe = this.services && !this.cancelled ? serviceProbeFor(port, banner) : undefined;
      if (!probe) {
        settle(banner);
        return;
      }
      const stopProbe = this.services![probe](
        { address: host.address, connectAddress: host.connectAddress, port, name: host.hostname },
        this.tuning.serviceProbeMs,
        (facts) => {
          this.banners.delete(stopProbe);
          settle(banner, facts);
        },
      );
      this.banners.add(stopProbe);
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
    alreadySettled = false,
    facts?: ServiceFacts,
  ): void {
    const result: PortResult = {
      port,
      protocol: 'tcp',
      state,
      reason,
      ...(rttMs !== undefined ? { rttMs: Math.round(rttMs * 1000) / 1000 } : {}),
      ...(banner !== undefined ? { banner } : {}),
    };
    // What the banner names of the software (an SSH server's version), as nmap -sV fills it, or
    // else what a service probe learnt (a web server's Server header).
    const detected = (banner !== undefined ? sshDetected(banner) : undefined) ?? facts?.detected;
    if (detected) result.detected = detected;
    if (facts?.http) result.http = facts.http;
    if (facts?.tls) result.tls = facts.tls;
    if (!alreadySettled) {
      host.settled++;
      this.meter.settle();
    }
    host.counts[state]++;
    host.states.set('tcp', port, state);
    if (state === 'open') {
      host.open.push(result);
      this.meter.foundOpen();
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
    if (!host.isLocal && host.hostname === undefined) this.lookUpName(host);
    // A UDP-only scan (`-p U:53`): no TCP port to probe, the host is done once found up (the
    // worker's UDP phase probes it next). With ports, the last answer's handler does this.
    if (this.ports.length === 0) this.checkHostDone(host);
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

  /**
   * The name of a host found up that has no name the user typed: only the scan's own targets are
   * asked (issue 16). Its PTR name (`hostnameMethod: 'ptr'`), on this PC's link its mDNS name
   * (`'mdns'`), and for IPv4 its NetBIOS workstation name (`'netbios'`) are asked together; once
   * all are in, the PTR name wins (the network's DNS is the name other machines use), then the
   * name the device gives itself by mDNS, then NetBIOS. Reported by another `host` event and in
   * the host's result. A link-local address is left to mDNS: unicast DNS has no name for it.
   */
  private lookUpName(host: HostState): void {
    const linkLocal = host.zone !== undefined || /^fe[89ab]/i.test(host.address);
    const ptr = this.names && !linkLocal ? this.names.name(host.address) : undefined;
    const netbios =
      this.netbiosNames && host.family === 4 ? this.netbiosNames.name(host.address) : undefined;
    const mdns =
      this.mdnsNames && host.onLink ? this.mdnsNames.name(host.connectAddress) : undefined;
    if (!ptr && !mdns && !netbios) return;
    this.nameLookups++;
    void Promise.all([ptr ?? null, mdns ?? null, netbios ?? null])
      .then(([ptrName, mdnsName, netbiosName]) => {
        const found: [string, 'ptr' | 'mdns' | 'netbios'] | undefined = ptrName
          ? [ptrName, 'ptr']
          : mdnsName
            ? [mdnsName, 'mdns']
            : netbiosName
              ? [netbiosName, 'netbios']
              : undefined;
        if (this.cancelled || !found || host.hostname !== undefined) return;
        const [name, method] = found;
        host.hostname = name;
        host.hostnameMethod = method;
        if (host.result) {
          host.result.hostname = name;
          host.result.hostnameMethod = method;
        }
        this.emitHost(host);
      })
      .finally(() => {
        this.nameLookups--;
        this.maybeFinish();
      });
  }

  private markDown(host: HostState, reason: HostReason): void {
    host.status = 'down';
    host.reason = reason;
    host.phase = 'done';
    this.meter.settle(this.ports.length - host.settled);
    if (this.plan.count <= this.tuning.listDownHostsUpTo) {
      this.emitHost(host);
      this.results.push(this.hostResult(host));
    }
    this.remove(host);
  }

  /** This PC could not send probes to the host: neither up nor down, and said so. */
  private markUnprobed(host: HostState): void {
    for (const probe of this.inFlight) {
      if (probe.host !== host) continue;
      probe.handle.abort();
      this.inFlight.delete(probe);
    }
    host.inFlight = 0;
    host.status = 'unknown';
    host.reason = 'local-error';
    host.phase = 'done';
    this.meter.settle(this.ports.length - host.settled);
    this.emitHost(host);
    this.results.push(this.hostResult(host, true));
    this.remove(host);
  }

  private emitHost(host: HostState): void {
    this.emit({
      type: 'host',
      scanId: this.plan.scanId,
      address: host.address,
      ...(host.zone ? { zone: host.zone } : {}),
      isLocal: host.isLocal,
      ...(host.hostname !== undefined ? { hostname: host.hostname } : {}),
      ...(host.hostnameMethod ? { hostnameMethod: host.hostnameMethod } : {}),
      ...(host.mac !== undefined ? { mac: host.mac } : {}),
      status: host.status ?? 'down',
      reason: host.reason,
      ...(host.localError ? { localError: host.localError } : {}),
      ...(host.result?.answersEveryPort ? { answersEveryPort: host.result.answersEveryPort } : {}),
    });
  }

  /**
   * When every port of a host has had its attempts: silent ports become `filtered`, except those
   * whose last attempt overlapped a loss (loss.ts), which get another round while rounds remain.
   */
  private checkHostDone(host: HostState): void {
    if (host.phase !== 'ports' || host.inFlight > 0 || host.retries.length > 0) return;
    if (host.nextPortIndex < this.ports.length) return;
    if (host.silent.length > 0) {
      const suspect = this.suspectSilence(host);
      host.silent = [];
      if (suspect.length > 0) {
        host.round++;
        host.settled -= suspect.length;
        this.meter.settle(-suspect.length);
        const verify = host.verification.active;
        const items = suspect.map((silent) => ({
          port: silent.port,
          tries: silent.tries + 1,
          lastSentAt: silent.sentAt,
          ...(verify ? { verify: true, passes: silent.passes + 1 } : {}),
        }));
        if (!verify) {
          for (const silent of suspect) host.maxTries = Math.max(host.maxTries, silent.tries + 2);
          host.retries.push(...items);
          return;
        }
        const v = host.verification;
        this.verificationPace(host, this.clock.now());
        // Closed ports often sit together (a block of services): spread over the round, they
        // meet the limiter's tokens as they come instead of all at once.
        items.sort((a, b) => scatter(a.port) - scatter(b.port));
        v.answered = 0;
        v.witnessAnswered = false;
        v.pending = items.length;
        v.size = items.length;
        if (v.idle === 0) {
          host.retries.push(...items);
          return;
        }
        // Nothing answered last round: the limiter's bucket is empty (or the host has gone
        // quiet); wait for it to fill before the next round, longer each time.
        const base = host.rtt.rto() ?? this.tuning.minRtoMs;
        const wait = Math.min(this.tuning.maxVerifyWaitMs, base * 2 ** (v.idle - 1));
        host.inFlight++; // not finished while it waits
        this.clock.after(wait, () => {
          if (this.cancelled || this.finished) return;
          host.inFlight--;
          host.retries.push(...items);
          this.pump();
        });
        return;
      }
    }
    host.phase = 'done';
    const unprobed =
      this.ports.length > 0 && host.answers === 0 && host.localErrorPorts === this.ports.length;
    if (unprobed) {
      host.status = 'unknown';
      host.reason = 'local-error';
    }
    const result = this.hostResult(host, unprobed);
    // What is known only now goes with one more `host` event.
    if (result.answersEveryPort || result.localError) this.emitHost(host);
    for (const port of result.ports) {
      if (port.state !== 'open') {
        this.emit({ type: 'port', scanId: this.plan.scanId, address: host.address, result: port });
      }
    }
    this.results.push(result);
    this.remove(host);
  }

  /**
   * The host's silent ports that need another round; the others are decided filtered here.
   *
   * - A port whose last attempt overlapped a loss (loss.ts) may have lost its answer.
   * - On a host that answered with resets, silence may also be a reset its rate limit dropped: a
   *   port is filtered only when resets to probes sent after it came fast enough to rule that out
   *   (silence.ts). Otherwise it goes to verification rounds, each followed at once by a witness
   *   probe to a closed port, as long as rounds get answers; twice in a row no port but the
   *   witness answering proves the host could answer just then, and the ports that stayed silent
   *   are filtered. So are they after `maxIdleVerifyRounds` rounds in a row with no answer at all.
   * - A host that never sent a reset gives no reason to suspect a limit: its silent ports are
   *   filtered unless they overlapped a loss, for at most `maxConfirmRounds` extra rounds.
   */
  private suspectSilence(host: HostState): SilentPort[] {
    const limitable = host.resets.size > 0;
    const v = host.verification;
    let giveUp = false;
    if (limitable && v.active) {
      if (v.answered > 0) {
        v.witnessed = 0;
        v.idle = 0;
      } else if (v.witnessAnswered) {
        v.witnessed++;
        v.idle = 0;
      } else {
        v.idle++;
      }
      giveUp = v.witnessed >= 2 || v.idle > this.tuning.maxIdleVerifyRounds;
    }
    const suspect: SilentPort[] = [];
    for (const silent of host.silent) {
      const lossy = host.loss.overlapsLoss(silent.sentAt, silent.expiredAt);
      let again: boolean;
      if (!limitable) again = lossy && host.round < this.tuning.maxConfirmRounds;
      else
        again =
          !giveUp &&
          silent.passes < this.tuning.maxVerifyPasses &&
          (lossy || !host.resets.provesSilence(silent.seq, silent.sentAt));
      if (again) suspect.push(silent);
      else this.decide(host, silent.port, 'filtered', 'no-response', undefined, undefined, true);
    }
    if (limitable && suspect.length > 0) v.active = true;
    return suspect;
  }

  private remove(host: HostState): void {
    const index = this.active.indexOf(host);
    if (index >= 0) {
      this.active.splice(index, 1);
      if (this.rr > index) this.rr--;
      if (this.rr >= this.active.length) this.rr = 0;
    }
  }

  private hostResult(host: HostState, unprobed = false): HostResult {
    const limit = this.tuning.listStateUpTo;
    const showClosed = host.counts.closed <= limit;
    const showFiltered = host.counts.filtered <= limit;
    const ports = unprobed
      ? []
      : [
          ...host.open,
          ...(showClosed ? host.closed : []),
          ...(showFiltered ? host.filtered : []),
        ].sort((a, b) => a.port - b.port);
    const probed =
      host.counts.open + host.counts.closed + host.counts.filtered - host.localErrorPorts;
    // Unprobed: no state says anything about the host (see `localError`).
    const portStates = unprobed ? undefined : host.states.lists();
    const everyPort = everyPortVerdict(
      host.counts.open,
      probed,
      this.tuning.everyPortMinPorts,
      this.tuning.everyPortOpenShare,
    );
    return (host.result = {
      address: host.address,
      ...(host.zone ? { zone: host.zone } : {}),
      family: host.family === 4 ? 'ipv4' : 'ipv6',
      ...(host.hostname !== undefined ? { hostname: host.hostname } : {}),
      ...(host.hostnameMethod ? { hostnameMethod: host.hostnameMethod } : {}),
      isLocal: host.isLocal,
      ...(host.mac !== undefined ? { mac: host.mac } : {}),
      status: host.status ?? 'down',
      reason: host.reason,
      ports,
      hidden: {
        open: 0,
        closed: showClosed || unprobed ? 0 : host.counts.closed,
        filtered: showFiltered || unprobed ? 0 : host.counts.filtered,
      },
      ...(portStates ? { portStates } : {}),
      ...(host.localError ? { localError: host.localError } : {}),
      ...(everyPort ? { answersEveryPort: everyPort } : {}),
    });
  }

  private emitProgress(force = false): void {
    const snapshot = this.meter.snapshot(this.clock.now() - this.startedClock, force);
    if (snapshot) this.emit({ type: 'progress', scanId: this.plan.scanId, ...snapshot });
  }

  private maybeFinish(): void {
    if (this.finished || this.cancelled) return;
    if (!this.hostsExhausted || this.active.length > 0 || this.inFlight.size > 0) return;
    if (this.macLookups > 0 || this.nameLookups > 0) return;
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.names?.close();
    this.netbiosNames?.close();
    this.mdnsNames?.close();
    this.stopTicking?.();
    this.cancelWake?.();
    this.emitProgress(true);
    const result: ScanResult = {
      scanId: this.plan.scanId,
      source: {
        kind: 'engine',
        method: 'tcp-connect',
        minRtoMs: this.tuning.minRtoMs,
        maxRtoMs: this.tuning.maxRtoMs,
        initialRtoMs: this.tuning.initialRtoMs,
        maxTries: this.tuning.maxTries,
        maxTriesCap: this.tuning.maxTriesCap,
        discoveryPorts: [...this.tuning.discoveryPorts],
      },
      request: this.plan.request,
      addresses: this.plan.count,
      portCount: this.ports.length,
      notes: this.plan.notes,
      startedAt: this.startedAt.toISOString(),
      finishedAt: this.clock.date().toISOString(),
      cancelled: this.cancelled,
      hosts: this.results.sort(compareHosts),
    };
    this.emit({ type: 'finished', scanId: this.plan.scanId, result });
    this.resolveRun?.(result);
  }
}

function compareHosts(a: HostResult, b: HostResult): number {
  if (a.family !== b.family) return a.family === 'ipv4' ? -1 : 1;
  const av = parseIp(a.address)?.value ?? 0n;
  const bv = parseIp(b.address)?.value ?? 0n;
  return av < bv ? -1 : av > bv ? 1 : 0;
}
