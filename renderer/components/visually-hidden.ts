/**
 * Styles (an `sx` object) for text read by screen readers but not shown: the usual clip
 * technique, as MUI's own visuallyHidden.
 */
export const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
  p: 0,
  m: '-1px',
} as const;
