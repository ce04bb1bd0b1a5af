import { describe, expect, it } from 'vitest';
import { ruleCalled } from '../../app/firewall/labels.js';
import type { FirewallRule } from '../../app/contract/firewall.js';
import type { Listener, RiskAssessResult } from '../../app/contract/risk.js';
import type { HostResult, PortResult, ScanResult } from '../../app/contract/scan.js';
import { ruleCovering } from '../../app/firewall/coverage.js';
import { planRule, validateBlockRequest } from '../../app/firewall/request.js';
import { renderCsv } from '../../app/report/csv.js';
import { exportReport, withReportRules } from '../../app/report/export.js';
import { renderJson } from '../../app/report/json.js';
import { buildReportModel } from '../../app/report/model.js';
import { pdfDefinition } from '../../app/report/pdf.js';
import { assessHosts } from '../../app/risk/assess.js';
import { applyFirewallRules } from '../../app/risk/firewall-verdicts.js';
import { reassessKept } from '../../app/risk/reassess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { typeset } from './support/typography.js';
import { upHost as host } from './support/up-host.js';
import { formatScanResult } from '../../main/cli/format.js';

// What a Port Auditor rule does to verdicts and reports: only a rule read in the firewall blocks,
// loopback is never called blocked, this PC is one device, and a port our own outbound rule hides
// from the scan stays a finding. Every output (verdicts, CLI, JSON, CSV, PDF) says the same.

const kb = knowledgeBase();
let seq = 0;

function rule(input: Record<string, unknown>, over: Partial<FirewallRule> = {}): FirewallRule {
  const id = `3f2b8c1e-9a4d-4e6f-8b7a-${String(++seq).padStart(12, '0')}`;
  return {
    ...planRule(validateBlockRequest(input), id),
    backend: 'nftables',
    state: 'active',
    createdAt: '2026-11-30T10:41:47.000Z',
    updatedAt: '2026-11-30T10:41:47.000Z',
    present: true,
    origin: 'app',
    ...over,
  };
}

const port = (p: number, state: PortResult['state'] = 'open'): PortResult => ({
  port: p,
  protocol: 'tcp',
  state,
  reason: state === 'open' ? 'syn-ack' : 'no-response',
});

function scanOf(hosts: HostResult[]): ScanResult {
  return {
    scanId: 's',
    request: { targets: 'this-pc', ports: '1-1024', skipDiscovery: false, confirmed: false },
    addresses: hosts.length,
    portCount: 1024,
    notes: [],
    startedAt: '2026-11-30T10:00:00.000Z',
    finishedAt: '2026-11-30T10:00:02.000Z',
    cancelled: false,
    hosts,
  };
}

/** This PC (three addresses) with RDP on every interface. */
const PC = [
  host('10.77.210.1', true, [port(3389)]),
  host('127.0.0.1', true, [port(3389)]),
  host('::1', true, [port(3389)]),
];
const everyInterface: Listener[] = [{ protocol: 'tcp', address: '0.0.0.0', port: 3389 }];

function effects(result: RiskAssessResult): Record<string, string | null> {
  return Object.fromEntries(
    result.hosts.flatMap((h) =>
      h.ports.map((p) => [`${h.address} ${p.port}`, p.firewall?.effect ?? null]),
    ),
  );
}

