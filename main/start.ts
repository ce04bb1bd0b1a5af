import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronExecutable, fetchElectron } from './electron-runtime.js';
import { say } from './locale.js';
import { openBrowser } from './open-browser.js';
import { startWebHost } from './web/server.js';

/**
 * `npm start`: the desktop window when Electron's runtime is installed, otherwise the same UI in
 * browser mode on 127.0.0.1. PORT_AUDITOR_BROWSER=1 forces browser mode.
 */
const here = path.dirname(fileURLToPath(import.meta.url)); // dist/main
const root = path.resolve(here, '..', '..');

async function startBrowserMode(reason: 'forced' | 'missing' | 'downloading'): Promise<void> {
  if (reason === 'missing') {
    process.stdout.write(
      `${say({
        fr: 'Le moteur Electron est absent : Port Auditor s’ouvre en mode navigateur.',
        en: 'The Electron runtime is missing: Port Auditor opens in browser mode.',
      })}\n`,
    );
  } else if (reason === 'downloading') {
    process.stdout.write(
      `${say({
        fr: 'Le moteur Electron est encore en téléchargement : Port Auditor s’ouvre en mode navigateur cette fois, en fenêtre au prochain npm start.',
        en: 'The Electron runtime is still downloading: Port Auditor opens in browser mode this time, as a desktop window at the next npm start.',
      })}\n`,
    );
  }
  const host = await startWebHost({ rendererDir: path.join(here, '..', 'renderer') });
  process.stdout.write(`PORT_AUDITOR_URL=${host.url}\n`);
  const opened = openBrowser(host.url);
  process.stdout.write(
    `${say(
      opened
        ? {
            fr: 'Ouverture du navigateur… Si rien ne s’ouvre, ouvrez l’adresse ci-dessus. Ctrl+C pour quitter.',
            en: 'Opening the browser… If nothing opens, open the address above. Ctrl+C to quit.',
          }
        : {
            fr: 'Ouvrez l’adresse ci-dessus dans un navigateur de ce PC. Ctrl+C pour quitter.',
            en: 'Open the address above in a browser on this PC. Ctrl+C to quit.',
          },
    )}\n`,
  );
  const stop = () => {
    void host.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
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
  if (process.env.PORT_AUDITOR_BROWSER === '1') return startBrowserMode('forced');
  let executable = electronExecutable(root);
  if (!executable) {
    process.stdout.write(
      `${say({
        fr: 'Recherche du moteur Electron (15 s au plus)…',
        en: 'Looking for the Electron runtime (15 s at most)…',
      })}\n`,
    );
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
