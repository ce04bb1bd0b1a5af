import { describe, expect, it } from 'vitest';
import type { HostResult } from '../../app/contract/index.js';
import { sharedMacs } from '../../app/contract/devices.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { reassessKept } from '../../app/risk/reassess.js';
import { summariseHosts } from '../../app/risk/summary.js';
import { VerdictTotals } from '../../app/risk/verdict-totals.js';
import { scanCounts, ScanCountsTally } from '../../app/store/scans.js';

/** Addresses of This PC, pairs sharing a MAC (one of them down), and devices of one address. */
function hosts(): HostResult[] {
  const host = (address: string, ports: number[], extra: Partial<HostResult> = {}): HostResult => ({
    address,
    family: address.includes(':') ? 'ipv6' : 'ipv4',
    isLocal: false,
    status: 'up',
    reason: 'syn-ack',
    ports: ports.map((port) => ({ port, protocol: 'tcp', state: 'open', reason: 'syn-ack' })),
    hidden: { open: 0, closed: 0, filtered: 0 },
    ...extra,
  });
  return [
    host('127.0.0.1', [23, 80], { isLocal: true, reason: 'localhost' }),
    host('::1', [80], { isLocal: true, reason: 'localhost' }),
    host('198.18.0.1', [22, 23], { mac: '02:00:00:00:00:01' }),
    host('2001:db8::1', [22, 3389], { mac: '02:00:00:00:00:01' }),
    host('198.18.0.2', [445], { mac: '02:00:00:00:00:02' }),
    host('2001:db8::2', [], { mac: '02:00:00:00:00:02', status: 'down', reason: 'no-response' }),
    ...Array.from({ length: 20 }, (_, i) => host(`198.18.1.${i}`, i % 2 ? [80] : [23, 445])),
  ];
}

describe('totals summed host by host', () => {
  it('VerdictTotals gives what summariseHosts gives over the whole scan', () => {
    const all = hosts();
    const verdicts = reassessKept(all, null, [], knowledgeBase()).hosts;
    const totals = new VerdictTotals(sharedMacs(all));
    // In an order of their own, as batches of rows come.
    for (const v of [...verdicts].reverse()) totals.add(v);
    expect(totals.result()).toEqual(summariseHosts(verdicts));
    expect(totals.result().counts.critical).toBeGreaterThan(0);
  });

  it('ScanCountsTally gives what scanCounts gives over the whole scan', () => {
    const all = hosts();
    const tally = new ScanCountsTally(sharedMacs(all.filter((h) => h.status === 'up')));
    for (const host of all) tally.add(host);
    const result = { addresses: 40, hosts: all } as Parameters<typeof scanCounts>[0];
    expect(tally.counts(40)).toEqual(scanCounts(result));
    // This PC is one device, each MAC pair one, the 20 others one each.
    expect(tally.counts(40)).toMatchObject({ hosts: 26, hostsUp: 25, devicesUp: 23 });
  });
});
