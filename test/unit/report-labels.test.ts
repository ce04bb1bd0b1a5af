import { describe, expect, test } from 'vitest';
import { describeSpec, everyPortText, formatDuration } from '../../app/report/labels.js';

describe('the report’s labels, from the catalogue', () => {
  test('durations in the language’s numbers, never "1 min 60 s"', () => {
    expect(formatDuration(1_450, 'fr')).toBe('1,5\u00a0s');
    expect(formatDuration(1_450, 'en')).toBe('1.5 s');
    expect(formatDuration(119_600, 'en')).toBe('2 min 0 s');
    expect(formatDuration(-1, 'fr')).toBe('?');
  });

  test('named targets and ports are spelled out in plain words, no CLI keyword (rev13user F5)', () => {
    expect(describeSpec('this-pc, 10.0.0.1', 'targets', 'fr')).toBe('ce PC, 10.0.0.1');
    expect(describeSpec('top1000', 'ports', 'fr')).toBe('les 1\u202f000 ports les plus courants');
    expect(describeSpec('top1000', 'ports', 'en')).toBe('the 1,000 most common ports');
    expect(describeSpec('22,80', 'ports', 'en')).toBe('22,80');
  });

  test('a device answering on every port: its counts formatted by the language', () => {
    const text = everyPortText({ open: 30_000, probed: 30_000 });
    expect(text.body.fr).toMatch(/^30\u202f000 des 30\u202f000 ports sondés/);
    expect(text.body.en).toMatch(/^30,000 of the 30,000 probed ports/);
  });
});
