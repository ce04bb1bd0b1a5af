import { formatDateTime } from '../../app/contract/datetime.js';
import { describe, expect, it } from 'vitest';
import type {
  FirewallRule,
  FirewallStatus,
  FirewallVerification,
} from '../../app/contract/firewall.js';
import { COVERAGE_LABEL, coverageReason } from '../../app/firewall/coverage.js';
import {
  formatRuleTable,
  formatStatus,
  formatVerification,
  vanishedRulesLine,
} from '../../app/firewall/format.js';
import { ANY_REMOTE, profileLabel } from '../../app/firewall/labels.js';
import { textFor } from '../../app/text/catalogue.js';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

const status: FirewallStatus = {
  backend: 'netsh',
  platform: 'win32',
  available: true,
  elevated: false,
  canChange: true,
  canRead: true,
  profiles: [
    { name: 'private', enabled: true, active: true, localRulesApplied: false },
    { name: 'public', enabled: false, active: false, localRulesApplied: null },
  ],
  warnings: [],
  backupPath: null,
  repairs: [],
  missing: 2,
  elevation: 'uac',
};

const rule: FirewallRule = {
  id: '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b',
  name: 'PortAuditor-3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b',
  backend: 'nftables',
  protocol: 'tcp',
  portFrom: 3389,
  portTo: 3389,
  direction: 'in',
  remote: [],
  state: 'active',
  createdAt: '2026-03-14T09:30:00.000Z',
  updatedAt: '2026-03-14T09:30:00.000Z',
  present: true,
  origin: 'app',
};

