/**
 * Styles (an `sx` object) for text read by screen readers but not shown: the usual clip
 * technique, as MUI's own visuallyHidden.
 */
export const VISUALLY_HIDDEN = {
  position: 'absolute',
  // Strings: in `sx` a number up to 1 is a fraction, so `width: 1` was 100 % of the containing
  // block, an invisible box as wide as the page that made it scroll sideways at 320 CSS px.
  width: '1px',
  height: '1px',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
  p: 0,
  m: '-1px',
} as const;
