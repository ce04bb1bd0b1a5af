import { describe, expect, it } from 'vitest';
import {
  formatExportProgress,
  isProgressMilestone,
  type ExportStepProgress,
} from '../../main/cli/export-progress.js';

/** The events that earn a plain line, of `events` in order (as the CLI keeps them). */
function lined(events: ExportStepProgress[]): ExportStepProgress[] {
  const kept: ExportStepProgress[] = [];
  for (const event of events) {
    if (isProgressMilestone(kept.at(-1) ?? null, event)) kept.push(event);
  }
  return kept;
}

describe('export progress lines for a log or a pipe', () => {
  it('a line at each step’s start, then at each quarter of a step with a total', () => {
    const devices = Array.from({ length: 5001 }, (_, done) => ({
      step: 'devices' as const,
      done,
      total: 5000,
    }));
    expect(lined(devices).map((e) => e.done)).toEqual([0, 1250, 2500, 3750, 5000]);
  });

  it('the layout, whose page count is unknown: its first page, then each hundred pages', () => {
    const layout = Array.from({ length: 652 }, (_, i) => ({
      step: 'layout' as const,
      done: i + 1,
      total: null,
    }));
    expect(lined(layout).map((e) => e.done)).toEqual([1, 100, 200, 300, 400, 500, 600]);
  });

  it('a new step always gets its line; a step with a total of 0 is whole at once', () => {
    expect(
      lined([
        { step: 'devices', done: 0, total: 0 },
        { step: 'devices', done: 0, total: 0 },
        { step: 'layout', done: 1, total: null },
        { step: 'pages', done: 0, total: 3 },
        { step: 'pages', done: 1, total: 3 },
        { step: 'pages', done: 3, total: 3 },
      ]),
    ).toEqual([
      { step: 'devices', done: 0, total: 0 },
      { step: 'layout', done: 1, total: null },
      { step: 'pages', done: 0, total: 3 },
      { step: 'pages', done: 1, total: 3 },
      { step: 'pages', done: 3, total: 3 },
    ]);
  });

  it('says each step in words, fr and en, with Intl numbers and real plurals', () => {
    const devices = { step: 'devices', done: 1250, total: 5000 } as const;
    expect(formatExportProgress(devices, 'en')).toBe('Report: 25% of devices put in (1,250/5,000)');
    expect(formatExportProgress(devices, 'fr')).toBe(
      'Rapport\u00a0: 25\u00a0% des appareils mis dans le rapport (1\u202f250/5\u202f000)',
    );
    expect(formatExportProgress({ step: 'layout', done: 1, total: null }, 'en')).toBe(
      'Report: laying out, 1 page',
    );
    expect(formatExportProgress({ step: 'layout', done: 1200, total: null }, 'fr')).toBe(
      'Rapport\u00a0: mise en page, 1\u202f200 pages',
    );
    // Floored: 99.9 % is not yet the whole.
    expect(formatExportProgress({ step: 'pages', done: 651, total: 652 }, 'en')).toBe(
      'Report: 99% of pages written (651/652)',
    );
    expect(formatExportProgress({ step: 'pages', done: 0, total: 0 }, 'fr')).toBe(
      'Rapport\u00a0: 100\u00a0% des pages écrites (0/0)',
    );
  });
});
