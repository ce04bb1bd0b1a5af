import { spawn } from 'node:child_process';
import path from 'node:path';

/** What one run of the built CLI printed, and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the bundled CLI `cli.mjs` of `outdir` with `args`, as a user of `language` would (LANG set,
 * LC_ALL and LC_MESSAGES unset), its data in `dataDir`; `env` adds or overrides variables. Killed
 * after 60 s, so a hung run fails its test instead of the whole suite.
 */
export function runBuiltCli(
  outdir: string,
  dataDir: string,
  args: string[],
  language: 'en' | 'fr' = 'en',
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    LANG: language === 'fr' ? 'fr_FR.UTF-8' : 'en_US.UTF-8',
    PORT_AUDITOR_DATA_DIR: dataDir,
    PORT_AUDITOR_ASSETS: path.resolve('assets'),
    ...env,
  };
  delete childEnv.LC_ALL;
  delete childEnv.LC_MESSAGES;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(outdir, 'cli.mjs'), ...args], {
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
