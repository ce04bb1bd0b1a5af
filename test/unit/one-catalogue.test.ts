import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Where user-visible sentences must come from the catalogue (app/text/locales): app/ and main/,
 * except main/cli (its own migration) and the risk knowledge base (data keyed by port, in both
 * languages by design).
 */
const EXCLUDED = ['main/cli/', 'app/risk/knowledge-base.ts', 'app/risk/kb-schema.ts'];

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sources(relative);
    return /\.tsx?$/.test(entry.name) && !/\.d\.ts$/.test(entry.name) ? [relative] : [];
  });
}

/** A string literal: '…', "…" or `…` (a template's `${…}` may hold quotes of its own). */
const LITERAL = String.raw`(?:'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|\`(?:\\.|\$\{[^}]*\}|[^\`\\])*\`)`;

/** The ways of writing a sentence in place instead of taking it from the catalogue. */
const IDIOMS: Record<string, RegExp> = {
  // { fr: '…', en: '…' } (or en first): a sentence pair written in the code.
  pair: new RegExp(String.raw`\b(?:fr|en)\s*:\s*${LITERAL}\s*,\s*(?:en|fr)\s*:`, 'g'),
  // T('…', '…') / t('…', '…'): a two-language helper call.
  twoLanguageCall: new RegExp(String.raw`\b[tT]\(\s*${LITERAL}\s*,\s*${LITERAL}`, 'g'),
  // lang === 'fr' ? … : …
  ternary: /===\s*['"](?:fr|en)['"]\s*\?/g,
  // const fr = language === 'fr'; … fr ? 'Annuler' : 'Undo' (the Electron menu's labels were so).
  flag: new RegExp(String.raw`\b(?:fr|en|isFr|isEn|french|english)\s*\?\s*${LITERAL}\s*:`, 'g'),
};

/**
 * The same idioms in renderer/ (React reads the catalogue through i18next; a message the page keeps
 * in both languages, as the app's are, comes from renderer/i18n/both.ts). The page picks its
 * language with `i18n.language === 'fr' ? 'fr' : 'en'` and a LocalizedText's side with
 * `? text.fr : text.en`: a ternary is a sentence written in place only when a branch is a string
 * literal other than a language code.
 */
const RENDERER_IDIOMS: Record<string, RegExp> = {
  pair: IDIOMS.pair!,
  flag: IDIOMS.flag!,
  twoLanguageCall: IDIOMS.twoLanguageCall!,
  ternary: new RegExp(
    String.raw`===\s*['"](?:fr|en)['"]\s*\?\s*(?:(?!['"](?:fr|en)['"])${LITERAL}|[^:;]*?:\s*(?!['"](?:fr|en)['"])${LITERAL})`,
    'g',
  ),
};

/**
 * Per file, how many sentences are still written in place: none since issue 15's catalogue
 * migration. A file listed here would lower its count as it moves; none may gain one.
 */
const LEFT: Record<string, number> = {};

/**
 * Plurals made in code instead of the catalogue's `_one`/`_other` forms (i18next picks the form by
 * the language's CLDR rules and formats `{{count, number}}` by Intl): a plural helper, a plural rule
 * selected by hand, an "s" appended when the count is not 1.
 */
const HAND_PLURALS: Record<string, RegExp> = {
  helper: /\b(?:counted|pluralWord)\s*\(/g,
  pluralRules: /\bPluralRules\s*\(/g,
  suffix: /[!=]==?\s*1\s*\?\s*(['"`])\1\s*:\s*(['"`])(?:e?s|x)\2/g,
};

const PLURAL_SAMPLES: Record<string, string> = {
  helper: "counted(n, lang, 'port ouvert', 'ports ouverts')",
  pluralRules: "new Intl.PluralRules('fr').select(n)",
  suffix: "`${n} host${n === 1 ? '' : 's'}`",
};

/**
 * The only hand-made plurals left: our nmap XML export's `<finished summary="…">`, which copies
 * nmap's own English wording ("1 IP address (1 host up)") as nmap -oX writes it, in no language of
 * ours.
 */
const HAND_PLURALS_LEFT: Record<string, number> = {
  'app/report/nmap-xml-export.ts': 2,
};

describe('one catalogue for every sentence of app/ and main/', () => {
  test('no { fr, en } pair, no T(fr, en) / t(fr, en) call, no === "fr" ? ternary outside the allow-list', () => {
    const found: Record<string, number> = {};
    for (const file of [...sources('app'), ...sources('main')]) {
      if (EXCLUDED.some((excluded) => file.startsWith(excluded))) continue;
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      const count = Object.values(IDIOMS).reduce(
        (n, idiom) => n + [...text.matchAll(idiom)].length,
        0,
      );
      if (count > 0) found[file] = count;
    }
    expect(found).toEqual(LEFT);
  });

  test("no plural made by hand: no counted()/pluralWord() helper, no Intl.PluralRules, no \"=== 1 ? '' : 's'\"", () => {
    const found: Record<string, number> = {};
    for (const file of [...sources('app'), ...sources('main'), ...sources('renderer')]) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      const count = Object.values(HAND_PLURALS).reduce(
        (n, idiom) => n + [...text.matchAll(idiom)].length,
        0,
      );
      if (count > 0) found[file] = count;
    }
    expect(found).toEqual(HAND_PLURALS_LEFT);
    for (const [name, idiom] of Object.entries(HAND_PLURALS)) {
      expect([...PLURAL_SAMPLES[name]!.matchAll(idiom)].length, name).toBe(1);
    }
    expect([..."t('pdf:inShort.openPorts', { count })".matchAll(HAND_PLURALS.helper!)]).toEqual([]);
  });

  test('renderer/ writes no sentence in place either: no { fr, en } pair, no T(fr, en), no === "fr" ? \'…\' ternary', () => {
    const found: Record<string, number> = {};
    for (const file of sources('renderer')) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      const count = Object.values(RENDERER_IDIOMS).reduce(
        (n, idiom) => n + [...text.matchAll(idiom)].length,
        0,
      );
      if (count > 0) found[file] = count;
    }
    expect(found).toEqual({});
  });

  test('the renderer detector sees a sentence chosen by language, not a language chosen', () => {
    const sentences = [
      "{ fr: 'Règles remises dans le pare-feu et relues.', en: 'Rules put back.' }",
      "i18n.language === 'fr' ? 'Règle retirée' : 'Rule removed'",
      "lang === 'en' ? `${n} rules` : `${n} règles`",
    ];
    for (const sample of sentences) {
      expect(
        Object.values(RENDERER_IDIOMS).some((idiom) => [...sample.matchAll(idiom)].length > 0),
        sample,
      ).toBe(true);
    }
    const choices = [
      "const lang = i18n.language === 'fr' ? 'fr' : 'en';",
      "formatDateTime(at, lang === 'en' ? 'en' : 'fr')",
      "(i18n.language === 'fr' ? text.fr : text.en)",
    ];
    for (const sample of choices) {
      expect(
        Object.values(RENDERER_IDIOMS).some((idiom) => [...sample.matchAll(idiom)].length > 0),
        sample,
      ).toBe(false);
    }
  });

  test('the detector sees each idiom', () => {
    const samples = [
      "{ fr: 'Règle créée', en: 'Rule created' }",
      '{\n  fr: `Cibles : ${token}`,\n  en: `Targets: ${token}`,\n}',
      "T('Élevé', 'High')",
      't(`${n} ports`, `${n} ports`)',
      "lang === 'fr' ? 'oui' : 'yes'",
      "{ role: 'undo', label: fr ? 'Annuler' : 'Undo' }",
    ];
    for (const sample of samples) {
      expect(Object.values(IDIOMS).some((idiom) => [...sample.matchAll(idiom)].length > 0)).toBe(
        true,
      );
    }
    expect([..."t('report:title', { count })".matchAll(IDIOMS.twoLanguageCall!)]).toEqual([]);
  });
});
