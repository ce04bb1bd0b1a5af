import { describe, expect, it } from 'vitest';
import type { Listener } from '../../app/contract/risk.js';
import type { PortResult } from '../../app/contract/scan.js';
import { assessHosts, matchListener, systemOf } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { keptProgramsNote } from '../../app/api/scan-history.js';
import { upHost as host } from './support/up-host.js';

const open = (port: number, protocol: 'tcp' | 'udp' = 'tcp'): PortResult => ({
  port,
  protocol,
  state: 'open',
  reason: 'syn-ack',
});
const node = { pid: 100, name: 'node', path: '/usr/bin/node' };

describe('assessing hosts', () => {
  it('puts this PC first, then hosts by worst severity; ports worst first; closed ports ignored', () => {
    const result = assessHosts(
      [
        host('192.168.1.30', false, [open(80), open(443)]),
        host('192.168.1.1', false, [open(23), open(80)]),
        host('127.0.0.1', true, [
          open(8080),
          open(4444),
          { ...open(9), state: 'closed', reason: 'conn-refused' },
        ]),
        host('192.168.1.9', false, []),
      ],
      [
        { protocol: 'tcp', address: '127.0.0.1', port: 4444, program: node },
        { protocol: 'tcp', address: '0.0.0.0', port: 8080, program: node },
      ],
      knowledgeBase(),
    );
    expect(result.hosts.map((h) => h.address)).toEqual([
      '127.0.0.1',
      '192.168.1.1',
      '192.168.1.30',
      '192.168.1.9',
    ]);
    const local = result.hosts[0]!;
    expect(local.ports.map((p) => [p.port, p.severity])).toEqual([
      [4444, 'critical'],
      [8080, 'low'],
    ]);
    expect(local.worst).toBe('critical');
    expect(local.ports[0]?.program).toEqual(node);
    expect(local.ports[0]?.exposure).toBe('loopback-only');
    expect(local.ports[1]?.exposure).toBe('all-interfaces');
    expect(result.hosts[1]?.ports.map((p) => p.port)).toEqual([23, 80]);
    expect(result.hosts[3]?.worst).toBeNull();
    expect(result.counts).toEqual({ critical: 2, high: 0, medium: 0, low: 1, info: 3 });
    expect(local.counts.critical).toBe(1);
    expect(result.hosts[1]?.ports[0]?.program).toBeUndefined();
    expect(result.programsComplete).toBe(true);
  });

  it('advises this PC by the system it runs, another device by the port alone (review N13)', () => {
    const scanned = [host('127.0.0.1', true, [open(135)]), host('192.168.1.7', false, [open(135)])];
    const listening: Listener[] = [{ protocol: 'tcp', address: '0.0.0.0', port: 135 }];
    const advice = (system: 'windows' | 'other') =>
      assessHosts(
        scanned,
        listening,
        knowledgeBase(),
        true,
        [],
        undefined,
        undefined,
        undefined,
        system,
      ).hosts.map((h) => h.ports[0]!.advice.en.split(':')[0]);
    expect(advice('other')).toEqual([
      'On a PC that does not run Windows this port is not the system’s',
      'Normal on a Windows PC',
    ]);
    expect(advice('windows')).toEqual(['Normal on a Windows PC', 'Normal on a Windows PC']);
    expect(systemOf('win32')).toBe('windows');
    expect(systemOf('linux')).toBe('other');
    expect(systemOf('darwin')).toBe('other');
  });

  it('groups the verdicts of a host that answers on every port into one, not a hundred alarms', () => {
    const everything = Array.from({ length: 100 }, (_, i) => open(i + 1));
    const result = assessHosts(
      [
        {
          ...host('192.168.1.66', false, everything),
          answersEveryPort: { open: 100, probed: 100 },
        },
        host('192.168.1.1', false, [open(23)]),
      ],
      [],
      knowledgeBase(),
    );
    const tarpit = result.hosts.find((h) => h.address === '192.168.1.66')!;
    expect(tarpit.answersEveryPort).toEqual({ open: 100, probed: 100 });
    expect(tarpit.worst).toBe('medium');
    expect(tarpit.counts).toEqual({ critical: 0, high: 0, medium: 1, low: 0, info: 0 });
    // Each port's assessment is still there for the details.
    expect(tarpit.ports).toHaveLength(100);
    const telnet = result.hosts.find((h) => h.address === '192.168.1.1')!;
    expect(result.counts.medium).toBe(1);
    expect(result.counts[telnet.worst!]).toBeGreaterThanOrEqual(1);
    const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(2);
  });

  it('matches listeners by address, wildcard and family, and derives the exposure from all of them', () => {
    const listeners: Listener[] = [
      { protocol: 'tcp', address: '127.0.0.1', port: 5000, program: { pid: 1, name: 'a' } },
      { protocol: 'tcp', address: '::1', port: 5000, program: { pid: 2, name: 'b' } },
      { protocol: 'tcp', address: '10.77.250.1', port: 6000, program: { pid: 3, name: 'c' } },
      { protocol: 'tcp', address: '::', port: 7000, program: { pid: 4, name: 'd' } },
      { protocol: 'udp', address: '0.0.0.0', port: 7000, program: { pid: 5, name: 'e' } },
    ];
    expect(matchListener('127.0.0.1', 5000, 'tcp', listeners)).toEqual({
      exposure: 'loopback-only',
      program: { pid: 1, name: 'a' },
    });
    expect(matchListener('::1', 5000, 'tcp', listeners).program?.pid).toBe(2);
    expect(matchListener('10.77.250.1', 6000, 'tcp', listeners).exposure).toBe(
      'specific-interface',
    );
    expect(matchListener('10.77.250.1', 7000, 'tcp', listeners)).toEqual({
      exposure: 'all-interfaces',
      program: { pid: 4, name: 'd' },
    });
    expect(matchListener('::ffff:127.0.0.1', 7000, 'udp', listeners).program?.pid).toBe(5);
    expect(matchListener('127.0.0.1', 7001, 'tcp', listeners)).toEqual({ exposure: 'unknown' });
  });
});

