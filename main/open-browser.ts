import { execFile } from 'node:child_process';
import path from 'node:path';
import { programFolder } from '../app/system/command.js';
import { windowsSystemDirectory } from '../app/system/windows-paths.js';

/** The program and argv that open `url` in the default browser on this OS; null when none can. */
export function browserCommand(
  url: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  system32: string = platform === 'win32' ? windowsSystemDirectory() : '',
): [string, string[]] | null {
  // Only ever a URL we built ourselves; still passed as one argv entry, never through a shell.
  if (!/^http:\/\/(127\.0\.0\.1|localhost):\d+\/[\w?=&%./-]*$/.test(url)) return null;
  // By absolute path: Windows looks a bare name up in the current folder first.
  if (platform === 'win32')
    return [path.win32.join(path.win32.dirname(system32), 'explorer.exe'), [url]];
  if (platform === 'darwin') return ['open', [url]];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  return ['xdg-open', [url]];
}

/** Opens the default browser when there is a display; returns whether it tried. */
export function openBrowser(url: string): boolean {
  const command = browserCommand(url);
  if (!command) return false;
  const cwd = programFolder(command[0]);
  const child = execFile(
    command[0],
    command[1],
    { windowsHide: true, ...(cwd ? { cwd } : {}) },
    () => {
      // explorer.exe exits 1 even on success, and a missing xdg-open only means no browser opens:
      // the URL is printed either way.
    },
  );
  child.unref();
  return true;
}
