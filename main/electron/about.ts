import type { MessageBoxOptions } from 'electron';
import type { Language } from '../../app/contract/index.js';
import { textFor } from '../../app/text/catalogue.js';

/**
 * The About box in `lang` (the system's): `heading` is the app's name and version, the same in
 * every language.
 */
export function aboutBoxOptions(lang: Language, heading: string): MessageBoxOptions {
  const t = textFor(lang, 'messages');
  return {
    type: 'info',
    title: t('desktop.about.title'),
    message: heading,
    detail: t('desktop.about.detail'),
    buttons: ['OK'],
  };
}