describe('Port Auditor’s own port', () => {
  it('is named as ours only on the ports this process serves, not on its other sockets', () => {
    const result = assessHosts(
      [host('127.0.0.1', true, [open(8081), open(9999)])],
      [
        { protocol: 'tcp', address: '127.0.0.1', port: 8081, program: node },
        { protocol: 'tcp', address: '127.0.0.1', port: 9999, program: node },
      ],
      knowledgeBase(),
      true,
      [],
      undefined,
      { pid: node.pid, ports: [8081] },
    );
    const ports = result.hosts[0]!.ports;
    expect(ports.find((p) => p.port === 8081)).toMatchObject({
      service: 'port-auditor',
      severity: 'info',
    });
    expect(ports.find((p) => p.port === 9999)?.service).not.toBe('port-auditor');
  });
});

describe('the note about programs that could not be named (review 15, #5)', () => {
  const kb = knowledgeBase();
  const pc = host('127.0.0.1', true, [open(18080), open(2024)]);
  const named: Listener[] = [
    { protocol: 'tcp', address: '0.0.0.0', port: 18080, program: node },
    { protocol: 'tcp', address: '0.0.0.0', port: 2024, program: { ...node, pid: 101 } },
  ];

  it('says nothing when every listed open port of this PC has its program, even if others hide', () => {
    // The OS hid some other socket's owner (programsComplete input false), not one listed here.
    const result = assessHosts([pc], named, kb, false);
    expect(result.programsComplete).toBe(true);
    expect(result.programsMissing).toBeUndefined();
  });

  it('advises administrator rights only when a listed port lacks its program and they would help', () => {
    const hidden = named.slice(0, 1).concat({ protocol: 'tcp', address: '0.0.0.0', port: 2024 });
    const notElevated = assessHosts([pc], hidden, kb, false);
    expect(notElevated.programsComplete).toBe(false);
    expect(notElevated.programsMissing).toBe('not-elevated');
    // As root (the caller passes complete: elevation would show no more): no advice.
    const root = assessHosts([pc], hidden, kb, true);
    expect(root.programsComplete).toBe(true);
    expect(root.programsMissing).toBeUndefined();
  });

  it('words a reopened scan as kept, and as a lack of rights only when this PC’s sockets now say so', () => {
    // Its recorded programs no longer listen the same way: nothing administrator rights would fix.
    expect(keptProgramsNote(true, true, false)).toEqual({
      programsComplete: false,
      programsMissing: 'kept',
    });
    // This PC's sockets, read at reopen, hid owners for lack of rights (issue 13 review, #2).
    expect(keptProgramsNote(false, true, false)).toEqual({
      programsComplete: false,
      programsMissing: 'not-elevated',
    });
    expect(keptProgramsNote(false, false, false)).toEqual({ programsComplete: true });
    // A scan this process made keeps what it said when made.
    expect(keptProgramsNote(false, true, true)).toEqual({
      programsComplete: false,
      programsMissing: 'not-elevated',
    });
    expect(keptProgramsNote(true, true, true)).toEqual({ programsComplete: true });
  });
});

