import { execFile } from 'node:child_process';
import path from 'node:path';
import { programFolder } from '../app/system/command.js';
import { windowsSystemDirectory } from '../app/system/windows-paths.js';

/**
 * The program and argv that open `file` — the launch page browser mode wrote (an absolute path to
 * an .html file) — in the default browser; null when none can. A file, never the app's address:
 * a command line is readable by every local user (/proc/PID/cmdline), and the address carries the
 * one-time token. Programs by absolute path: Windows looks a bare name up in the current folder
 * first, and PATH is the user's to change.
 */
export function browserCommand(
  file: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  system32: string = platform === 'win32' ? windowsSystemDirectory() : '',
): [string, string[]] | null {
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  // Only a file we wrote ourselves; still passed as one argv entry, never through a shell.
  if (!pathApi.isAbsolute(file) || !/^[\w:\\/. -]+\.html$/.test(file)) return null;
  if (platform === 'win32')
    return [path.win32.join(path.win32.dirname(system32), 'explorer.exe'), [file]];
  if (platform === 'darwin') return ['/usr/bin/open', [file]];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  return ['/usr/bin/xdg-open', [file]];
}

/** Opens `file` in the default browser when there is a display; returns whether it tried. */
export function openBrowser(file: string): boolean {
  const command = browserCommand(file);
  if (!command) return false;
  const cwd = programFolder(command[0]);
  const child = execFile(
    command[0],
    command[1],
    { windowsHide: true, ...(cwd ? { cwd } : {}) },
    () => {
      // explorer.exe exits 1 even on success, and a missing xdg-open only means no browser opens:
      // the address is printed either way.
    },
  );
  child.on('error', () => undefined);
  child.unref();
  return true;
}
