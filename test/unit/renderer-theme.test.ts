import { describe, expect, it } from 'vitest';
import { contrastRatio, PAGE_BACKGROUNDS } from '../../app/contract/vocabulary.js';
import { makeTheme } from '../../renderer/theme.js';

/** The colour a field's error text (helper text, label) is drawn in, in `mode`. */
function fieldErrorColour(mode: 'light' | 'dark'): string {
  const theme = makeTheme(mode);
  const root = theme.components?.MuiFormHelperText?.styleOverrides?.root as
    Record<string, { color?: string }> | undefined;
  return root?.['&.Mui-error']?.color ?? theme.palette.error.main;
}

describe('theme: red words pass WCAG 2.2 1.4.3 (4.5:1)', () => {
  it.each(['light', 'dark'] as const)('a field error in %s mode, on its page and paper', (mode) => {
    // Review 15, F3: #e5484d on the dark paper #161d2d was 4.3:1.
    for (const background of PAGE_BACKGROUNDS[mode]) {
      expect(contrastRatio(fieldErrorColour(mode), background)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('labels use the same red as the helper text in dark mode', () => {
    const theme = makeTheme('dark');
    const label = theme.components?.MuiFormLabel?.styleOverrides?.root as Record<
      string,
      { color?: string }
    >;
    expect(label['&.Mui-error']?.color).toBe(fieldErrorColour('dark'));
  });
});
