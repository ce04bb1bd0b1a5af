import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { Language } from '../../app/contract/index.js';
import { textFor } from '../../app/text/catalogue.js';

/**
 * The Electron shell's security decisions, free of Electron itself so they are unit-tested here
 * (the Electron runtime cannot run on the build machines). main.ts only applies them.
 */

/** The renderer is served from app://port-auditor/, a privileged standard scheme of our own. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'port-auditor';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

function parse(url: string | undefined | null): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

export function isAppUrl(url: string | undefined | null): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/**
 * Only our own page, in the window's main frame, may call the app: an iframe or a page the window
 * was somehow navigated to must never reach the firewall API.
 */
export function isTrustedSender(
  frameUrl: string | undefined | null,
  isMainFrame: boolean,
): boolean {
  return isMainFrame && isAppUrl(frameUrl);
}

/** The app never navigates: it is one page. Anything else (a dropped file, a link) is refused. */
export function isAllowedNavigation(_url: string): boolean {
  return false;
}

export function electronContentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // MUI's emotion injects <style> elements at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    // The renderer talks to the app over IPC only.
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The file under `rendererDir` an app:// request names, or null for another host, a path that
 * escapes the directory, or an encoded trick (%2e%2e, backslashes, NUL).
 */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  const parsed = parse(requestUrl);
  if (!parsed || parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative);
  return file.startsWith(root + path.sep) ? file : null;
}

/**
 * Whether an installed (packaged) Port Auditor must leave at once because of its command line: it
 * takes no switch, since Chromium acts on some (`--gpu-launcher` runs a program,
 * `--remote-debugging-port` opens the app) and any program can start this signed, per-machine
 * executable elevated with them. On Windows Chromium's command line also takes `-name` and, unless
 * the embedder turns it off, `/name` as switches (base/command_line.cc, kSwitchPrefixes), so those
 * are refused too. `isHelper` is true when the
 * command line is the exact helper form (helperArgsFromAppArgv), whose operations follow `--`.
 * Switches that Chromium or V8 act on before any JavaScript (`--enable-logging`, `--js-flags`)
 * cannot be stopped here: docs/elevation.md.
 */
export function refusesLaunchArgs(
  argv: readonly string[],
  packaged: boolean,
  isHelper: boolean,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (!packaged || isHelper) return false;
  return argv
    .slice(1)
    .some((arg) => arg.startsWith('-') || (platform === 'win32' && arg.startsWith('/')));
}

export interface MenuActions {
  about(): void;
}

/** The application menu, in the user's language. Roles give the platform's standard behaviour. */
export function menuTemplate(
  language: Language,
  actions: MenuActions,
  platform: NodeJS.Platform = process.platform,
): MenuItemConstructorOptions[] {
  // The catalogue's words (messages:desktop.menu); `&` marks the Alt-key letter on Windows and Linux.
  const t = textFor(language, 'messages');
  const about: MenuItemConstructorOptions = {
    label: t('desktop.menu.about'),
    click: () => actions.about(),
  };
  const quit: MenuItemConstructorOptions = {
    role: 'quit',
    label: t('desktop.menu.quit'),
  };
  const template: MenuItemConstructorOptions[] = [];
  if (platform === 'darwin') {
    template.push({ label: 'Port Auditor', submenu: [about, { type: 'separator' }, quit] });
  } else {
    template.push({ label: t('desktop.menu.file'), submenu: [quit] });
  }
  template.push(
    {
      label: t('desktop.menu.edit'),
      submenu: [
        { role: 'undo', label: t('desktop.menu.undo') },
        { role: 'redo', label: t('desktop.menu.redo') },
        { type: 'separator' },
        { role: 'cut', label: t('desktop.menu.cut') },
        { role: 'copy', label: t('desktop.menu.copy') },
        { role: 'paste', label: t('desktop.menu.paste') },
        { role: 'selectAll', label: t('desktop.menu.selectAll') },
      ],
    },
    {
      label: t('desktop.menu.view'),
      submenu: [
        { role: 'resetZoom', label: t('desktop.menu.resetZoom') },
        { role: 'zoomIn', label: t('desktop.menu.zoomIn') },
        { role: 'zoomOut', label: t('desktop.menu.zoomOut') },
        { type: 'separator' },
        { role: 'togglefullscreen', label: t('desktop.menu.fullScreen') },
      ],
    },
  );
  if (platform !== 'darwin') {
    template.push({ label: t('desktop.menu.help'), submenu: [about] });
  }
  return template;
}