describe('only a rule read in the firewall blocks a port', () => {
  it('present: true blocks; null is "not verified", counted at its severity; false is "vanished", acting on nothing', () => {
    const target = { address: '10.77.210.1', isLocal: true, port: 3389, protocol: 'tcp' as const };
    const inbound = { protocol: 'tcp', port: 3389 };
    expect(ruleCovering([rule(inbound)], target)?.effect).toBe('blocked');
    expect(ruleCovering([rule(inbound, { present: null })], target)?.effect).toBe('unverified');
    expect(ruleCovering([rule(inbound, { present: false })], target)?.effect).toBe('vanished');
    // A rule in place wins over one that vanished, whatever their order.
    expect(ruleCovering([rule(inbound, { present: false }), rule(inbound)], target)?.effect).toBe(
      'blocked',
    );
    // A rule read in the firewall says more than one that could not be.
    const both = [rule(inbound, { present: null }), rule({ ...inbound, remote: '10.0.0.9' })];
    expect(ruleCovering(both, target)?.effect).toBe('partial');

    const unread = assessHosts(PC.slice(0, 1), everyInterface, kb, true, [
      rule(inbound, { present: null }),
    ]);
    const verdict = unread.hosts[0]!.ports[0]!;
    expect(verdict.firewall?.effect).toBe('unverified');
    expect(unread.blocked).toBe(0);
    expect(unread.counts[verdict.severity]).toBe(1);
    expect(unread.hosts[0]!.worst).toBe(verdict.severity);
    expect(verdict.reasons[0]?.text.en).toBe(
      `According to Port Auditor’s journal, the rule ${verdict.firewall?.called?.en} blocks this port; the firewall could not be read to confirm it. Risk unchanged until it is checked.`,
    );
    expect(verdict.reasons[0]?.text.fr).toContain(
      'le pare-feu n’a pas pu être lu pour le confirmer',
    );

    // Not found in the firewall (a restart, a reload, or a row another program forged, review 13
    // A10): the row says it is only the journal's word, and the risk counts at its severity.
    const gone = assessHosts(PC.slice(0, 1), everyInterface, kb, true, [
      rule(inbound, { present: false }),
    ]);
    const lost = gone.hosts[0]!.ports[0]!;
    expect(lost.firewall?.effect).toBe('vanished');
    expect(gone.blocked).toBe(0);
    expect(gone.counts[lost.severity]).toBe(1);
    expect(lost.reasons[0]?.text.fr).toBe(
      `Selon le journal de Port Auditor, la règle ${lost.firewall?.called?.fr} bloquait ce port\u202f; elle est introuvable dans le pare-feu (retirée par un redémarrage ou un rechargement du pare-feu, ou jamais posée si un autre programme a écrit dans le journal)\u00a0: le port est joignable\u202f; risque inchangé.`,
    );
    expect(lost.reasons.map((r) => r.text.en).join(' ')).not.toContain('rule prevents');
    // A scoped rule only ever closed the port to its addresses: only they got it back.
    const goneScoped = assessHosts(PC.slice(0, 1), everyInterface, kb, true, [
      rule({ ...inbound, remote: '10.93.1.0/24' }, { present: false }),
    ]);
    const lostScoped = goneScoped.hosts[0]!.ports[0]!;
    expect(lostScoped.firewall?.effect).toBe('vanished');
    expect(lostScoped.reasons[0]?.text.en).toBe(
      `According to Port Auditor’s journal, the rule ${lostScoped.firewall?.called?.en} blocked this port for connections from 10.93.1.0/24 only; it is not found in the firewall (removed by a restart or a firewall reload, or never there if another program wrote in the journal): these connections are possible; risk unchanged.`,
    );
  });
});

