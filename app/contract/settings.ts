import { z } from 'zod';

export const LanguageChoice = z.enum(['auto', 'fr', 'en']);
export type LanguageChoice = z.infer<typeof LanguageChoice>;

export const ThemeChoice = z.enum(['system', 'light', 'dark']);
export type ThemeChoice = z.infer<typeof ThemeChoice>;

/**
 * The user's choices, kept by the app in its database (not in the browser, whose storage belongs
 * to one random port and is lost at the next start), the same for Electron and browser mode.
 */
export const Settings = z.object({
  /** `auto`: the browser's or the OS's language (French when either is French). */
  language: LanguageChoice,
  theme: ThemeChoice,
  /**
   * How many kept scans and imports the history holds, and for how long: past either bound the
   * oldest go (the newest scan always stays). Applied each time a scan is kept.
   */
  history: z
    .object({
      keepScans: z.number().int().min(1).max(10_000),
      keepDays: z.number().int().min(1).max(3650),
    })
    .strict(),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  language: 'auto',
  theme: 'system',
  history: { keepScans: 100, keepDays: 90 },
};

/** Some of the settings to change; the others keep their value. */
export const SettingsChange = Settings.partial().strict();
export type SettingsChange = z.infer<typeof SettingsChange>;
