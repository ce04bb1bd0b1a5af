import type { Language } from '../contract/index.js';

/**
 * `n` formatted for `language` followed by the word's singular or plural form, chosen by the
 * language's CLDR plural rules (Intl.PluralRules): French treats 0 and 1 as singular ("0 port
 * ouvert"), English only 1. Pure; `one` and `other` are already in `language`.
 */
export function counted(n: number, language: Language, one: string, other: string): string {
  const singular = new Intl.PluralRules(language).select(n) === 'one';
  return `${new Intl.NumberFormat(language).format(n)} ${singular ? one : other}`;
}

/**
 * The word alone in the form `n` calls for (see `counted`), for a figure shown apart from its
 * label (a PDF tile: "1" above "appareil actif").
 */
export function pluralWord(n: number, language: Language, one: string, other: string): string {
  return new Intl.PluralRules(language).select(n) === 'one' ? one : other;
}
