import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { bothLanguages, textFor } from '../../app/text/catalogue.js';
import { CATALOGUE, NAMESPACES } from '../../app/text/locales/index.js';

const LOCALES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../app/text/locales',
);

/** Every string of a namespace (plural forms included), with its dotted path. */
function leaves(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** Keys without plural suffixes: French and English have different plural forms. */
function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null)
    return [prefix.replace(/_(zero|one|two|few|many|other)$/, '')];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

/** Every string of the catalogue in both languages, as `lang ns:key` → text. */
const ALL = (['fr', 'en'] as const).flatMap((lang) =>
  NAMESPACES.flatMap((ns) =>
    leaves(CATALOGUE[lang][ns]).map(([key, text]) => [`${lang} ${ns}:${key}`, text] as const),
  ),
);

describe('the catalogue', () => {
  test('lists every namespace file of each language, and only those', () => {
    for (const lang of ['fr', 'en']) {
      const files = readdirSync(path.join(LOCALES, lang))
        .filter((file) => file.endsWith('.json'))
        .map((file) => file.replace(/\.json$/, ''))
        .sort();
      expect(files).toEqual([...NAMESPACES].sort());
    }
  });

  test.each([...NAMESPACES])('namespace %s has the same keys in French and in English', (ns) => {
    expect([...new Set(keys(CATALOGUE.fr[ns]))].sort()).toEqual(
      [...new Set(keys(CATALOGUE.en[ns]))].sort(),
    );
  });

  test('no plural is written by appending "(s)" or "s)": plurals are _one/_other forms', () => {
    expect(ALL.filter(([, text]) => /\((e?s|x)\)/.test(text))).toEqual([]);
  });

  test('French uses the typographic apostrophe (’), never a straight one between letters', () => {
    expect(
      ALL.filter(([where, text]) => where.startsWith('fr ') && /\p{L}'\p{L}/u.test(text)),
    ).toEqual([]);
  });

  test('English never puts a space before a colon, French always does', () => {
    expect(
      ALL.filter(([where, text]) => where.startsWith('en ') && /\s:(\s|$)/.test(text)),
    ).toEqual([]);
    expect(
      ALL.filter(([where, text]) => where.startsWith('fr ') && /\p{L}:(\s|$)/u.test(text)),
    ).toEqual([]);
  });

  test('French spacing follows one rule everywhere (Imprimerie nationale): U+00A0 before a colon and inside « », U+202F before ; ? !', () => {
    // A mark quoted alone (« ! ») is a character shown, not punctuation of the sentence.
    const french = ALL.filter(([where]) => where.startsWith('fr ')).map(
      ([where, text]) => [where, text.replace(/«\u00a0.\u00a0»/gu, '')] as const,
    );
    // A colon that ends a clause (followed by a space or the end), not the colons of "::1" or "C:\\".
    expect(french.filter(([, text]) => /[^\u00a0:]:(\s|$)/.test(text))).toEqual([]);
    expect(french.filter(([, text]) => /[^\u202f][;?!](\s|$|[)»])/.test(text))).toEqual([]);
    expect(french.filter(([, text]) => /«(?!\u00a0)|[^\u00a0]»/.test(text))).toEqual([]);
    // No other space before these marks: not a plain one, not the other no-break one.
    expect(french.filter(([, text]) => /[ \u202f]:(?=\s|$)|[ \u00a0][;?!]/.test(text))).toEqual([]);
  });

  test('French keeps a number with its unit (review 15, F7): U+202F before %, U+00A0 before s, min, h, ms, Ko, Mo, Go', () => {
    // A number is a digit or a placeholder ({{x}}, {{x, number}}); an ordinary space lets a line
    // end between "(0" and "%)" or "15" and "s", and the rule (Imprimerie nationale) joins them.
    // A % followed by a letter is an IPv6 zone (fe80::1%eth0), not a percentage.
    const french = ALL.filter(([where]) => where.startsWith('fr '));
    const number = String.raw`(?:\d|\}\})`;
    const end = String.raw`(?=$|[\s.,;:!?)…\u00a0\u202f])`;
    expect(
      french.filter(([, text]) =>
        new RegExp(`${number}[ \u00a0]?%(?![\\p{L}\\d])`, 'u').test(text),
      ),
    ).toEqual([]);
    expect(
      french.filter(([, text]) =>
        new RegExp(`${number}[ \u202f]?(?:s|ms|min|h|Ko|Mo|Go)${end}`, 'u').test(text),
      ),
    ).toEqual([]);
    expect(textFor('fr', 'scan')('progress.probes', { done: '0', total: '8', percent: 0 })).toBe(
      '0 / 8 tests (0\u202f%)',
    );
  });

  test('counts and other numbers that can pass 999 are formatted by the language ({{x, number}})', () => {
    // A bare {{count}} prints "1000 analyses" where French writes "1 000" and English "1,000".
    const numeric = ['count', 'scans', 'days', 'closed', 'filtered', 'probed'];
    const bare = new RegExp(`\\{\\{(${numeric.join('|')})\\}\\}`);
    expect(ALL.filter(([, text]) => bare.test(text))).toEqual([]);
    const settings = (lang: 'fr' | 'en') => textFor(lang, 'settings');
    expect(settings('fr')('history.scans', { count: 1000 })).toBe('1\u202f000 analyses');
    expect(settings('en')('history.scans', { count: 1000 })).toBe('1,000 scans');
    expect(textFor('fr', 'history')('intro', { scans: 1000, days: 365 })).toContain(
      'les 1\u202f000 derniers',
    );
  });

  test('Node code reads the same strings, with plurals and numbers in the language', () => {
    const fr = textFor('fr', 'common');
    const en = textFor('en', 'common');
    expect(typeof fr('appName')).toBe('string');
    expect(bothLanguages('common:appName').fr).toBe(fr('appName'));
    expect(en('appName')).toBe(textFor('en')('common:appName'));
    const rules = (lang: 'fr' | 'en', count: number) =>
      textFor(lang, 'firewall')('rules.title', { count });
    expect(rules('fr', 0)).toBe('0 règle créée par Port Auditor');
    expect(rules('fr', 2)).toMatch(/^2 règles créées/);
    expect(rules('en', 1)).toMatch(/^1 rule /);
  });

  test('"masqué" / "hidden" means one thing: a port a display filter leaves out, never one a rule made the scan see filtered', () => {
    // Review 15b: a port seen filtered because of a rule of this PC has its own words ("Vu filtré
    // à cause d’une règle de ce PC" / "Seen filtered because of a rule of this PC").
    const hidden = { fr: /masqu/i, en: /\bhid(e|es|den|ing)\b/i };
    const rule = { fr: /règle|pare-feu/i, en: /\brules?\b|firewall/i };
    const mixed = ALL.filter(([where, text]) => {
      const lang = where.startsWith('fr') ? 'fr' : 'en';
      return hidden[lang].test(text) && rule[lang].test(text);
    }).map(([where]) => where);
    expect(mixed).toEqual([]);
    for (const lang of ['fr', 'en'] as const) {
      expect(textFor(lang, 'risk')('firewall.scan-blocked')).toBe(
        lang === 'fr'
          ? 'Vu filtré à cause d’une règle de ce PC'
          : 'Seen filtered because of a rule of this PC',
      );
    }
  });
});
