import { systemLanguage } from '../app/api/app-handlers.js';
import type { Language, LocalizedText } from '../app/contract/index.js';

/** The language of the OS locale, used for every line a host prints. */
export const hostLanguage: Language = systemLanguage();

export function say(text: LocalizedText, language: Language = hostLanguage): string {
  return text[language];
}
