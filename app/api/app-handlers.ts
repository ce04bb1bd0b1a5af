import os from 'node:os';
import type { HostKind, Language } from '../contract/index.js';
import { APP_NAME, APP_VERSION } from '../identity.js';
import { osName } from '../system/os-name.js';
import type { Handlers } from './dispatcher.js';

/** French when the OS says so (LANG/LC_* on Unix, Intl everywhere), English otherwise. */
export function systemLanguage(env: NodeJS.ProcessEnv = process.env): Language {
  const fromEnv = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  const locale = fromEnv || Intl.DateTimeFormat().resolvedOptions().locale;
  return locale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** `filePicker`: the host shows its own open dialog for imports (AppInfo.filePicker). */
export function appHandlers(host: HostKind, filePicker = false): Pick<Handlers, 'app.info'> {
  return {
    'app.info': async () => ({
      name: APP_NAME,
      version: APP_VERSION,
      host,
      platform: process.platform,
      osName: await osName(),
      systemLanguage: systemLanguage(),
      hostname: os.hostname(),
      filePicker,
    }),
  };
}
