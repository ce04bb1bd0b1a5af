import { describe, expect, test } from 'vitest';
import { ownAddressesIn } from '../../renderer/features/firewall/own-addresses.js';

describe('this PC’s own addresses typed in the wizard', () => {
  const own = ['10.77.210.1', 'fe80::1%eth0', '2001:db8::7'];

  test('names the entries that are this PC’s, as typed, in their order', () => {
    expect(ownAddressesIn('10.77.210.2, 10.77.210.1', own)).toEqual(['10.77.210.1']);
    expect(ownAddressesIn(' 2001:DB8::7 ,10.77.210.1/32', own)).toEqual([
      '2001:DB8::7',
      '10.77.210.1/32',
    ]);
    expect(ownAddressesIn('[fe80::1]', own)).toEqual(['[fe80::1]']);
  });

  test('an IPv4-mapped form and loopback addresses are this PC too', () => {
    expect(ownAddressesIn('::ffff:10.77.210.1', own)).toEqual(['::ffff:10.77.210.1']);
    expect(ownAddressesIn('127.0.0.1,127.3.4.5,::1', [])).toEqual([
      '127.0.0.1',
      '127.3.4.5',
      '::1',
    ]);
  });

  test('other devices, networks and an empty field are not', () => {
    expect(ownAddressesIn('', own)).toEqual([]);
    expect(ownAddressesIn('10.77.210.0/24, 10.77.210.10, ,', own)).toEqual([]);
    expect(ownAddressesIn('2001:db8::7/64', own)).toEqual([]);
  });
});
