import { describe, expect, it } from 'vitest';
import { Severity } from '../../app/contract/risk.js';
import { FirewallRule } from '../../app/contract/firewall.js';
import { HostReason, PortReason, PortState } from '../../app/contract/scan.js';
import {
  compareAddresses,
  compareHostsByRisk,
  compareSeverity,
  contrastRatio,
  hostReasonLabel,
  PAGE_BACKGROUNDS,
  portReasonLabel,
  portStateLabel,
  ruleStateLabel,
  ruleStateText,
  SEVERITIES,
  SEVERITY_COLORS,
  SEVERITY_LABEL,
  severityLabel,
  severityRank,
  worstSeverity,
} from '../../app/contract/vocabulary.js';
import { textFor } from '../../app/text/catalogue.js';
import { serviceName } from '../../app/risk/knowledge-base.js';

describe('severity order', () => {
  it('is the contract enum, worst first', () => {
    expect(SEVERITIES).toEqual(Severity.options);
    const shuffled: Severity[] = ['low', 'critical', 'info', 'medium', 'high'];
    expect([...shuffled].sort(compareSeverity)).toEqual([
      'critical',
      'high',
      'medium',
      'low',
      'info',
    ]);
  });

  it('puts no severity after info, and finds the worst', () => {
    expect(severityRank(null)).toBeGreaterThan(severityRank('info'));
    expect(severityRank(undefined)).toBe(severityRank(null));
    expect(worstSeverity(['low', 'high', 'info'])).toBe('high');
    expect(worstSeverity([])).toBeNull();
  });
});

describe('labels', () => {
  it('names each severity once per language, one gender form in French', () => {
    expect(SEVERITIES.map((s) => severityLabel(s, 'fr'))).toEqual([
      'Critique',
      'Élevé',
      'Moyen',
      'Faible',
      'Info',
    ]);
    expect(SEVERITIES.map((s) => severityLabel(s, 'en'))).toEqual([
      'Critical',
      'High',
      'Medium',
      'Low',
      'Info',
    ]);
    expect(SEVERITY_LABEL.high).toEqual({ fr: 'Élevé', en: 'High' });
    // The same words through the catalogue, as the page and i18next read them.
    expect(textFor('fr', 'vocabulary')('severity.medium')).toBe('Moyen');
  });

  it('has one label per state, reason and rule state in both languages, never a raw code', () => {
    for (const language of ['fr', 'en'] as const) {
      const all = [
        ...PortState.options.map((s) => [s, portStateLabel(s, language)] as [string, string]),
        ...PortReason.options.map((r) => [r, portReasonLabel(r, language)] as [string, string]),
        ...HostReason.options.map((r) => [r, hostReasonLabel(r, language)] as [string, string]),
        ...FirewallRule.shape.state.options.map(
          (s) => [s, ruleStateLabel(s, language)] as [string, string],
        ),
      ];
      for (const [code, label] of all) {
        expect(label, `${language} ${code}`).toBeTruthy();
        if (code.includes('-')) expect(label).not.toContain(code);
      }
    }
    expect(portReasonLabel('conn-refused', 'fr')).toBe('a refusé la connexion');
    expect(portReasonLabel('conn-refused', 'en')).toBe('refused the connection');
    expect(ruleStateLabel('failed', 'fr')).toBe('échouée');
    expect(ruleStateLabel('failed', 'en')).toBe('failed');
  });
});