describe('a program-named port’s reason stands alone (review 15, #12)', () => {
  it('names the program in the sentence, with nothing "below" to point at', () => {
    const result = assessHosts(
      [host('127.0.0.1', true, [open(18080)])],
      [{ protocol: 'tcp', address: '0.0.0.0', port: 18080, program: { ...node, name: 'python3' } }],
      knowledgeBase(),
    );
    const reason = result.hosts[0]!.ports[0]!.reasons[0]!;
    expect(reason.ruleId).toBe('program.names-service');
    expect(reason.text.fr).toMatch(/il est ouvert par le programme «\u00a0python3\u00a0»\.$/);
    expect(reason.text.en).toMatch(/it is opened by the program “python3”\.$/);
    expect(`${reason.text.fr} ${reason.text.en}`).not.toMatch(/ci-dessous|below/);
  });
});

describe('a port of this PC is credited only to a socket serving its address (issue 13 review, #4)', () => {
  const on127001: Listener[] = [
    {
      protocol: 'tcp',
      address: '127.0.0.1',
      port: 5432,
      program: { pid: 10, name: 'postgres', path: '/usr/lib/postgresql/bin/postgres' },
    },
  ];

  it('never credits 127.0.0.5 to a program listening on 127.0.0.1 only', () => {
    expect(matchListener('127.0.0.5', 5432, 'tcp', on127001)).toEqual({ exposure: 'unknown' });
    const result = assessHosts(
      [host('127.0.0.5', true, [open(5432)]), host('127.0.0.1', true, [open(5432)])],
      on127001,
      knowledgeBase(),
    );
    const at = (address: string) => result.hosts.find((h) => h.address === address)!.ports[0]!;
    expect(at('127.0.0.5').program).toBeUndefined();
    expect(at('127.0.0.5').severity).not.toBe('info');
    expect(at('127.0.0.1')).toMatchObject({ severity: 'info', exposure: 'loopback-only' });
  });

  it('credits an address to a wildcard bind of its family, or to an IPv6 wildcard', () => {
    const wildcard = [{ ...on127001[0]!, address: '0.0.0.0' }];
    expect(matchListener('127.0.0.5', 5432, 'tcp', wildcard).program?.pid).toBe(10);
    expect(matchListener('::1', 5432, 'tcp', wildcard)).toEqual({ exposure: 'unknown' });
    const six = [{ ...on127001[0]!, address: '::' }];
    expect(matchListener('127.0.0.5', 5432, 'tcp', six)).toMatchObject({
      exposure: 'all-interfaces',
      program: { pid: 10 },
    });
  });
});

describe('the reason of a port whose program is unknown (issue 13 review, #2)', () => {
  const reasonOf = (listeners: Listener[], programsComplete: boolean) =>
    assessHosts(
      [host('127.0.0.1', true, [open(5433)])],
      listeners,
      knowledgeBase(),
      programsComplete,
    )
      .hosts[0]!.ports[0]!.reasons.map((r) => r.text.en)
      .join(' ');
  const ownerless: Listener[] = [{ protocol: 'tcp', address: '0.0.0.0', port: 5433 }];

  it('advises administrator rights only when a socket serves it, its owner hidden for lack of rights', () => {
    expect(reasonOf(ownerless, false)).toContain('run again as administrator');
    // As root, or with every owner seen: nothing administrator rights would add.
    expect(reasonOf(ownerless, true)).toContain('The listening program could not be identified.');
    expect(reasonOf(ownerless, true)).not.toContain('administrator');
    // No socket of this PC serves it: administrator rights would not find one either.
    expect(reasonOf([], false)).not.toContain('administrator');
  });
});
