import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  deviceMac,
  NeighbourTable,
  parseArpA,
  parseIpNeigh,
  parseNetNeighbor,
  parseProcArp,
  type NeighbourEntry,
} from '../../app/scan/neighbours.js';

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

  it('reads how long ago ip -s neigh confirmed an entry, and when at the latest that was', async () => {
    const text = [
      // iproute2 prints no space before "probes".
      '10.77.0.11 dev eth0 lladdr 02:00:00:00:00:0b ref 1 used 12/7/7probes 4 STALE',
      '10.77.0.12 dev eth0 lladdr 02:00:00:00:00:0c used 0/0/0 probes 1 REACHABLE',
      '10.77.0.13 dev eth0 used 3/3/3 probes 6 FAILED',
    ].join('\n');
    const table = parseIpNeigh(text);
    expect(table.get('10.77.0.11')).toEqual({
      state: 'unconfirmed',
      mac: '02:00:00:00:00:0b',
      confirmedAgoMs: 7000,
    });
    expect(table.get('10.77.0.12')?.confirmedAgoMs).toBe(0);
    expect(table.get('10.77.0.13')).toEqual({ state: 'absent' });
    const before = Date.now();
    const entry = await new NeighbourTable(() => Promise.resolve(table)).lookup('10.77.0.11');
    expect(entry.confirmedAt).toBeGreaterThanOrEqual(before - 7000);
    expect(entry.confirmedAt).toBeLessThanOrEqual(Date.now() - 7000);
  });

  it('never lets one link vouch for an address another link has lost, whatever the order', () => {
    const lines = [
      'fe80::1 dev eth0 lladdr 02:00:00:00:00:01 router REACHABLE',
      'fe80::1 dev wlan0 FAILED',
      '10.77.0.10 dev vethwsl lladdr 02:00:00:00:00:0a REACHABLE',
      '10.77.0.10 dev eth0 lladdr 02:00:00:00:00:0b STALE',
    ];
    for (const text of [lines.join('\n'), [...lines].reverse().join('\n')]) {
      const table = parseIpNeigh(text);
      expect(table.get('fe80::1')).toEqual({ state: 'absent' });
      expect(table.get('10.77.0.10')).toEqual({ state: 'unconfirmed', mac: '02:00:00:00:00:0b' });
    }
    // Windows: Unreachable on the Wi-Fi, Reachable on a Hyper-V switch (MAC 00-15-5D).
    const windows = parseNetNeighbor(
      JSON.stringify([
        { IPAddress: '192.168.1.20', LinkLayerAddress: '00-15-5D-01-02-03', State: 'Reachable' },
        { IPAddress: '192.168.1.20', LinkLayerAddress: '00-00-00-00-00-00', State: 'Unreachable' },
      ]),
    );
    expect(windows.get('192.168.1.20')).toEqual({ state: 'absent' });
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
    // arp -a cannot tell a Stale entry (a device that left) from a live one: never enough alone.
    expect([...windows]).toEqual([
      ['192.168.1.1', { state: 'unconfirmed', mac: 'a4:2b:b0:01:02:03' }],
    ]);
    const mac = parseArpA(
      '? (192.168.1.1) at a4:2b:b0:1:2:3 on en0 ifscope [ethernet]',
      'confirmed',
    );
    expect(mac.get('192.168.1.1')).toEqual({ state: 'confirmed', mac: 'a4:2b:b0:01:02:03' });
  });

  it('normalises MAC addresses and rejects what is not a device', () => {
    expect(deviceMac('A4-2B-B0-1-2-3')).toBe('a4:2b:b0:01:02:03');
    expect(deviceMac('33:33:00:00:00:01')).toBeUndefined();
    expect(deviceMac('00:00:00:00:00:00')).toBeUndefined();
    expect(deviceMac('not-a-mac')).toBeUndefined();
  });

  it('reads Get-NetNeighbor with its states: Stale, Delay, Probe and Unreachable are not up', () => {
    const recorded = JSON.parse(
      readFileSync(
        path.resolve(__dirname, '../fixtures/windows-recorded/synthetic-fr-FR-neighbours.json'),
        'utf8',
      ),
    ) as { stdoutBase64: string };
    const table = parseNetNeighbor(Buffer.from(recorded.stdoutBase64, 'base64').toString('utf8'));
    expect(table.get('192.168.1.1')).toEqual({ state: 'confirmed', mac: 'a4:2b:b0:01:02:03' });
    expect(table.get('fe80::1')).toEqual({ state: 'confirmed', mac: 'a4:2b:b0:01:02:03' });
    // The phone that left the Wi-Fi: Stale for minutes, and not up on that alone.
    expect(table.get('192.168.1.37')).toEqual({ state: 'unconfirmed', mac: '8e:c1:2a:3b:4c:5d' });
    expect(table.get('192.168.1.20')?.state).toBe('unconfirmed');
    expect(table.get('172.20.16.5')?.state).toBe('unconfirmed');
    for (const gone of ['192.168.1.42', '192.168.1.50', 'fd00::1'])
      expect(table.get(gone)).toEqual({ state: 'absent' });
    // Broadcast and multicast are Permanent entries but no device.
    for (const group of ['255.255.255.255', '224.0.0.22', '192.168.1.255', 'ff02::1:ff12:3456'])
      expect(table.get(group)).toEqual({ state: 'absent' });
  });

  it('reads a State that comes back as a number, and the {value, Count} shape', () => {
    const table = parseNetNeighbor(
      JSON.stringify({
        value: [
          { IPAddress: '10.0.0.1', LinkLayerAddress: '02-00-00-00-00-01', State: 5 },
          { IPAddress: '10.0.0.2', LinkLayerAddress: '02-00-00-00-00-02', State: 4 },
        ],
        Count: 2,
      }),
    );
    expect(table.get('10.0.0.1')?.state).toBe('confirmed');
    expect(table.get('10.0.0.2')?.state).toBe('unconfirmed');
  });

  it('never runs two reads at once; one read serves every lookup queued while another ran', async () => {
    let running = 0;
    let most = 0;
    const pending: (() => void)[] = [];
    let reads = 0;
    const table = new NeighbourTable(async () => {
      reads += 1;
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => pending.push(resolve));
      running -= 1;
      return new Map<string, NeighbourEntry>([['10.0.0.1', { state: 'confirmed' }]]);
    });
    const started = async () => {
      while (pending.length === 0) await new Promise((resolve) => setImmediate(resolve));
    };
    const settle = async () => {
      await started();
      pending.shift()!();
    };
    const first = table.lookup('10.0.0.1', 0);
    // A lookup made before that read began is served by it.
    const early = table.lookup('10.0.0.9', Date.now());
    await started();
    // Two lookups that need a read newer than the one running: they share the next one.
    const second = table.lookup('10.0.0.1', Date.now() + 1);
    const third = table.lookup('10.0.0.2', Date.now() + 1);
    await settle();
    expect((await early).state).toBe('absent');
    expect((await first).state).toBe('confirmed');
    await settle();
    expect((await second).state).toBe('confirmed');
    expect((await third).state).toBe('absent');
    expect(most).toBe(1);
    expect(reads).toBe(2);
  });
});
