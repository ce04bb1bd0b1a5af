/**
 * Moved to app/contract/outside-words.ts (issue 15, N1: one module for words from outside, in the
 * contract so the renderer uses it too); this path stays for the modules that import it.
 */
export {
  capped,
  codePointLength,
  oneLine,
  quotable,
  withoutDisplayControls,
} from '../contract/outside-words.js';
