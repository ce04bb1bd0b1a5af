import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Review 15 N11: English text uses the curly apostrophe and quotes (’ “ ”) everywhere, as the
// rest of the catalogue does: a straight one next to a curly one on one screen reads as a slip.

const ROOT = path.resolve(__dirname, '../..');
const EN = path.join(ROOT, 'app/text/locales/en');

/** Every string value in a parsed JSON document, with its path. */
function strings(value: unknown, at = ''): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => strings(v, at ? `${at}.${k}` : k));
  }
  return [];
}

describe('English apostrophes', () => {
  it('the English catalogue has no straight apostrophe', () => {
    const straight = readdirSync(EN)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) =>
        strings(JSON.parse(readFileSync(path.join(EN, f), 'utf8')), f).filter(([, s]) =>
          s.includes("'"),
        ),
      );
    expect(straight).toEqual([]);
  });

  it('the knowledge base’s English texts have none either', () => {
    const kb = JSON.parse(readFileSync(path.join(ROOT, 'assets/data/ports-kb.json'), 'utf8'));
    const straight = strings(kb).filter(([at, s]) => at.endsWith('.en') && s.includes("'"));
    expect(straight).toEqual([]);
  });
});
