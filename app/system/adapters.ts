import type { AdapterKind } from '../contract/scan.js';
import { runCommand, type CommandSpec } from './command.js';
import { systemProgram } from './linux-paths.js';
import { minimalWindowsEnv, powershellArgv, plainStderr } from './windows-paths.js';

/** One network adapter of this PC, named as os.networkInterfaces() names it. */
export interface NetworkAdapter {
  name: string;
  kind: AdapterKind;
  /** Whether a default route (0.0.0.0/0 or ::/0) leaves through it: the network a PC is "on". */
  gateway: boolean;
  /** The system's own description, when it gives one (Windows: InterfaceDescription). */
  description?: string;
}

const VPN_NAME = /^(tun|tap|wg|ppp|ipsec|utun|tailscale|zt|nordlynx|proton|vpn|gpd|cscotun)/i;
const VIRTUAL_NAME =
  /^(docker\d|br-[0-9a-f]{12}$|virbr|vboxnet|vmnet|lxcbr|lxdbr|incusbr|cni|podman|cali|flannel|kube|vEthernet)/i;

/** Link kinds (`ip -d link`'s info_kind) that are tunnels. Source: ip-link(8), "TYPE". */
const LINUX_TUNNEL_KINDS = new Set([
  'tun',
  'wireguard',
  'ipip',
  'gre',
  'gretap',
  'ip6gre',
  'ip6gretap',
  'ip6tnl',
  'sit',
  'vti',
  'vti6',
  'xfrm',
  'ppp',
  'l2tp',
]);
function rows(json: string): Record<string, unknown>[] {
  const text = json.trim().replace(/^\uFEFF/, '');
  if (text === '') return [];
  const value: unknown = JSON.parse(text);
  if (Array.isArray(value)) return value as Record<string, unknown>[];
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    // Windows PowerShell 5.1's shape of an array carrying extended properties.
    if (Array.isArray(obj.value) && 'Count' in obj) return obj.value as Record<string, unknown>[];
    return [obj];
  }
  return [];
}

function defaultRouteDevices(...routeJson: string[]): Set<string> {
  const devices = new Set<string>();
  for (const json of routeJson) {
    for (const route of rows(json)) {
      if (route.dst === 'default' && typeof route.dev === 'string') devices.add(route.dev);
    }
  }
  return devices;
}

/**
 * Linux adapters from `ip -j -d link show` and `ip -j [-6] route show default` (iproute2 JSON).
 * A tunnel (by link kind, link type `none`/`ppp`, or a VPN client's usual name) is `vpn`; a switch
 * that container and VM managers create (docker0, br-<id>, virbr0, vboxnet0, lxcbr0, cni0, …) is
 * `virtual` — unless a default route leaves through it, which makes it this PC's uplink. Any other
 * link is `physical`: a bridge such as br0 often carries the real NIC, and inside a container the
 * veth is the uplink.
 * Loopback is left out. Throws SyntaxError on output that is not JSON.
 */
export function parseLinuxAdapters(
  linkJson: string,
  route4Json: string,
  route6Json: string,
): NetworkAdapter[] {
  const withGateway = defaultRouteDevices(route4Json, route6Json);
  const adapters: NetworkAdapter[] = [];
  for (const link of rows(linkJson)) {
    const name = typeof link.ifname === 'string' ? link.ifname : null;
    if (!name || link.link_type === 'loopback') continue;
    const info = link.linkinfo as { info_kind?: unknown } | undefined;
    const linkKind = typeof info?.info_kind === 'string' ? info.info_kind : '';
    const gateway = withGateway.has(name);
    let kind: AdapterKind;
    if (
      LINUX_TUNNEL_KINDS.has(linkKind) ||
      link.link_type === 'none' ||
      link.link_type === 'ppp' ||
      VPN_NAME.test(name)
    )
      kind = 'vpn';
    else if (!gateway && VIRTUAL_NAME.test(name)) kind = 'virtual';
    else kind = 'physical';
    adapters.push({ name, kind, gateway });
  }
  return adapters;
}

/**
 * The Windows PowerShell 5.1 script listing adapters with their type and whether a default route
 * leaves through them: NetAdapter and NetTCPIP imported from $PSHOME by path, cmdlets
 * module-qualified, values cast to plain strings/numbers so the JSON has one shape.
 */
export const WINDOWS_ADAPTERS_SCRIPT = [
  // Any failure fails the read: a partial answer (no routes) would make every adapter look like
  // the network this PC is on.
  "$ErrorActionPreference = 'Stop'",
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
  "Import-Module (Join-Path $PSHOME 'Modules\\NetAdapter\\NetAdapter.psd1')",
  "Import-Module (Join-Path $PSHOME 'Modules\\NetTCPIP\\NetTCPIP.psd1')",
  "$gw = @(NetTCPIP\\Get-NetRoute | Where-Object { $_.DestinationPrefix -eq '0.0.0.0/0' -or $_.DestinationPrefix -eq '::/0' } | ForEach-Object { [int]$_.ifIndex })",
  '$out = @(NetAdapter\\Get-NetAdapter | ForEach-Object { [pscustomobject]@{ Name = [string]$_.Name; Description = [string]$_.InterfaceDescription; InterfaceType = [int]$_.InterfaceType; Hardware = [bool]$_.HardwareInterface; Gateway = [bool]($gw -contains [int]$_.ifIndex) } })',
  'ConvertTo-Json -InputObject $out -Compress -Depth 2',
].join('\n');

