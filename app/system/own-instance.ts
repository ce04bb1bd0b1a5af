import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * This installation of Port Auditor as a running host of it shows in its command line: the
 * folder it is installed in (`root`, holding dist/main/) and the node executable this process
 * runs under. Absolute paths.
 */
export interface Installation {
  root: string;
  nodeExecutable: string;
}

/**
 * This process's installation: both this module's source (app/system/) and the bundles holding
 * it (dist/main/) sit two folders below the installation's root; the node executable is this
 * process's (`process.execPath`).
 */
export function thisInstallation(): Installation {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return { root: path.resolve(here, '..', '..'), nodeExecutable: process.execPath };
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
 * the entry scripts that start a host (dist/main/start.mjs, web.mjs), or Electron's runtime of
 * this installation (node_modules/electron/dist/) given the installation itself (npm start's
 * `electron <root>`) or dist/main/electron-main.mjs. The script is the first argument after
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
  const dist = path.join(installation.root, 'dist', 'main');
  if (command.exe === installation.nodeExecutable) {
    return resolved === path.join(dist, 'start.mjs') || resolved === path.join(dist, 'web.mjs');
  }
  const electronDir = path.join(installation.root, 'node_modules', 'electron', 'dist') + path.sep;
  if (command.exe.startsWith(electronDir)) {
    return resolved === installation.root || resolved === path.join(dist, 'electron-main.mjs');
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
