import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseLinuxAdapters,
  parseMacAdapters,
  parseWindowsAdapters,
} from '../../app/system/adapters.js';

const fixture = (name: string) =>
  readFileSync(path.resolve(__dirname, '../fixtures/system', name), 'utf8');
const recorded = (name: string) =>
  Buffer.from(
    (
      JSON.parse(
        readFileSync(path.resolve(__dirname, '../fixtures/windows-recorded', name), 'utf8'),
      ) as { stdoutBase64: string }
    ).stdoutBase64,
    'base64',
  ).toString('utf8');

describe('this PC’s adapters: which network is "the local network"', () => {
  it('Linux (iproute2 JSON, captured): the veth with the default route, a VPN tunnel, docker0', () => {
    const adapters = parseLinuxAdapters(
      fixture('ip-link-detailed.json'),
      fixture('ip-route-default.json'),
      fixture('ip-route6-default.json'),
    );
    const byName = Object.fromEntries(adapters.map((a) => [a.name, a]));
    expect(byName.lo).toBeUndefined();
    expect(byName.veth0).toEqual({ name: 'veth0', kind: 'physical', gateway: true });
    expect(byName.tun0).toEqual({ name: 'tun0', kind: 'vpn', gateway: false });
    expect(byName.docker0).toEqual({ name: 'docker0', kind: 'virtual', gateway: false });
    // A link of no telling name is not guessed virtual: a br0 often carries the real NIC.
    expect(byName.vx0?.kind).toBe('physical');
  });

  it('Linux: a WireGuard link (type none) is a VPN even when the default route goes through it', () => {
    const link = JSON.stringify([
      { ifname: 'wlp2s0', link_type: 'ether' },
      { ifname: 'corp', link_type: 'none', linkinfo: { info_kind: 'wireguard' } },
      { ifname: 'virbr0', link_type: 'ether', linkinfo: { info_kind: 'bridge' } },
    ]);
    const route = JSON.stringify([{ dst: 'default', dev: 'corp', flags: [] }]);
    const route6 = JSON.stringify([{ dst: 'default', gateway: 'fe80::1', dev: 'wlp2s0' }]);
    expect(parseLinuxAdapters(link, route, route6)).toEqual([
      { name: 'wlp2s0', kind: 'physical', gateway: true },
      { name: 'corp', kind: 'vpn', gateway: true },
      { name: 'virbr0', kind: 'virtual', gateway: false },
    ]);
  });

  it('Windows PowerShell 5.1 (synthetic): Wi-Fi with the gateway; WSL, TAP VPN, host-only, a security product’s adapter', () => {
    const adapters = parseWindowsAdapters(recorded('synthetic-fr-FR-adapters.json'));
    expect(adapters.map((a) => [a.name, a.kind, a.gateway])).toEqual([
      ['Wi-Fi', 'physical', true],
      ['Ethernet', 'physical', false],
      ['vEthernet (WSL)', 'virtual', false],
      ['Ethernet 3', 'vpn', false],
      ['Connexion réseau Bluetooth', 'physical', false],
      ['VirtualBox Host-Only Network', 'virtual', false],
      ['Ethernet 4', 'software', false],
    ]);
    expect(adapters[2]?.description).toBe('Hyper-V Virtual Ethernet Adapter');
    // TAP-Windows is an Ethernet miniport (InterfaceType 6): its description makes it a VPN.
    expect(adapters[3]?.description).toBe('TAP-Windows Adapter V9');
  });

  it('Windows: one adapter is an array of one; an external Hyper-V switch with the gateway counts', () => {
    const ethernet = {
      name: 'Ethernet',
      kind: 'physical',
      gateway: true,
      description: 'Intel(R) Ethernet Connection I219-V',
    };
    expect(parseWindowsAdapters(recorded('synthetic-en-US-adapters.json'))).toEqual([ethernet]);
    // Not what our script prints (ConvertTo-Json -InputObject of a plain array), but what 5.1 makes
    // of an array wrapped in a PSObject: read the same, should a later script produce it.
    const wrapped = JSON.stringify({
      value: [
        {
          Name: 'Ethernet',
          Description: 'Intel(R) Ethernet Connection I219-V',
          InterfaceType: 6,
          Hardware: true,
          Gateway: true,
        },
      ],
      Count: 1,
    });
    expect(parseWindowsAdapters(wrapped)).toEqual([ethernet]);
    const external = JSON.stringify([
      {
        Name: 'vEthernet (External)',
        Description: 'Hyper-V Virtual Ethernet Adapter #2',
        InterfaceType: 6,
        Hardware: false,
        Gateway: true,
      },
    ]);
    expect(parseWindowsAdapters(external)[0]?.kind).toBe('physical');
  });

  it('Windows: a full-tunnel VPN of no known name, holding the default route, is never "physical"', () => {
    for (const description of [
      'F5 Networks VPN Adapter',
      'Citrix Virtual Adapter',
      'Zscaler Network Adapter 1.0.2.0',
    ]) {
      const [adapter] = parseWindowsAdapters(
        JSON.stringify([
          {
            Name: 'Ethernet 5',
            Description: description,
            InterfaceType: 6,
            Hardware: false,
            Gateway: true,
          },
        ]),
      );
      expect(adapter?.kind, description).not.toBe('physical');
    }
  });

  it('macOS: netstat -rn names the default route’s interface; utun is a VPN', () => {
    const netstat = [
      'Routing tables',
      '',
      'Internet:',
      'Destination        Gateway            Flags               Netif Expire',
      'default            192.168.1.1        UGScg                 en0',
      '127                127.0.0.1          UCS                   lo0',
    ].join('\n');
    expect(parseMacAdapters(['lo0', 'en0', 'utun3', 'bridge100'], netstat)).toEqual([
      { name: 'en0', kind: 'physical', gateway: true },
      { name: 'utun3', kind: 'vpn', gateway: false },
      { name: 'bridge100', kind: 'virtual', gateway: false },
    ]);
  });
});
