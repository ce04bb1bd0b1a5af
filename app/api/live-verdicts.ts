import type {
  HostAssessment,
  HostResult,
  RiskAssessResult,
  ScanEvent,
  Severity,
} from '../contract/index.js';
import { emptyCounts } from '../risk/summary.js';

/** How often a running scan's new open ports get verdicts (ms): throttled, never postponed. */
export const LIVE_VERDICTS_MS = 1000;

/**
 * Verdicts while a scan runs, given by the app from the scan's own events: at most once per
 * LIVE_VERDICTS_MS, for the hosts whose open ports changed since, pushed as `verdicts` events.
 * Nothing is sent after `stop()` (the kept scan's verdicts then come with its pages).
 */
export class LiveVerdicts {
  private readonly hosts = new Map<string, HostResult>();
  private readonly dirty = new Set<string>();
  private readonly assessed = new Map<string, HostAssessment>();
  private cancelTimer: (() => void) | undefined;
  private stopped = false;

  /**
   * `schedule` runs a function after `LIVE_VERDICTS_MS` and returns how to cancel it (a timer by
   * default; tests pass their own clock).
   */
  constructor(
    private readonly assess: (hosts: HostResult[]) => Promise<RiskAssessResult | null>,
    private readonly send: (hosts: HostAssessment[], counts: Record<Severity, number>) => void,
    private readonly schedule: (run: () => void) => () => void = (run) => {
      const timer = setTimeout(run, LIVE_VERDICTS_MS);
      timer.unref?.();
      return () => clearTimeout(timer);
    },
  ) {}

  /** Follows one engine event. */
  see(event: ScanEvent): void {
    if (this.stopped) return;
    if (event.type === 'host') {
      const previous = this.hosts.get(event.address);
      const host: HostResult = {
        address: event.address,
        family: event.address.includes(':') ? 'ipv6' : 'ipv4',
        isLocal: event.isLocal,
        status: event.status,
        reason: event.reason,
        ports: previous?.ports ?? [],
        hidden: { open: 0, closed: 0, filtered: 0 },
        ...(event.hostname ? { hostname: event.hostname } : {}),
        ...(event.answersEveryPort ? { answersEveryPort: event.answersEveryPort } : {}),
      };
      this.hosts.set(event.address, host);
      if (event.answersEveryPort && !previous?.answersEveryPort) this.touch(event.address);
    } else if (event.type === 'port') {
      const host = this.hosts.get(event.address) ?? {
        address: event.address,
        family: event.address.includes(':') ? ('ipv6' as const) : ('ipv4' as const),
        isLocal: false,
        status: 'up' as const,
        reason: 'syn-ack' as const,
        ports: [],
        hidden: { open: 0, closed: 0, filtered: 0 },
      };
      const ports = host.ports.filter(
        (p) => !(p.port === event.result.port && p.protocol === event.result.protocol),
      );
      ports.push(event.result);
      this.hosts.set(event.address, { ...host, ports });
      if (event.result.state === 'open') this.touch(event.address);
    }
  }

  private touch(address: string): void {
    this.dirty.add(address);
    if (this.cancelTimer !== undefined) return;
    this.cancelTimer = this.schedule(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.cancelTimer = undefined;
    if (this.stopped || this.dirty.size === 0) return;
    const hosts = [...this.dirty].flatMap((a) => {
      const host = this.hosts.get(a);
      return host && host.status !== 'down' ? [{ ...host, status: 'up' as const }] : [];
    });
    this.dirty.clear();
    const result = await this.assess(hosts);
    if (this.stopped || !result) return;
    for (const host of result.hosts) this.assessed.set(host.address, host);
    const counts = emptyCounts();
    for (const host of this.assessed.values()) {
      for (const [severity, n] of Object.entries(host.counts) as [Severity, number][]) {
        counts[severity] += n;
      }
    }
    this.send(result.hosts, counts);
  }

  /** No more verdicts for this scan. */
  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }
}
