import type { Socket } from 'node:net';
import type { LocalizedText } from '../contract/errors.js';
import { bothLanguages } from '../text/catalogue.js';

/** What one TCP connect attempt told us, before retries and host context turn it into a port state. */
export type ProbeOutcome =
  /** A listener completed the handshake; `socket` is absent when it reset the connection at once. */
  | { kind: 'open'; rttMs: number; socket?: Socket }
  | { kind: 'closed'; rttMs: number }
  | {
      kind: 'unreachable';
      reason: 'host-unreachable' | 'net-unreachable' | 'admin-prohibited';
      rttMs: number;
    }
  | { kind: 'timeout' }
  /** Out of local resources (descriptors, buffers, source ports): try the same probe again later. */
  | { kind: 'resource'; code: string }
  /**
   * The kernel picked the probed port as the probe's own source port and connected the socket to
   * itself (TCP simultaneous open): says nothing about the port, so the probe goes again.
   */
  | { kind: 'self' }
  /**
   * This PC could not send the probe (no route, invalid address or zone, its own firewall…): a
   * fact about this PC, not about the target. `scope` says whether it holds for the whole host
   * (routing, address) or may be about this port only (a local firewall rule). `phase` says
   * when it came: only a `sync` error (before anything left) may end the scan of a host at once;
   * an `async` one is about the one attempt it ended.
   */
  | { kind: 'local'; code: string; scope: 'host' | 'port'; phase: ConnectPhase }
  | { kind: 'error'; code: string };

/** When connect() failed: `sync` before any packet left (the call itself), `async` after. */
export type ConnectPhase = 'sync' | 'async';

type Verdict =
  | { kind: 'open' | 'closed' | 'timeout' | 'resource' | 'error' }
  | { kind: 'unreachable'; reason: 'host-unreachable' | 'net-unreachable' | 'admin-prohibited' }
  | { kind: 'local'; scope: 'host' | 'port' };

interface Rule {
  sync: Verdict;
  async: Verdict;
  /** Where this reading of the code comes from. */
  why: string;
}

const same = (verdict: Verdict, why: string): Rule => ({ sync: verdict, async: verdict, why });
const OPEN: Verdict = { kind: 'open' };
const CLOSED: Verdict = { kind: 'closed' };
const TIMEOUT: Verdict = { kind: 'timeout' };
const RESOURCE: Verdict = { kind: 'resource' };
const ERROR: Verdict = { kind: 'error' };
const LOCAL_HOST: Verdict = { kind: 'local', scope: 'host' };
const LOCAL_PORT: Verdict = { kind: 'local', scope: 'port' };
const unreachable = (
  reason: 'host-unreachable' | 'net-unreachable' | 'admin-prohibited',
): Verdict => ({ kind: 'unreachable', reason });

/**
 * Every connect() error and what it proves, by the names Node reports on Linux, macOS and Windows
 * (libuv gives POSIX names everywhere; Winsock's WSAE… and Win32 ERROR_… names are read through
 * WINDOWS_ALIASES). Sources: nmap's connect scan (scan_engine_connect.cc, handleConnectResult),
 * Linux tcp_reset() (net/ipv4/tcp_input.c: a reset in SYN-SENT is ECONNREFUSED, in an established
 * or closing connection ECONNRESET / EPIPE), connect(2) and Winsock's connect/ConnectEx pages.
 */
