import { Resolver } from 'node:dns/promises';
import { MAX_HOSTNAME } from '../contract/scan.js';
import type { Clock } from './clock.js';

/**
 * Reverse DNS (PTR, RFC 1035 §3.5) of a scan's own answering addresses, so a device card reads
 * "raspberrypi.home" rather than an address alone. Asked of the DNS servers this PC uses (the
 * system's resolver configuration) or of servers the caller names; only ever for addresses the
 * scan found up, which the user targeted (issue 16). Bounded: at most `concurrency` lookups at once
 * (≤ 8), each given up after `lookupTimeoutMs`, none started after `totalMs` from the first, and
 * none at all once `giveUpAfterTimeouts` lookups in a row had no answer of any kind (no server
 * reachable: a scan of a /24 must not wait 254 timeouts). One lookup per address and scan.
 */

/**
 * Asks the PTR names of `address` (IPv4 or IPv6, no zone). Resolves with the names (possibly
 * none); rejects with the resolver's error (`ENOTFOUND` for NXDOMAIN, `ETIMEOUT`, `ECANCELLED`
 * once `signal` aborts…). Injected into the engine (EngineDeps.reverseDns) so tests can point it
 * at a real DNS server in a namespace.
 */
export type ReverseLookup = (address: string, signal: AbortSignal) => Promise<string[]>;

export interface ReverseDnsLimits {
  /** Lookups at once; capped at 8 whatever is asked. */
  concurrency: number;
  /** Milliseconds one lookup may take before it counts as unanswered. */
  lookupTimeoutMs: number;
  /** Milliseconds from the first lookup after which no new one starts and pending ones end. */
  totalMs: number;
  /** Unanswered lookups in a row (timeouts, unreachable server) after which no other is asked. */
  giveUpAfterTimeouts: number;
}

export const MAX_REVERSE_CONCURRENCY = 8;

export const defaultReverseDnsLimits: ReverseDnsLimits = {
  concurrency: MAX_REVERSE_CONCURRENCY,
  lookupTimeoutMs: 2000,
  totalMs: 30_000,
  giveUpAfterTimeouts: 3,
};

/** Resolver errors that mean a server answered: the address has no name, not "no server". */
const ANSWERED = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME', 'EREFUSED', 'ESERVFAIL', 'EFORMERR']);

/**
 * The system's resolver (c-ares through node:dns, which reads this PC's DNS servers: resolv.conf
 * on Linux and macOS, the adapters' servers on Windows), or `servers` (addresses, as nmap's
 * --dns-servers) instead. One Resolver per lookup, so aborting one cancels only its own query.
 */
export function systemReverseLookup(servers?: readonly string[]): ReverseLookup {
  return async (address, signal) => {
    const resolver = new Resolver({ tries: 1 });
    if (servers && servers.length > 0) resolver.setServers([...servers]);
    const cancel = () => resolver.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    try {
      return await resolver.reverse(address);
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  };
}

/**
 * A name a PTR answer may give a device card: a DNS name of at most 253 characters (RFC 1035
 * §2.3.4) whose labels have 1 to 63 letters, digits, hyphens or underscores, the root's final dot
 * dropped. Anything else (a hostile server's control characters, spaces, an overlong name) is
 * null: the answer is data from the network, shown to the user and written into reports.
 */
export function acceptablePtrName(name: string): string | null {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare.length === 0 || bare.length > MAX_HOSTNAME) return null;
  const labels = bare.split('.');
  return labels.every((l) => /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(l))
    ? bare
    : null;
}

/**
 * Reverse names of one scan's addresses, with the limits of ReverseDnsLimits. `name(address)`
 * resolves with the first acceptable PTR name or null (none, timed out, past the limits, closed);
 * it never rejects. Asked twice for one address, it asks the server once.
 */
export class ReverseNames {
  private readonly limits: ReverseDnsLimits;
  private readonly cache = new Map<string, Promise<string | null>>();
  private readonly queue: (() => void)[] = [];
  private readonly pending = new Set<AbortController>();
  private running = 0;
  private startedAt: number | undefined;
  private unansweredInARow = 0;
  private closed = false;
  private cancelDeadline: (() => void) | undefined;

  constructor(
    private readonly lookup: ReverseLookup,
    private readonly clock: Clock,
    limits: Partial<ReverseDnsLimits> = {},
  ) {
    const merged = { ...defaultReverseDnsLimits, ...limits };
    this.limits = {
      ...merged,
      concurrency: Math.max(1, Math.min(MAX_REVERSE_CONCURRENCY, Math.floor(merged.concurrency))),
    };
  }

  /** The PTR name of `address`, or null; cached for this object's life (one scan). */
  name(address: string): Promise<string | null> {
    let known = this.cache.get(address);
    if (!known) {
      known = new Promise<string | null>((resolve) => {
        this.queue.push(() => void this.run(address).then(resolve));
        this.pump();
      });
      this.cache.set(address, known);
    }
    return known;
  }

  /** Ends every pending lookup (with null) and starts no other: the scan ended or was cancelled. */
  close(): void {
    this.closed = true;
    this.cancelDeadline?.();
    for (const controller of this.pending) controller.abort();
    this.drain();
  }

  private get stopped(): boolean {
    return this.closed || this.unansweredInARow >= this.limits.giveUpAfterTimeouts;
  }

  private pump(): void {
    if (this.stopped) return this.drain();
    if (this.startedAt === undefined && this.queue.length > 0) {
      this.startedAt = this.clock.now();
      // Past the total, pending lookups end and queued ones are not asked.
      this.cancelDeadline = this.clock.after(this.limits.totalMs, () => this.close());
    }
    while (this.running < this.limits.concurrency && this.queue.length > 0) {
      this.running++;
      this.queue.shift()!();
    }
  }

  /** Queued lookups, never to be asked: each `run` sees `stopped` and gives null. */
  private drain(): void {
    while (this.queue.length > 0) {
      this.running++;
      this.queue.shift()!();
    }
  }

  private async run(address: string): Promise<string | null> {
    try {
      if (this.stopped) return null;
      const controller = new AbortController();
      this.pending.add(controller);
      const cancelTimer = this.clock.after(this.limits.lookupTimeoutMs, () => controller.abort());
      try {
        const names = await Promise.race([
          this.lookup(address, controller.signal),
          // A resolver that ignores the signal still ends at the timeout.
          new Promise<never>((_, reject) => {
            controller.signal.addEventListener('abort', () => reject(new Error('ETIMEOUT')), {
              once: true,
            });
          }),
        ]);
        this.unansweredInARow = 0;
        for (const name of names) {
          const accepted = acceptablePtrName(name);
          if (accepted) return accepted;
        }
        return null;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && ANSWERED.has(code)) this.unansweredInARow = 0;
        else if (!this.closed) this.unansweredInARow++;
        return null;
      } finally {
        cancelTimer();
        this.pending.delete(controller);
      }
    } finally {
      this.running--;
      this.pump();
    }
  }
}
