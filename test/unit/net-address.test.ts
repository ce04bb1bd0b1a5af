import { describe, expect, it } from 'vitest';
import {
  addressKind,
  canonicalIp,
  canonicalNetwork,
  splitZone,
  type AddressKind,
} from '../../app/net/address.js';

describe('canonicalIp', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:7f00:1', '127.0.0.1'],
    ['::127.0.0.1', '127.0.0.1'],
    ['::7f00:1', '127.0.0.1'],
    ['0:0:0:0:0:ffff:c0a8:0101', '192.168.1.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['::', '::'],
    ['0:0::0', '::'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
    ['fd77::0:10', 'fd77::10'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['FE80::1%veth-a', 'fe80::1%veth-a'],
    ['fe80::1%br-lan', 'fe80::1%br-lan'],
    ['fe80::1%12', 'fe80::1%12'],
  ])('%s → %s', (text, canonical) => {
    expect(canonicalIp(text)).toBe(canonical);
  });

  it.each([
    '',
    '10.1',
    '65536',
    '80',
    '1.2.3.256',
    '01.2.3.4x',
    '::ffff:1.2.3',
    'fe80::1%',
    '2001:db8::/32',
    'fd00::zz',
    'example.com',
    ' 10.0.0.1',
  ])('refuses %j', (text) => {
    expect(canonicalIp(text)).toBeNull();
  });
});

describe('canonicalNetwork', () => {
  it.each([
    ['192.168.1.7/24', '192.168.1.0/24'],
    ['10.0.0.5/32', '10.0.0.5'],
    ['10.0.0.5', '10.0.0.5'],
    ['fd00::1:2/64', 'fd00::/64'],
    ['::1/128', '::1'],
    ['::ffff:10.1.2.3/104', '10.0.0.0/8'],
    ['::ffff:10.1.2.3/128', '10.1.2.3'],
  ])('%s → %s', (text, canonical) => {
    expect(canonicalNetwork(text)).toBe(canonical);
  });

  it.each([
    '10.0.0.0/33',
    '10.0.0.0/',
    '10.0.0.0/-1',
    'fd00::/129',
    '::ffff:10.0.0.0/95',
    '10.1/8',
  ])('refuses %j', (text) => {
    expect(canonicalNetwork(text)).toBeNull();
  });
});

describe('addressKind', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['0.1.2.3', 'reserved'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['169.254.10.1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['10.77.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.0', 'public'],
    ['192.168.1.1', 'private'],
    ['::ffff:192.168.1.1', 'private'],
    ['fd77::10', 'unique-local'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.254', 'shared'],
    ['100.128.0.1', 'public'],
    ['64:ff9b::8.8.8.8', 'nat64'],
    ['64:ff9b:1::5', 'nat64'],
    ['192.0.2.7', 'documentation'],
    ['198.51.100.1', 'documentation'],
    ['203.0.113.5', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['8.8.8.8', 'public'],
    ['2a00:1450::1', 'public'],
  ] as [string, AddressKind][])('%s is %s', (text, kind) => {
    expect(addressKind(text)).toBe(kind);
  });

  it('is null for non-addresses', () => {
    expect(addressKind('router.local')).toBeNull();
    expect(addressKind('fe80::1%')).toBeNull();
  });
});

describe('splitZone', () => {
  it('keeps the zone as written, dashes and digits included', () => {
    expect(splitZone('fe80::1%veth-a')).toEqual({ address: 'fe80::1', zone: 'veth-a' });
    expect(splitZone('fe80::1%eth0.100')).toEqual({ address: 'fe80::1', zone: 'eth0.100' });
    expect(splitZone('fe80::1%7')).toEqual({ address: 'fe80::1', zone: '7' });
    expect(splitZone('fe80::1')).toEqual({ address: 'fe80::1' });
  });
});
