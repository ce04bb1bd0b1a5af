import path from 'node:path';
import type { OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import type { FilePicker } from '../../app/api/picked-import.js';
import type { Language } from '../../app/contract/index.js';
import { fail } from '../../app/errors.js';
import { textFor } from '../../app/text/catalogue.js';

/**
 * The open dialog of "Ouvrir un XML nmap…" in the Electron window, free of Electron so it is
 * unit-tested here (the Electron runtime cannot run on the build machines); main.ts only wires
 * `dialog.showOpenDialog` and the window's input events in.
 *
 * Why the page cannot name a path: `report.importPicked` carries none, and this picker is the
 * app's only source of paths for a page. The dialog opens only just after the user pressed a
 * key or clicked in the window (input the main process sees from the OS, which a page cannot
 * make up: `webContents` `input-event`), one dialog per gesture and one at a time, so a
 * compromised page can at most ask the user to choose a file, never read one by itself.
 */

/**
 * The dialog's options, titled in the UI language: nmap XML files and JSON reports first (the
 * import tells them apart by their first byte, app/api/import-worker.ts), all files second.
 */
export function nmapOpenDialogOptions(lang: Language, directory: string): OpenDialogOptions {
  const t = textFor(lang, 'messages');
  return {
    title: t('desktop.open.title'),
    buttonLabel: t('desktop.open.button'),
    defaultPath: directory,
    filters: [
      { name: t('desktop.kind.openable'), extensions: ['xml', 'json'] },
      { name: t('desktop.kind.all'), extensions: ['*'] },
    ],
    properties: ['openFile', 'dontAddToRecent'],
  };
}

/**
 * How long after a click or a key press a dialog may open: as long as Chromium's transient user
 * activation (5 s, HTML's "transient activation duration"), which is what a page needs to open a
 * file chooser itself.
 */
export const GESTURE_MS = 5000;

/** Input a user makes on purpose (Electron InputEvent types): a click, a key, a tap. */
const ACTIVATING = new Set([
  'mouseDown',
  'mouseUp',
  'rawKeyDown',
  'keyDown',
  'gestureTap',
  'touchEnd',
]);

/**
 * The latest user gesture of each window (client), from the input events Electron reports to the
 * main process. A gesture is used up by the dialog it opens.
 */
export class UserGestures {
  private readonly last = new Map<string, number>();

  /** Notes the input `type` (an Electron InputEvent type) `client`'s window got at `now` (ms). */
  note(client: string, type: string, now: number): void {
    if (ACTIVATING.has(type)) this.last.set(client, now);
  }

  /** Whether `client` had a gesture in the last GESTURE_MS before `now`; uses it up if so. */
  consume(client: string, now: number): boolean {
    const at = this.last.get(client);
    if (at === undefined || now - at > GESTURE_MS || now < at) return false;
    this.last.delete(client);
    return true;
  }

  /** Forgets a window that closed. */
  forget(client: string): void {
    this.last.delete(client);
  }
}

/** Electron's dialog options and answer, named here so tests need not import electron. */
export type DialogOptions = OpenDialogOptions;
export type DialogAnswer = OpenDialogReturnValue;

export interface OpenDialogHost {
  /** Shows the system's open dialog, modal to `client`'s window (Electron's showOpenDialog). */
  show(client: string, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  /** The folder the dialog starts in (the user's documents). */
  directory(): string;
  /** The time in ms, as the input events were noted. */
  now(): number;
}

/**
 * The FilePicker main.ts gives the app core: shows the open dialog when the window just had a user
 * gesture and no other dialog is open, and resolves with the chosen file's absolute path, or null
 * when the user cancelled. Throws `report.picker-no-gesture` or `report.picker-busy` (fr/en)
 * instead of showing a dialog.
 */
export function createDialogPicker(host: OpenDialogHost, gestures: UserGestures): FilePicker {
  let open = false;
  return async ({ lang, client }) => {
    if (open) {
      fail('report.picker-busy');
    }
    if (!gestures.consume(client, host.now())) {
      fail('report.picker-no-gesture');
    }
    open = true;
    try {
      const chosen = await host.show(client, nmapOpenDialogOptions(lang, host.directory()));
      const file = chosen.canceled ? undefined : chosen.filePaths[0];
      return file && path.isAbsolute(file) ? file : null;
    } finally {
      open = false;
    }
  };
}
