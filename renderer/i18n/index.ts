import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../app/contract/app';
import { CATALOGUE, NAMESPACES } from '../../app/text/locales/index';

export const LANGUAGES: readonly Language[] = ['fr', 'en'];

export { browserLanguage } from './language';

export function initI18n(initial: Language) {
  void i18next.use(initReactI18next).init({
    resources: CATALOGUE,
    ns: [...NAMESPACES],
    defaultNS: 'common',
    lng: initial,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = initial;
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  return i18next;
}
