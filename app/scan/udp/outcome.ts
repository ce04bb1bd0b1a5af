import type { PortReason, PortState } from '../../contract/scan.js';

/**
 * nmap's UDP port states (nmap reference guide, "Port Scanning Basics" and "UDP Scan (-sU)"): a
 * reply is `open`, an ICMP port unreachable `closed`, other ICMP unreachables `filtered`, and
 * silence after retries `open|filtered` (a listener that ignored the probe or a filter that dropped
 * it: UDP cannot tell them apart). The contract's PortState has all four, kept as nmap names them.
 */
export type UdpPortState = PortState;

/** What one error on a connected UDP socket proves about the port, or what else it is. */
export type UdpErrorVerdict =
  | { kind: 'state'; state: 'closed' | 'filtered'; reason: PortReason }
  /** Out of local resources (descriptors, buffers): the probe goes again later. */
  | { kind: 'resource' }
  /** This PC could not send (no route, its firewall, an unusable address): a fact about this PC. */
  | { kind: 'local' }
  | { kind: 'unknown' };

/** The verdicts the error tables give, each written once. */
const CLOSED: UdpErrorVerdict = { kind: 'state', state: 'closed', reason: 'port-unreach' };
const filtered = (reason: PortReason): UdpErrorVerdict => ({
  kind: 'state',
  state: 'filtered',
  reason,
});
const PROHIBITED = filtered('admin-prohibited');
const HOST_UNREACHABLE = filtered('host-unreachable');
const NET_UNREACHABLE = filtered('net-unreachable');
const RESOURCE: UdpErrorVerdict = { kind: 'resource' };
const LOCAL: UdpErrorVerdict = { kind: 'local' };

/** `verdict` for each of `codes`: one table row per meaning, not one per error name. */
function rows(...groups: [UdpErrorVerdict, string[]][]): Record<string, UdpErrorVerdict> {
  return Object.fromEntries(groups.flatMap(([verdict, codes]) => codes.map((c) => [c, verdict])));
}

/**
 * Linux and macOS names of the errors a connected UDP socket reports, as Node gives them
 * (`err.code`). Linux turns an ICMP error into a socket error only when it is "fatal" in
 * icmp_err_convert[] / icmpv6_err_convert() (net/ipv4/icmp.c, net/ipv6/icmp.c, __udp4_lib_err):
 * port unreachable (ECONNREFUSED), protocol unreachable (ENOPROTOOPT), network/host
 * administratively prohibited and communication administratively filtered (ENETUNREACH,
 * EHOSTUNREACH; ICMPv6 EACCES), host unknown (EHOSTDOWN), host isolated (ENONET). Plain ICMP host
 * and network unreachable (codes 0 and 1) are not fatal: without IP_RECVERR, which Node cannot
 * set, they never reach the socket, and such ports are silent (`open|filtered`), where nmap, which
 * reads ICMP itself, says `filtered`. So on Linux ENETUNREACH / EHOSTUNREACH after sending mean a
 * prohibition.
 */
const POSIX = rows(
  [CLOSED, ['ECONNREFUSED']],
  [PROHIBITED, ['EHOSTUNREACH', 'ENETUNREACH', 'EACCES']],
  [HOST_UNREACHABLE, ['ENOPROTOOPT', 'EHOSTDOWN', 'ENONET']],
  [RESOURCE, ['EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM', 'EAGAIN']],
  [LOCAL, ['EPERM', 'EINVAL', 'EAFNOSUPPORT', 'EADDRNOTAVAIL', 'ENETDOWN']],
);

/**
 * Windows: an ICMP port unreachable on a UDP socket fails the next receive with WSAECONNRESET
 * (Winsock recvfrom/WSARecvFrom docs: "On a UDP-datagram socket this error indicates a previous
 * send operation resulted in an ICMP Port Unreachable message"), which libuv names ECONNRESET
 * (uv_translate_sys_error); ICMP host/network unreachable fail it with WSAENETRESET (ENETRESET,
 * "the time to live has expired" is also reported so) or WSAEHOSTUNREACH. Each code under its
 * libuv name and its Winsock one.
 */
const WINDOWS = rows(
  [CLOSED, ['ECONNRESET', 'WSAECONNRESET', 'ECONNREFUSED', 'WSAECONNREFUSED']],
  [HOST_UNREACHABLE, ['EHOSTUNREACH', 'WSAEHOSTUNREACH']],
  [NET_UNREACHABLE, ['ENETUNREACH', 'WSAENETUNREACH', 'ENETRESET', 'WSAENETRESET']],
  [LOCAL, ['WSAEACCES', 'WSAEADDRNOTAVAIL']],
  [RESOURCE, ['WSAENOBUFS', 'WSAEMFILE']],
);

/**
 * What error `code` (Node's `err.code` on a connected UDP socket, after the probe was sent) proves
 * on `platform` (`process.platform`). macOS reads ICMP like Linux (ECONNREFUSED for port
 * unreachable). Unknown codes are `unknown`: the probe's port is then decided by its retries.
 */
export function classifyUdpError(code: string, platform: NodeJS.Platform): UdpErrorVerdict {
  const table = platform === 'win32' ? { ...POSIX, ...WINDOWS } : POSIX;
  return table[code] ?? { kind: 'unknown' };
}
