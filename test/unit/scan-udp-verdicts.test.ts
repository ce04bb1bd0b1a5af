import { describe, expect, it } from 'vitest';
import type { HostResult, ScanResult } from '../../app/contract/index.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { addUdpResults } from '../../app/scan/udp/phase.js';
import type { UdpPortResult } from '../../app/scan/udp/prober.js';

const device: HostResult = {
  address: '192.168.1.20',
  family: 'ipv4',
  isLocal: false,
  status: 'up',
  reason: 'syn-ack',
  ports: [{ port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack' }],
  hidden: { open: 0, closed: 3, filtered: 0 },
  portStates: { tcp: { open: '22', closed: '21,23,80' } },
};
const down: HostResult = { ...device, address: '192.168.1.21', status: 'down', ports: [] };

function result(hosts: HostResult[]): ScanResult {
  return {
    scanId: 's',
    request: {
      targets: '192.168.1.20-21',
      ports: 'T:21-23,80,U:53,123,161,11211',
      skipDiscovery: false,
      confirmed: false,
    },
    addresses: 2,
    portCount: 4,
    notes: [],
    startedAt: '2026-12-01T00:00:00.000Z',
    finishedAt: '2026-12-01T00:00:01.000Z',
    cancelled: false,
    hosts,
  };
}

// What the UDP prober found on the device (the lab test checks the prober against real daemons).
const found: UdpPortResult[] = [
  { port: 53, state: 'closed', reason: 'port-unreach' },
  { port: 123, state: 'open|filtered', reason: 'no-response' },
  { port: 161, state: 'open', reason: 'udp-response', detail: 'Linux printer 5.4' },
  { port: 11211, state: 'open', reason: 'udp-response', detail: 'memcached 1.6.18' },
];

describe('UDP ports in a scan result and its verdicts', () => {
  it('adds the UDP verdicts of the hosts found up, as udp ports, and leaves down hosts alone', async () => {
    const probed: string[] = [];
    const listed: string[] = [];
    const out = await addUdpResults(
      result([device, down]),
      [53, 123, 161, 11211],
      {},
      (address, port) => listed.push(`${address} ${port.protocol}/${port.port}`),
      (address) => {
        probed.push(address);
        return Promise.resolve(found);
      },
    );
    expect(probed).toEqual(['192.168.1.20']);
    const host = out.hosts[0]!;
    expect(host.ports.filter((p) => p.protocol === 'udp')).toEqual([
      { port: 53, protocol: 'udp', state: 'closed', reason: 'port-unreach' },
      { port: 123, protocol: 'udp', state: 'open|filtered', reason: 'no-response' },
      {
        port: 161,
        protocol: 'udp',
        state: 'open',
        reason: 'udp-response',
        banner: 'Linux printer 5.4',
      },
      {
        port: 11211,
        protocol: 'udp',
        state: 'open',
        reason: 'udp-response',
        banner: 'memcached 1.6.18',
      },
    ]);
    expect(host.portStates).toEqual({
      tcp: { open: '22', closed: '21,23,80' },
      udp: { open: '161,11211', closed: '53', 'open|filtered': '123' },
    });
    expect(listed).toHaveLength(4);
    expect(out.hosts[1]).toBe(down);
  });

  it("the knowledge base's UDP entries judge UDP findings: SNMP answering public, memcached amplification", async () => {
    const out = await addUdpResults(
      result([device]),
      [53, 123, 161, 11211],
      {},
      () => {},
      () => Promise.resolve(found),
    );
    const assessed = assessHosts(out.hosts, [], knowledgeBase());
    const udp = assessed.hosts[0]!.ports.filter((p) => p.protocol === 'udp').sort(
      (a, b) => a.port - b.port,
    );
    expect(udp.map((p) => [p.port, p.service, p.category, p.severity])).toEqual([
      [161, 'snmp', 'amplification', 'high'],
      [11211, 'memcached', 'amplification', 'critical'],
    ]);
  });
});
