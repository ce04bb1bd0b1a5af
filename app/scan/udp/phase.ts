import type { HostResult, PortResult, ScanResult } from '../../contract/scan.js';
import { emptyPortStateCounts } from '../../contract/vocabulary.js';
import { PortStateTable } from '../port-states.js';
import { scanUdpHost, toPortResult, type UdpPortResult, type UdpScanOptions } from './prober.js';

/** Non-open UDP states with more ports than this on a host are only given as a count (nmap's 25). */
const LIST_STATE_UP_TO = 25;

/** Hosts scanned over UDP at once (each with up to 256 sockets out). */
const HOSTS_AT_ONCE = 8;

/** How the UDP phase reaches hosts: scanUdpHost by default, injectable. */
export type ScanUdpHost = (
  address: string,
  family: 4 | 6,
  ports: readonly number[],
  options: UdpScanOptions,
) => Promise<UdpPortResult[]>;

/**
 * The UDP scan of a finished TCP scan's result: every host that is `up` gets `udpPorts` probed
 * (app/scan/udp/prober.ts), and its verdicts are added to the host: the open ports and the other
 * states up to LIST_STATE_UP_TO ports each in `ports` (protocol `udp`), the rest counted in
 * `hidden`, all in `portStates.udp`. Hosts that are down or unknown are not probed: a UDP scan
 * cannot tell a silent host from a host whose every port is open|filtered (nmap also skips hosts
 * its discovery found down). `onPort` gets each listed UDP port as it is added. Resolves with the
 * new result; when `signal` aborts, hosts not finished keep their TCP ports only.
 */
export async function addUdpResults(
  result: ScanResult,
  udpPorts: readonly number[],
  options: UdpScanOptions,
  onPort: (address: string, port: PortResult) => void,
  scanHost: ScanUdpHost = scanUdpHost,
): Promise<ScanResult> {
  if (udpPorts.length === 0) return result;
  const hosts = [...result.hosts];
  const queue = hosts.map((host, index) => ({ host, index })).filter((h) => h.host.status === 'up');
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next && !options.signal?.aborted; next = queue.shift()) {
      const { host, index } = next;
      const target = host.zone ? `${host.address}%${host.zone}` : host.address;
      const verdicts = await scanHost(target, host.family === 'ipv6' ? 6 : 4, udpPorts, options);
      if (options.signal?.aborted) return;
      hosts[index] = withUdp(host, verdicts, (port) => onPort(host.address, port));
    }
  };
  await Promise.all(Array.from({ length: HOSTS_AT_ONCE }, worker));
  return { ...result, hosts };
}

function withUdp(
  host: HostResult,
  verdicts: readonly UdpPortResult[],
  onPort: (port: PortResult) => void,
): HostResult {
  const ports = verdicts.map(toPortResult);
  const counts = emptyPortStateCounts();
  for (const port of ports) counts[port.state]++;
  const listed = ports.filter((p) => p.state === 'open' || counts[p.state] <= LIST_STATE_UP_TO);
  const hidden = { ...host.hidden };
  for (const port of ports) {
    if (!listed.includes(port)) hidden[port.state] = (hidden[port.state] ?? 0) + 1;
  }
  const table = new PortStateTable();
  if (host.portStates) table.addLists(host.portStates);
  for (const port of ports) table.set('udp', port.port, port.state);
  listed.forEach(onPort);
  const portStates = table.lists();
  return {
    ...host,
    ports: [...host.ports, ...listed],
    hidden,
    ...(portStates ? { portStates } : {}),
  };
}
