import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WEB_ENTRY = path.join(ROOT, 'dist/main/web.mjs');
const RENDERER_INDEX = path.join(ROOT, 'dist/renderer/index.html');

export interface RunningHost {
  /** The one-time token URL the host printed (`http://127.0.0.1:PORT/#token=T`). */
  url: string;
  origin: string;
  /** The host's data folder: PORT_AUDITOR_DATA_DIR as given, or a temp folder of its own. */
  dataDir: string;
  /** What the host wrote on stdout. */
  stdout(): string;
  /** What the host wrote on stderr, for failure messages. */
  stderr(): string;
  close(): Promise<void>;
  /** Kills the host with SIGKILL (a crash: no goodbye to the page), then cleans up. */
  kill(): Promise<void>;
}

/**
 * Starts the BUILT browser-mode host exactly as a user would (`node dist/main/web.mjs --port 0
 * --no-open`) and waits for its `PORT_AUDITOR_URL=` line. The tests exercise the shipped bundles,
 * so a build must exist (`npm test` builds before the end-to-end layer). Without
 * PORT_AUDITOR_DATA_DIR in `env`, the host gets a temp data folder, removed by close().
 */
export async function startBuiltWebHost(
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 30_000,
  /** Runs the host through this command (a mount sandbox, another user), given the host's argv. */
  wrap: (argv: string[]) => string[] = (argv) => argv,
  /** The host's options after the entry (default `--port 0 --no-open`). */
  hostArgs: string[] = ['--port', '0', '--no-open'],
): Promise<RunningHost> {
  for (const file of [WEB_ENTRY, RENDERER_INDEX]) {
    if (!existsSync(file)) {
      throw new Error(`${path.relative(ROOT, file)} is missing: run \`npm run build\` first.`);
    }
  }
  const ownData = env.PORT_AUDITOR_DATA_DIR
    ? null
    : mkdtempSync(path.join(os.tmpdir(), 'pa-e2e-data-'));
  const dataDir = env.PORT_AUDITOR_DATA_DIR ?? (ownData as string);
  const removeData = () => {
    if (ownData) rmSync(ownData, { recursive: true, force: true });
  };
  const [file, ...args] = wrap([process.execPath, WEB_ENTRY, ...hostArgs]);
  const child = spawn(file as string, args, {
    cwd: ROOT,
    env: { ...process.env, PORT_AUDITOR_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let outText = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    outText += chunk;
  });
  let errText = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    errText += chunk;
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`web host printed no PORT_AUDITOR_URL within ${timeoutMs} ms\n${errText}`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^PORT_AUDITOR_URL=(\S+)$/.exec(line.trim());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`web host exited early (code ${code}, signal ${signal})\n${errText}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  }).catch(async (error: unknown) => {
    await stop(child);
    removeData();
    throw error;
  });

  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    stdout: () => outText,
    stderr: () => errText,
    close: () => stop(child).finally(removeData),
    kill: () => stop(child, 'SIGKILL').finally(removeData),
  };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
