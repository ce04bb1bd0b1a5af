import i18next, { type TFunction } from 'i18next';
import type { Language } from '../contract/app.js';
import { CATALOGUE, NAMESPACES, type Namespace } from './locales/index.js';
import { isSentence, type Sentence } from './sentence.js';

/**
 * The catalogue as Node code reads it (the CLI, the PDF, the app's messages): one i18next
 * instance, initialised synchronously from the bundled JSON (no I/O), shared by every caller.
 * The renderer builds its own instance from the same CATALOGUE (renderer/i18n).
 */
const instance = i18next.createInstance();
void instance.init({
  resources: CATALOGUE,
  ns: [...NAMESPACES],
  defaultNS: 'common',
  lng: 'en',
  fallbackLng: false,
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

/**
 * A translate function bound to `language` and, when given, to one namespace (keys then need no
 * `ns:` prefix). Plurals follow Intl.PluralRules of the language (French: 0 and 1 singular);
 * `{{n, number}}` in a string is formatted by Intl.NumberFormat ("262 144", "262,144").
 */
export function textFor(language: Language, namespace?: Namespace): TFunction {
  return instance.getFixedT(language, namespace ?? null);
}

/** The same text in both languages, for messages that carry both (AppError.message). */
export function bothLanguages(
  key: string,
  params?: Record<string, unknown>,
): { fr: string; en: string } {
  return {
    fr: String(textFor('fr')(key, params ?? {})),
    en: String(textFor('en')(key, params ?? {})),
  };
}

/**
 * A deferred sentence (app/text/sentence.ts) written in `language`: its values that are words in
 * both languages take this language's, those that are sentences are written first.
 */
export function renderSentence(sentence: Sentence, language: Language): string {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(sentence.params ?? {})) {
    values[name] = isSentence(value)
      ? renderSentence(value, language)
      : typeof value === 'object'
        ? value[language]
        : value;
  }
  return String(textFor(language)(sentence.key, values));
}

/** A deferred sentence in both languages (AppError.message, a status warning). */
export function sentenceInBoth(sentence: Sentence): { fr: string; en: string } {
  return { fr: renderSentence(sentence, 'fr'), en: renderSentence(sentence, 'en') };
}

/**
 * Whether the catalogue has `key` (`namespace:path`) in both languages; `params` matter for a
 * plural key (`count` picks `_one` / `_other`).
 */
export function hasText(key: string, params: Record<string, unknown> = {}): boolean {
  return (
    instance.exists(key, { ...params, lng: 'fr' }) && instance.exists(key, { ...params, lng: 'en' })
  );
}
