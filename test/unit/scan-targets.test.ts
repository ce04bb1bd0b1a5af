import { readFileSync } from 'node:fs';
import type { NetworkInterfaceInfo } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../app/errors.js';
import { formatAddress, walkIntervals } from '../../app/scan/addresses.js';
import {
  parseTargets,
  requireConfirmation,
  type Interfaces,
  type TargetSet,
} from '../../app/scan/targets.js';
import { parseWindowsAdapters } from '../../app/system/adapters.js';
import { typeset } from './support/typography.js';

function iface(
  address: string,
  netmask: string,
  extra: Partial<NetworkInterfaceInfo> = {},
): NetworkInterfaceInfo {
  const family = address.includes(':') ? 'IPv6' : 'IPv4';
  return {
    address,
    netmask,
    family,
    mac: '02:00:00:00:00:01',
    internal: false,
    cidr: null,
    ...(family === 'IPv6' ? { scopeid: 0 } : {}),
    ...extra,
  } as NetworkInterfaceInfo;
}

const interfaces: Interfaces = {
  lo: [
    iface('127.0.0.1', '255.0.0.0', { internal: true }),
    iface('::1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', { internal: true }),
  ],
  eth0: [iface('192.168.1.23', '255.255.255.0'), iface('fe80::1234', 'ffff:ffff:ffff:ffff::')],
  wlan0: [iface('10.20.30.40', '255.255.0.0')],
};

const hosts: Record<string, { address: string; family: number }[]> = {
  'zero.lan': [
    { address: '0.0.0.0', family: 4 },
    { address: '10.0.0.7', family: 4 },
  ],
  'blocked.lan': [
    { address: '0.0.0.0', family: 4 },
    { address: '::', family: 6 },
  ],
  'linklocal.lan': [{ address: 'fe80::1', family: 6 }],
  'nas.example': [
    { address: '10.0.0.5', family: 4 },
    { address: 'fd00::5', family: 6 },
  ],
};

const options = {
  interfaces,
  resolve: async (name: string) => hosts[name] ?? [],
  // Adapters unknown (names alone decide): never this machine's real ones.
  adapters: null,
};

function addresses(set: TargetSet): string[] {
  return [...walkIntervals(set.intervals)].map((a) => a.address);
}

async function failureOf(text: string): Promise<AppFailure> {
  try {
    await parseTargets(text, options);
  } catch (error) {
    if (error instanceof AppFailure) return error;
    throw error;
  }
  throw new Error(`parseTargets(${JSON.stringify(text)}) did not fail`);
}

/** The refusal `run` throws. */
function refusal(run: () => void): AppFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof AppFailure) return error;
    throw error;
  }
  throw new Error('did not fail');
}

