import { defaultLossSettings } from './loss.js';

/** How a silent attempt is checked against a rate limit (see ResetLog). */
export interface SilenceProofSettings {
  /** Resets a second above which no limiter is assumed (loss.ts `maxLimitedRate`). */
  maxLimitedRate: number;
  /**
   * Answers to later probes needed at the least: a few SYNs may reach the host out of order, so
   * one or two "later" answers may have left before the attempt arrived.
   */
  minFollowers: number;
  /** Answers later than this after the attempt are not looked at. */
  maxSpanMs: number;
}

export const defaultSilenceProofSettings: SilenceProofSettings = {
  maxLimitedRate: defaultLossSettings.maxLimitedRate,
  minFollowers: 8,
  maxSpanMs: 1000,
};

/** Answers looked at per question at most: bounds the cost on a host answering thousands a second. */
const MAX_SCAN = 4096;

/**
 * Whether a silent attempt proves a filter, or may be a reset that a rate limiter dropped.
 *
 * A host that limits its resets (nft/iptables `limit rate … burst …`, Linux's ICMP limits) drops
 * them with a token bucket: a reset leaves only while a token is left, and tokens come back at the
 * limit's rate. An attempt whose reset was dropped left the bucket with less than one
 * token when it arrived; resets to probes sent after it can then only leave as tokens come back, so
 * `m` of them answered within `W` ms of the attempt need a limit above (m − 1) / W. When that bound
 * is above every limit seen in the wild (`maxLimitedRate`), the attempt's silence was not a dropped
 * reset: the port is filtered. Times are taken conservatively — the attempt's send time is read
 * before its connect() and each answer's time when the engine reads it, later than the host sent
 * it — so a loaded PC reading answers late only weakens the proof, never makes one up.
 *
 * A limit that refills all at once each second (FreeBSD's icmplim, ppsratecheck(9)) is not a
 * token bucket: when its second turns within those few milliseconds after the attempt, a burst of
 * resets can follow a dropped one. That is a chance of about W/1000 per silent port, and the port
 * then gets nmap's verdict (silent twice: filtered) rather than a proven one.
 *
 * Only resets (closed ports) are counted: they are what such limits drop. A host that gave no reset
 * at all gives no reason to suspect one being dropped.
 *
 * Pure: times come from the caller, in milliseconds on the engine's clock.
 */
export class ResetLog {
  /** When each reset was read, in order. */
  private readonly at: number[] = [];
  /** The launch order of the probe each reset answered. */
  private readonly seq: number[] = [];

  constructor(private readonly settings: SilenceProofSettings = defaultSilenceProofSettings) {}

  /** Resets seen so far. */
  get size(): number {
    return this.at.length;
  }

  /** The probe launched `seq`-th was answered with a reset, read at `at`. */
  add(seq: number, at: number): void {
    // Answers are read in time order; a clock that stepped back is clamped to keep the order.
    const last = this.at.length > 0 ? this.at[this.at.length - 1]! : Number.NEGATIVE_INFINITY;
    this.at.push(Math.max(at, last));
    this.seq.push(seq);
  }

  /**
   * True when the silence of the attempt launched `seq`-th, sent at `sentAt`, is proven not to be
   * a dropped reset: enough probes launched after it were answered with resets, fast enough to rule
   * out any rate limit up to `maxLimitedRate`.
   */
  provesSilence(seq: number, sentAt: number): boolean {
    const { maxLimitedRate, minFollowers, maxSpanMs } = this.settings;
    let i = this.firstAtOrAfter(sentAt);
    let followers = 0;
    for (let scanned = 0; i < this.at.length && scanned < MAX_SCAN; i++, scanned++) {
      const span = this.at[i]! - sentAt;
      if (span > maxSpanMs) break;
      if (this.seq[i]! <= seq) continue;
      followers++;
      if (followers < minFollowers) continue;
      // (m − 1) resets in `span` ms need a limit above (m − 1) / span a second.
      if (span <= 0 || ((followers - 1) * 1000) / span > maxLimitedRate) return true;
    }
    return false;
  }

  private firstAtOrAfter(time: number): number {
    let lo = 0;
    let hi = this.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at[mid]! < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
