import type { Language } from '../../app/contract/app.js';

export type LanguageChoice = 'auto' | Language;

/** French when the browser's own language is French (its first choice, not any listed one). */
export function browserLanguage(language: string = navigator.language): Language {
  return language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/**
 * `auto` follows the system: French when either the browser or the OS (as the app reports it) is
 * French, because a French user may run an English browser on a French Windows and vice versa.
 */
export function resolveLanguage(
  choice: LanguageChoice,
  browser: Language,
  system: Language | null,
): Language {
  if (choice !== 'auto') return choice;
  return browser === 'fr' || system === 'fr' ? 'fr' : 'en';
}