const RULES: Record<string, Rule> = {
  ECONNREFUSED: same(CLOSED, 'RST in answer to the SYN (nmap: closed, conn-refused)'),
  ECONNRESET: same(
    OPEN,
    'the handshake completed, then the listener reset the connection before connect() was read: a listener exists',
  ),
  EPIPE: same(OPEN, 'the connection was established, then closed and reset (Linux CLOSE-WAIT)'),
  ETIMEDOUT: same(TIMEOUT, "the system's own SYN retries ran out: silence"),
  EHOSTUNREACH: {
    sync: LOCAL_HOST,
    async: unreachable('host-unreachable'),
    why: "at connect(): this PC's routing table refuses the address; later: ICMP host unreachable, or no ARP/ND answer (Linux also reports ICMP admin-prohibited for IPv4 this way)",
  },
  EHOSTDOWN: same(unreachable('host-unreachable'), 'macOS: no ARP/ND answer from the host'),
  ENETUNREACH: {
    sync: LOCAL_HOST,
    async: unreachable('net-unreachable'),
    why: 'at connect(): this PC has no route to the network; later: ICMP network unreachable from a router',
  },
  ENETDOWN: same(LOCAL_HOST, "this PC's interface towards the address is down"),
  ENONET: {
    sync: LOCAL_HOST,
    async: unreachable('host-unreachable'),
    why: 'at connect(): this PC is not on the network; later: Linux reads ICMP 3/8 "source host isolated" as ENONET (net/ipv4/icmp.c icmp_err_convert[]), an answer from the network (nmap: filtered, dest-unreach); Windows and macOS report that code as WSAEHOSTUNREACH / EHOSTUNREACH',
  },
  EACCES: {
    sync: LOCAL_PORT,
    async: unreachable('admin-prohibited'),
    why: "at connect(): this PC's firewall or permissions refuse to send (Windows: WSAEACCES); later: ICMPv6 administratively prohibited (nmap: admin-prohibited)",
  },
  EPERM: same(LOCAL_PORT, "this PC's firewall or security policy refused to send the probe"),
  EINVAL: same(
    LOCAL_HOST,
    'the address cannot be used from this PC (link-local without a valid zone, this-network 0.x.x.x)',
  ),
  EAFNOSUPPORT: same(LOCAL_HOST, "this PC's system does not support the address family (IPv6 off)"),
  EPROTONOSUPPORT: same(LOCAL_HOST, "this PC's system does not support TCP on this family"),
  EPROTOTYPE: same(LOCAL_HOST, "this PC's system refused the socket type"),
  EOPNOTSUPP: {
    sync: LOCAL_HOST,
    async: unreachable('net-unreachable'),
    why: 'at connect(): this PC\'s system refused the operation; later: Linux reads ICMP 3/5 "source route failed" (a router could not forward along the route) as EOPNOTSUPP (icmp_err_convert[]), an answer from the network; macOS reads it as EHOSTUNREACH (inetctlerrmap), Windows as WSAEHOSTUNREACH',
  },
  EADDRNOTAVAIL: same(
    RESOURCE,
    'Linux/macOS: no free source port for now (goes again, and becomes a local error if it lasts); Windows: see WINDOWS_RULES',
  ),
  EADDRINUSE: same(RESOURCE, 'no free source port for now'),
  EAGAIN: same(RESOURCE, 'Linux: no free source port or routing cache entry for now'),
  EMFILE: same(RESOURCE, 'out of file descriptors for this process'),
  ENFILE: same(RESOURCE, 'out of file descriptors for the system'),
  ENOBUFS: same(RESOURCE, 'out of socket buffers (Windows: also out of source ports)'),
  ENOMEM: same(RESOURCE, 'out of kernel memory'),
  ECONNABORTED: same(
    ERROR,
    'aborted by this PC for an unstated reason (nmap: bails out): tried again',
  ),
  ENOTCONN: same(
    ERROR,
    'Windows: state unknown (nmap does not change the port state): tried again',
  ),
};

/** Where Windows gives a code a meaning of its own. */
const WINDOWS_RULES: Record<string, Rule> = {
  EADDRNOTAVAIL: same(
    LOCAL_HOST,
    'Winsock WSAEADDRNOTAVAIL: the remote address is not valid from this PC (0.0.0.0, ::)',
  ),
};

