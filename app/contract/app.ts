import { z } from 'zod';

export const Language = z.enum(['fr', 'en']);
export type Language = z.infer<typeof Language>;

export const HostKind = z.enum(['electron', 'web', 'cli']);
export type HostKind = z.infer<typeof HostKind>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  host: HostKind,
  platform: z.string(),
  /** The OS locale's language, so the UI can default to French on a French system. */
  systemLanguage: Language,
  hostname: z.string(),
  /**
   * The host shows the system's open dialog and imports the chosen file from its path
   * (`report.importPicked`, Electron); otherwise the page sends files in pieces (browser mode).
   */
  filePicker: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;
