/** The numbers of a `progress` event. */
export interface ProgressSnapshot {
  done: number;
  total: number;
  /** Estimated milliseconds left; absent until there is enough data to estimate. */
  etaMs?: number;
  openFound: number;
}

/**
 * Counts probes settled out of the scan's total and open ports found, and estimates the time
 * left from the pace so far (after `etaAfterMs`, before which the pace says little). Pure: the
 * caller passes the elapsed time.
 */
export class ProgressMeter {
  private settled = 0;
  private open = 0;
  private lastKey = '';

  constructor(
    readonly total: number,
    private readonly etaAfterMs = 300,
  ) {}

  get done(): number {
    return this.settled;
  }

  get openFound(): number {
    return this.open;
  }

  /** `count` (address, port) pairs need no more probing. */
  settle(count = 1): void {
    this.settled += count;
  }

  foundOpen(): void {
    this.open++;
  }

  /** The event to send, or undefined when nothing changed since the last one (unless `force`). */
  snapshot(elapsedMs: number, force = false): ProgressSnapshot | undefined {
    const key = `${this.settled}/${this.open}`;
    if (!force && key === this.lastKey) return undefined;
    this.lastKey = key;
    const remaining = this.total - this.settled;
    const etaMs =
      this.settled > 0 && elapsedMs > this.etaAfterMs && remaining >= 0
        ? Math.round((elapsedMs / this.settled) * remaining)
        : undefined;
    return {
      done: this.settled,
      total: this.total,
      ...(etaMs !== undefined ? { etaMs } : {}),
      openFound: this.open,
    };
  }
}
