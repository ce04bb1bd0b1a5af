import { describe, expect, it } from 'vitest';
import { normaliseMac, parseArpA, parseIpNeigh, parseProcArp } from '../../app/scan/neighbours.js';

describe('neighbour table parsing', () => {
  it('reads states and MAC addresses from ip neigh show', () => {
    const table = parseIpNeigh(
      [
        '10.77.0.10 dev eth0 lladdr 0A:1B:2C:3D:4E:5F REACHABLE',
        '10.77.0.11 dev eth0 lladdr 02:00:00:00:00:0b STALE',
        '10.77.0.20 dev eth0 FAILED',
        'fd77::10 dev eth0 lladdr 0a:1b:2c:3d:4e:5f router DELAY',
        '10.77.0.30 dev eth0 INCOMPLETE',
      ].join('\n'),
    );
    expect(table.get('10.77.0.10')).toEqual({ state: 'confirmed', mac: '0a:1b:2c:3d:4e:5f' });
    expect(table.get('10.77.0.11')).toEqual({ state: 'unconfirmed', mac: '02:00:00:00:00:0b' });
    expect(table.get('10.77.0.20')).toEqual({ state: 'absent' });
    expect(table.get('10.77.0.30')).toEqual({ state: 'absent' });
    expect(table.get('fd77::10')).toEqual({ state: 'unconfirmed', mac: '0a:1b:2c:3d:4e:5f' });
  });

  it('reads /proc/net/arp, keeping only complete entries', () => {
    const table = parseProcArp(
      [
        'IP address       HW type     Flags       HW address            Mask     Device',
        '10.77.0.10       0x1         0x2         0a:1b:2c:3d:4e:5f     *        eth0',
        '10.77.0.20       0x1         0x0         00:00:00:00:00:00     *        eth0',
      ].join('\n'),
    );
    expect(table.get('10.77.0.10')).toEqual({ state: 'confirmed', mac: '0a:1b:2c:3d:4e:5f' });
    expect(table.get('10.77.0.20')).toEqual({ state: 'absent' });
  });

  it('reads Windows and macOS arp -a, skipping broadcast and multicast entries', () => {
    const windows = parseArpA(
      [
        'Interface: 192.168.1.20 --- 0x5',
        '  Internet Address      Physical Address      Type',
        '  192.168.1.1           a4-2b-b0-01-02-03     dynamic',
        '  192.168.1.255         ff-ff-ff-ff-ff-ff     static',
        '  224.0.0.22            01-00-5e-00-00-16     static',
      ].join('\n'),
    );
    expect([...windows]).toEqual([
      ['192.168.1.1', { state: 'confirmed', mac: 'a4:2b:b0:01:02:03' }],
    ]);
    const mac = parseArpA('? (192.168.1.1) at a4:2b:b0:1:2:3 on en0 ifscope [ethernet]');
    expect(mac.get('192.168.1.1')).toEqual({ state: 'confirmed', mac: 'a4:2b:b0:01:02:03' });
  });

  it('normalises MAC addresses and rejects what is not a device', () => {
    expect(normaliseMac('A4-2B-B0-1-2-3')).toBe('a4:2b:b0:01:02:03');
    expect(normaliseMac('33:33:00:00:00:01')).toBeUndefined();
    expect(normaliseMac('00:00:00:00:00:00')).toBeUndefined();
    expect(normaliseMac('not-a-mac')).toBeUndefined();
  });
});