describe('parseTargets', () => {
  it('drops the 0.0.0.0 or :: of a name that also gives a real address, and says so', async () => {
    const set = await parseTargets('zero.lan', options);
    expect(addresses(set)).toEqual(['10.0.0.7']);
    expect(set.notes.map((n) => n.en).join(' ')).toContain('“zero.lan” also gives 0.0.0.0');
    expect(set.notes.map((n) => n.fr).join(' ')).toContain(
      typeset('« zero.lan » donne aussi 0.0.0.0'),
    );
  });

  it.each([
    ['blocked.lan', '0.0.0.0, ::'],
    ['linklocal.lan', 'fe80::1'],
  ])('says what %s gives when none of it can be scanned, not "not found"', async (name, given) => {
    const failure = await failureOf(name);
    expect(failure.appError.code).toBe('scan.targets.unresolved');
    expect(failure.appError.message.en).toContain(`only gives ${given}`);
    expect(failure.appError.message.fr).toContain(`ne donne que ${given}`);
    expect(failure.appError.message.en).not.toContain('not found');
  });

  it('parses IPv4 and IPv6 literals, comma and space lists', async () => {
    const set = await parseTargets('10.0.0.1, 10.0.0.3 ::1,fd00::0:1', options);
    expect(addresses(set)).toEqual(['10.0.0.1', '10.0.0.3', '::1', 'fd00::1']);
    expect(set.count).toBe(4);
  });

  it('expands CIDR blocks and merges overlaps', async () => {
    const set = await parseTargets('192.168.5.0/30 192.168.5.2 fd00::/126', options);
    expect(addresses(set)).toEqual([
      '192.168.5.0',
      '192.168.5.1',
      '192.168.5.2',
      '192.168.5.3',
      'fd00::',
      'fd00::1',
      'fd00::2',
      'fd00::3',
    ]);
  });

  it('expands nmap octet ranges and full ranges', async () => {
    expect(addresses(await parseTargets('10.0.0.1-3', options))).toEqual([
      '10.0.0.1',
      '10.0.0.2',
      '10.0.0.3',
    ]);
    const octets = await parseTargets('10.0.0-3.1-254', options);
    expect(octets.count).toBe(4 * 254);
    const list = addresses(octets);
    expect(list[0]).toBe('10.0.0.1');
    expect(list).not.toContain('10.0.1.0');
    expect(list).not.toContain('10.0.1.255');
    expect(list.at(-1)).toBe('10.0.3.254');
    expect((await parseTargets('10.1.*.7', options)).count).toBe(256);
    expect(addresses(await parseTargets('10.0.0.254-10.0.1.1', options))).toEqual([
      '10.0.0.254',
      '10.0.0.255',
      '10.0.1.0',
      '10.0.1.1',
    ]);
  });

  it('applies exclusions', async () => {
    const set = await parseTargets('10.0.0.0/29 !10.0.0.2 !10.0.0.4-6', options);
    expect(addresses(set)).toEqual(['10.0.0.0', '10.0.0.1', '10.0.0.3', '10.0.0.7']);
  });

  it('resolves host names and keeps every address with its name', async () => {
    const set = await parseTargets('nas.example', options);
    expect(addresses(set)).toEqual(['10.0.0.5', 'fd00::5']);
    expect(set.hostnames).toEqual({ '10.0.0.5': 'nas.example', 'fd00::5': 'nas.example' });
  });

  it('expands this-pc to loopback and every interface address', async () => {
    const set = await parseTargets('this-pc', options);
    expect(addresses(set).sort()).toEqual(
      ['10.20.30.40', '127.0.0.1', '192.168.1.23', '::1', 'fe80::1234'].sort(),
    );
    expect(set.zones).toEqual({ 'fe80::1234': 'eth0' });
    expect(set.localAddresses).toContain('192.168.1.23');
  });

  it('expands local-network to each IPv4 subnet, capping big ones at /22 with a note', async () => {
    // An isolated LAN (no default gateway anywhere): every wired or Wi-Fi network counts.
    const set = await parseTargets('local-network', {
      ...options,
      adapters: [
        { name: 'eth0', kind: 'physical', gateway: false },
        { name: 'wlan0', kind: 'physical', gateway: false },
      ],
    });
    expect(set.count).toBe(255 + 1023);
    const list = addresses(set);
    expect(list).toContain('192.168.1.0');
    expect(list).toContain('192.168.1.254');
    // Broadcast addresses name every device at once: not scanned.
    expect(list).not.toContain('192.168.1.255');
    expect(list).toContain('10.20.28.0');
    expect(list).toContain('10.20.31.254');
    expect(list).not.toContain('10.20.31.255');
    expect(list).not.toContain('10.20.32.0');
    expect(set.notes).toHaveLength(1);
    expect(set.notes[0]!.en).toContain('wlan0');
    expect(set.notes[0]!.en).toContain('10.20.28.0/22');
    expect(set.notes[0]!.fr).toContain('Réseau local');
    expect(set.notes[0]!.fr).toContain('10.20.28.0/22');
  });

  it('reports bad tokens precisely, in French and English', async () => {
    for (const [text, token] of [
      ['10.0.0.1 999.1.1.1', '999.1.1.1'],
      ['10.0.0.0/33', '10.0.0.0/33'],
      ['10.0.0.20-10', '10.0.0.20-10'],
      ['10.0.0', '10.0.0'],
      ['fd00::zz', 'fd00::zz'],
      ['1234', '1234'],
      ['bad_host!name', 'bad_host!name'],
      ['!', '!'],
    ] as const) {
      const failure = await failureOf(text);
      expect(failure.appError.code, text).toBe('scan.targets.invalid');
      expect(failure.appError.params, text).toEqual({ token });
      expect(failure.appError.message.en).toContain(`“${token}”`);
      expect(failure.appError.message.fr).toContain(typeset(`« ${token} »`));
    }
    const prefix = await failureOf('10.0.0.0/33');
    expect(prefix.appError.message.en).toMatch(/0 to 32/);
  });

  it('reports an empty list, an unknown name and a fully excluded set', async () => {
    expect((await failureOf('  ')).appError.code).toBe('scan.targets.empty');
    const unresolved = await failureOf('10.0.0.1 nowhere.invalid');
    expect(unresolved.appError.code).toBe('scan.targets.unresolved');
    expect(unresolved.appError.params).toEqual({ token: 'nowhere.invalid' });
    expect(unresolved.appError.message.fr).toContain('nowhere.invalid');
    expect((await failureOf('10.0.0.1 !10.0.0.0/24')).appError.code).toBe(
      'scan.targets.allExcluded',
    );
    expect((await failureOf('0.0.0.0/0')).appError.code).toBe('scan.targets.tooMany');
  });

  it('requires confirmation for public addresses and for more than 65,536 addresses', async () => {
    const privateSet = await parseTargets('192.168.0.0/17 10.0.0.1 fd00::1', options);
    expect(() => requireConfirmation(privateSet, false)).not.toThrow();

    const big = await parseTargets('10.0.0.0/15', options);
    expect(big.count).toBe(131072);
    expect(() => requireConfirmation(big, false)).toThrow(AppFailure);
    expect(() => requireConfirmation(big, true)).not.toThrow();

    const pub = await parseTargets('10.0.0.1 203.0.113.5', options);
    expect(pub.needsConfirmation).toEqual([{ reason: 'public', address: '203.0.113.5' }]);
    try {
      requireConfirmation(pub, false);
      throw new Error('should have failed');
    } catch (error) {
      expect(error).toBeInstanceOf(AppFailure);
      const appError = (error as AppFailure).appError;
      expect(appError.code).toBe('scan.confirmationRequired');
      expect(appError.params).toMatchObject({ reason: 'public', address: '203.0.113.5' });
    }
    expect((await parseTargets('2001:db8::1', options)).needsConfirmation).toEqual([
      { reason: 'public', address: '2001:db8::1' },
    ]);
  });

  it('does not ask to confirm a scan of this PC, even when its address is public', async () => {
    const set = await parseTargets('this-pc', {
      ...options,
      interfaces: { ...interfaces, ppp0: [iface('203.0.114.9', '255.255.255.255')] },
    });
    expect(addresses(set)).toContain('203.0.114.9');
    expect(set.needsConfirmation).toBeUndefined();
  });

  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::127.0.0.1', '127.0.0.1'],
    ['::ffff:192.168.1.23', '192.168.1.23'],
    ['::ffff:10.0.0.0/126', '10.0.0.0'],
  ])('reads IPv4-mapped/compatible %s as the IPv4 address %s', async (text, first) => {
    const set = await parseTargets(text, options);
    expect(set.intervals[0]!.family).toBe(4);
    expect(addresses(set)[0]).toBe(first);
    expect(set.needsConfirmation).toBeUndefined();
  });

  it('merges an IPv4-mapped address with its IPv4 form: one local device, not two', async () => {
    const set = await parseTargets('127.0.0.1 ::ffff:127.0.0.1 ::ffff:7f00:1', options);
    expect(addresses(set)).toEqual(['127.0.0.1']);
    expect(set.localAddresses).toContain('127.0.0.1');
  });

  it('takes zones as written, dashes included, and keeps them for the probes', async () => {
    const withDashes: Interfaces = {
      ...interfaces,
      'veth-a': [iface('fe80::aa:1', 'ffff:ffff:ffff:ffff::')],
      'br-lan': [iface('fe80::bb:1', 'ffff:ffff:ffff:ffff::')],
    };
    const set = await parseTargets('fe80::2%veth-a FE80::0:3%br-lan fe80::4%eth0', {
      ...options,
      interfaces: withDashes,
    });
    expect(addresses(set)).toEqual(['fe80::2', 'fe80::3', 'fe80::4']);
    expect(set.zones).toEqual({ 'fe80::2': 'veth-a', 'fe80::3': 'br-lan', 'fe80::4': 'eth0' });
    expect(set.needsConfirmation).toBeUndefined();
  });

  it('takes interface numbers as zones on Windows', async () => {
    const windows: Interfaces = {
      Ethernet: [iface('fe80::1234', 'ffff:ffff:ffff:ffff::', { scopeid: 12 })],
    };
    const set = await parseTargets('fe80::5%12', {
      ...options,
      interfaces: windows,
      platform: 'win32',
    });
    expect(set.zones).toEqual({ 'fe80::5': '12' });
    const failure = await parseTargets('fe80::5%Ethernet', {
      ...options,
      interfaces: windows,
      platform: 'win32',
    }).catch((e: unknown) => e as AppFailure);
    expect(failure).toBeInstanceOf(AppFailure);
    expect((failure as AppFailure).appError.message.en).toContain('number');
    // A global address's scope id is 0 on Windows: it names no interface.
    const global: Interfaces = {
      Ethernet: [
        iface('fe80::1234', 'ffff:ffff:ffff:ffff::', { scopeid: 12 }),
        iface('2001:db8::5', 'ffff:ffff:ffff:ffff::', { scopeid: 0 }),
      ],
    };
    const zero = await parseTargets('fe80::5%0', {
      ...options,
      interfaces: global,
      platform: 'win32',
    }).catch((e: unknown) => e as AppFailure);
    expect((zero as AppFailure).appError.message.en).toContain('interfaces (12)');
  });

  it.each([
    ['fe80::1', 'fe80::1%eth0'],
    ['FE80::0:9', 'fe80::9%eth0'],
    ['fe80::1-fe80::5', 'fe80::1%eth0'],
    ['fe80::/120', 'fe80::%eth0'],
  ])('refuses link-local %s without a zone, with the hint %s', async (text, hint) => {
    const failure = await failureOf(text);
    expect(failure.appError.code).toBe('scan.targets.invalid');
    expect(failure.appError.params).toEqual({ token: text });
    expect(failure.appError.message.en).toContain(hint);
    expect(failure.appError.message.fr).toContain(hint);
  });

  it.each([
    ['fe80::1%', 'nothing follows “%”'],
    ['fe80::1%wlan9', 'not an interface of this PC'],
    ['fd00::1%eth0', 'only applies to link-local'],
    ['10.0.0.1%eth0', 'only applies to link-local'],
    ['fe80::1-fe80::5%eth0', 'one address'],
    ['0.0.0.0', 'name no device'],
    ['::', 'name no device'],
    ['::ffff:0.0.0.0', 'name no device'],
    ['::ffff:10.0.0.0/64', 'prefix from 96 to 128'],
    ['10.0.0.1-fd00::9', 'same family'],
    ['fd00::1-10.0.0.9', 'same family'],
  ])('refuses %s (%s)', async (text, why) => {
    const failure = await failureOf(text);
    expect(failure.appError.code).toBe('scan.targets.invalid');
    expect(failure.appError.params).toEqual({ token: text });
    expect(failure.appError.message.en).toContain(why);
  });

  it.each([
    ['100.64.0.1', 'shared', '100.64.0.1'],
    ['100.64.0.0/16', 'shared', '100.64.0.0'],
    ['10.0.0.1 100.127.255.254', 'shared', '100.127.255.254'],
    ['64:ff9b::8.8.8.8', 'nat64', '64:ff9b::808:808'],
    ['64:ff9b:1::10', 'nat64', '64:ff9b:1::10'],
    ['198.18.0.1', 'benchmarking', '198.18.0.1'],
    ['198.19.255.0/24', 'benchmarking', '198.19.255.0'],
  ])('asks to confirm %s (%s)', async (text, reason, address) => {
    const set = await parseTargets(text, options);
    expect(set.needsConfirmation).toEqual([{ reason, address }]);
    try {
      requireConfirmation(set, false);
      throw new Error('should have failed');
    } catch (error) {
      const appError = (error as AppFailure).appError;
      expect(appError.code).toBe('scan.confirmationRequired');
      expect(appError.params).toMatchObject({ reason, reasons: reason, address });
      expect(appError.message.fr).toContain(address);
      expect(appError.message.en).toContain(address);
    }
    expect(() => requireConfirmation(set, true)).not.toThrow();
  });

  it('does not ask to confirm carrier-grade NAT space this PC is directly connected to', async () => {
    const cgnat: Interfaces = { ...interfaces, wwan0: [iface('100.70.1.2', '255.255.255.0')] };
    const onLink = await parseTargets('100.70.1.0/24', { ...options, interfaces: cgnat });
    expect(onLink.needsConfirmation).toBeUndefined();
    const beyond = await parseTargets('100.70.2.1', { ...options, interfaces: cgnat });
    expect(beyond.needsConfirmation).toEqual([{ reason: 'shared', address: '100.70.2.1' }]);
    // A range across the edge of the connected network names the first address beyond it.
    const across = await parseTargets('100.70.1.250-100.70.2.3', { ...options, interfaces: cgnat });
    expect(across.needsConfirmation).toEqual([{ reason: 'shared', address: '100.70.2.0' }]);
  });

  it('does not ask to confirm benchmarking space this PC is directly connected to', async () => {
    const lab: Interfaces = { ...interfaces, eth9: [iface('198.18.0.2', '255.255.255.0')] };
    const onLink = await parseTargets('198.18.0.0/24', { ...options, interfaces: lab });
    expect(onLink.needsConfirmation).toBeUndefined();
    const beyond = await parseTargets('198.18.1.1', { ...options, interfaces: lab });
    expect(beyond.needsConfirmation).toEqual([{ reason: 'benchmarking', address: '198.18.1.1' }]);
  });

  it('names every reason to confirm in one message: many addresses hide no public one', async () => {
    const set = await parseTargets('10.0.0.0/15 203.0.113.7 100.64.9.9 198.18.0.1', options);
    expect(set.needsConfirmation).toEqual([
      { reason: 'public', address: '203.0.113.7' },
      { reason: 'shared', address: '100.64.9.9' },
      { reason: 'benchmarking', address: '198.18.0.1' },
    ]);
    const { appError } = refusal(() => requireConfirmation(set, false));
    expect(appError.params).toMatchObject({
      reason: 'count',
      reasons: 'count,public,shared,benchmarking',
      address: '203.0.113.7',
      count: 131075,
    });
    for (const text of ['131,075 addresses', '203.0.113.7', '100.64.9.9', '198.18.0.1']) {
      expect(appError.message.en).toContain(text);
    }
    for (const text of ['131\u202f075 adresses', '203.0.113.7', '100.64.9.9', '198.18.0.1']) {
      expect(appError.message.fr).toContain(text);
    }
    expect(appError.message.fr).toMatch(/\u00a0: /);
  });

  it('starts a confirmed scan only if it is what the confirmation was given for', async () => {
    const shown = await parseTargets('203.0.113.7', options);
    const token = String(
      refusal(() => requireConfirmation(shown, false)).appError.params?.confirmation,
    );
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(() => requireConfirmation(shown, true, true, token)).not.toThrow();
    // The targets were edited after the question (a CGNAT address instead of the public one).
    const edited = await parseTargets('100.64.9.9', options);
    const again = refusal(() => requireConfirmation(edited, true, true, token)).appError;
    expect(again.code).toBe('scan.confirmationRequired');
    expect(again.params).toMatchObject({ reason: 'shared', address: '100.64.9.9' });
    expect(again.message.en).toMatch(/no longer the ones you confirmed/);
    expect(again.message.fr).toMatch(/ne sont plus celles que vous avez confirmées/);
    // A name that resolves, the second time, to one more address than the user was shown.
    let answers = [{ address: '203.0.113.7', family: 4 }];
    const resolve = async () => answers;
    const first = await parseTargets('nas.test', { ...options, resolve });
    const named = String(
      refusal(() => requireConfirmation(first, false)).appError.params?.confirmation,
    );
    answers = [...answers, { address: '203.0.113.8', family: 4 }];
    const second = await parseTargets('nas.test', { ...options, resolve });
    expect(() => requireConfirmation(second, true, true, named)).toThrow(AppFailure);
    // A go-ahead given in advance (the CLI's --yes) carries no fingerprint.
    expect(() => requireConfirmation(second, true)).not.toThrow();
  });

  it('lists the subnets this PC is directly connected to', async () => {
    const set = await parseTargets('10.0.0.1', options);
    expect(
      set.connected.map(
        (i) => `${formatAddress(i.family, i.start)}-${formatAddress(i.family, i.end)}`,
      ),
    ).toEqual([
      '10.20.0.0-10.20.255.255',
      '192.168.1.0-192.168.1.255',
      'fe80::-fe80::ffff:ffff:ffff:ffff',
    ]);
  });

  it('formats addresses canonically', () => {
    expect(formatAddress(4, 0x0a000001n)).toBe('10.0.0.1');
    expect(formatAddress(6, 1n)).toBe('::1');
  });

  describe('local-network: the networks this PC goes out through', () => {
    const windows: Interfaces = {
      'Loopback Pseudo-Interface 1': [iface('127.0.0.1', '255.0.0.0', { internal: true })],
      'Wi-Fi': [
        iface('192.168.1.23', '255.255.255.0'),
        iface('fe80::1c2d:3e4f:5a6b:7c8d', 'ffff:ffff:ffff:ffff::', { scopeid: 12 }),
      ],
      'vEthernet (WSL)': [iface('172.20.16.1', '255.255.240.0')],
      'Ethernet 3': [iface('10.8.0.5', '255.255.255.0')],
      'VirtualBox Host-Only Network': [iface('192.168.56.1', '255.255.255.0')],
    };
    const adapters = parseWindowsAdapters(
      Buffer.from(
        (
          JSON.parse(
            readFileSync(
              path.resolve(__dirname, '../fixtures/windows-recorded/synthetic-fr-FR-adapters.json'),
              'utf8',
            ),
          ) as { stdoutBase64: string }
        ).stdoutBase64,
        'base64',
      ).toString('utf8'),
    );
    const win = { interfaces: windows, adapters, platform: 'win32' as const };

    it('when the adapters cannot be read, nothing is scanned without the user’s choice', async () => {
      const set = await parseTargets('local-network', { ...win, adapters: null });
      expect(set.count).toBe(0);
      expect(set.leftOut.map((n) => [n.adapter, n.reason])).toEqual([
        ['Wi-Fi', 'unverified'],
        ['vEthernet (WSL)', 'unverified'],
        ['Ethernet 3', 'unverified'],
        ['VirtualBox Host-Only Network', 'unverified'],
      ]);
      const chosen = await parseTargets('local-network', {
        ...win,
        adapters: null,
        includeAdapters: ['Wi-Fi'],
      });
      expect(chosen.count).toBe(255);
    });

    it('scans the Wi-Fi with the gateway only, and names WSL, the VPN and host-only', async () => {
      const set = await parseTargets('local-network', win);
      expect(set.count).toBe(255);
      expect(addresses(set)[0]).toBe('192.168.1.0');
      expect(set.leftOut).toEqual([
        {
          adapter: 'vEthernet (WSL)',
          kind: 'virtual',
          reason: 'virtual',
          network: '172.20.16.0/22',
          fullNetwork: '172.20.16.0/20',
          description: 'Hyper-V Virtual Ethernet Adapter',
        },
        {
          adapter: 'Ethernet 3',
          kind: 'vpn',
          reason: 'vpn',
          network: '10.8.0.0/24',
          description: 'TAP-Windows Adapter V9',
        },
        {
          adapter: 'VirtualBox Host-Only Network',
          kind: 'virtual',
          reason: 'virtual',
          network: '192.168.56.0/24',
          description: 'VirtualBox Host-Only Ethernet Adapter',
        },
      ]);
      expect(set.notes.map((n) => n.fr)).toContain(
        typeset(
          'Réseau local : Ethernet 3 (10.8.0.0/24) est un VPN — le réseau de quelqu’un d’autre, à travers un tunnel ; il n’est pas analysé.',
        ),
      );
    });

    it('asks first which left-out networks to add, then scans those chosen', async () => {
      const unanswered = await parseTargets('local-network', win);
      let asked: AppFailure | null = null;
      try {
        requireConfirmation(unanswered, true, false);
      } catch (error) {
        asked = error as AppFailure;
      }
      expect(asked?.appError).toMatchObject({
        code: 'scan.confirmationRequired',
        params: { reason: 'adapters', count: 3 },
      });
      expect(asked?.appError.message.en).toContain('vEthernet (WSL) (172.20.16.0/22)');
      const chosen = await parseTargets('local-network', {
        ...win,
        includeAdapters: ['VirtualBox Host-Only Network'],
      });
      expect(chosen.count).toBe(255 + 255);
      expect(chosen.leftOut.map((n) => n.adapter)).toEqual(['vEthernet (WSL)', 'Ethernet 3']);
      expect(() => requireConfirmation(chosen, false, true)).not.toThrow();
      expect(chosen.localNetworks).toEqual([
        { adapter: 'Wi-Fi', network: '192.168.1.0/24' },
        { adapter: 'VirtualBox Host-Only Network', network: '192.168.56.0/24' },
      ]);
      expect(chosen.notes.map((n) => n.en)).toContain(
        'Local network: VirtualBox Host-Only Network (192.168.56.0/24) is scanned because you chose it.',
      );
    });

    it('refuses a chosen adapter this PC does not have, naming those it has', async () => {
      const refused = await parseTargets('local-network', {
        ...win,
        includeAdapters: ['Wi-Fi', 'Ethernet 9'],
      }).catch((error: AppFailure) => error);
      expect((refused as AppFailure).appError).toMatchObject({
        code: 'scan.targets.unknownAdapter',
        params: { adapters: 'Ethernet 9' },
        message: {
          fr: expect.stringContaining(
            typeset(
              'ce PC n’a pas d’interface « Ethernet 9 » avec une adresse IPv4 (hors boucle locale). Interfaces IPv4 actives : Wi-Fi,',
            ),
          ),
          en: expect.stringContaining(
            'this PC has no interface “Ethernet 9” with an IPv4 address (other than loopback). Active IPv4 interfaces: Wi-Fi,',
          ),
        },
      });
    });

    it('a PC on a VPN and nothing else: nothing scanned until it is chosen, and then it is', async () => {
      const vpnOnly: Interfaces = { 'Ethernet 3': windows['Ethernet 3']! };
      const set = await parseTargets('local-network', { ...win, interfaces: vpnOnly });
      expect(set.count).toBe(0);
      expect(set.leftOut.map((n) => n.reason)).toEqual(['vpn']);
      const refused = await parseTargets('local-network', {
        ...win,
        interfaces: vpnOnly,
        includeAdapters: [],
      }).catch((error: AppFailure) => error);
      expect((refused as AppFailure).appError).toMatchObject({
        code: 'scan.targets.noLocalNetwork',
        message: { en: expect.stringContaining('Ethernet 3') },
      });
    });

    it('with no default gateway anywhere (an isolated LAN), every wired or Wi-Fi network counts', async () => {
      const set = await parseTargets('local-network', {
        interfaces: { eth0: interfaces.eth0!, docker0: [iface('172.17.0.1', '255.255.0.0')] },
        adapters: [
          { name: 'eth0', kind: 'physical', gateway: false },
          { name: 'docker0', kind: 'virtual', gateway: false },
        ],
      });
      expect(set.count).toBe(255);
      expect(set.leftOut.map((n) => [n.adapter, n.reason])).toEqual([['docker0', 'virtual']]);
    });

    it('a second NIC without the gateway is left out when another has one', async () => {
      const set = await parseTargets('local-network', {
        interfaces,
        adapters: [
          { name: 'eth0', kind: 'physical', gateway: true },
          { name: 'wlan0', kind: 'physical', gateway: false },
        ],
      });
      expect(set.count).toBe(255);
      expect(set.leftOut).toEqual([
        {
          adapter: 'wlan0',
          kind: 'physical',
          reason: 'no-gateway',
          network: '10.20.28.0/22',
          fullNetwork: '10.20.0.0/16',
        },
      ]);
    });

    it('on Windows, this PC’s link-local address carries the interface number as its zone', async () => {
      const set = await parseTargets('this-pc', win);
      expect(set.zones).toEqual({ 'fe80::1c2d:3e4f:5a6b:7c8d': '12' });
    });
  });
});
