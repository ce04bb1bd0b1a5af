import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { PortReason, PortResult } from '../../contract/scan.js';
import { classifyUdpError, type UdpPortState } from './outcome.js';
import { udpPayload, udpServiceFor, type ProbeContext } from './services.js';
import { printableBanner } from '../prober.js';

/** What one datagram sent on a connected socket brought back. */
export type UdpAttempt =
  /** `context`: the request's address and id, which the reply's recogniser checks. */
  | { kind: 'reply'; data: Buffer; rttMs: number; context?: ProbeContext }
  | { kind: 'error'; code: string; rttMs: number }
  | { kind: 'silent' };

/** One UDP port's verdict. */
export interface UdpPortResult {
  port: number;
  state: UdpPortState;
  /** nmap's reason: `udp-response`, `port-unreach`, `no-response`, an ICMP prohibition… */
  reason: PortReason;
  /** Round-trip time of the reply or ICMP error that decided, in ms. */
  rttMs?: number;
  /** The service the set probes on this port (nmap-services name), when it has one. */
  service?: string;
  /** What the reply said about the software, when its protocol's recogniser could read it. */
  detail?: string;
  /** True when the reply was recognised as the service's protocol answering our request. */
  recognised?: boolean;
}

/** How a UDP host scan waits and retries. */
export interface UdpScanOptions {
  /** How long a first or retried probe waits for an answer, in ms (nmap -sU's initial: 1,000). */
  timeoutMs?: number;
  /** Probes after the first one to a silent port before the witness rounds (default 2). */
  retries?: number;
  /**
   * Witnessed rounds in a row in which neither the silent port nor the witness answered (the
   * host's ICMP budget empty, or the host gone) after which the silent ports are `open|filtered`
   * all the same (default 8).
   */
  maxStarvedRounds?: number;
  /** Where Node runs, for reading socket errors (default process.platform). */
  platform?: NodeJS.Platform;
  /** Stops the scan: ports not decided yet are left out of the result. */
  signal?: AbortSignal;
}

const DEFAULTS = { timeoutMs: 1000, retries: 2, maxStarvedRounds: 8 };

/** Probes (sockets) one host has out at once. */
const BATCH = 256;

/**
 * Sends `payload` to `address`:`port` from a new UDP socket connected to it and reports the first
 * thing that comes back within `timeoutMs`: a datagram, an error (an ICMP error the kernel matched
 * to the connected socket: Linux reports port unreachable as ECONNREFUSED on the next receive,
 * Windows as WSAECONNRESET), or silence. A connected socket only receives datagrams from that
 * address and port, so an answer from another port (a TFTP server's new TID) is not seen.
 * Never rejects: a socket that cannot be created or sent on reports its error code.
 */
export function udpAttempt(
  address: string,
  family: 4 | 6,
  port: number,
  payload: Buffer,
  timeoutMs: number,
): Promise<UdpAttempt> {
  return new Promise((resolve) => {
    let socket: Socket;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    let sentAt = performance.now();
    const finish = (attempt: UdpAttempt): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      try {
        socket.close();
      } catch {
        // already closed by an error
      }
      resolve(attempt);
    };
    const rtt = (): number => Math.max(0, performance.now() - sentAt);
    try {
      socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    } catch (error) {
      resolve({
        kind: 'error',
        code: (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN',
        rttMs: 0,
      });
      return;
    }
    socket.on('message', (data) => finish({ kind: 'reply', data, rttMs: rtt() }));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish({ kind: 'error', code: error.code ?? 'EUNKNOWN', rttMs: rtt() }),
    );
    socket.connect(port, address, () => {
      sentAt = performance.now();
      socket.send(payload, (error) => {
        if (error) {
          finish({
            kind: 'error',
            code: (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN',
            rttMs: 0,
          });
          return;
        }
        timer = setTimeout(() => finish({ kind: 'silent' }), timeoutMs);
      });
    });
  });
}

/** Sends the probe of `port` (its service's payload, else an empty datagram). */
type Send = (port: number, timeoutMs: number) => Promise<UdpAttempt>;

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Scans `ports` of one host over UDP, without admin rights (nmap -sU's states from connected
 * sockets). Each port gets its service's request (app/scan/udp/services.ts):
 *
 * - a datagram back: `open` (`udp-response`);
 * - ICMP port unreachable (ECONNREFUSED; WSAECONNRESET on Windows): `closed` (`port-unreach`);
 * - an ICMP prohibition the system reports: `filtered` (outcome.ts says which ones it can see);
 * - silence: retried `retries` times, then — on a host that has shown a closed port — proven by a
 *   **witness**: the silent port's probe and, in the same turn of the event loop, a probe to the
 *   known closed port. Kernels rate-limit ICMP errors with a token bucket per peer (Linux:
 *   net.ipv4.icmp_ratelimit, 1 s, burst of 6 at the time of writing, measured in
 *   docs/scan-timing.md), and the silent port's probe reaches the bucket first: if the witness
 *   was answered, a token was there for the silent port too, so its silence is not a dropped port
 *   unreachable, and it is `open|filtered` (`no-response`). If neither answered (the bucket empty),
 *   the pair goes again after a wait that doubles from the timeout up to 1 s; after
 *   `maxStarvedRounds` such pairs in a row the ports still silent are `open|filtered` anyway.
 *
 * A host that never sent a port unreachable gives no reason to suspect a limit: its silent ports
 * are `open|filtered` after their retries. Resolves with the decided ports in ascending order;
 * never rejects.
 */
