import { describe, expect, it } from 'vitest';
import { UdpProgress } from '../../app/scan/udp/progress.js';

describe('UDP probes in the progress events', () => {
  it('adds each address’s UDP ports to the engine’s total, then counts them host by host', () => {
    // 4 addresses × 10 TCP ports, 15 UDP ports per host; 2 hosts turn out up.
    const progress = new UdpProgress('s', 4, 15);
    const engine = progress.engine({
      type: 'progress',
      scanId: 's',
      done: 40,
      total: 40,
      etaMs: 0,
      openFound: 1,
    });
    // TCP done is not the scan done: 60 UDP probes may still come, and no TCP-only ETA.
    expect(engine).toEqual({ type: 'progress', scanId: 's', done: 40, total: 100, openFound: 1 });
    expect(progress.start(2, 40, 1)).toMatchObject({ done: 40, total: 70, openFound: 1 });
    expect(progress.hostDone(2)).toMatchObject({ done: 55, total: 70, openFound: 3 });
    expect(progress.hostDone(0)).toMatchObject({ done: 70, total: 70, openFound: 3 });
  });

  it('never goes backwards, even when fewer hosts are up than addresses were planned', () => {
    const progress = new UdpProgress('s', 2, 5);
    progress.engine({ type: 'progress', scanId: 's', done: 9, total: 10, openFound: 0 });
    const start = progress.start(0, 8, 0);
    expect(start.done).toBe(9);
    expect(start.total).toBeGreaterThanOrEqual(start.done);
  });
});
