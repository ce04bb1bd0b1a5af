import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * This installation of Port Auditor as a running host of it shows in its command line: the
 * folder of its bundles (`mainDir`, dist/main/ holding start.mjs, web.mjs, electron-main.mjs), the
 * app folder Electron is given (`appDir`, two levels above: `electron <appDir>`, its runtime in
 * appDir/node_modules/electron/dist/) and the node executable this process runs under. Absolute
 * paths.
 */
export interface Installation {
  mainDir: string;
  appDir: string;
  nodeExecutable: string;
}

/**
 * This process's installation: a bundle of dist/main/ holding this module runs next to the
 * host bundles; from source (tests under tsx/vitest) the checkout's dist/main/ is meant. The node
 * executable is this process's (`process.execPath`).
 */
export function thisInstallation(): Installation {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const appDir = path.resolve(here, '..', '..');
  const mainDir = import.meta.url.endsWith('.ts') ? path.join(appDir, 'dist', 'main') : here;
  return { mainDir, appDir, nodeExecutable: process.execPath };
}

/**
 * What the system says a process was started as: `exe` the executable it runs (Linux:
 * /proc/<pid>/exe, " (deleted)" removed), `argv` its arguments as given (argv[0] first),
 * `cwd` its working folder, against which relative arguments are resolved. Undefined when
 * unreadable.
 */
export interface ProcessCommand {
  exe?: string;
  argv: readonly string[];
  cwd?: string;
}

/**
 * Whether `command` is a Port Auditor host of `installation`: its node executable running one of
 * the entry scripts that start a host (mainDir's start.mjs, web.mjs), or Electron's runtime of
 * this installation (appDir/node_modules/electron/dist/) given the app folder (npm start's
 * `electron <appDir>`) or mainDir's electron-main.mjs. The script is the first argument after
 * argv[0] that is not an option (node's `--flag` or `--flag=value`); a relative one is resolved
 * against `cwd` (unknown cwd: not recognised). Another program would have to run this very file
 * with this very executable to be named so — which runs Port Auditor. Pure.
 */
export function isPortAuditorHost(command: ProcessCommand, installation: Installation): boolean {
  if (!command.exe) return false;
  const script = command.argv.slice(1).find((a) => !a.startsWith('-'));
  if (script === undefined) return false;
  if (!path.isAbsolute(script) && !command.cwd) return false;
  const resolved = path.resolve(command.cwd ?? '/', script);
  const main = installation.mainDir;
  if (command.exe === installation.nodeExecutable) {
    return resolved === path.join(main, 'start.mjs') || resolved === path.join(main, 'web.mjs');
  }
  const electronDir = path.join(installation.appDir, 'node_modules', 'electron', 'dist') + path.sep;
  if (command.exe.startsWith(electronDir)) {
    return resolved === installation.appDir || resolved === path.join(main, 'electron-main.mjs');
  }
  return false;
}

/**
 * Splits /proc/<pid>/cmdline (arguments each ended by NUL) into its arguments; an empty file (a
 * kernel thread, a zombie) gives none.
 */
export function parseCmdline(raw: string): string[] {
  const args = raw.split('\0');
  if (args[args.length - 1] === '') args.pop();
  return args;
}
