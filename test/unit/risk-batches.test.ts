import { describe, expect, it } from 'vitest';
import type { HostAssessment, RiskAssessResult } from '../../app/contract/risk.js';
import type { HostResult } from '../../app/contract/scan.js';
import { MAX_MESSAGE_BYTES } from '../../app/contract/envelope.js';
import { batchHosts, MAX_BATCH_CHARS, mergeResults } from '../../renderer/features/risk/batches.js';

const host = (i: number, openPorts: number): HostResult => ({
  address: `10.77.${Math.floor(i / 256)}.${i % 256}`,
  family: 'ipv4',
  isLocal: false,
  status: 'up',
  reason: 'syn-ack',
  ports: Array.from({ length: openPorts }, (_, p) => ({
    port: 1000 + p,
    protocol: 'tcp' as const,
    state: 'open' as const,
    reason: 'syn-ack' as const,
  })),
  hidden: { open: 0, closed: 997, filtered: 0 },
});

describe('risk.assess batching', () => {
  it('keeps every request under the message limit without losing or splitting a host', () => {
    const hosts = Array.from({ length: 3000 }, (_, i) => host(i, i % 7));
    const batches = batchHosts(hosts);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flat()).toEqual(hosts);
    for (const batch of batches) {
      const envelope = { kind: 'request', id: 1, method: 'risk.assess', params: { hosts: batch } };
      expect(Buffer.byteLength(JSON.stringify(envelope))).toBeLessThan(MAX_MESSAGE_BYTES);
    }
    expect(MAX_BATCH_CHARS).toBeLessThan(MAX_MESSAGE_BYTES);
    expect(batchHosts([host(1, 2)])).toEqual([[host(1, 2)]]);
    expect(batchHosts([])).toEqual([]);
  });

  it('merges answers: counts per device and service, this PC first then worst severity, programs incomplete if any', () => {
    const blockedPort = (port: number, effect: 'blocked' | 'loopback') =>
      ({
        port,
        protocol: 'tcp',
        firewall: { ruleId: 'r', name: 'PortAuditor-r', effect },
      }) as HostAssessment['ports'][number];
    const openPort = (port: number, severity: HostAssessment['ports'][number]['severity']) =>
      ({ port, protocol: 'tcp', severity }) as HostAssessment['ports'][number];
    const assessed = (
      address: string,
      isLocal: boolean,
      worst: HostAssessment['worst'],
      ports: HostAssessment['ports'] = [],
    ): HostAssessment => ({
      address,
      isLocal,
      worst,
      counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      blocked: ports.length,
      ports,
    });
    // This PC's 3389 comes back in both batches (two of its addresses): one device, one port.
    const a: RiskAssessResult = {
      hosts: [
        assessed('10.77.0.9', false, 'low', [blockedPort(80, 'blocked'), openPort(22, 'low')]),
        assessed('10.77.0.10', false, null),
        assessed('10.77.250.1', true, 'high', [
          blockedPort(3389, 'blocked'),
          openPort(445, 'high'),
          openPort(631, 'info'),
        ]),
      ],
      counts: { critical: 0, high: 0, medium: 0, low: 2, info: 1 },
      blocked: 2,
      programsComplete: true,
    };
    const b: RiskAssessResult = {
      hosts: [
        assessed('127.0.0.1', true, 'critical', [
          blockedPort(3389, 'loopback'),
          // This PC's 445 on its other address (another batch), judged worse here: one service.
          openPort(445, 'critical'),
          openPort(631, 'info'),
        ]),
        assessed('10.77.0.2', false, 'critical', [
          blockedPort(80, 'blocked'),
          openPort(23, 'critical'),
        ]),
      ],
      counts: { critical: 1, high: 0, medium: 0, low: 0, info: 3 },
      blocked: 2,
      programsComplete: false,
    };
    const merged = mergeResults([a, b]);
    expect(merged.hosts.map((h) => h.address)).toEqual([
      '127.0.0.1',
      '10.77.250.1',
      '10.77.0.2',
      '10.77.0.9',
      '10.77.0.10',
    ]);
    // This PC's 445 once, at its worst; its 631 once; 22 and 23 of two devices.
    expect(merged.counts).toEqual({ critical: 2, high: 0, medium: 0, low: 1, info: 1 });
    // 3389 of this PC once, 80 of each of two devices.
    expect(merged.blocked).toBe(3);
    expect(merged.programsComplete).toBe(false);
    expect(mergeResults([a])).toBe(a);
  });
});
