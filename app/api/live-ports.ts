import { MAX_PORTS_PER_HOST_PAGE, MAX_PORTS_PER_PAGE } from '../contract/page-limits.js';
import type { ScanEvent, ScanUpdate } from '../contract/index.js';

/**
 * Which of a running scan's events go to its client: every one, except `port` events past
 * `perHost` for one address or `perScan` for the whole scan (a tarpit answering all 65,535
 * ports would be 65,535 messages and as many rows drawn live). The first event held back for an
 * address is replaced by one `portsLeftOut` event for it; the kept scan's pages (scan.get,
 * scan.hostPorts) carry every port once the scan ends. Re-sent ports (an address's port already
 * sent, its state now known) always pass.
 */
export class LivePorts {
  private readonly sent = new Map<string, Set<string>>();
  private total = 0;
  private readonly marked = new Set<string>();

  constructor(
    private readonly perHost: number = MAX_PORTS_PER_HOST_PAGE,
    private readonly perScan: number = MAX_PORTS_PER_PAGE,
  ) {}

  /** What to send for `event`: itself, a `portsLeftOut` event in its place, or nothing. */
  pass(event: Exclude<ScanEvent, { type: 'finished' }>): ScanUpdate | null {
    if (event.type !== 'port') return event;
    const key = `${event.result.protocol}/${event.result.port}`;
    const sent = this.sent.get(event.address) ?? new Set<string>();
    if (sent.has(key)) return event;
    if (sent.size < this.perHost && this.total < this.perScan) {
      sent.add(key);
      this.sent.set(event.address, sent);
      this.total += 1;
      return event;
    }
    if (this.marked.has(event.address)) return null;
    this.marked.add(event.address);
    return { type: 'portsLeftOut', scanId: event.scanId, address: event.address };
  }
}
