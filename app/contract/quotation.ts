/**
 * Moved to app/contract/outside-words.ts (issue 15, N1: one module for words from outside); this
 * path stays for the modules that import it.
 */
export { withoutClosingQuotes } from './outside-words.js';