describe('the firewall’s CLI texts come from the catalogue, in the language', () => {
  it('firewall-status: French spacing before colons, none in English; profiles in words', () => {
    const fr = formatStatus(status, 'fr').split('\n');
    expect(fr).toEqual([
      `Pare-feu${NBSP}: netsh (Windows)`,
      `Disponible${NBSP}: oui`,
      `Administrateur${NBSP}: non`,
      `Modification possible${NBSP}: oui (demande UAC à chaque modification)`,
      `Lecture possible${NBSP}: oui`,
      `  profil privé${NBSP}: actif (réseau connecté), règles locales IGNORÉES`,
      `  profil public${NBSP}: DÉSACTIVÉ`,
      `Sauvegarde${NBSP}: aucune (prise avant la première modification)`,
      `! Le journal de Port Auditor liste 2 règles introuvables dans le pare-feu (redémarrage${NNBSP}?)${NBSP}: port-auditor reapply --all les met en place.`,
      '',
    ]);
    const en = formatStatus(
      { ...status, canChange: false, backupPath: '/var/lib/port-auditor/backup.nft', missing: 0 },
      'en',
    );
    expect(en).toContain('Can change: no\n');
    expect(en).toContain('  profile private: on (connected network), local rules IGNORED\n');
    expect(en).toContain('Backup: /var/lib/port-auditor/backup.nft\n');
    expect(en).not.toMatch(/\s:/);
    expect(en).not.toContain('vanished');
  });

  it('vanished rules: a real plural and a number grouped by the language; nothing for none', () => {
    expect(vanishedRulesLine(0, 'fr')).toBeNull();
    expect(vanishedRulesLine(1, 'fr')).toMatch(
      /^Le journal de Port Auditor liste 1 règle introuvable .* la met en place\.$/,
    );
    expect(vanishedRulesLine(1234, 'fr')).toMatch(
      new RegExp(
        `^Le journal de Port Auditor liste 1${NNBSP}234 règles introuvables .* les met en place\\.$`,
      ),
    );
    expect(vanishedRulesLine(1, 'en')).toBe(
      'Port Auditor’s journal lists 1 rule not found in the firewall (a restart?): port-auditor reapply --all puts it in place.',
    );
    expect(vanishedRulesLine(1234, 'en')).toMatch(
      /^Port Auditor’s journal lists 1,234 rules .* puts them in place\.$/,
    );
  });

  it('lists rules under a header line, scope in words (no key=value), a lost rule said gone', () => {
    // Review 15 #14 and issue 11's nits: `distant=toutes les adresses` and no header line.
    const [head, row] = formatRuleTable([rule], 'fr');
    expect(head).toMatch(/^RÈGLE +PORT +SENS +ADRESSES DISTANTES +ÉTAT +CRÉÉE LE$/);
    expect(row).toMatch(
      /^3f2b8c1e-\S+ {2}TCP 3389 {2}entrant {2}toutes les adresses {2}active, dans le pare-feu {2}\S/,
    );
    // Columns start where their heading starts.
    expect(row!.indexOf('toutes les adresses')).toBe(head!.indexOf('ADRESSES DISTANTES'));
    expect(formatRuleTable([{ ...rule, present: null, direction: 'out' }], 'en')[1]).toMatch(
      /^3f2b8c1e-\S+ {2}TCP 3389 {2}outbound +all addresses +active, not verified +\S/,
    );
    const gone = { ...rule, present: false, remote: ['10.0.0.5', '10.0.0.6'] };
    expect(formatRuleTable([gone], 'en')[1]).toContain(
      `10.0.0.5, 10.0.0.6  in the journal, not found in the firewall; to re-apply (port-auditor reapply ${rule.id})`,
    );
    // Found in the firewall, unknown to the history: one phrase per fact, "in the firewall" once,
    // no "journal" (review 13 N7).
    const found = formatRuleTable([{ ...rule, origin: 'found' }], 'fr')[1]!;
    expect(found).toContain(
      '  active (trouvée dans le pare-feu\u202f; l’historique de Port Auditor ne la connaissait pas)  ',
    );
    expect(found).not.toMatch(/présente|journal|pare-feu.*pare-feu|reapply/);
    expect(formatRuleTable([{ ...rule, origin: 'found' }], 'en')[1]).toContain(
      '  active (found in the firewall; Port Auditor’s history did not know it)  ',
    );
    // The firewall could not be read: said, and the note kept.
    expect(formatRuleTable([{ ...rule, origin: 'found', present: null }], 'en')[1]).toContain(
      '  active, not verified (found in the firewall; Port Auditor’s history did not know it)  ',
    );
    // Gone and not ours: said in words, once, and never "to re-apply" (issue 15, N3).
    const foundGone = formatRuleTable([{ ...rule, origin: 'found', present: false }], 'fr')[1]!;
    expect(foundGone).toContain(
      'dans le journal, introuvable dans le pare-feu\u202f; Port Auditor ne l’avait pas créée',
    );
    expect(foundGone).not.toMatch(/DISPARUE|trouvée|reapply/);
    expect(formatRuleTable([{ ...rule, origin: 'found', present: false }], 'en')[1]).toContain(
      'in the journal, not found in the firewall; Port Auditor had not created it',
    );
  });

  it('a rule whose making nothing records: created unknown, with when it was found (N6)', () => {
    const found = { ...rule, origin: 'found' as const, createdKnown: false };
    const fr = formatRuleTable([found], 'fr')[1]!;
    expect(fr).toContain(`inconnue (trouvée le ${formatDateTime(rule.createdAt, 'fr')})`);
    const en = formatRuleTable([found], 'en')[1]!;
    expect(en).toContain(`unknown (found on ${formatDateTime(rule.createdAt, 'en')})`);
    // Known (made by the app, or dated by its name): the date alone.
    expect(formatRuleTable([{ ...found, createdKnown: true }], 'en')[1]).toMatch(
      new RegExp(`${formatDateTime(rule.createdAt, 'en')}$`),
    );
  });

  it('words the nftables reboot notice for every surface: no page named, no command', () => {
    // Issue 11's nits: "(page Règles)" on the Rules page itself; the CLI prints its own
    // `reapply --all` line when rules vanished, the page its "Ré-appliquer" button.
    for (const lang of ['fr', 'en'] as const) {
      const text = String(textFor(lang)('messages:firewall.bootUnit', { unit: 'x.service' }));
      expect(text).not.toMatch(/page Règles|Rules page|reapply/);
    }
  });

  it('does not tell `reapply` to run itself again for each rule it is putting back', () => {
    const lines = formatRuleTable([{ ...rule, present: false }], 'fr', { reapplying: true });
    expect(lines[1]).toContain('dans le journal, introuvable dans le pare-feu');
    expect(lines[1]).not.toContain('DISPARUE');
    expect(lines.join('\n')).not.toContain('port-auditor reapply');
  });

  it('a verification uses the wizard’s check labels and values, and its “not checked” title', () => {
    const v: FirewallVerification = {
      readBack: true,
      firewallOn: null,
      localRulesApplied: false,
      effective: 'no',
      checked: [],
      problems: [],
      notChecked: [{ fr: 'Une connexion depuis un autre appareil', en: 'A connection' }],
      limits: [],
    };
    // The wizard's "label : value" line, whatever space it puts before the colon.
    const is = textFor('fr', 'firewall')('wizard.check.line', { label: '', value: '' });
    expect(formatVerification(v, 'fr', 'nftables').split('\n')).toEqual([
      'Le blocage NE fait PAS effet.',
      `  ✓ Règle relue dans le pare-feu${is}oui`,
      `  ○ Filtrage nftables disponible (pare-feu de Linux)${is}impossible à vérifier`,
      `  ✗ Règles locales appliquées (pas de stratégie de groupe contraire)${is}NON`,
      `Non vérifiable d’ici${NBSP}:`,
      '  ○ Une connexion depuis un autre appareil',
      '',
    ]);
    const en = formatVerification({ ...v, effective: 'unknown', localRulesApplied: null }, 'en');
    expect(en).toMatch(/^Block not confirmed\.\n {2}✓ Rule read back from the firewall: yes\n/);
    expect(en).toContain('  ○ Firewall on for the current profiles: cannot be checked\n');
    expect(en).toContain('Cannot be checked from here:\n');
    expect(en).not.toContain('Local rules');
    // A certain sentence goes under its own heading, not "cannot be checked" (issue 11 nit).
    const out = formatVerification(
      {
        ...v,
        notChecked: [],
        limits: [{ fr: 'Le port 23 reste ouvert', en: 'Port 23 stays open' }],
      },
      'fr',
      'nftables',
    );
    expect(out).toContain(`Ce que la règle ne fait pas${NBSP}:\n  · Le port 23 reste ouvert\n`);
    expect(out).not.toContain('Non vérifiable');
  });
});

