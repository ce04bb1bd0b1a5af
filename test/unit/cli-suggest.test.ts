import { describe, expect, it } from 'vitest';
import { suggestSimilar } from '../../main/cli/suggest.js';

describe('suggestSimilar (the CLI’s “did you mean”)', () => {
  const commands = ['scan', 'block', 'unblock', 'rules', 'reapply', 'report', 'history', 'show'];

  it('offers the closest command: a swap, a missing or an extra letter is one edit', () => {
    expect(suggestSimilar('scna', commands)).toEqual(['scan']);
    expect(suggestSimilar('blok', commands)).toEqual(['block']);
    expect(suggestSimilar('historyy', commands)).toEqual(['history']);
  });

  it('offers every candidate at the same best distance, sorted', () => {
    expect(suggestSimilar('repo', commands)).toEqual(['report']);
    expect(suggestSimilar('rep', ['rea', 'ret', 'report'])).toEqual(['rea', 'ret']);
  });

  it('compares long options without their dashes and keeps them in the answer', () => {
    expect(suggestSimilar('--jsno', ['--json', '--ports', '--yes'])).toEqual(['--json']);
    expect(suggestSimilar('--output', ['--json'])).toEqual([]);
  });

  it('offers nothing far off, nor one-letter names', () => {
    expect(suggestSimilar('zzzzzz', commands)).toEqual([]);
    expect(suggestSimilar('x', ['y', 'scan'])).toEqual([]);
  });
});
