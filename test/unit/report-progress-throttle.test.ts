import { describe, expect, it } from 'vitest';
import type { ExportProgressStep } from '../../app/contract/report.js';
import { throttledProgress } from '../../app/report/progress-throttle.js';

type Heard = [ExportProgressStep, number, number | null];

/** What `send` hears of `calls` through the throttle. */
function through(calls: Heard[]): Heard[] {
  const heard: Heard[] = [];
  const progress = throttledProgress((step, done, total) => heard.push([step, done, total]));
  for (const [step, done, total] of calls) progress(step, done, total);
  return heard;
}

describe('a report’s progress, throttled for a thread or a socket', () => {
  it('a step with a total: its start, each hundredth, its end', () => {
    const devices: Heard[] = Array.from({ length: 5001 }, (_, done) => ['devices', done, 5000]);
    const heard = through(devices);
    expect(heard).toHaveLength(101);
    expect(heard[0]).toEqual(['devices', 0, 5000]);
    expect(heard[1]).toEqual(['devices', 50, 5000]);
    expect(heard.at(-1)).toEqual(['devices', 5000, 5000]);
  });

  it('fewer items than a hundred: each one; the layout (no total): each page from 0', () => {
    expect(through([0, 1, 2, 3].map((done): Heard => ['devices', done, 3]))).toHaveLength(4);
    expect(through([0, 1, 2].map((done): Heard => ['layout', done, null]))).toEqual([
      ['layout', 0, null],
      ['layout', 1, null],
      ['layout', 2, null],
    ]);
  });

  it('a done that does not move forward is dropped; a new step always passes', () => {
    expect(
      through([
        ['devices', 2, 2],
        ['devices', 2, 2],
        ['layout', 0, null],
        ['layout', 0, null],
        ['pages', 0, 7],
        ['pages', 7, 7],
      ]),
    ).toEqual([
      ['devices', 2, 2],
      ['layout', 0, null],
      ['pages', 0, 7],
      ['pages', 7, 7],
    ]);
  });
});