describe('the firewall’s labels and coverage sentences come from the catalogue', () => {
  it('profiles and the unscoped rule in words; an unknown profile name as it is', () => {
    expect(profileLabel('private')).toEqual({ fr: 'privé', en: 'private' });
    expect(profileLabel('domain')).toEqual({ fr: 'domaine', en: 'domain' });
    expect(profileLabel('nftables')).toEqual({ fr: 'nftables', en: 'nftables' });
    expect(ANY_REMOTE).toEqual({ fr: 'toutes les adresses', en: 'all addresses' });
    expect(COVERAGE_LABEL['scan-blocked']).toEqual({
      fr: 'vu filtré à cause d’une règle de ce PC',
      en: 'seen filtered because of a rule of this PC',
    });
  });

  it('a partial rule names its address or its addresses, listed by the language', () => {
    const coverage = { ruleId: rule.id, name: rule.name, effect: 'partial' as const };
    const one = coverageReason(coverage, { remote: ['10.0.0.5'] });
    expect(one.fr).toContain('depuis 10.0.0.5 seulement');
    expect(one.en).toContain('from 10.0.0.5 only');
    const three = coverageReason(coverage, { remote: ['10.0.0.5', '10.0.0.6', 'fd00::/64'] });
    expect(three.fr).toContain('depuis 10.0.0.5, 10.0.0.6 et fd00::/64 seulement');
    expect(three.en).toContain('from 10.0.0.5, 10.0.0.6, and fd00::/64 only');
    expect(three.fr).toContain(`(règle ${rule.name})${NBSP}: les autres adresses`);
  });

  it('a vanished outbound rule says this PC’s programs can connect again', () => {
    const coverage = { ruleId: rule.id, name: rule.name, effect: 'vanished' as const };
    expect(coverageReason(coverage, { remote: [], direction: 'out' }).en).toMatch(
      /^According to Port Auditor’s journal, the rule PortAuditor-\S+ kept this PC’s programs from connecting/,
    );
    expect(coverageReason(coverage, { remote: [], direction: 'in' }).en).toMatch(
      /^According to Port Auditor’s journal, the rule PortAuditor-\S+ blocked this port; it is not found in the firewall/,
    );
  });
});
