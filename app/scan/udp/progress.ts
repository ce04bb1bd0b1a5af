import type { ScanEvent } from '../../contract/scan.js';

type Progress = Extract<ScanEvent, { type: 'progress' }>;

/**
 * The progress of a scan with UDP ports, counted in probed ports like the TCP engine's: the TCP
 * engine's events get the UDP ports still to come added to their total (each address's UDP ports:
 * the most there can be, before discovery says which hosts are up), and once the UDP phase starts
 * the total becomes the TCP ports plus the UDP ports of the hosts found up (those the phase
 * probes, app/scan/udp/phase.ts), `done` growing by a host's UDP ports as each host finishes. So
 * the bar never reads 100 % while UDP probes are out, and never moves backwards.
 */
export class UdpProgress {
  private tcpTotal = 0;
  private udpTotal = 0;
  private udpDone = 0;
  private openFound = 0;
  private lastDone = 0;

  /**
   * `addresses`: the scan's address count (ScanPlan.count); `udpPorts`: UDP ports per host.
   */
  constructor(
    private readonly scanId: string,
    private readonly addresses: number,
    private readonly udpPorts: number,
  ) {}

  /** The engine's progress event with the UDP ports still to come in its total. */
  engine(event: Progress): Progress {
    this.tcpTotal = event.total;
    this.openFound = event.openFound;
    this.lastDone = Math.max(this.lastDone, event.done);
    const total = event.total + this.addresses * this.udpPorts;
    // The ETA is the engine's for its TCP ports alone: dropped rather than understated.
    const { etaMs: _eta, ...rest } = event;
    void _eta;
    return { ...rest, total };
  }

  /** The UDP phase starts on `hostsUp` hosts, after `tcpTotal` TCP ports and `openFound` open. */
  start(hostsUp: number, tcpTotal: number, openFound: number): Progress {
    this.tcpTotal = tcpTotal;
    this.openFound = openFound;
    this.udpTotal = hostsUp * this.udpPorts;
    return this.event();
  }

  /** One host's UDP ports are decided (`open` of them open). */
  hostDone(open: number): Progress {
    this.udpDone = Math.min(this.udpTotal, this.udpDone + this.udpPorts);
    this.openFound += open;
    return this.event();
  }

  private event(): Progress {
    const done = Math.max(this.lastDone, this.tcpTotal + this.udpDone);
    this.lastDone = done;
    return {
      type: 'progress',
      scanId: this.scanId,
      done,
      total: Math.max(done, this.tcpTotal + this.udpTotal),
      openFound: this.openFound,
    };
  }
}
