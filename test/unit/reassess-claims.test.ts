import { describe, expect, it } from 'vitest';
import type { HostResult } from '../../app/contract/index.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { claimKey, KEPT_CLAIM_UNCHECKED, reassessKept } from '../../app/risk/reassess.js';

/** This PC with telnet on 127.0.0.1 only, and IPP, as a scan of this PC sees them. */
const hosts: HostResult[] = [
  {
    address: '127.0.0.1',
    family: 'ipv4',
    isLocal: true,
    status: 'up',
    reason: 'localhost',
    ports: [23, 631].map((port) => ({ port, protocol: 'tcp', state: 'open', reason: 'syn-ack' })),
    hidden: { open: 0, closed: 0, filtered: 0 },
  },
];
const listeners = [23, 631].map((port) => ({
  protocol: 'tcp' as const,
  address: '127.0.0.1',
  port,
  program: { pid: 812, name: 'inetd', path: '/usr/sbin/inetd' },
}));

describe('a kept scan’s record of this PC’s listeners (issue 13 attacker review F5)', () => {
  const kb = knowledgeBase();
  const live = assessHosts(hosts, listeners, kb);
  const telnet = (result: typeof live) =>
    result.hosts[0]?.ports.find((p) => p.port === 23) as (typeof live.hosts)[0]['ports'][0];

  it('is believed as it is when this process made it: the verdicts do not change on reload', () => {
    expect(telnet(live)).toMatchObject({ severity: 'info', exposure: 'loopback-only' });
    const own = new Map(
      [23, 631].map((port) => [
        claimKey('127.0.0.1', port, 'tcp'),
        { exposure: 'loopback-only' as const, program: listeners[0]!.program },
      ]),
    );
    // The stored record says otherwise (edited): this process's own is the one used.
    const stored = {
      ...live,
      hosts: live.hosts.map((h) => ({
        ...h,
        ports: h.ports.map((p) => ({ ...p, exposure: 'all-interfaces' as const })),
      })),
    };
    expect(reassessKept(hosts, stored, [], kb, own)).toEqual(live);
  });

  it('read back from the store, may not make a port less risky than the port alone', () => {
    const reread = reassessKept(hosts, live, [], kb);
    const port = telnet(reread);
    expect(port).toMatchObject({ severity: 'critical', exposure: 'unknown' });
    expect(port.program).toBeUndefined();
    expect(port.reasons.map((r) => r.ruleId)).toContain(KEPT_CLAIM_UNCHECKED);
    // IPP's record lowers nothing: it is shown as kept.
    expect(reread.hosts[0]?.ports.find((p) => p.port === 631)).toEqual(
      live.hosts[0]?.ports.find((p) => p.port === 631),
    );
  });

  it('is not read for a device of the network, whatever its stored assessment says', () => {
    const device = [
      { ...hosts[0]!, address: '198.18.0.7', isLocal: false, reason: 'syn-ack' as const },
    ];
    const stored = {
      ...live,
      hosts: live.hosts.map((h) => ({ ...h, address: '198.18.0.7' })),
    };
    const port = telnet(reassessKept(device, stored, [], kb));
    expect(port.severity).toBe('critical');
    expect(port.exposure).toBeUndefined();
    expect(port.program).toBeUndefined();
  });
});
