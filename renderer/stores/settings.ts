import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { LanguageChoice } from '../i18n/language';

export type { LanguageChoice };
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

export { resolveLanguage } from '../i18n/language';