describe('this PC is one device, and loopback is never filtered', () => {
  const blocked = assessHosts(PC, everyInterface, kb, true, [
    rule({ protocol: 'tcp', port: 3389 }),
  ]);

  it('one rule on 3389 is one port blocked, not one per address', () => {
    expect(blocked.blocked).toBe(1);
    expect(Object.values(blocked.counts).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('127.0.0.1 and ::1 say the rule leaves loopback open, not "blocked"', () => {
    expect(effects(blocked)).toEqual({
      '10.77.210.1 3389': 'blocked',
      '127.0.0.1 3389': 'loopback',
      '::1 3389': 'loopback',
    });
    const loop = blocked.hosts.find((h) => h.address === '127.0.0.1')!.ports[0]!;
    expect(loop.reasons[0]?.text.en).toContain(
      'local traffic (127.0.0.1, ::1) is deliberately never filtered',
    );
  });

  it('a blocked port’s reasons do not say that other devices can connect to it', () => {
    const reasons = blocked.hosts[0]!.ports[0]!.reasons.map((r) => r.text.en);
    // By its date and port, never its UUID name (review 15b).
    expect(reasons[0]).toMatch(
      /^Blocked by Port Auditor \(rule of [^()]+ for port \d+\/tcp, read back/,
    );
    expect(reasons.join(' ')).not.toContain('PortAuditor-');
    expect(reasons).toContain(
      'It listens on every network interface, but the Port Auditor rule stops other devices from connecting to it.',
    );
    expect(reasons.join(' ')).not.toContain('can connect to it if the firewall allows');
    // Without the rule, the same verdict says who can reach it.
    const open = applyFirewallRules(PC, blocked, [], kb);
    expect(open.hosts[0]!.ports[0]!.reasons.map((r) => r.text.en)).toContain(
      'It listens on every network interface: other devices on the network can connect to it if the firewall allows.',
    );
    expect(open.hosts[0]!.ports[0]!.reasons.some((r) => r.ruleId.startsWith('firewall.'))).toBe(
      false,
    );
  });
});

describe('a device port this PC’s own outbound rule hides from the scan', () => {
  const device = host('10.77.210.2', false, [port(23, 'filtered')]);
  const out = rule({ protocol: 'tcp', port: 23, direction: 'out', remote: '10.77.210.2' });

  it('stays a finding at the severity telnet has when open, counted', () => {
    const open = assessHosts([host('10.77.210.2', false, [port(23)])], [], kb);
    const severity = open.hosts[0]!.ports[0]!.severity;
    const result = assessHosts([device], [], kb, true, [out]);
    const verdict = result.hosts[0]!.ports[0]!;
    expect(verdict).toMatchObject({ port: 23, service: 'telnet', severity });
    expect(verdict.firewall).toEqual({
      ruleId: out.id,
      name: out.name,
      called: ruleCalled(out),
      effect: 'scan-blocked',
    });
    expect(result.counts[severity]).toBe(1);
    expect(result.hosts[0]!.worst).toBe(severity);
    expect(verdict.reasons[0]?.text.en).toBe(
      `This PC blocks its own connections to this port (rule ${ruleCalled(out).en}): the scan cannot see past it and sees it filtered. Other devices can probably still connect to it: it is rated as if it were open.`,
    );
  });

  it('is rated from what the app saw when it was open, and says when', () => {
    const result = assessHosts([device], [], kb, true, [out], () => ({
      at: '2026-11-30T09:00:00.000Z',
      banner: 'SSH-2.0-OpenSSH_9.2',
    }));
    const verdict = result.hosts[0]!.ports[0]!;
    expect(verdict.service).toBe('ssh');
    expect(verdict.reasons.map((r) => r.ruleId)).toContain('history.seen-open');
  });

  it('an outbound rule that vanished says this PC’s programs can connect again, not that the port reopened', () => {
    const result = assessHosts([host('10.77.210.2', false, [port(23)])], [], kb, true, [
      { ...out, present: false },
    ]);
    const verdict = result.hosts[0]!.ports[0]!;
    expect(verdict.firewall?.effect).toBe('vanished');
    expect(verdict.reasons[0]?.text.fr).toContain(
      'empêchait les programmes de ce PC de s’y connecter\u202f; elle est introuvable dans le pare-feu',
    );
    expect(verdict.reasons[0]?.text.en).not.toContain('the port can be reached');
  });

  it('is only filtered when the rule was not read, is gone, or covers another address', () => {
    for (const rules of [
      [{ ...out, present: null }],
      [{ ...out, present: false }],
      [rule({ protocol: 'tcp', port: 23, direction: 'out', remote: '10.77.210.3' })],
    ]) {
      const result = assessHosts([device], [], kb, true, rules);
      expect(result.hosts[0]!.ports).toEqual([]);
      expect(Object.values(result.counts).reduce((a, b) => a + b, 0)).toBe(0);
    }
  });
});

describe('reports apply their own rules to the verdicts', () => {
  const scan = scanOf([...PC, host('10.77.210.2', false, [port(23, 'filtered')])]);
  const inbound = rule({ protocol: 'tcp', port: 3389 });
  const out = rule({ protocol: 'tcp', port: 23, direction: 'out', remote: '10.77.210.2' });
  const then = assessHosts(scan.hosts, everyInterface, kb, true, [inbound, out]);

  it('applying the same rules twice changes nothing', () => {
    expect(applyFirewallRules(scan.hosts, then, [inbound, out], kb)).toEqual(then);
  });

  it('a JSON never says blocked for a rule it lists as gone from the firewall', async () => {
    const gone = [{ ...inbound, present: false }, out];
    const file = await exportReport('json', 'en', {
      scan,
      assessment: then,
      firewallRules: gone,
      pcName: 'PC',
    });
    const doc = JSON.parse(file.data.toString('utf8'));
    const effectsIn = (ports: { firewall?: { effect: string } }[]) =>
      ports.map((p) => p.firewall?.effect ?? null);
    expect(doc.assessment.hosts.flatMap((h: { ports: [] }) => effectsIn(h.ports))).not.toContain(
      'blocked',
    );
    expect(
      doc.findings.map((f: { portAuditorRule: unknown }) => f.portAuditorRule),
    ).not.toContainEqual(expect.objectContaining({ effect: 'blocked' }));
    expect(doc.summary.blockedByPortAuditor).toBe(0);
    expect(doc.firewallRules[0].present).toBe(false);
    expect(doc.assessment.firewallRules).toEqual(doc.firewallRules);
  });

  it('JSON, CSV and PDF count this PC’s port once and keep the hidden telnet port as a finding', async () => {
    const input = withReportRules({
      scan,
      assessment: then,
      firewallRules: [inbound, out],
      pcName: 'PC',
    });
    const model = buildReportModel(input);
    expect(model.blocked).toBe(1);
    const telnet = model.findings.find((f) => f.port.port === 23)!;
    expect(telnet.port).toMatchObject({ state: 'filtered', firewall: { effect: 'scan-blocked' } });
    expect(model.counts[telnet.port.severity!]).toBe(1);

    const doc = JSON.parse(renderJson(model, input, 'en'));
    expect(doc.summary.blockedByPortAuditor).toBe(1);
    expect(doc.findings.find((f: { port: number }) => f.port === 23)).toMatchObject({
      state: 'filtered',
      severity: telnet.port.severity,
      portAuditorRule: { effect: 'scan-blocked', name: out.name },
    });
    const csv = renderCsv(model, 'fr').split('\r\n');
    const row = csv.find((r) => r.startsWith('10.77.210.2,'))!;
    expect(row).toContain('Ce PC bloque ses propres connexions vers ce port');
    expect(row.endsWith(`,${out.name},scan-blocked,10.77.210.2,,,`)).toBe(true);
    // This PC is one device: its 3389 one row, blocked to other devices, on its three addresses.
    const pcRows = csv.filter((r) => r.includes(',3389,'));
    expect(pcRows).toHaveLength(1);
    expect(pcRows[0]!.startsWith('10.77.210.1,')).toBe(true);
    expect(pcRows[0]!.endsWith(',blocked,10.77.210.1 127.0.0.1 ::1,,,')).toBe(true);

    const pdf = JSON.stringify(pdfDefinition(model, 'fr').content);
    expect(pdf).toContain('vu filtré à cause d’une règle de ce PC');
    expect(pdf).toContain('1 autre port ouvert est bloqué par Port Auditor');
    // The rule's date, as the Rules page and `port-auditor rules` write it.
    expect(pdf).toContain('30 nov. 2026');
  });
});

describe('a device port a rule removed since hid from the scan', () => {
  // The scan ran 10:00:00 to 10:00:02 (scanOf); the rule was made at 09:00.
  const scan = scanOf([host('10.77.210.2', false, [port(23, 'filtered')])]);
  const out = rule(
    { protocol: 'tcp', port: 23, direction: 'out', remote: '10.77.210.2' },
    { createdAt: '2026-11-30T09:00:00.000Z' },
  );
  const then = assessHosts(scan.hosts, [], kb, true, [out]);
  const severity = assessHosts([host('10.77.210.2', false, [port(23)])], [], kb).hosts[0]!.ports[0]!
    .severity;
  const removedAt = (at: string): FirewallRule => ({
    ...out,
    state: 'removed',
    updatedAt: at,
    present: false,
  });
  const undone = (removed: FirewallRule[]) => ({
    startedAt: scan.startedAt,
    finishedAt: scan.finishedAt,
    removed,
  });

  it('stays a finding at its open severity, naming the rule and saying a new scan shows it now', () => {
    const gone = removedAt('2026-11-30T11:00:00.000Z');
    const result = applyFirewallRules(scan.hosts, then, [], kb, undefined, undone([gone]));
    const verdict = result.hosts[0]!.ports[0]!;
    expect(verdict).toMatchObject({ port: 23, service: 'telnet', severity });
    expect(verdict.firewall).toBeUndefined();
    expect(result.counts[severity]).toBe(1);
    expect(result.blocked).toBe(0);
    expect(verdict.reasons[0]).toEqual({
      ruleId: 'firewall.hidden-by-removed-rule',
      text: {
        fr: typeset(
          `Vu filtré pendant l’analyse à cause de la règle ${ruleCalled(out).fr} de ce PC, supprimée depuis : l’analyse n’a pas pu voir ce port, il est jugé comme s’il était ouvert. Une nouvelle analyse montrera son état actuel.`,
        ),
        en: `Seen filtered during the scan because of the rule ${ruleCalled(out).en} of this PC, removed since: the scan could not see this port, so it is judged as if it were open. A new scan will show its current state.`,
      },
    });
    // The scan-blocked sentence is gone with the rule; applying again changes nothing.
    expect(verdict.reasons.filter((r) => r.ruleId.startsWith('firewall.'))).toHaveLength(1);
    expect(applyFirewallRules(scan.hosts, result, [], kb, undefined, undone([gone]))).toEqual(
      result,
    );
    // Put back, the rule names the port again as it did at scan time.
    expect(applyFirewallRules(scan.hosts, result, [out], kb, undefined, undone([gone]))).toEqual(
      then,
    );
  });

  it('is dropped when the rule was not in force while the scan ran, or covers another port or address', () => {
    const cases: FirewallRule[] = [
      // Removed before the scan began.
      removedAt('2026-11-30T09:59:59.000Z'),
      // Made after the scan ended (removed later still).
      { ...removedAt('2026-11-30T11:00:00.000Z'), createdAt: '2026-11-30T10:00:03.000Z' },
      { ...removedAt('2026-11-30T11:00:00.000Z'), portFrom: 22, portTo: 22 },
      { ...removedAt('2026-11-30T11:00:00.000Z'), remote: ['10.77.210.3'] },
      // An inbound rule never hid a device's port.
      { ...removedAt('2026-11-30T11:00:00.000Z'), direction: 'in', remote: [] },
      // Still active in the journal: only ruleCovering speaks of it.
      { ...out, updatedAt: '2026-11-30T11:00:00.000Z', present: false },
    ];
    for (const gone of cases) {
      const result = applyFirewallRules(scan.hosts, then, [], kb, undefined, undone([gone]));
      expect(result.hosts[0]?.ports ?? []).toEqual([]);
      expect(Object.values(result.counts).reduce((a, b) => a + b, 0)).toBe(0);
    }
    expect(applyFirewallRules(scan.hosts, then, [], kb).hosts[0]?.ports ?? []).toEqual([]);
  });

  it('a rule removed during the scan still hid the port', () => {
    const result = applyFirewallRules(
      scan.hosts,
      then,
      [],
      kb,
      undefined,
      undone([removedAt('2026-11-30T10:00:01.000Z')]),
    );
    expect(result.hosts[0]!.ports[0]!.reasons[0]!.ruleId).toBe('firewall.hidden-by-removed-rule');
  });

  it('JSON, CSV and PDF keep it as a finding with the same sentence', async () => {
    const gone = removedAt('2026-11-30T11:00:00.000Z');
    const input = withReportRules({
      scan,
      assessment: then,
      firewallRules: [],
      removedRules: [gone],
      pcName: 'PC',
    });
    const model = buildReportModel(input);
    const telnet = model.findings.find((f) => f.port.port === 23)!;
    expect(telnet.port).toMatchObject({ state: 'filtered', severity });
    expect(model.counts[severity]).toBe(1);
    const doc = JSON.parse(renderJson(model, input, 'en'));
    expect(doc.findings.find((f: { port: number }) => f.port === 23)).toMatchObject({
      severity,
      portAuditorRule: null,
    });
    const csv = renderCsv(model, 'fr').split('\r\n');
    expect(csv.find((r) => r.startsWith('10.77.210.2,'))).toContain('supprimée depuis');
    const pdf = JSON.stringify(pdfDefinition(model, 'fr').content);
    expect(pdf).toContain('supprimée depuis');
  });
});

describe('the CLI table says it like the UI', () => {
  it('names the effect beside the severity and gives the rule’s sentence first', () => {
    const scan = scanOf([PC[0]!, host('10.77.210.2', false, [port(23, 'filtered')])]);
    const rules = [
      rule({ protocol: 'tcp', port: 3389 }, { present: null }),
      rule({ protocol: 'tcp', port: 23, direction: 'out', remote: '10.77.210.2' }),
    ];
    const assessment = assessHosts(scan.hosts, everyInterface, kb, true, rules);
    const text = formatScanResult(scan, 'en', () => undefined, assessment);
    expect(text).toMatch(
      /^ {2}3389\/tcp\s+open\s+accepted the connection\s+\S+\s+\w+ · block not verified$/m,
    );
    expect(text).toMatch(
      /^ {2}23\/tcp\s+filtered\s+no response\s+telnet\s+\w+ · seen filtered because of a rule of this PC$/m,
    );
    expect(text).toContain('      * According to Port Auditor’s journal, the rule of ');
    expect(text).toContain('      * This PC blocks its own connections to this port');
    expect(text).not.toMatch(/blocked by Port Auditor/);
  });
});

describe('a kept scan written before rules were named by date, reopened (issue 15)', () => {
  const inbound = rule({ protocol: 'tcp', port: 3389 });
  const live = assessHosts(PC.slice(0, 1), everyInterface, kb, true, [inbound]);
  // As it was stored then: the rule's sentence and coverage name it by its UUID name only.
  const uuidText = {
    fr: `Bloqué par Port Auditor (règle ${inbound.name}, relue dans le pare-feu) : les autres appareils ne peuvent plus s’y connecter ; risque atténué.`,
    en: `Blocked by Port Auditor (rule ${inbound.name}, read back from the firewall): other devices can no longer connect to it; risk mitigated.`,
  };
  const stored: RiskAssessResult = {
    ...live,
    hosts: live.hosts.map((h) => ({
      ...h,
      ports: h.ports.map(({ firewall, ...p }) => ({
        ...p,
        ...(firewall
          ? { firewall: { ruleId: firewall.ruleId, name: firewall.name, effect: firewall.effect } }
          : {}),
        reasons: p.reasons.map((r) =>
          r.ruleId.startsWith('firewall.') ? { ...r, text: uuidText } : r,
        ),
      })),
    })),
  };
  const words = (result: RiskAssessResult) =>
    result.hosts.flatMap((h) =>
      h.ports.flatMap((p) => p.reasons.flatMap((r) => [r.text.fr, r.text.en])),
    );

  it('names the rule by its date and port when the journal knows it, never by its UUID', () => {
    expect(words(stored).join(' ')).toContain(inbound.name);
    const reopened = reassessKept(PC.slice(0, 1), stored, [inbound], kb);
    const said = words(reopened);
    expect(said.join(' ')).not.toContain(inbound.id);
    expect(said).toContain(
      typeset(
        `Bloqué par Port Auditor (règle ${ruleCalled(inbound).fr}, relue dans le pare-feu) : les autres appareils ne peuvent plus s’y connecter ; risque atténué.`,
      ),
    );
    expect(reopened.hosts[0]!.ports[0]!.firewall?.called).toEqual(ruleCalled(inbound));
  });

  it('says nothing of a rule the journal no longer has', () => {
    const reopened = reassessKept(PC.slice(0, 1), stored, [], kb);
    expect(words(reopened).join(' ')).not.toContain(inbound.id);
    expect(reopened.hosts[0]!.ports[0]!.firewall).toBeUndefined();
  });
});
