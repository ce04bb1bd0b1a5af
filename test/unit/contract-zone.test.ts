import { describe, expect, it } from 'vitest';
import { HostResult, zonedAddress } from '../../app/contract/index.js';

const host = {
  address: 'fe80::1',
  family: 'ipv6',
  isLocal: false,
  status: 'up',
  reason: 'user-set',
  ports: [],
  hidden: { open: 0, closed: 0, filtered: 0 },
} as const;

describe('a host result’s zone (RFC 4007 §11)', () => {
  it.each(['veth-a', 'br-lan', 'eth0.100', 'wlp2s0', '12'])('accepts the zone %s', (zone) => {
    expect(HostResult.parse({ ...host, zone }).zone).toBe(zone);
  });

  it.each(['', 'a b', 'eth0%1', 'a/b', 'tab\there', 'x'.repeat(65), 'nul\u0000'])(
    'refuses the zone %j',
    (zone) => {
      expect(HostResult.safeParse({ ...host, zone }).success).toBe(false);
    },
  );

  it('writes the address with its zone only when it has one', () => {
    expect(zonedAddress({ address: 'fe80::1', zone: 'veth-a' })).toBe('fe80::1%veth-a');
    expect(zonedAddress({ address: '10.0.0.1' })).toBe('10.0.0.1');
  });
});
