import type { Clock } from '../../../app/scan/clock.js';
import { classifyConnectError, type ProbeOutcome } from '../../../app/scan/connect-outcome.js';
import type { NeighbourLookup } from '../../../app/scan/engine.js';
import type { NeighbourEntry } from '../../../app/scan/neighbours.js';
import type { ProbeHandle, Prober } from '../../../app/scan/prober.js';

/**
 * A scripted network for driving the scan engine in unit tests: a virtual clock (time moves only
 * from one scheduled event to the next, so a 65,535-port scan of a silent host takes
 * milliseconds of real time and no assertion depends on the machine's speed), and hosts whose
 * answers follow rules a test states — rate-limited resets, dropped ports, a tarpit, local errors.
 */

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A binary heap of timers by (time, order of creation). */
class TimerHeap {
  private readonly items: Timer[] = [];

  get size(): number {
    return this.items.length;
  }

  push(timer: Timer): void {
    const items = this.items;
    items.push(timer);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Timer | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && before(items[l]!, items[m]!)) m = l;
        if (r < items.length && before(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly timers = new TimerHeap();

  now(): number {
    return this.time;
  }

  date(): Date {
    return new Date(Date.UTC(2026, 0, 1) + Math.round(this.time));
  }

  after(ms: number, fn: () => void): () => void {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  soon(fn: () => void): void {
    this.after(0, fn);
  }

  /**
   * Runs every timer in time order until `done()` holds, letting promise callbacks (neighbour
   * lookups) run between timers. Throws when nothing is left to run and the work is not done.
   */
  async runUntil(done: () => boolean): Promise<void> {
    for (let steps = 0; ; steps++) {
      if (steps % 256 === 0 || this.timers.size === 0) await new Promise(setImmediate);
      if (done()) return;
      const timer = this.timers.pop();
      if (!timer) throw new Error(`virtual clock stalled at ${this.time} ms`);
      if (timer.cancelled) continue;
      this.time = timer.at;
      timer.fn();
    }
  }
}

/** What one SYN to a port gets, as a host rule decides it. */
export type SimAnswer =
  | { kind: 'open' | 'reset' }
  /** `afterMs`: the reset comes this late instead of after one round trip (Windows' SYN retries). */
  | { kind: 'closed'; afterMs?: number }
  | { kind: 'silent' }
  | { kind: 'errno'; code: string; phase: 'sync' | 'async' };

/** A host of the simulated network: its answer to each probe, and its round-trip time. */
export interface SimHost {
  rttMs: number;
  answer(port: number, at: number): SimAnswer;
}

/** A token bucket (nft's `limit rate over N/second burst B packets`): true when a packet may pass. */
export function tokenBucket(perSecond: number, burst: number): (at: number) => boolean {
  let tokens = burst;
  let last = 0;
  return (at) => {
    tokens = Math.min(burst, tokens + ((at - last) * perSecond) / 1000);
    last = at;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

/** A probe as the simulated network saw it. */
export interface SentProbe {
  address: string;
  port: number;
  at: number;
  timeoutMs: number;
}

/**
 * The engine's prober on the simulated network. Errors go through the real classification
 * (app/scan/connect-outcome.ts), as the real probers do.
 */
export class SimProber implements Prober {
  readonly kind = 'net' as const;
  readonly sent: SentProbe[] = [];
  private inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly hosts: Record<string, SimHost>,
  ) {}

  probe(
    address: string,
    _family: 4 | 6,
    port: number,
    timeoutMs: number,
    done: (outcome: ProbeOutcome) => void,
  ): ProbeHandle {
    const at = this.clock.now();
    this.sent.push({ address, port, at, timeoutMs });
    const host = this.hosts[address.split('%')[0]!];
    const answer: SimAnswer = host ? host.answer(port, at) : { kind: 'silent' };
    if (answer.kind === 'errno' && answer.phase === 'sync') {
      done(classifyConnectError(answer.code, 0, 'sync', 'linux'));
      return { abort: () => undefined };
    }
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const rtt = (answer.kind === 'closed' ? answer.afterMs : undefined) ?? host?.rttMs ?? 1;
    let outcome: ProbeOutcome;
    switch (answer.kind) {
      case 'open':
        outcome = { kind: 'open', rttMs: rtt };
        break;
      case 'closed':
        outcome = { kind: 'closed', rttMs: rtt };
        break;
      case 'reset':
        outcome = classifyConnectError('ECONNRESET', rtt, 'async', 'linux');
        break;
      case 'errno':
        outcome = classifyConnectError(answer.code, rtt, 'async', 'linux');
        break;
      case 'silent':
        outcome = { kind: 'timeout' };
        break;
    }
    const delay = outcome.kind === 'timeout' || rtt >= timeoutMs ? timeoutMs : rtt;
    if (delay === timeoutMs) outcome = { kind: 'timeout' };
    let settled = false;
    const cancel = this.clock.after(delay, () => {
      settled = true;
      this.inFlight--;
      done(outcome);
    });
    return {
      abort: () => {
        if (settled) return;
        settled = true;
        this.inFlight--;
        cancel();
      },
    };
  }

  /** Probes sent to one port of one address. */
  count(address: string, port?: number): number {
    return this.sent.filter((p) => p.address === address && (port === undefined || p.port === port))
      .length;
  }
}

/** A neighbour table that knows the given addresses (on the simulated link). */
export function simNeighbours(known: Record<string, string> = {}): NeighbourLookup {
  return {
    lookup: (address: string): Promise<NeighbourEntry> =>
      Promise.resolve(
        known[address] ? { state: 'confirmed', mac: known[address] } : { state: 'absent' },
      ),
  };
}