export async function scanUdpHost(
  address: string,
  family: 4 | 6,
  ports: readonly number[],
  options: UdpScanOptions = {},
  send: Send = defaultSend(address, family),
): Promise<UdpPortResult[]> {
  const { timeoutMs, retries, maxStarvedRounds } = { ...DEFAULTS, ...options };
  const platform = options.platform ?? process.platform;
  const signal = options.signal;
  const decided = new Map<number, UdpPortResult>();
  let closedWitness: number | undefined;
  let slowestRtt = 0;

  const decide = (port: number, attempt: UdpAttempt): boolean => {
    if (attempt.kind === 'silent') return false;
    if (attempt.kind === 'reply') {
      slowestRtt = Math.max(slowestRtt, attempt.rttMs);
      decided.set(port, replyResult(port, attempt));
      return true;
    }
    const verdict = classifyUdpError(attempt.code, platform);
    if (verdict.kind === 'state') {
      slowestRtt = Math.max(slowestRtt, attempt.rttMs);
      if (verdict.state === 'closed') closedWitness ??= port;
      decided.set(port, {
        port,
        state: verdict.state,
        reason: verdict.reason,
        rttMs: round(attempt.rttMs),
        ...serviceOf(port),
      });
      return true;
    }
    if (verdict.kind === 'local') {
      decided.set(port, { port, state: 'filtered', reason: 'local-error', ...serviceOf(port) });
      return true;
    }
    return false;
  };

  let silent = [...new Set(ports)].sort((a, b) => a - b);
  for (let attempt = 0; attempt <= retries && silent.length > 0 && !signal?.aborted; attempt++) {
    const still: number[] = [];
    // At most BATCH sockets at once: `U:1-65535` must not open 65,535 descriptors.
    for (let from = 0; from < silent.length && !signal?.aborted; from += BATCH) {
      const batch = silent.slice(from, from + BATCH);
      const outcomes = await Promise.all(batch.map((port) => send(port, timeoutMs)));
      batch.forEach((port, i) => {
        if (!decide(port, outcomes[i]!)) still.push(port);
      });
    }
    silent = still;
  }

  if (closedWitness !== undefined) {
    const witnessTimeout = Math.min(timeoutMs, Math.max(100, 4 * slowestRtt));
    let starved = 0;
    let backoff = witnessTimeout;
    while (silent.length > 0 && starved < maxStarvedRounds && !signal?.aborted) {
      const port = silent[0]!;
      const [probe, witness] = await Promise.all([
        send(port, witnessTimeout),
        send(closedWitness, witnessTimeout),
      ]);
      if (decide(port, probe)) {
        silent.shift();
        starved = 0;
        backoff = witnessTimeout;
      } else if (
        witness.kind === 'error' &&
        classifyUdpError(witness.code, platform).kind === 'state'
      ) {
        decided.set(port, {
          port,
          state: 'open|filtered',
          reason: 'no-response',
          ...serviceOf(port),
        });
        silent.shift();
        starved = 0;
        backoff = witnessTimeout;
      } else {
        starved++;
        await wait(backoff, signal);
        backoff = Math.min(1000, backoff * 2);
      }
    }
  }
  if (!signal?.aborted) {
    for (const port of silent) {
      decided.set(port, {
        port,
        state: 'open|filtered',
        reason: 'no-response',
        ...serviceOf(port),
      });
    }
  }
  return [...decided.values()].sort((a, b) => a.port - b.port);
}

function defaultSend(address: string, family: 4 | 6): Send {
  let id = Math.floor(Math.random() * 0x10000);
  return (port, timeoutMs) => {
    id = (id + 1) & 0xffff;
    const context = { address, id };
    return udpAttempt(address, family, port, udpPayload(port, context), timeoutMs).then(
      (attempt) => (attempt.kind === 'reply' ? { ...attempt, context } : attempt),
    );
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function serviceOf(port: number): { service?: string } {
  const service = udpServiceFor(port);
  return service ? { service: service.name } : {};
}

/**
 * The verdict of a port that answered: `open` whatever it says (nmap: any UDP response), with what
 * its service's recogniser read when the attempt kept its request's context.
 */
function replyResult(
  port: number,
  attempt: { data: Buffer; rttMs: number; context?: ProbeContext },
): UdpPortResult {
  const read = attempt.context ? readReply(port, attempt.data, attempt.context) : undefined;
  return {
    port,
    state: 'open',
    reason: 'udp-response',
    rttMs: round(attempt.rttMs),
    ...serviceOf(port),
    ...(read ? { recognised: read.recognised } : {}),
    ...(read?.detail ? { detail: read.detail } : {}),
  };
}

/**
 * Reads the reply `data` to the probe of `port` sent with `context`: whether it is the service's
 * answer, and its detail (printable ASCII only, as a TCP banner: printableBanner).
 */
export function readReply(
  port: number,
  data: Buffer,
  context: ProbeContext,
): { recognised: boolean; detail?: string } {
  const found = udpServiceFor(port)?.recognise(data, context);
  // What a device says (an SSDP SERVER header, a memcached version…) is filtered here, once,
  // exactly like a TCP banner: it becomes the port's banner, shown and exported.
  const detail = found?.detail ? printableBanner(found.detail).trim() : '';
  return found ? { recognised: true, ...(detail ? { detail } : {}) } : { recognised: false };
}

/** A UDP verdict as the contract's port (protocol `udp`, nmap's state and reason). */
export function toPortResult(result: UdpPortResult): PortResult {
  return {
    port: result.port,
    protocol: 'udp',
    state: result.state,
    reason: result.reason,
    ...(result.rttMs !== undefined ? { rttMs: result.rttMs } : {}),
    ...(result.detail ? { banner: result.detail.slice(0, 512) } : {}),
  };
}
