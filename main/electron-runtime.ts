import { spawnSync } from 'node:child_process';
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

/** One attempt at Electron's own download, bounded so a machine without internet moves on. */
export function tryFetchElectron(root: string, timeoutMs = 15_000): string | null {
  const installer = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return null;
  spawnSync(process.execPath, [installer], {
    stdio: 'ignore',
    timeout: timeoutMs,
    windowsHide: true,
  });
  return electronExecutable(root);
}