describe('a rule’s state in words (Rules page, PDF, `rules`)', () => {
  const app = { state: 'active', present: true, origin: 'app' } as const;

  it('a rule found in the firewall that the history did not know: one phrase per fact (N7)', () => {
    const found = { ...app, origin: 'found' } as const;
    expect(ruleStateText(found)).toEqual({
      fr: 'active (trouvée dans le pare-feu\u202f; l’historique de Port Auditor ne la connaissait pas)',
      en: 'active (found in the firewall; Port Auditor’s history did not know it)',
    });
    // Its presence is in the note already: never "present, found in the firewall".
    expect(ruleStateText(found, { presence: true })).toEqual(ruleStateText(found));
    expect(ruleStateText({ ...found, present: null }, { presence: true })).toEqual({
      fr: 'active, non vérifiée (trouvée dans le pare-feu\u202f; l’historique de Port Auditor ne la connaissait pas)',
      en: 'active, not verified (found in the firewall; Port Auditor’s history did not know it)',
    });
    for (const text of Object.values(ruleStateText(found, { presence: true }))) {
      expect(text).not.toMatch(/journal|présente|\bpresent\b/);
    }
  });

  it('a rule of ours: its state, and what the firewall said only where asked', () => {
    expect(ruleStateText(app)).toEqual({ fr: 'active', en: 'active' });
    expect(ruleStateText(app, { presence: true })).toEqual({
      fr: 'active, dans le pare-feu',
      en: 'active, in the firewall',
    });
    expect(ruleStateText({ ...app, state: 'unknown', present: null }, { presence: true })).toEqual({
      fr: 'état inconnu (à vérifier), non vérifiée',
      en: 'unknown (to be checked), not verified',
    });
  });

  it('a rule the firewall lost keeps the journal’s words (f1314f4), never its state', () => {
    expect(ruleStateText({ ...app, present: false }, { presence: true })).toEqual({
      fr: 'dans le journal, introuvable dans le pare-feu',
      en: 'in the journal, not found in the firewall',
    });
    expect(ruleStateText({ ...app, present: false, origin: 'found' })).toEqual({
      fr: 'dans le journal, introuvable dans le pare-feu\u202f; Port Auditor ne l’avait pas créée',
      en: 'in the journal, not found in the firewall; Port Auditor had not created it',
    });
  });
});

describe('severity colours', () => {
  it('keep 4.5:1 between a chip and its text', () => {
    for (const s of SEVERITIES) {
      const { bg, fg } = SEVERITY_COLORS[s].chip;
      expect(contrastRatio(fg, bg), s).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('keep 4.5:1 for severity words on light, dark and print backgrounds', () => {
    for (const s of SEVERITIES) {
      const { light, dark } = SEVERITY_COLORS[s].text;
      for (const bg of [...PAGE_BACKGROUNDS.light, ...PAGE_BACKGROUNDS.print]) {
        expect(contrastRatio(light, bg), `${s} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
      for (const bg of PAGE_BACKGROUNDS.dark) {
        expect(contrastRatio(dark, bg), `${s} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    // The measure of the old "Élevé" chip: white on #e65100.
    expect(contrastRatio('#ffffff', '#e65100')).toBeCloseTo(3.79, 1);
  });
});

describe('host order', () => {
  it('orders addresses numerically, IPv4 before IPv6', () => {
    const addresses = ['fe80::10', '10.0.0.10', 'fe80::2%eth0', '2001:db8::1', '10.0.0.9', '::1'];
    expect([...addresses].sort(compareAddresses)).toEqual([
      '10.0.0.9',
      '10.0.0.10',
      '::1',
      '2001:db8::1',
      'fe80::2%eth0',
      'fe80::10',
    ]);
  });

  it('puts this PC first, then the worst, then hosts of equal severity by address', () => {
    const hosts = [
      { address: '192.168.1.10', isLocal: false, worst: 'high' as const },
      { address: '192.168.1.9', isLocal: false, worst: 'high' as const },
      { address: '192.168.1.2', isLocal: false, worst: null },
      { address: '192.168.1.3', isLocal: false, worst: 'critical' as const },
      { address: '127.0.0.1', isLocal: true, worst: 'info' as const },
    ];
    expect([...hosts].sort(compareHostsByRisk).map((h) => h.address)).toEqual([
      '127.0.0.1',
      '192.168.1.3',
      '192.168.1.9',
      '192.168.1.10',
      '192.168.1.2',
    ]);
  });
});

describe('service names', () => {
  it('names a port once, whatever its state, as people and nmap do', () => {
    expect(serviceName(80, 'tcp')).toBe('http');
    expect(serviceName(135, 'tcp')).toBe('msrpc');
    expect(serviceName(5900, 'tcp')).toBe('vnc');
    expect(serviceName(53, 'udp')).toBe('dns');
    expect(serviceName(53, 'tcp')).toBe('dns');
  });

  it('falls back to IANA, and to nothing for an unassigned port', () => {
    expect(serviceName(9, 'tcp')).toBe('discard');
    expect(serviceName(65000, 'tcp')).toBeUndefined();
  });
});
