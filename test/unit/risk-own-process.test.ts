import { describe, expect, it } from 'vitest';
import type { Listener } from '../../app/contract/risk.js';
import type { HostResult, PortResult } from '../../app/contract/scan.js';
import { serviceLabel } from '../../app/contract/vocabulary.js';
import { assessHosts, ownerIfOurs } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { RULES } from '../../app/risk/rules.js';

const open = (port: number, protocol: 'tcp' | 'udp' = 'tcp'): PortResult => ({
  port,
  protocol,
  state: 'open',
  reason: 'syn-ack',
});
const thisPc = (ports: PortResult[]): HostResult => ({
  address: '127.0.0.1',
  family: 'ipv4',
  isLocal: true,
  status: 'up',
  reason: 'localhost',
  ports,
  hidden: { open: 0, closed: 0, filtered: 0 },
});

const APP = '/opt/Port Auditor/port-auditor';
const app = { pid: 4242, name: 'port-auditor', path: APP };
const appGpu = { pid: 4250, name: 'port-auditor', path: APP };
const otherNode = { pid: 5000, name: 'node', path: '/usr/bin/node' };

const listeners: Listener[] = [
  { protocol: 'tcp', address: '127.0.0.1', port: 9222, program: app },
  { protocol: 'udp', address: '127.0.0.1', port: 5353, program: appGpu },
  { protocol: 'tcp', address: '127.0.0.1', port: 3000, program: otherNode },
];

function verdicts(own: Parameters<typeof assessHosts>[6]) {
  const result = assessHosts(
    [thisPc([open(9222), open(5353, 'udp'), open(3000)])],
    listeners,
    knowledgeBase(),
    true,
    [],
    undefined,
    own,
  );
  return new Map(
    result.hosts[0]!.ports.map((p) => [p.port, p.reasons.map((r) => r.ruleId)] as const),
  );
}

describe('Port Auditor’s own listeners, from the listener owners of this PC', () => {
  it('names its program and PID without nested parentheses, in both languages (review 15 N8)', () => {
    const result = assessHosts(
      [thisPc([open(9222)])],
      listeners,
      knowledgeBase(),
      true,
      [],
      undefined,
      {
        pid: 4242,
        ports: [9222],
      },
    );
    const reason = result.hosts[0]!.ports[0]!.reasons.find((r) => r.ruleId === RULES.ownPort)!;
    expect(reason.text.fr).toBe(
      'C’est le port de Port Auditor lui-même, programme «\u00a0port-auditor\u00a0», PID 4242\u00a0: la page que vous utilisez en mode navigateur.',
    );
    expect(reason.text.en).toBe(
      'This is Port Auditor’s own port, program “port-auditor”, PID 4242: the page you are using in browser mode.',
    );
  });

  it('desktop app: every port of its own process or of its own executable is named as ours', () => {
    const rules = verdicts({ pid: 4242, ports: [], executable: APP });
    expect(rules.get(9222)).toContain(RULES.ownPort);
    // A helper process of the app (same executable, another pid), on UDP too.
    expect(rules.get(5353)).toContain(RULES.ownPort);
    // Another program's port is judged as any other.
    expect(rules.get(3000)).not.toContain(RULES.ownPort);
  });

  it('"Port Auditor (ce programme)" names only the ports of the process giving the verdict', () => {
    const services = (own: Parameters<typeof assessHosts>[6]) =>
      new Map(
        assessHosts(
          [thisPc([open(9222), open(5353, 'udp'), open(3000)])],
          listeners,
          knowledgeBase(),
          true,
          [],
          undefined,
          own,
        ).hosts[0]!.ports.map((p) => [p.port, p.service] as const),
      );
    // The desktop app (pid 4242): its own port is this program; its helper process (same
    // executable, pid 4250) is Port Auditor, but not "this program".
    const desktop = services({ pid: 4242, ports: [], executable: APP });
    expect(desktop.get(9222)).toBe('port-auditor');
    expect(desktop.get(5353)).toBe('port-auditor-process');
    // A separate process of the same executable giving the verdict (a CLI run, pid 6000): the
    // desktop app's port is another process's, never this program's.
    const cli = services({ pid: 6000, ports: [], executable: APP });
    expect(cli.get(9222)).toBe('port-auditor-process');
    expect(cli.get(5353)).toBe('port-auditor-process');
    expect(cli.get(3000)).not.toMatch(/^port-auditor/);
    // As people read them, in both languages.
    expect(serviceLabel('port-auditor', 'fr')).toBe('Port Auditor (ce programme)');
    expect(serviceLabel('port-auditor', 'en')).toBe('Port Auditor (this program)');
    expect(serviceLabel('port-auditor-process', 'fr')).toBe('Port Auditor (autre processus)');
    expect(serviceLabel('port-auditor-process', 'en')).toBe('Port Auditor (another process)');
  });

  it('browser mode (under node): the served port only, never another node program', () => {
    const own = { pid: 5001, ports: [8080] };
    expect(ownerIfOurs(8080, 'tcp', undefined, own)).toBe(5001);
    expect(ownerIfOurs(8080, 'udp', undefined, own)).toBeUndefined();
    // Another socket of the same node process (a debugger) keeps its own verdict.
    expect(ownerIfOurs(9229, 'tcp', { ...otherNode, pid: 5001 }, own)).toBeUndefined();
    expect(ownerIfOurs(3000, 'tcp', otherNode, own)).toBeUndefined();
    // Another program on our page's port number (on [::] only, say) is its own, not ours.
    expect(ownerIfOurs(8080, 'tcp', otherNode, own)).toBeUndefined();
    expect(ownerIfOurs(8080, 'tcp', { ...otherNode, pid: 5001 }, own)).toBe(5001);
    const rules = verdicts({ pid: 5001, ports: [] });
    expect([...rules.values()].flat()).not.toContain(RULES.ownPort);
  });

  it('without a notion of its own process (a kept scan judged again), nothing is named ours', () => {
    expect(ownerIfOurs(9222, 'tcp', app, undefined)).toBeUndefined();
    expect([...verdicts(undefined).values()].flat()).not.toContain(RULES.ownPort);
  });
});
