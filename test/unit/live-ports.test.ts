import { describe, expect, it } from 'vitest';
import { LivePorts } from '../../app/api/live-ports.js';
import { ScanUpdate } from '../../app/contract/index.js';
import { applyScanEvent, type ScanSnapshot } from '../../renderer/features/scan/model.js';

const portEvent = (address: string, port: number) => ({
  type: 'port' as const,
  scanId: 's1',
  address,
  result: { port, protocol: 'tcp' as const, state: 'open' as const, reason: 'syn-ack' as const },
});

describe("a running scan's port events sent to the page", () => {
  it('sends at most perHost ports of one address, then one portsLeftOut, then nothing', () => {
    const live = new LivePorts(3, 100);
    const sent = Array.from({ length: 65_535 }, (_, i) => live.pass(portEvent('127.0.0.2', i + 1)));
    const kept = sent.filter((e) => e !== null);
    expect(kept.map((e) => e!.type)).toEqual(['port', 'port', 'port', 'portsLeftOut']);
    expect(ScanUpdate.safeParse(kept[3]).success).toBe(true);
    // A port already sent (its state settled later) always passes.
    expect(live.pass(portEvent('127.0.0.2', 2))?.type).toBe('port');
    // Other events are never held back.
    const progress = { type: 'progress' as const, scanId: 's1', done: 1, total: 2, openFound: 1 };
    expect(live.pass(progress)).toBe(progress);
  });

  it('sends at most perScan ports over all addresses', () => {
    const live = new LivePorts(200, 500);
    let ports = 0;
    let marks = 0;
    for (let h = 1; h <= 10; h++) {
      for (let p = 1; p <= 300; p++) {
        const e = live.pass(portEvent(`127.0.0.${h}`, p));
        if (e?.type === 'port') ports += 1;
        if (e?.type === 'portsLeftOut') marks += 1;
      }
    }
    expect(ports).toBe(500);
    expect(marks).toBe(10);
  });

  it('marks the live card of a host whose ports were held back', () => {
    const state: ScanSnapshot = { phase: 'running', progress: null, hosts: {}, error: null };
    const next = applyScanEvent(state, {
      type: 'portsLeftOut',
      scanId: 's1',
      address: '127.0.0.2',
    });
    expect(next.hosts['127.0.0.2']?.livePortsLeftOut).toBe(true);
  });
});
