import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../app/contract/datetime.js';
import { ruleCalled } from '../../app/firewall/labels.js';
import { textFor } from '../../app/text/catalogue.js';
import { CATALOGUE } from '../../app/text/locales/index.js';

/** How deep parentheses go in `text`: 1 for "a (b) c", 2 for "a (b (c)) d". */
function parenthesisDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (const c of text) {
    if (c === '(') deepest = Math.max(deepest, ++depth);
    else if (c === ')') depth -= 1;
  }
  return deepest;
}

/** The catalogue's strings under `prefix` (`namespace:path`), plural forms included. */
function stringsUnder(lang: 'fr' | 'en', prefix: string): [string, string][] {
  const [ns, dotted] = prefix.split(':') as [string, string];
  let node: unknown = (CATALOGUE[lang] as Record<string, unknown>)[ns];
  const parts = dotted.split('.');
  const last = parts.pop() as string;
  for (const part of parts) node = (node as Record<string, unknown>)[part];
  const at = node as Record<string, unknown>;
  const walk = (value: unknown, where: string): [string, string][] =>
    typeof value === 'string'
      ? [[where, value]]
      : Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
          walk(v, `${where}.${k}`),
        );
  return Object.entries(at)
    .filter(([k]) => k === last || k.startsWith(`${last}_`))
    .flatMap(([k, v]) => walk(v, `${ns}:${[...parts, k].join('.')}`));
}

/**
 * Every sentence that names a rule by ruleCalled, by the parameter that receives it (the UI's
 * chips and unblock dialog, the verdict reasons, the preview and repair notes, the CLI, the
 * errors' rule phrase).
 */
const EMBEDS_RULE_CALLED: [string, string][] = [
  ['firewall:coverage.reason', 'name'],
  ['firewall:unblock.confirm.body', 'name'],
  ['risk:firewall.help', 'name'],
  ['messages:firewall.seenFilteredByRemovedRule', 'name'],
  ['messages:firewall.preview', 'name'],
  ['messages:firewall.repair', 'name'],
  ['cli:commands.block', 'called'],
  ['errors:parts.ruleNamed.known', 'called'],
];

describe('a rule named in sentences (review 15b)', () => {
  const createdAt = '2026-12-02T10:14:00.000Z';

  it('by its date and port, in each language, never by its UUID', () => {
    const one = ruleCalled({ createdAt, protocol: 'tcp', portFrom: 23, portTo: 23 });
    expect(one).toEqual({
      fr: `du ${formatDateTime(createdAt, 'fr')} pour le port 23/tcp`,
      en: `of ${formatDateTime(createdAt, 'en')} for port 23/tcp`,
    });
    const range = ruleCalled({ createdAt, protocol: 'udp', portFrom: 8000, portTo: 8010 });
    expect(range.fr).toMatch(/ pour les ports 8000-8010\/udp$/);
    expect(range.en).toMatch(/ for ports 8000-8010\/udp$/);
  });

  it('no sentence that names a rule so puts a parenthesis inside a parenthesis (fr, en)', () => {
    const called = ruleCalled({ createdAt, protocol: 'tcp', portFrom: 23, portTo: 23 });
    const nested: string[] = [];
    let checked = 0;
    for (const lang of ['fr', 'en'] as const) {
      for (const [prefix, param] of EMBEDS_RULE_CALLED) {
        const found = stringsUnder(lang, prefix).filter(([, text]) =>
          text.includes(`{{${param}}}`),
        );
        expect(found.length, `${lang} ${prefix}`).toBeGreaterThan(0);
        for (const [where, text] of found) {
          checked += 1;
          // The rule's words where they go; any other value as a plain word.
          const written = text
            .replaceAll(`{{${param}}}`, called[lang])
            .replace(/\{\{[^}]*\}\}/g, 'x');
          if (parenthesisDepth(written) > 1) nested.push(`${lang} ${where}: ${written}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(nested).toEqual([]);
  });

  it('a rule whose making nothing records is called by when it was found (N6)', () => {
    const found = { createdAt, createdKnown: false, protocol: 'tcp' as const, portFrom: 23 };
    expect(ruleCalled({ ...found, portTo: 23 })).toEqual({
      fr: `trouvée le ${formatDateTime(createdAt, 'fr')} pour le port 23/tcp`,
      en: `found on ${formatDateTime(createdAt, 'en')} for port 23/tcp`,
    });
    expect(ruleCalled({ ...found, portTo: 25 }).en).toMatch(/^found on .* for ports 23-25\/tcp$/);
  });

  it('the CLI’s "Règle créée : …" names it so, the id only in the command that removes it', () => {
    const called = ruleCalled({ createdAt, protocol: 'tcp', portFrom: 23, portTo: 23 });
    const id = '3f2b8c1e-9a4d-4e6f-8b7a-000000000005';
    const fr = textFor('fr', 'cli')('commands.block.created', { called: called.fr, id });
    expect(fr).toBe(
      `Règle créée\u00a0: la règle ${called.fr}. Pour la retirer\u00a0: port-auditor unblock ${id}`,
    );
    expect(fr).not.toContain('PortAuditor-');
    const en = textFor('en', 'cli')('commands.block.created', { called: called.en, id });
    expect(en).toBe(
      `Rule created: the rule ${called.en}. To remove it: port-auditor unblock ${id}`,
    );
  });
});
