import { describe, expect, it } from 'vitest';
import type { HostResult } from '../../app/contract/index.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import {
  claimKey,
  confirmedClaim,
  KEPT_CLAIM_UNCHECKED,
  reassessKept,
} from '../../app/risk/reassess.js';
import { RULES } from '../../app/risk/rules.js';

/** This PC with telnet on 127.0.0.1 only, and IPP, as a scan of this PC sees them. */
const hosts: HostResult[] = [
  {
    address: '127.0.0.1',
    family: 'ipv4',
    isLocal: true,
    status: 'up',
    reason: 'localhost',
    ports: [23, 631].map((port) => ({ port, protocol: 'tcp', state: 'open', reason: 'syn-ack' })),
    hidden: { open: 0, closed: 0, filtered: 0 },
  },
];
const listeners = [23, 631].map((port) => ({
  protocol: 'tcp' as const,
  address: '127.0.0.1',
  port,
  program: { pid: 812, name: 'inetd', path: '/usr/sbin/inetd' },
}));

describe('a kept scan’s record of this PC’s listeners (issue 13 attacker review F5)', () => {
  const kb = knowledgeBase();
  const live = assessHosts(hosts, listeners, kb);
  const telnet = (result: typeof live) =>
    result.hosts[0]?.ports.find((p) => p.port === 23) as (typeof live.hosts)[0]['ports'][0];

  it('is believed as it is when this process made it: the verdicts do not change on reload', () => {
    expect(telnet(live)).toMatchObject({ severity: 'info', exposure: 'loopback-only' });
    const own = new Map(
      [23, 631].map((port) => [
        claimKey('127.0.0.1', port, 'tcp'),
        { exposure: 'loopback-only' as const, program: listeners[0]!.program },
      ]),
    );
    // The stored record says otherwise (edited): this process's own is the one used.
    const stored = {
      ...live,
      hosts: live.hosts.map((h) => ({
        ...h,
        ports: h.ports.map((p) => ({ ...p, exposure: 'all-interfaces' as const })),
      })),
    };
    expect(reassessKept(hosts, stored, [], kb, own)).toEqual(live);
  });

  /** This PC's sockets as read at reopen. */
  const now = (list = listeners) => ({ platform: 'linux', listeners: list, complete: true });

  it('read back from the store, is believed when this PC’s sockets now say the same', () => {
    // The same program on the same address: rated as the live scan, with its program.
    expect(reassessKept(hosts, live, [], kb, undefined, undefined, now())).toEqual(live);
    // A restarted service (another pid) is the same program.
    const restarted = listeners.map((l) => ({ ...l, program: { ...l.program, pid: 9001 } }));
    const again = telnet(reassessKept(hosts, live, [], kb, undefined, undefined, now(restarted)));
    expect(again).toMatchObject({ severity: 'info', exposure: 'loopback-only' });
    expect(again.program?.pid).toBe(9001);
  });

  it('falls back to the port-alone verdict when the listener stopped, moved or could not be read', () => {
    for (const sockets of [
      null,
      now([]),
      // Another program on that port now.
      now(listeners.map((l) => ({ ...l, program: { pid: 77, name: 'nc', path: '/usr/bin/nc' } }))),
      // The same program on another loopback address only: never "any loopback".
      now(listeners.map((l) => ({ ...l, address: '127.0.0.2' }))),
    ]) {
      const port = telnet(reassessKept(hosts, live, [], kb, undefined, undefined, sockets));
      expect(port).toMatchObject({ severity: 'critical', exposure: 'unknown' });
      expect(port.program).toBeUndefined();
      expect(port.reasons.map((r) => r.ruleId)).toContain(KEPT_CLAIM_UNCHECKED);
    }
  });

  /** The same sockets with their owners hidden, as a process without the rights reads them. */
  const hidden = listeners.map(({ program: _program, ...l }) => l);
  const hiddenNow = () => ({
    platform: 'linux',
    listeners: hidden,
    complete: false,
    elevated: false,
  });

  it('is believed when only its owner is unknown then: rated as a live scan with rights now (review 13 final, F1)', () => {
    // Scanned without rights (owners hidden), reopened by an administrator: the same socket.
    const without = assessHosts(hosts, hidden, kb, false);
    expect(telnet(without)).toMatchObject({ severity: 'info', exposure: 'loopback-only' });
    expect(telnet(without).program).toBeUndefined();
    const reopened = reassessKept(hosts, without, [], kb, undefined, undefined, now());
    expect(reopened).toEqual(live);
    expect(telnet(reopened).program?.name).toBe('inetd');
    expect(telnet(reopened).reasons.map((r) => r.ruleId)).not.toContain(KEPT_CLAIM_UNCHECKED);
    expect(confirmedClaim('127.0.0.1', 23, 'tcp', { exposure: 'loopback-only' }, now())).toEqual({
      exposure: 'loopback-only',
      program: listeners[0]!.program,
    });
  });

  it('is believed when only its owner is unknown now: rated as a live scan without rights now (review 13 final, F1)', () => {
    // Scanned as administrator, reopened by a user who cannot see the owners: the same socket.
    const withoutNow = assessHosts(hosts, hidden, kb, false);
    const reopened = reassessKept(hosts, live, [], kb, undefined, undefined, hiddenNow());
    expect(reopened).toEqual(withoutNow);
    const port = telnet(reopened);
    expect(port).toMatchObject({ severity: 'info', exposure: 'loopback-only' });
    expect(port.program).toBeUndefined();
    // Said as the live scan says it (run as administrator), never "no longer listens the same way".
    expect(port.reasons.map((r) => r.ruleId)).toContain(RULES.programUnknown);
    expect(port.reasons.map((r) => r.ruleId)).not.toContain(KEPT_CLAIM_UNCHECKED);
    expect(reopened.programsMissing).toBe('not-elevated');
  });

  it('is not believed when the owner is unknown but the socket is not the same', () => {
    // Recorded on 127.0.0.1 only, owner hidden; now the owner is hidden and it listens elsewhere.
    const elsewhere = hidden.map((l) => ({ ...l, address: '127.0.0.2' }));
    const claim = { exposure: 'loopback-only' as const };
    expect(
      confirmedClaim('127.0.0.1', 23, 'tcp', claim, { ...hiddenNow(), listeners: elsewhere }),
    ).toBeNull();
    // Known on both sides and different: a contradiction, whatever the exposure.
    const other = {
      exposure: 'loopback-only' as const,
      program: { pid: 5, name: 'nc', path: '/usr/bin/nc' },
    };
    expect(confirmedClaim('127.0.0.1', 23, 'tcp', other, now())).toBeNull();
    // Unknown on both sides, the same socket: confirmed.
    expect(confirmedClaim('127.0.0.1', 23, 'tcp', claim, hiddenNow())).toEqual(claim);
  });

  it('cannot lower a level when edited: the sockets now are what is believed', () => {
    // The sockets say telnet listens on every interface; the record was edited to loopback-only.
    const wide = listeners.map((l) => ({ ...l, address: '0.0.0.0' }));
    const truth = assessHosts(hosts, wide, kb);
    const stored = {
      ...truth,
      hosts: truth.hosts.map((h) => ({
        ...h,
        ports: h.ports.map((p) => ({ ...p, exposure: 'loopback-only' as const })),
      })),
    };
    const reread = telnet(reassessKept(hosts, stored, [], kb, undefined, undefined, now(wide)));
    expect(reread.severity).toBe(telnet(truth).severity);
    expect(reread.exposure).not.toBe('loopback-only');
    // A program in a user folder, its record removed from the store: still the sockets' level.
    const dropper = [
      {
        ...listeners[0]!,
        address: '0.0.0.0',
        port: 631,
        program: { pid: 66, name: 'x', path: '/home/u/.x/x' },
      },
    ];
    const dropped = assessHosts(hosts, dropper, kb);
    const ipp = (r: typeof live) => r.hosts[0]?.ports.find((p) => p.port === 631);
    const erased = { ...dropped, hosts: [] };
    const shown = ipp(reassessKept(hosts, erased, [], kb, undefined, undefined, now(dropper)));
    expect(shown?.severity).toBe('medium');
    expect(shown?.severity).toBe(ipp(dropped)?.severity);
    expect(shown?.program?.path).toBe('/home/u/.x/x');
  });

  it('is not read for a device of the network, whatever its stored assessment says', () => {
    const device = [
      { ...hosts[0]!, address: '198.18.0.7', isLocal: false, reason: 'syn-ack' as const },
    ];
    const stored = {
      ...live,
      hosts: live.hosts.map((h) => ({ ...h, address: '198.18.0.7' })),
    };
    const port = telnet(reassessKept(device, stored, [], kb));
    expect(port.severity).toBe('critical');
    expect(port.exposure).toBeUndefined();
    expect(port.program).toBeUndefined();
  });
});
