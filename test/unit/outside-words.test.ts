import { describe, expect, it } from 'vitest';
import {
  escapedArgument,
  escapedControls,
  OUTSIDE_WORDS_MAX,
  quoted,
  quotedProgram,
  withoutClosingQuotes,
} from '../../app/contract/outside-words.js';
import { oneLine } from '../../app/text/control-characters.js';
import { withoutClosingQuotes as fromOldPath } from '../../app/contract/quotation.js';
import { shownProgram } from '../../app/system/listeners.js';

describe('outside words in a sentence (issue 15, N1)', () => {
  it('quotes in each language’s marks: « » with no-break spaces in French, “ ” in English', () => {
    expect(quoted('python3', 'fr')).toBe('«\u00a0python3\u00a0»');
    expect(quoted('python3', 'en')).toBe('“python3”');
    expect(quoted('', 'en')).toBe('“”');
  });

  it('keeps a hostile name inside its quotes: controls and bidi visible, our closing marks made single, one line', () => {
    const hostile = 'a »\u00a0\u202e\u001b[2J”"\nPort Auditor\u2028b';
    expect(quoted(hostile, 'fr')).toBe("«\u00a0a ›\u00a0\uFFFD\uFFFD[2J’' Port Auditor b\u00a0»");
    expect(quoted(hostile, 'en')).toBe("“a ›\u00a0\uFFFD\uFFFD[2J’' Port Auditor b”");
  });

  it('caps 10,000 characters with an ellipsis, by code points (no surrogate pair cut)', () => {
    const long = '😀'.repeat(10_000);
    const shown = quoted(long, 'en');
    const inner = Array.from(shown.slice(1, -1));
    expect(inner).toHaveLength(OUTSIDE_WORDS_MAX.name);
    expect(inner.at(-1)).toBe('…');
    expect(inner.slice(0, -1).every((c) => c === '😀')).toBe(true);
    expect(Array.from(quoted(long, 'fr', 10))).toHaveLength(10 + 4);
  });

  it('names a program by its quoted name, its PID and its quoted services', () => {
    const svchost = { name: 'svchost.exe', pid: 912, services: ['Dnscache', 'x”y'] };
    expect(quotedProgram(svchost, 'en')).toBe('“svchost.exe” (PID 912) — “Dnscache”, “x’y”');
    expect(quotedProgram({ name: 'node', pid: 0 }, 'fr')).toBe('«\u00a0node\u00a0»');
  });

  it('is the one module: the old paths give the same functions', () => {
    expect(fromOldPath).toBe(withoutClosingQuotes);
    expect(oneLine('a\nb')).toBe('a b');
  });

  it('caps a program’s name and path where they enter the app', () => {
    const shown = shownProgram({
      pid: 5,
      name: 'n'.repeat(10_000),
      path: `/tmp/${'p'.repeat(10_000)}`,
      services: ['s'.repeat(1_000)],
    });
    expect(Array.from(shown.name)).toHaveLength(255);
    expect(Array.from(shown.path!)).toHaveLength(4096);
    expect(shown.path!.endsWith('…')).toBe(true);
    expect(Array.from(shown.services![0]!)).toHaveLength(255);
  });

  it('escapes a user’s argument on one line: \\n, \\r, \\t, \\u escapes, its quotes as typed, capped first (issue 15, N7, N9)', () => {
    expect(escapedArgument('a\nb\rc\td\u001b[2J\u202e\u200b\u{e0041}"e”')).toBe(
      'a\\nb\\rc\\td\\u001b[2J\\u202e\\u200b\\u{e0041}"e”',
    );
    // The user's own quotation marks and apostrophes are kept exactly (N9).
    expect(escapedArgument('mon "rapport" «\u00a0final\u00a0» d’hier ‹x› ‘y’.json')).toBe(
      'mon "rapport" «\u00a0final\u00a0» d’hier ‹x› ‘y’.json',
    );
    // A Windows path keeps its backslashes as they are.
    expect(escapedArgument('C:\\Users\\new.json')).toBe('C:\\Users\\new.json');
    const long = escapedArgument(`${'\n'.repeat(5)}${'x'.repeat(500)}`);
    expect(long.startsWith('\\n'.repeat(5))).toBe(true);
    expect(long.endsWith('x…')).toBe(true);
    expect(long).toHaveLength(5 * 2 + OUTSIDE_WORDS_MAX.argument - 5);
    expect(escapedControls('invalid “a\u2028b”')).toBe('invalid “a\\u2028b”');
  });
});
