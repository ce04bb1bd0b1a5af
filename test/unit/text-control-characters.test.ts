import { describe, expect, it } from 'vitest';
import {
  capped,
  codePointLength,
  oneLine,
  withoutDisplayControls,
} from '../../app/text/control-characters.js';
import { shownProgram } from '../../app/system/listeners.js';

describe('outside words are neutralised', () => {
  it('makes controls, bidi controls and invisible characters visible as U+FFFD', () => {
    const hostile = [
      '\u001b[2J', // ESC (ANSI clear screen)
      '\u009b', // C1 CSI
      '\u202e', // RLO
      '\u2066', // LRI
      '\u200b', // zero-width space
      '\u200d', // zero-width joiner
      '\u00ad', // soft hyphen
      '\u3164', // Hangul filler
      '\ufeff', // BOM
      '\u{e0041}', // tag LATIN CAPITAL A
    ];
    for (const character of hostile) {
      const shown = oneLine(`a${character}b`);
      expect(shown, JSON.stringify(character)).toContain('\uFFFD');
      expect(shown).not.toContain(character);
    }
    expect(oneLine('printer\u200b.lan')).toBe('printer\uFFFD.lan');
    expect(oneLine('photo\u202Egnp.exe')).toBe('photo\uFFFDgnp.exe');
  });

  it('keeps a one-line field on one line and readable text as it is', () => {
    expect(oneLine('a\nb\tc\u2028d\re\u0085f')).toBe('a b c d\uFFFDe\uFFFDf');
    expect(oneLine('Imprimante « bureau » — 東京 ✓')).toBe('Imprimante « bureau » — 東京 ✓');
    expect(withoutDisplayControls('SSH-2.0-x\r\n', true)).toBe('SSH-2.0-x\r\n');
    expect(withoutDisplayControls('a\nb')).toBe('a\nb');
  });

  it('cuts by code points with an ellipsis, never inside a surrogate pair', () => {
    expect(capped('abcdef', 4)).toBe('abc…');
    expect(capped('abcd', 4)).toBe('abcd');
    expect(capped('😀😀😀😀😀', 3)).toBe('😀😀…');
    expect(codePointLength('😀é')).toBe(2);
    expect(oneLine('x'.repeat(300), 255)).toHaveLength(255);
  });
});

describe('a program read from the system enters the app neutralised', () => {
  it('cleans its name, path and service names', () => {
    const shown = shownProgram({
      pid: 7,
      name: '=cmd|\u001b[2J\u200bsshd',
      path: '/tmp/x\n* Bloqué\u202e/photo\u202Egnp.exe',
      services: ['svc\u200d'],
    });
    expect(shown).toEqual({
      pid: 7,
      name: '=cmd|\uFFFD[2J\uFFFDsshd',
      path: '/tmp/x * Bloqué\uFFFD/photo\uFFFDgnp.exe',
      services: ['svc\uFFFD'],
    });
  });
});
