import i18next from 'i18next';
import type { LocalizedText } from '../../app/contract/errors.js';

/**
 * A catalogue sentence (`namespace:key`, app/text/locales) in both languages, for what the page
 * keeps as the app's own messages are kept (an AppError's message, a store's notice): the shown one
 * follows the language chosen when it is shown, as AppErrorAlert does. Reads the page's i18next
 * instance (renderer/i18n initI18n); `params` as i18next takes them (`count` picks the plural form
 * by the language's CLDR rules, `{{n, number}}` is formatted by Intl).
 */
export function inBothLanguages(key: string, params: Record<string, unknown> = {}): LocalizedText {
  return {
    fr: String(i18next.getFixedT('fr')(key, params)),
    en: String(i18next.getFixedT('en')(key, params)),
  };
}
