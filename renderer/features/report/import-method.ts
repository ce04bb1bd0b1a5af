import type { AppInfo } from '../../../app/contract/app.js';

/**
 * How "Ouvrir un XML nmap…" gets a file to the app: `picker`, the app shows its own open dialog
 * and reads the chosen file from its path (Electron, `report.importPicked`: the page never names
 * a path); `upload`, the page's file input and the file sent in pieces (browser mode, or before
 * the app has said what it offers).
 */
export type ImportMethod = 'picker' | 'upload';

/** The import method the host offers: its own dialog when AppInfo says it has one. */
export function importMethod(info: Pick<AppInfo, 'filePicker'> | null): ImportMethod {
  return info?.filePicker === true ? 'picker' : 'upload';
}