/** Winsock and Win32 names of the same conditions (libuv's uv_translate_sys_error). */
const WINDOWS_ALIASES: Record<string, string> = {
  ERROR_CONNECTION_REFUSED: 'ECONNREFUSED',
  ERROR_NETNAME_DELETED: 'ECONNRESET',
  ERROR_SEM_TIMEOUT: 'ETIMEDOUT',
  ERROR_HOST_UNREACHABLE: 'EHOSTUNREACH',
  ERROR_NETWORK_UNREACHABLE: 'ENETUNREACH',
  ERROR_CONNECTION_ABORTED: 'ECONNABORTED',
  ERROR_INVALID_PARAMETER: 'EINVAL',
  ERROR_ACCESS_DENIED: 'EACCES',
  ERROR_NOT_ENOUGH_MEMORY: 'ENOMEM',
  ERROR_TOO_MANY_OPEN_FILES: 'EMFILE',
  WSAEWOULDBLOCK: 'EAGAIN',
};

/** The POSIX name of a code reported under its Winsock (`WSAECONNREFUSED`) or Win32 name. */
export function posixName(code: string): string {
  const upper = code.toUpperCase();
  if (WINDOWS_ALIASES[upper]) return WINDOWS_ALIASES[upper];
  return upper.startsWith('WSAE') ? upper.slice(3) : upper;
}

/** Every code the table knows, by its POSIX name (for tests and documentation). */
export const KNOWN_CONNECT_ERRORS: readonly string[] = Object.keys(RULES);

/**
 * Reads a connect() error as nmap's connect scan does, plus what nmap leaves undecided: a reset
 * after the handshake is a listener (`open`), and errors that arise on this PC (`sync`: before any
 * packet left) are facts about this PC (`local`), not silence from the target. `code` may be a
 * POSIX, Winsock or Win32 name; unknown codes are `error` (the probe goes again).
 */
export function classifyConnectError(
  code: string | undefined,
  rttMs: number,
  phase: ConnectPhase = 'async',
  platform: NodeJS.Platform = process.platform,
): ProbeOutcome {
  // Node reports POSIX names on every system: the common case needs no renaming.
  const name = code !== undefined && code in RULES ? code : posixName(code ?? 'UNKNOWN');
  const rule = (platform === 'win32' ? WINDOWS_RULES[name] : undefined) ?? RULES[name];
  const verdict: Verdict = rule ? rule[phase] : ERROR;
  switch (verdict.kind) {
    case 'open':
      return { kind: 'open', rttMs };
    case 'closed':
      return { kind: 'closed', rttMs };
    case 'unreachable':
      return { kind: 'unreachable', reason: verdict.reason, rttMs };
    case 'timeout':
      return { kind: 'timeout' };
    case 'resource':
      return { kind: 'resource', code: name };
    case 'local':
      return { kind: 'local', code: name, scope: verdict.scope, phase };
    case 'error':
      return { kind: 'error', code: name };
  }
}

/**
 * The sentence shown for a local error: what this PC could not do, in both languages. Codes are
 * grouped by what the user can do about them.
 */
/**
 * What a file's local error code (`localError` of a JSON report or of an nmap file Port Auditor
 * exported) means, worded as the file's claim about the PC that made it, never as this PC's
 * (review 13b, A5).
 */
export function fileLocalErrorText(code: string): LocalizedText {
  return bothLanguages('messages:import.fileLocalError', { code });
}

export function localErrorText(code: string): LocalizedText {
  const kind =
    code === 'ENETUNREACH' || code === 'EHOSTUNREACH'
      ? 'noRoute'
      : code === 'ENETDOWN' || code === 'ENONET'
        ? 'interfaceDown'
        : code === 'EACCES' || code === 'EPERM'
          ? 'refusedOut'
          : code === 'EADDRNOTAVAIL'
            ? 'noSource'
            : 'other';
  return bothLanguages(`messages:localError.${kind}`, { code });
}

/**
 * The sentence for a local error that ended an attempt after its SYN had left (`async`): it
 * concerns the ports it hit, the rest of the host was scanned.
 */
export function lateLocalErrorText(code: string): LocalizedText {
  return bothLanguages('messages:localError.late', { code });
}

/** The sentence for the broadcast address of a network this PC is on (connect() refuses it). */
export function broadcastText(code: string): LocalizedText {
  return bothLanguages('messages:localError.broadcast', { code });
}
