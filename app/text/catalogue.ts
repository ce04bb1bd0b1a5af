import i18next, { type TFunction } from 'i18next';
import type { Language } from '../contract/app.js';
import { CATALOGUE, NAMESPACES, type Namespace } from './locales/index.js';

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
