import type { Language } from '../contract/app.js';
import type { LocalizedText } from '../contract/errors.js';
import { textFor } from './catalogue.js';

/**
 * A catalogue sentence in both languages when some of its values are themselves words of the
 * language (a rule described as "TCP 22 (entrant)" / "TCP 22 (inbound)"): `params(language)` gives
 * the values for each. `key` is `namespace:path` as for bothLanguages.
 */
export function inBothLanguages(
  key: string,
  params: (language: Language) => Record<string, unknown>,
): LocalizedText {
  return {
    fr: String(textFor('fr')(key, params('fr'))),
    en: String(textFor('en')(key, params('en'))),
  };
}
