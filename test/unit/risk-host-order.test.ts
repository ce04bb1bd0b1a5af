import { describe, expect, it } from 'vitest';
import type { Severity } from '../../app/contract/risk.js';
import { compareHostsByRisk } from '../../app/contract/vocabulary.js';
import type { HostView } from '../../renderer/features/scan/model.js';

const view = (address: string, isLocal = false): HostView => ({
  address,
  family: address.includes(':') ? 'ipv6' : 'ipv4',
  isLocal,
  status: 'up',
  reason: isLocal ? 'localhost' : 'syn-ack',
  ports: [],
});

const order = (hosts: HostView[], worst: Record<string, Severity | null>) =>
  [...hosts]
    .sort((a, b) =>
      compareHostsByRisk({ ...a, worst: worst[a.address] }, { ...b, worst: worst[b.address] }),
    )
    .map((h) => h.address);

describe('results order: this PC first, then worst verdict first', () => {
  const hosts = [
    view('192.168.1.2'),
    view('192.168.1.10'),
    view('192.168.1.30'),
    view('10.77.250.1', true),
    view('127.0.0.1', true),
    view('::1', true),
  ];

  it('falls back to address order before any verdict', () => {
    expect(order(hosts, {})).toEqual([
      '10.77.250.1',
      '127.0.0.1',
      '::1',
      '192.168.1.2',
      '192.168.1.10',
      '192.168.1.30',
    ]);
  });

  it('ranks by worst severity within this PC and among the other devices', () => {
    expect(
      order(hosts, {
        '127.0.0.1': 'critical',
        '10.77.250.1': null,
        '::1': 'low',
        '192.168.1.2': 'info',
        '192.168.1.10': 'high',
        '192.168.1.30': 'critical',
      }),
    ).toEqual(['127.0.0.1', '::1', '10.77.250.1', '192.168.1.30', '192.168.1.10', '192.168.1.2']);
  });

  it('never puts a device above this PC, whatever its verdict', () => {
    expect(order(hosts, { '192.168.1.30': 'critical', '127.0.0.1': 'info' }).slice(0, 3)).toEqual([
      '127.0.0.1',
      '10.77.250.1',
      '::1',
    ]);
  });

  it('keeps hosts without a verdict after assessed ones, in address order', () => {
    expect(order(hosts, { '192.168.1.30': 'medium' }).slice(3)).toEqual([
      '192.168.1.30',
      '192.168.1.2',
      '192.168.1.10',
    ]);
  });
});
