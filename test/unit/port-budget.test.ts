import { describe, expect, it } from 'vitest';
import { pageOrder, pagePorts, portBudget } from '../../app/api/scan-history.js';
import {
  MAX_PORTS_PER_HOST_PAGE,
  MAX_PORTS_PER_PAGE,
  ScanHostPortsRequest,
  type PortResult,
} from '../../app/contract/index.js';
import { withMorePorts, type HostView } from '../../renderer/features/scan/model.js';

const scanId = '0b6f3c2e-7d8a-4a8e-9b1c-2f3e4d5a6b7c';

const port = (n: number, state: PortResult['state'] = 'open'): PortResult => ({
  port: n,
  protocol: 'tcp',
  state,
  reason: state === 'open' ? 'syn-ack' : 'conn-refused',
});

describe('the ports one scan.get page carries', () => {
  it('gives each host at most the per-host cap and all hosts at most the page budget', () => {
    const caps = portBudget(Array.from({ length: 15 }, () => 1000));
    expect(caps.every((n) => n <= MAX_PORTS_PER_HOST_PAGE)).toBe(true);
    expect(caps.reduce((a, b) => a + b, 0)).toBe(MAX_PORTS_PER_PAGE);
    // Shared evenly: no host of the page is left with none of its ports (its card would read
    // "no open port" next to critical ones); what does not split evenly goes to the first hosts.
    expect(caps).toEqual([
      ...Array.from({ length: 5 }, () => 134),
      ...Array.from({ length: 10 }, () => 133),
    ]);
    expect(portBudget([3, 5000, 7], 200, 250)).toEqual([3, 200, 7]);
    // A host needing less gives the rest to the others.
    expect(portBudget([3, 5000, 7], 200, 100)).toEqual([3, 90, 7]);
    expect(portBudget([5000, 5000, 5000], 200, 10)).toEqual([4, 3, 3]);
    // 50 big hosts on one page: each keeps 40 of its ports.
    expect(new Set(portBudget(Array.from({ length: 50 }, () => 450)))).toEqual(new Set([40]));
    expect(portBudget([0, 10], 200, 5)).toEqual([0, 5]);
  });

  it('lists open ports first, each group in the order kept, cut at the cap', () => {
    const ports = [port(1, 'closed'), port(2), port(3, 'filtered'), port(4)];
    expect(pageOrder(ports).map((p) => p.port)).toEqual([2, 4, 1, 3]);
    expect(pagePorts(ports, 3).map((p) => p.port)).toEqual([2, 4, 1]);
    expect(pagePorts(ports).map((p) => p.port)).toEqual([1, 2, 3, 4]);
  });
});

describe('scan.hostPorts request', () => {
  it('takes an address and a limit up to MAX_PORTS_PER_HOST_PAGE', () => {
    expect(ScanHostPortsRequest.parse({ scanId, address: '192.168.1.5' })).toEqual({
      scanId,
      address: '192.168.1.5',
      offset: 0,
      limit: MAX_PORTS_PER_HOST_PAGE,
    });
    expect(
      ScanHostPortsRequest.safeParse({ scanId, address: 'fe80::1', offset: 200 }).success,
    ).toBe(true);
  });

  it('refuses a limit over the cap, a name or markup for an address, unknown fields', () => {
    const bad = [
      { scanId, address: '192.168.1.5', limit: MAX_PORTS_PER_HOST_PAGE + 1 },
      { scanId, address: '192.168.1.5', limit: 0 },
      { scanId, address: '192.168.1.5', offset: -1 },
      { scanId, address: '<b>x</b>' },
      { scanId, address: 'x'.repeat(46) },
      { scanId, address: '192.168.1.5', all: true },
    ];
    for (const request of bad) expect(ScanHostPortsRequest.safeParse(request).success).toBe(false);
  });
});

describe('more ports of a shown host', () => {
  it('appends them and counts down what is left out, then drops the count', () => {
    const host: HostView = {
      address: '192.168.1.5',
      family: 'ipv4',
      isLocal: false,
      status: 'up',
      reason: 'syn-ack',
      ports: [port(1), port(2)],
      portsLeftOut: { open: 2, others: 1 },
    };
    const more = (ports: PortResult[], offset: number) => ({
      scanId,
      address: host.address,
      total: 5,
      offset,
      ports,
      verdicts: null,
    });
    const next = withMorePorts(host, more([port(3), port(4)], 2));
    expect(next.ports.map((p) => p.port)).toEqual([1, 2, 3, 4]);
    expect(next.portsLeftOut).toEqual({ open: 0, others: 1 });
    const last = withMorePorts(next, more([port(5, 'closed')], 4));
    expect(last.ports.map((p) => p.port)).toEqual([1, 2, 3, 4, 5]);
    expect(last.portsLeftOut).toBeUndefined();
  });
});
