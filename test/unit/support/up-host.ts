import type { HostResult, PortResult } from '../../../app/contract/index.js';

/**
 * A device that is up with `ports` as found and none hidden: this PC (`isLocal`, reason
 * localhost) or a neighbour (reason syn-ack); its family is told by the address (a ':' is IPv6).
 */
export function upHost(address: string, isLocal: boolean, ports: PortResult[]): HostResult {
  return {
    address,
    family: address.includes(':') ? 'ipv6' : 'ipv4',
    isLocal,
    status: 'up',
    reason: isLocal ? 'localhost' : 'syn-ack',
    ports,
    hidden: { open: 0, closed: 0, filtered: 0 },
  };
}
