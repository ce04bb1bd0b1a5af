import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Review 15 F1: the knowledge base's reasons and advice are the French a user reads most (page,
// CLI, PDF, CSV); they follow the catalogue's spacing rule (test/unit/catalogue.test.ts), so a
// line never breaks before ';' or ':' and one screen never mixes two typographies.

const ROOT = path.resolve(__dirname, '../..');

/** Every French string of the knowledge base, with the path of its entry. */
function frenchTexts(value: unknown, at = ''): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => frenchTexts(v, `${at}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) =>
      k === 'fr' && typeof v === 'string'
        ? [[at, v] as [string, string]]
        : frenchTexts(v, `${at}.${k}`),
    );
  }
  return [];
}

describe('knowledge base French spacing (Imprimerie nationale)', () => {
  const kb: unknown = JSON.parse(
    readFileSync(path.join(ROOT, 'assets/data/ports-kb.json'), 'utf8'),
  );
  const french = frenchTexts(kb).map(
    ([at, text]) => [at, text.replace(/«\u00a0.\u00a0»/gu, '')] as const,
  );

  it('has French texts to check', () => {
    expect(french.length).toBeGreaterThan(300);
  });

  it('puts U+00A0 before a colon ending a clause and inside « », U+202F before ; ? !', () => {
    expect(french.filter(([, text]) => /[^\u00a0:]:(\s|$)/.test(text))).toEqual([]);
    expect(french.filter(([, text]) => /[^\u202f][;?!](\s|$|[)»])/.test(text))).toEqual([]);
    expect(french.filter(([, text]) => /«(?!\u00a0)|[^\u00a0]»/.test(text))).toEqual([]);
    expect(french.filter(([, text]) => /[ \u202f]:(?=\s|$)|[ \u00a0][;?!]/.test(text))).toEqual([]);
  });
});
