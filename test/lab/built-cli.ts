import { spawn } from 'node:child_process';
import path from 'node:path';

/** What one run of the built CLI printed, and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a run as a user of `language` would start it: this process's variables, LANG
 * set (`fr_FR.UTF-8` or `en_US.UTF-8`), LC_ALL and LC_MESSAGES unset (they would outrank LANG),
 * the data in `dataDir`, the assets of this checkout; `env` adds or overrides variables.
 */
export function userEnv(
  language: 'en' | 'fr',
  dataDir: string,
  env: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    LANG: language === 'fr' ? 'fr_FR.UTF-8' : 'en_US.UTF-8',
    PORT_AUDITOR_DATA_DIR: dataDir,
    PORT_AUDITOR_ASSETS: path.resolve('assets'),
    ...env,
  };
  delete childEnv.LC_ALL;
  delete childEnv.LC_MESSAGES;
  return childEnv;
}

/**
 * Runs the bundled CLI `cli.mjs` of `outdir` with `args`, as a user of `language` would (see
 * userEnv), its data in `dataDir`; `env` adds or overrides variables. With `options.netns`, it runs
 * inside that network namespace (`ip netns exec`, which the test must have made). Killed after
 * 60 s, so a hung run fails its test instead of the whole suite.
 */
export function runBuiltCli(
  outdir: string,
  dataDir: string,
  args: string[],
  language: 'en' | 'fr' = 'en',
  env: NodeJS.ProcessEnv = {},
  options: { netns?: string } = {},
): Promise<CliRun> {
  const argv = [process.execPath, path.join(outdir, 'cli.mjs'), ...args];
  const [file, ...rest] = options.netns ? ['ip', 'netns', 'exec', options.netns, ...argv] : argv;
  return new Promise((resolve, reject) => {
    const child = spawn(file!, rest, {
      env: userEnv(language, dataDir, env),
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
