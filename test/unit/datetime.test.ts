import { describe, expect, test } from 'vitest';
import { formatDate, formatDateTime, formatDateTimeSeconds } from '../../app/contract/datetime.js';
import { formatDateTime as reportDateTime } from '../../app/report/labels.js';

// Review 15 (new user), #16: Intl writes "1 décembre"; French writes "1er décembre".
describe('dates in French name the first day of a month "1er"', () => {
  const long = (locale: string) =>
    new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
  const first = new Date('2026-12-01T12:00:00Z');

  test('the first day only, and in French only', () => {
    expect(formatDate(long('fr-FR'), first)).toBe('1er décembre 2026');
    expect(formatDate(long('fr-FR'), new Date('2026-12-11T12:00:00Z'))).toBe('11 décembre 2026');
    expect(formatDate(long('fr-FR'), new Date('2026-12-21T12:00:00Z'))).toBe('21 décembre 2026');
    expect(formatDate(long('en-GB'), first)).toBe('1 December 2026');
  });

  test('in the page’s, the CLI’s and the PDF’s dates', () => {
    // Noon UTC is the 1st in every time zone this test may run in (UTC−11 to UTC+11).
    expect(formatDateTime('2026-12-01T12:00:00Z', 'fr')).toMatch(/^1er déc\. 2026/);
    expect(formatDateTime('2026-12-01T12:00:00Z', 'en')).toMatch(/^1 Dec 2026/);
    expect(reportDateTime('2026-12-01T12:00:00Z', 'fr')).toMatch(/^1er décembre 2026/);
    expect(formatDateTime('not a date', 'fr')).toBe('not a date');
  });
});

// Review 13 final (new user), N7: History's "Open" buttons are named by their scan's date; two
// scans of one minute need their seconds to differ.
describe('a date with its seconds', () => {
  test('tells apart two times of one minute, in both languages', () => {
    const a = '2026-12-02T12:07:05Z';
    const b = '2026-12-02T12:07:41Z';
    for (const lang of ['fr', 'en'] as const) {
      expect(formatDateTime(a, lang)).toBe(formatDateTime(b, lang));
      expect(formatDateTimeSeconds(a, lang)).not.toBe(formatDateTimeSeconds(b, lang));
      expect(formatDateTimeSeconds(a, lang)).toMatch(/:05$/);
    }
    expect(formatDateTimeSeconds('2026-12-01T12:00:00Z', 'fr')).toMatch(/^1er déc\. 2026/);
    expect(formatDateTimeSeconds('not a date', 'en')).toBe('not a date');
  });
});
