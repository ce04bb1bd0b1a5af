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
};

/**
 * Per file, how many sentences are still written in place (112 in all): what the catalogue
 * migration of issue 15 has not reached yet. A file that loses one lowers its count here; none may
 * gain one. Severity/state/reason/service labels (app/firewall/labels.ts) are the vocabulary
 * module's to take over.
 */
const LEFT: Record<string, number> = {
  'app/firewall/coverage.ts': 16,
  'app/firewall/format.ts': 17,
  'app/firewall/labels.ts': 4,
  'app/firewall/summary.ts': 15,
  'app/firewall/verify.ts': 16,
  'main/electron/main.ts': 2,
  'main/electron/open-dialog.ts': 2,
  'main/electron/save-dialog.ts': 7,
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

  test('the detector sees each idiom', () => {
    const samples = [
      "{ fr: 'Règle créée', en: 'Rule created' }",
      '{\n  fr: `Cibles : ${token}`,\n  en: `Targets: ${token}`,\n}',
      "T('Élevé', 'High')",
      't(`${n} ports`, `${n} ports`)',
      "lang === 'fr' ? 'oui' : 'yes'",
    ];
    for (const sample of samples) {
      expect(Object.values(IDIOMS).some((idiom) => [...sample.matchAll(idiom)].length > 0)).toBe(
        true,
      );
    }
    expect([..."t('report:title', { count })".matchAll(IDIOMS.twoLanguageCall!)]).toEqual([]);
  });
});
