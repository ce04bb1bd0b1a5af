import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the Electron executable is, found without loading the `electron` package: its index.js
 * downloads the runtime when missing, which hangs or throws on a machine without internet.
 * Null when the runtime is absent.
 */
export function electronExecutable(root: string): string | null {
  const packageDir = path.join(root, 'node_modules', 'electron');
  let relative: string;
  try {
    relative = readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
  } catch {
    return null;
  }
  if (!relative || relative.includes('..')) return null;
  const executable = path.join(packageDir, 'dist', relative);
  return existsSync(executable) ? executable : null;
}

export interface FetchOutcome {
  /** The runtime, when it was there or arrived within the wait. */
  executable: string | null;
  /** The download was still going when the wait ended; it goes on in the background. */
  stillDownloading: boolean;
}

/**
 * Runs Electron's own installer (its npm install script is not approved, so `npm install` never
 * downloads the runtime) and waits at most `timeoutMs`. A download still running then is left to
 * finish on its own, detached: killing it would throw the partial file away, and on a slow line
 * every start would begin again from zero and never reach the desktop window. Offline, the
 * installer fails within a second or two and nothing is left running.
 */
export async function fetchElectron(
  root: string,
  timeoutMs = 15_000,
  installer = path.join(root, 'node_modules', 'electron', 'install.js'),
): Promise<FetchOutcome> {
  if (!existsSync(installer))
    return { executable: electronExecutable(root), stillDownloading: false };
  const child = spawn(process.execPath, [installer], {
    stdio: 'ignore',
    detached: true,
    windowsHide: true,
  });
  const finished = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', done);
    child.once('error', done);
  });
  if (!finished) child.unref();
  return { executable: electronExecutable(root), stillDownloading: !finished };
}
