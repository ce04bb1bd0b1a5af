import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../app/contract/app';

/**
 * Every `locales/<lang>/<namespace>.json` is picked up at build time, so a domain adds its strings
 * by adding its own namespace file, without touching this module.
 */
const files = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', {
  eager: true,
  import: 'default',
});

export const LANGUAGES: readonly Language[] = ['fr', 'en'];

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function collect(): { resources: Resources; namespaces: string[] } {
  const resources: Resources = {};
  const namespaces = new Set<string>();
  for (const [path, content] of Object.entries(files)) {
    const match = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!match) continue;
    const [, lang = '', ns = ''] = match;
    (resources[lang] ??= {})[ns] = content;
    namespaces.add(ns);
  }
  return { resources, namespaces: [...namespaces] };
}

export { browserLanguage } from './language';

export function initI18n(initial: Language) {
  const { resources, namespaces } = collect();
  void i18next.use(initReactI18next).init({
    resources,
    ns: namespaces,
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
