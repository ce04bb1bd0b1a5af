import type { HostAssessment, RiskAssessResult, Severity } from '../contract/risk.js';
import { isFilePc } from '../contract/devices.js';
import { emptyCounts, summariseHosts } from './summary.js';

/**
 * A scan's verdict totals (RiskAssessResult's `counts` and `blocked`) summed host by host, so a
 * 65,000-host scan is totalled a batch at a time without holding its verdicts. The sum equals
 * summariseHosts over all the hosts: an address that is a device of its own (not this PC's, its
 * MAC shared with no other address) counts alone, and the addresses of one device (this PC's, the
 * imported file's own machine's — isFilePc —, or those sharing a MAC — `sharedMacs`, as app/contract/devices.ts finds them over the same hosts)
 * are held and counted together at the end, each service once.
 */
export class VerdictTotals {
  private readonly counts = emptyCounts();
  private blocked = 0;
  private readonly grouped: HostAssessment[] = [];

  constructor(private readonly sharedMacs: ReadonlySet<string>) {}

  add(host: HostAssessment): void {
    const mac = host.mac?.toLowerCase();
    if (host.isLocal || isFilePc(host) || (mac !== undefined && this.sharedMacs.has(mac))) {
      this.grouped.push(host);
      return;
    }
    this.sum(summariseHosts([host]));
  }

  private sum(part: Pick<RiskAssessResult, 'counts' | 'blocked'>): void {
    for (const [severity, n] of Object.entries(part.counts)) this.counts[severity as Severity] += n;
    this.blocked += part.blocked;
  }

  /** The totals of every host added. */
  result(): Pick<RiskAssessResult, 'counts' | 'blocked'> {
    const total = { counts: { ...this.counts }, blocked: this.blocked };
    const group = summariseHosts(this.grouped);
    for (const [severity, n] of Object.entries(group.counts))
      total.counts[severity as Severity] += n;
    total.blocked += group.blocked;
    return total;
  }
}
