import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { Language } from '../../app/contract/app';

export type LanguageChoice = 'auto' | Language;
export type ThemeChoice = 'system' | 'light' | 'dark';

interface SettingsState {
  language: LanguageChoice;
  theme: ThemeChoice;
  setLanguage(language: LanguageChoice): void;
  setTheme(theme: ThemeChoice): void;
}

export const SETTINGS_STORAGE_KEY = 'port-auditor.settings';

export const useSettings = create<SettingsState>()(
  persist(
    (set) => ({
      language: 'auto',
      theme: 'system',
      setLanguage: (language) => set({ language }),
      setTheme: (theme) => set({ theme }),
    }),
    {
      name: SETTINGS_STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: ({ language, theme }) => ({ language, theme }),
    },
  ),
);

/**
 * `auto` follows the system: French when either the browser or the OS (as the app reports it) is
 * French, because a French user may run an English browser on a French Windows and vice versa.
 */
export function resolveLanguage(
  choice: LanguageChoice,
  browser: Language,
  system: Language | null,
): Language {
  if (choice !== 'auto') return choice;
  return browser === 'fr' || system === 'fr' ? 'fr' : 'en';
}
