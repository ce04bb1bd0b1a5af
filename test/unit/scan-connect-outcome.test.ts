import { describe, expect, it } from 'vitest';
import {
  classifyConnectError,
  KNOWN_CONNECT_ERRORS,
  localErrorText,
  posixName,
  type ConnectPhase,
  type ProbeOutcome,
} from '../../app/scan/connect-outcome.js';

type Os = 'linux' | 'darwin' | 'win32';
type Row = [code: string, os: Os, phase: ConnectPhase, outcome: ProbeOutcome];

const open: ProbeOutcome = { kind: 'open', rttMs: 3 };
const closed: ProbeOutcome = { kind: 'closed', rttMs: 3 };
const timeout: ProbeOutcome = { kind: 'timeout' };
const unreachable = (reason: 'host-unreachable' | 'net-unreachable' | 'admin-prohibited') =>
  ({ kind: 'unreachable', reason, rttMs: 3 }) as ProbeOutcome;
const local = (
  code: string,
  scope: 'host' | 'port' = 'host',
  phase: ConnectPhase = 'sync',
): ProbeOutcome => ({ kind: 'local', code, scope, phase });
const resource = (code: string): ProbeOutcome => ({ kind: 'resource', code });
const error = (code: string): ProbeOutcome => ({ kind: 'error', code });

// Every code, on each system, at connect() (`sync`) and after the SYN left (`async`).
const LINUX_AND_MACOS: Row[] = (['linux', 'darwin'] as const).flatMap((os): Row[] => [
  ['ECONNREFUSED', os, 'async', closed],
  ['ECONNREFUSED', os, 'sync', closed],
  ['ECONNRESET', os, 'async', open],
  ['ECONNRESET', os, 'sync', open],
  ['EPIPE', os, 'async', open],
  ['ETIMEDOUT', os, 'async', timeout],
  ['EHOSTUNREACH', os, 'async', unreachable('host-unreachable')],
  ['EHOSTUNREACH', os, 'sync', local('EHOSTUNREACH')],
  ['EHOSTDOWN', os, 'async', unreachable('host-unreachable')],
  ['ENETUNREACH', os, 'async', unreachable('net-unreachable')],
  ['ENETUNREACH', os, 'sync', local('ENETUNREACH')],
  ['ENETDOWN', os, 'sync', local('ENETDOWN')],
  ['ENETDOWN', os, 'async', local('ENETDOWN', 'host', 'async')],
  // Linux: ICMP 3/8 "host isolated" and 3/5 "source route failed" come back as these codes
  // after the SYN left (icmp_err_convert[]): answers from the network, not facts about this PC.
  ['ENONET', os, 'async', unreachable('host-unreachable')],
  ['ENONET', os, 'sync', local('ENONET')],
  ['EOPNOTSUPP', os, 'async', unreachable('net-unreachable')],
  ['EACCES', os, 'async', unreachable('admin-prohibited')],
  ['EACCES', os, 'sync', local('EACCES', 'port')],
  ['EPERM', os, 'sync', local('EPERM', 'port')],
  ['EPERM', os, 'async', local('EPERM', 'port', 'async')],
  ['EINVAL', os, 'sync', local('EINVAL')],
  ['EAFNOSUPPORT', os, 'sync', local('EAFNOSUPPORT')],
  ['EPROTONOSUPPORT', os, 'sync', local('EPROTONOSUPPORT')],
  ['EPROTOTYPE', os, 'sync', local('EPROTOTYPE')],
  ['EOPNOTSUPP', os, 'sync', local('EOPNOTSUPP')],
  ['EADDRNOTAVAIL', os, 'sync', resource('EADDRNOTAVAIL')],
  ['EADDRINUSE', os, 'sync', resource('EADDRINUSE')],
  ['EAGAIN', os, 'sync', resource('EAGAIN')],
  ['EMFILE', os, 'sync', resource('EMFILE')],
  ['ENFILE', os, 'sync', resource('ENFILE')],
  ['ENOBUFS', os, 'sync', resource('ENOBUFS')],
  ['ENOMEM', os, 'sync', resource('ENOMEM')],
  ['ECONNABORTED', os, 'async', error('ECONNABORTED')],
  ['ENOTCONN', os, 'async', error('ENOTCONN')],
  ['EWHATEVER', os, 'async', error('EWHATEVER')],
]);

