/**
 * Round-trip estimate as TCP keeps it (RFC 6298 §2): SRTT and RTTVAR from each measured answer,
 * RTO = SRTT + max(G, K·RTTVAR), clamped to the scan's bounds. One per host, and one for the whole
 * scan that hosts without their own samples fall back on.
 */
export class RttEstimator {
  private srtt: number | undefined;
  private rttvar = 0;
  samples = 0;

  constructor(
    private readonly minRtoMs: number,
    private readonly maxRtoMs: number,
    private readonly granularityMs = 1,
  ) {}

  sample(rttMs: number): void {
    const r = Math.max(0, rttMs);
    if (this.srtt === undefined) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    this.samples++;
  }

  /** Seeds an estimate without counting it as a measurement (e.g. a neighbour on the same link). */
  seed(srttMs: number, rttvarMs: number): void {
    if (this.srtt !== undefined) return;
    this.srtt = srttMs;
    this.rttvar = rttvarMs;
  }

  get hasEstimate(): boolean {
    return this.srtt !== undefined;
  }

  get smoothedMs(): number | undefined {
    return this.srtt;
  }

  get variationMs(): number {
    return this.rttvar;
  }

  /**
   * The retransmission timeout, or undefined before any sample, never below `floorMs` (the
   * scan's minimum unless the caller knows the path well enough for a lower one).
   */
  rto(floorMs = this.minRtoMs): number | undefined {
    if (this.srtt === undefined) return undefined;
    const raw = this.srtt + Math.max(this.granularityMs, 4 * this.rttvar);
    return Math.min(this.maxRtoMs, Math.max(floorMs, raw));
  }
}
