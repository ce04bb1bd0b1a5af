import { describe, expect, it } from 'vitest';
import { PortState } from '../../app/contract/scan.js';
import { classifyUdpError, type UdpErrorVerdict } from '../../app/scan/udp/outcome.js';

const closed: UdpErrorVerdict = { kind: 'state', state: 'closed', reason: 'port-unreach' };
const prohibited: UdpErrorVerdict = {
  kind: 'state',
  state: 'filtered',
  reason: 'admin-prohibited',
};

describe('what an error on a connected UDP socket proves', () => {
  it('Linux and macOS: port unreachable is ECONNREFUSED (closed); fatal ICMP prohibitions are filtered', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      expect(classifyUdpError('ECONNREFUSED', platform)).toEqual(closed);
      expect(classifyUdpError('EHOSTUNREACH', platform)).toEqual(prohibited);
      expect(classifyUdpError('ENETUNREACH', platform)).toEqual(prohibited);
      expect(classifyUdpError('EACCES', platform)).toEqual(prohibited);
      expect(classifyUdpError('ENOPROTOOPT', platform)).toEqual({
        kind: 'state',
        state: 'filtered',
        reason: 'host-unreachable',
      });
      // A reset is no UDP answer off Windows: not read as closed.
      expect(classifyUdpError('ECONNRESET', platform)).toEqual({ kind: 'unknown' });
      expect(classifyUdpError('EMFILE', platform)).toEqual({ kind: 'resource' });
      expect(classifyUdpError('EPERM', platform)).toEqual({ kind: 'local' });
    }
  });

  it('Windows: port unreachable is WSAECONNRESET, which libuv names ECONNRESET (closed)', () => {
    expect(classifyUdpError('ECONNRESET', 'win32')).toEqual(closed);
    expect(classifyUdpError('WSAECONNRESET', 'win32')).toEqual(closed);
    expect(classifyUdpError('ECONNREFUSED', 'win32')).toEqual(closed);
    expect(classifyUdpError('WSAENETRESET', 'win32')).toEqual({
      kind: 'state',
      state: 'filtered',
      reason: 'net-unreachable',
    });
    expect(classifyUdpError('EHOSTUNREACH', 'win32')).toEqual({
      kind: 'state',
      state: 'filtered',
      reason: 'host-unreachable',
    });
    expect(classifyUdpError('WSAENOBUFS', 'win32')).toEqual({ kind: 'resource' });
    expect(classifyUdpError('WSAEACCES', 'win32')).toEqual({ kind: 'local' });
    expect(classifyUdpError('EWHATEVER', 'win32')).toEqual({ kind: 'unknown' });
  });

  it('open|filtered is a state of its own in the contract, as nmap names it', () => {
    expect(PortState.parse('open|filtered')).toBe('open|filtered');
    expect(PortState.options).toEqual(['open', 'closed', 'filtered', 'open|filtered']);
  });
});
