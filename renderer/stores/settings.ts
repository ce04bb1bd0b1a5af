import { create } from 'zustand';
import type { AppError } from '../../app/contract/errors';
import type { Settings, SettingsChange, ThemeChoice } from '../../app/contract/settings';
import { api } from '../api/client';
import { asAppError } from '../api/errors';
import type { LanguageChoice } from '../i18n/language';

export type { LanguageChoice, ThemeChoice };

/** What shows until the app's stored settings arrive: the contract's DEFAULT_SETTINGS. */
const DEFAULTS: Settings = {
  language: 'auto',
  theme: 'system',
  history: { keepScans: 100, keepDays: 90 },
};

interface SettingsState extends Settings {
  /** False until the app's stored settings were read: until then the defaults show. */
  loaded: boolean;
  /** Why the last read or save failed (a damaged store, a lost connection), or null. */
  error: AppError | null;
  /** True once a change was saved by the app since this page opened. */
  saved: boolean;
  load(): Promise<void>;
  setLanguage(language: LanguageChoice): Promise<void>;
  setTheme(theme: ThemeChoice): Promise<void>;
  /** How many kept scans the history holds, and for how many days (the oldest go first). */
  setHistory(history: Settings['history']): Promise<void>;
}

/**
 * The user's settings as the app stores them (settings.get / settings.set, in its database), the
 * same in Electron and browser mode. A change shows at once; if the app cannot save it, the
 * previous value comes back and the error says why.
 */
export const useSettings = create<SettingsState>()((set, get) => {
  const change = async (patch: SettingsChange) => {
    const before: Settings = {
      language: get().language,
      theme: get().theme,
      history: get().history,
    };
    set({ ...patch, error: null });
    try {
      const stored = await api.call('settings.set', patch);
      set({ ...stored, saved: true, loaded: true });
    } catch (error) {
      set({ ...before, error: asAppError(error), saved: false });
    }
  };
  return {
    ...DEFAULTS,
    loaded: false,
    error: null,
    saved: false,
    async load() {
      try {
        const stored = await api.call('settings.get', {});
        set({ ...stored, loaded: true, error: null });
      } catch (error) {
        set({ error: asAppError(error) });
      }
    },
    setLanguage: (language) => change({ language }),
    setTheme: (theme) => change({ theme }),
    setHistory: (history) => change({ history }),
  };
});

// Read at start, and again after a reconnect (the host may have restarted).
api.onConnection((connection) => {
  if (connection === 'open') void useSettings.getState().load();
});
if (api.connection === 'open') void useSettings.getState().load();

export { resolveLanguage } from '../i18n/language';
