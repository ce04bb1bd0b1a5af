import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronExecutable, fetchElectron } from './electron-runtime.js';
import { bothLanguages } from '../app/text/catalogue.js';
import { say } from './locale.js';
import { readStartArgs } from './web/args.js';
import { runBrowserHost } from './web/run.js';

/**
 * `npm start`: the desktop window when Electron's runtime is installed, otherwise the same UI in
 * browser mode on 127.0.0.1. PORT_AUDITOR_BROWSER=1 forces browser mode. `--help` prints the usage
 * and exits 0 (nothing starts); any other argument is refused with exit code 2, like the CLI's
 * usage errors, so a typo never opens the app.
 */
const here = path.dirname(fileURLToPath(import.meta.url)); // dist/main
const root = path.resolve(here, '..', '..');

async function startBrowserMode(reason: 'forced' | 'missing' | 'downloading'): Promise<void> {
  if (reason === 'missing') {
    process.stdout.write(`${say(bothLanguages('messages:host.electronMissing'))}\n`);
  } else if (reason === 'downloading') {
    process.stdout.write(`${say(bothLanguages('messages:host.electronDownloading'))}\n`);
  }
  await runBrowserHost({ rendererDir: path.join(here, '..', 'renderer'), open: true });
}

function startElectron(executable: string): void {
  // The checkout itself is the Electron app: package.json's `main` is dist/main/electron-main.mjs.
  const child = spawn(executable, [root], {
    stdio: 'inherit',
    windowsHide: false,
  });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
}

async function main(): Promise<void> {
  let args: { help: boolean };
  try {
    args = readStartArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(`${say(bothLanguages('messages:start.usage'))}\n`);
    process.exit(0);
  }
  if (process.env.PORT_AUDITOR_BROWSER === '1') return startBrowserMode('forced');
  let executable = electronExecutable(root);
  if (!executable) {
    process.stdout.write(`${say(bothLanguages('messages:host.lookingForElectron'))}\n`);
    const fetched = await fetchElectron(root);
    if (!fetched.executable) {
      return startBrowserMode(fetched.stillDownloading ? 'downloading' : 'missing');
    }
    executable = fetched.executable;
  }
  return startElectron(executable);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
