/** Bounds of a congestion window, in probes in flight. */
export interface WindowBounds {
  initial: number;
  min: number;
  max: number;
}

/**
 * A congestion window counted in probes in flight, one per host and one for the whole scan, as
 * nmap's ultra_scan keeps them (nmap's "Timing and Performance" guide; RFC 5681 §3.1 for the
 * additive-increase / multiplicative-decrease rule it follows): each probe whose fate was learnt
 * without loss lets one more probe out (slow start), and loss halves the window — once per flight,
 * so the many losses of one burst count once. Pure: the caller passes the time.
 */
export class CongestionWindow {
  private value: number;
  private ceiling: number;
  private lastCutAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly bounds: WindowBounds) {
    this.value = bounds.initial;
    this.ceiling = bounds.max;
  }

  /** Probes allowed in flight now. */
  get limit(): number {
    return Math.max(this.bounds.min, Math.floor(this.value));
  }

  /** Where growth stops now (`bounds.max`, or what `setCeiling` chose). */
  get max(): number {
    return this.ceiling;
  }

  /** A probe's fate was learnt without loss (an answer, or silence on a path known quiet). */
  grow(by = 1): void {
    this.value = Math.min(this.ceiling, this.value + by);
  }

  /**
   * Loss seen for a probe first sent at `sentAt`: the window shrinks by `factor`, unless that
   * probe left before the last cut (its loss belongs to a flight already paid for). Returns
   * whether the window was cut.
   */
  cut(sentAt: number, now: number, factor = 0.5): boolean {
    if (sentAt < this.lastCutAt) return false;
    this.lastCutAt = now;
    this.value = Math.max(this.bounds.min, this.value * factor);
    return true;
  }

  /** Moves the growth limit (never below the minimum); a lower ceiling also lowers the window. */
  setCeiling(max: number): void {
    this.ceiling = Math.max(this.bounds.min, max);
    if (this.value > this.ceiling) this.value = this.ceiling;
  }

  /** Opens the window at once up to `size` (within the ceiling). */
  openTo(size: number): void {
    this.value = Math.min(this.ceiling, Math.max(this.value, size));
  }

  /** Out of local resources: no more than `size` in flight until growth resumes. */
  clampTo(size: number): void {
    this.value = Math.max(this.bounds.min, Math.min(this.value, size));
  }
}

/**
 * A token bucket: on average at most `rate` sends a second, at most `burst` at once. A host is
 * paced with it when it limits its answers (burst 1: evenly spaced probes) or capped when scanned
 * at full speed (see docs/scan-timing.md). Pure: the caller passes the time.
 */
export class SendBudget {
  private rate = Number.POSITIVE_INFINITY;
  private burst = Number.POSITIVE_INFINITY;
  private tokens = 0;
  private last = 0;

  /** Unlimited until set. */
  get limited(): boolean {
    return Number.isFinite(this.rate);
  }

  set(rate: number, burst: number, now: number): void {
    if (rate === this.rate && burst === this.burst) return;
    this.refill(now);
    const wasLimited = this.limited;
    this.rate = rate;
    this.burst = Math.max(1, burst);
    // A bucket that starts limiting starts full: the sends before it were within no budget.
    this.tokens = wasLimited ? Math.min(this.tokens, this.burst) : this.burst;
  }

  private refill(now: number): void {
    if (this.limited && now > this.last)
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = Math.max(this.last, now);
  }

  /** Whether a send may go now. */
  ready(now: number): boolean {
    if (!this.limited) return true;
    this.refill(now);
    return this.tokens >= 1;
  }

  /** Spends one send. */
  take(now: number): void {
    if (!this.limited) return;
    this.refill(now);
    this.tokens -= 1;
  }

  /** When the next send may go. */
  nextAt(now: number): number {
    if (!this.limited) return now;
    this.refill(now);
    return this.tokens >= 1 ? now : now + ((1 - this.tokens) * 1000) / this.rate;
  }
}
