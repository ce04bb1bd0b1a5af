import { Code } from '../contract/index.js';
import { AppFailure } from '../errors.js';

/**
 * How much work one client, and all clients together, may ask of the app at once. One full-range
 * scan of a /24 is a worker thread and tens of MB; a page (or a hostile local program holding a
 * session) must not start fifty. Documented in docs/browser-mode.md ("Limits").
 */
export interface Limits {
  /** Scans one connection (browser tab, Electron window, CLI run) may have running at once. */
  scansPerClient: number;
  /** Scans running at once in the whole app, all clients together. */
  scansOverall: number;
  /** Messages per second one connection may send, sustained (token bucket refill rate). */
  messagesPerSecond: number;
  /** Messages one connection may send in a burst before the sustained rate applies. */
  messageBurst: number;
}

export const DEFAULT_LIMITS: Limits = {
  scansPerClient: 3,
  scansOverall: 6,
  messagesPerSecond: 50,
  messageBurst: 200,
};

/**
 * Counts running scans per client and overall. `acquire` throws a localized AppFailure when a
 * limit is reached; the returned function releases the slot (idempotent).
 */
export class ScanSlots {
  private readonly perClient = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: Pick<Limits, 'scansPerClient' | 'scansOverall'>) {}

  acquire(client: string): () => void {
    const mine = this.perClient.get(client) ?? 0;
    if (mine >= this.limits.scansPerClient) {
      const n = this.limits.scansPerClient;
      throw new AppFailure(Code['scan.too-many-for-client'], { limit: n }, { text: { count: n } });
    }
    if (this.total >= this.limits.scansOverall) {
      const n = this.limits.scansOverall;
      throw new AppFailure(Code['scan.too-many'], { limit: n }, { text: { count: n } });
    }
    this.perClient.set(client, mine + 1);
    this.total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
    };
  }
}

/**
 * A token bucket per connection: `take()` is false once the connection has sent more than
 * `messageBurst` messages plus `messagesPerSecond` per second since. `now` is in milliseconds.
 */
export class MessageRate {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limits: Pick<Limits, 'messagesPerSecond' | 'messageBurst'>,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = limits.messageBurst;
    this.last = now();
  }

  take(): boolean {
    const at = this.now();
    const refill = ((at - this.last) / 1000) * this.limits.messagesPerSecond;
    this.tokens = Math.min(this.limits.messageBurst, this.tokens + refill);
    this.last = at;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The error a rate-limited request gets where the transport cannot be cut (Electron IPC). */
export function rateLimited(): AppFailure {
  return new AppFailure(Code['contract.rate-limited']);
}