/**
 * Interface types (IANA ifType) of tunnels and VPN adapters: 23 PPP, 53 propVirtual (Wintun, so
 * WireGuard, and some VPN clients), 131 tunnel. TAP-Windows (OpenVPN) and many VPN clients are
 * Ethernet miniports, type 6 like a real NIC: WINDOWS_VPN_DESCRIPTION catches those. Source: IANA
 * "ifType-MIB"; Microsoft, MSFT_NetAdapter.InterfaceType.
 */
const WINDOWS_TUNNEL_TYPES = new Set([23, 53, 131]);
const WINDOWS_VPN_DESCRIPTION =
  /TAP-Windows|Wintun|WireGuard|OpenVPN|AnyConnect|Cisco|Fortinet|PANGP|GlobalProtect|Juniper|Pulse|SonicWall|Check Point|NordLynx|Tailscale|ZeroTier|WAN Miniport/i;
const WINDOWS_VIRTUAL_DESCRIPTION =
  /Hyper-V Virtual Ethernet|VirtualBox Host-Only|VMware Virtual Ethernet|Virtual Adapter|Loopback/i;

/** Hyper-V's virtual NIC: with the default route it is an external switch carrying the real NIC. */
const HYPER_V_NIC = /Hyper-V Virtual Ethernet/i;

/**
 * Windows adapters from WINDOWS_ADAPTERS_SCRIPT's JSON (any of PowerShell 5.1's array shapes):
 * a tunnel type or a VPN client's description is `vpn`; an adapter backed by hardware
 * (`HardwareInterface`) is `physical`, as is Hyper-V's virtual NIC when the default route leaves
 * through it (an external switch carrying the real NIC); Hyper-V/WSL "vEthernet", VirtualBox and
 * VMware host-only adapters are `virtual`; any other software adapter is `software` (most often a
 * VPN or a security product's, whose names no list can keep up with). Throws SyntaxError on
 * output that is not JSON. Source: Microsoft, MSFT_NetAdapter (HardwareInterface, InterfaceType).
 */
export function parseWindowsAdapters(json: string): NetworkAdapter[] {
  return rows(json).flatMap((row): NetworkAdapter[] => {
    const name = typeof row.Name === 'string' ? row.Name : '';
    if (name === '') return [];
    const description = typeof row.Description === 'string' ? row.Description : '';
    const gateway = row.Gateway === true;
    let kind: AdapterKind;
    if (
      WINDOWS_TUNNEL_TYPES.has(Number(row.InterfaceType)) ||
      WINDOWS_VPN_DESCRIPTION.test(description)
    )
      kind = 'vpn';
    else if (row.Hardware === true || (gateway && HYPER_V_NIC.test(description))) kind = 'physical';
    else if (WINDOWS_VIRTUAL_DESCRIPTION.test(description) || VIRTUAL_NAME.test(name))
      kind = 'virtual';
    else kind = 'software';
    return [{ name, kind, gateway, ...(description ? { description } : {}) }];
  });
}

/**
 * macOS adapters from `netstat -rn` (the `default` rows name their interface in the Netif column)
 * and the interface names: utun/ipsec/ppp are tunnels, bridge/vmnet/vboxnet host VMs.
 */
export function parseMacAdapters(names: readonly string[], netstat: string): NetworkAdapter[] {
  const withGateway = new Set<string>();
  for (const line of netstat.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'default' && fields.length >= 4) withGateway.add(fields[3]!);
  }
  return names
    .filter((name) => !/^lo\d*$/.test(name))
    .map((name) => {
      const gateway = withGateway.has(name);
      const kind: AdapterKind = VPN_NAME.test(name)
        ? 'vpn'
        : !gateway && /^(bridge|vmnet|vboxnet|awdl|llw|anpi|ap\d)/.test(name)
          ? 'virtual'
          : 'physical';
      return { name, kind, gateway };
    });
}

/** Runs one read, resolving its stdout; rejects on a non-zero exit with the (plain) stderr. */
async function output(spec: CommandSpec): Promise<string> {
  const result = await runCommand(spec, 15_000);
  if (result.exitCode !== 0)
    throw new Error(plainStderr(result.stderr) || `exit ${result.exitCode}`);
  return result.stdout;
}

/**
 * This PC's adapters with their kind and default-gateway flag, read from the system (iproute2 on
 * Linux, NetAdapter/NetTCPIP on Windows, netstat on macOS). Resolves null when they cannot be read,
 * so callers fall back to the interface names alone.
 */
export async function readAdapters(
  interfaceNames: readonly string[],
  platform: NodeJS.Platform = process.platform,
): Promise<NetworkAdapter[] | null> {
  try {
    if (platform === 'linux') {
      const ip = systemProgram('ip');
      const [link, route4, route6] = await Promise.all([
        output({ file: ip, args: ['-j', '-d', 'link', 'show'] }),
        output({ file: ip, args: ['-j', 'route', 'show', 'default'] }),
        output({ file: ip, args: ['-j', '-6', 'route', 'show', 'default'] }),
      ]);
      return parseLinuxAdapters(link, route4, route6);
    }
    if (platform === 'win32') {
      const [file, ...args] = powershellArgv(WINDOWS_ADAPTERS_SCRIPT);
      return parseWindowsAdapters(
        await output({ file: file as string, args, env: minimalWindowsEnv() }),
      );
    }
    if (platform === 'darwin') {
      return parseMacAdapters(
        interfaceNames,
        await output({ file: '/usr/sbin/netstat', args: ['-rn'] }),
      );
    }
  } catch {
    return null;
  }
  return null;
}
