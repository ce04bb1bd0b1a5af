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
  /**
   * The operating system as its users name it: "Debian GNU/Linux 12 (bookworm)" (os-release's
   * PRETTY_NAME on Linux), "Windows 11 Pro" (app/system/os-name.ts).
   */
  osName: z.string().max(200),
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
