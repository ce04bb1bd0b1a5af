import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './web-host.js';

export type Lang = 'fr' | 'en';

/**
 * The UI's own strings, read from the catalogue (app/text/locales), so page objects find elements by
 * the accessible names the user sees in either language.
 */
export function strings(lang: Lang): (key: string) => string {
  const cache = new Map<string, Record<string, unknown>>();
  const load = (ns: string) => {
    let table = cache.get(ns);
    if (!table) {
      const file = path.join(ROOT, 'app/text/locales', lang, `${ns}.json`);
      table = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      cache.set(ns, table);
    }
    return table;
  };
  const lookup = (key: string): string => {
    const [ns, rest] = key.includes(':') ? key.split(':', 2) : ['common', key];
    let value: unknown = load(ns ?? 'common');
    for (const part of (rest ?? '').split('.')) {
      value = (value as Record<string, unknown> | undefined)?.[part];
    }
    if (typeof value !== 'string') throw new Error(`no ${lang} string for ${key}`);
    // A shared term ("$t(vocabulary:term.riskReasons)") as i18next nests it: its own words.
    return value.replace(/\$t\(([^)]+)\)/g, (_whole, nested: string) => lookup(nested));
  };
  return lookup;
}

/**
 * The whole of `text`, as a name or text Playwright compares: any space of it (a French no-break
 * U+00A0 or narrow U+202F included) matches any space, since Playwright turns every run of white
 * space of what it reads into one plain space.
 */
export function exact(text: string): RegExp {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`^${escaped}$`);
}

/** Text that begins with `text` (spaces matched as `exact` matches them): a label with its help. */
export function startingWith(text: string): RegExp {
  return new RegExp(exact(text).source.replace(/\$$/, ''));
}