// Windows: libuv reports POSIX names; Winsock (WSAE…) and Win32 (ERROR_…) names read the same.
const WINDOWS: Row[] = [
  ['ECONNREFUSED', 'win32', 'async', closed],
  ['WSAECONNREFUSED', 'win32', 'async', closed],
  ['ERROR_CONNECTION_REFUSED', 'win32', 'async', closed],
  ['WSAECONNRESET', 'win32', 'async', open],
  ['ERROR_NETNAME_DELETED', 'win32', 'async', open],
  ['WSAETIMEDOUT', 'win32', 'async', timeout],
  ['ERROR_SEM_TIMEOUT', 'win32', 'async', timeout],
  ['WSAEHOSTUNREACH', 'win32', 'async', unreachable('host-unreachable')],
  ['ERROR_HOST_UNREACHABLE', 'win32', 'async', unreachable('host-unreachable')],
  ['WSAENETUNREACH', 'win32', 'async', unreachable('net-unreachable')],
  ['ERROR_NETWORK_UNREACHABLE', 'win32', 'async', unreachable('net-unreachable')],
  ['WSAENETUNREACH', 'win32', 'sync', local('ENETUNREACH')],
  ['WSAEHOSTDOWN', 'win32', 'async', unreachable('host-unreachable')],
  ['WSAENETDOWN', 'win32', 'async', local('ENETDOWN', 'host', 'async')],
  ['WSAEOPNOTSUPP', 'win32', 'async', unreachable('net-unreachable')],
  ['WSAEOPNOTSUPP', 'win32', 'sync', local('EOPNOTSUPP')],
  ['WSAEACCES', 'win32', 'sync', local('EACCES', 'port')],
  ['ERROR_ACCESS_DENIED', 'win32', 'sync', local('EACCES', 'port')],
  ['EADDRNOTAVAIL', 'win32', 'sync', local('EADDRNOTAVAIL')],
  ['WSAEADDRNOTAVAIL', 'win32', 'async', local('EADDRNOTAVAIL', 'host', 'async')],
  ['WSAEINVAL', 'win32', 'sync', local('EINVAL')],
  ['ERROR_INVALID_PARAMETER', 'win32', 'sync', local('EINVAL')],
  ['WSAEAFNOSUPPORT', 'win32', 'sync', local('EAFNOSUPPORT')],
  ['WSAENOBUFS', 'win32', 'sync', resource('ENOBUFS')],
  ['WSAEMFILE', 'win32', 'sync', resource('EMFILE')],
  ['ERROR_TOO_MANY_OPEN_FILES', 'win32', 'sync', resource('EMFILE')],
  ['ERROR_NOT_ENOUGH_MEMORY', 'win32', 'sync', resource('ENOMEM')],
  ['WSAEWOULDBLOCK', 'win32', 'sync', resource('EAGAIN')],
  ['WSAEADDRINUSE', 'win32', 'sync', resource('EADDRINUSE')],
  ['WSAECONNABORTED', 'win32', 'async', error('ECONNABORTED')],
  ['ERROR_CONNECTION_ABORTED', 'win32', 'async', error('ECONNABORTED')],
  ['WSAENOTCONN', 'win32', 'async', error('ENOTCONN')],
];

describe('classifyConnectError', () => {
  it.each([...LINUX_AND_MACOS, ...WINDOWS])('%s on %s (%s)', (code, os, phase, outcome) => {
    expect(classifyConnectError(code, 3, phase, os)).toEqual(outcome);
  });

  it('has a row on each system for every code it knows', () => {
    for (const os of ['linux', 'darwin', 'win32'] as const) {
      const covered = new Set(
        [...LINUX_AND_MACOS, ...WINDOWS].filter((r) => r[1] === os).map((r) => posixName(r[0])),
      );
      const missing = KNOWN_CONNECT_ERRORS.filter((code) => !covered.has(code));
      if (os !== 'win32') expect(missing, os).toEqual([]);
      else expect(missing.length, `${os}: ${missing.join(' ')}`).toBeLessThan(9);
    }
  });

  it('treats a missing code as an error to try again', () => {
    expect(classifyConnectError(undefined, 0)).toEqual(error('UNKNOWN'));
  });
});

describe('localErrorText', () => {
  it.each([
    'ENETUNREACH',
    'EHOSTUNREACH',
    'ENETDOWN',
    'EACCES',
    'EPERM',
    'EADDRNOTAVAIL',
    'EINVAL',
  ])('explains %s in both languages, naming the code', (code) => {
    const text = localErrorText(code);
    expect(text.fr).toContain(code);
    expect(text.en).toContain(code);
    expect(text.fr).toMatch(/ce PC/i);
    expect(text.en).toMatch(/this PC/i);
  });
});
