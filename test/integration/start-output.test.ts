import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain } from '../../scripts/build-main.mjs';

// `npm start` on a machine without the Electron runtime, as the README shows it. Built into a
// folder of its own with no node_modules/electron next to it, so the runtime is missing and no
// download is tried; the renderer is the one `npm run build` made.
const top = path.resolve('dist', `test-start-output-${process.pid}`);
const outdir = path.join(top, 'main');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pa-start-output-'));

/**
 * The environment of a user whose LANG is `lang` (LC_ALL and LC_MESSAGES empty) on a machine with
 * no display, the test's data folder; `browser` is PORT_AUDITOR_BROWSER: '1' forces browser mode,
 * '' leaves start.mjs to look for the Electron runtime first.
 */
function envOf(lang: string, browser: '' | '1'): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DISPLAY: '',
    WAYLAND_DISPLAY: '',
    LANG: lang,
    LC_ALL: '',
    LC_MESSAGES: '',
    PORT_AUDITOR_BROWSER: browser,
    PORT_AUDITOR_DATA_DIR: dataDir,
  };
}

/** What start.mjs prints until its browser-mode host says how to quit; then it is stopped. */
function startOutput(lang: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(outdir, 'start.mjs')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: envOf(lang, ''),
    });
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (/Ctrl\+C/.test(out)) {
        child.kill('SIGTERM');
        resolve(out);
      }
    });
    child.once('exit', (code) => reject(new Error(`start.mjs exited ${code}: ${out}${err}`)));
  });
}

/** start.mjs or web.mjs run to its end with `args` in `lang`, as `npm start -- ARGS` would. */
function runToExit(bundle: string, args: string[], lang: string) {
  const run = spawnSync(process.execPath, [path.join(outdir, bundle), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: envOf(lang, '1'),
  });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
}

/** The README's sample of that output, each line a pattern: any port, any token. */
function readmeSample(): RegExp[] {
  const readme = readFileSync('README.md', 'utf8');
  const block = /browser mode\*\*[^`]*```text\n([\s\S]*?)\n\s*```/.exec(readme)?.[1];
  if (!block) throw new Error('README has no sample of the browser-mode output');
  return block.split('\n').map((line) => {
    const text = line.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`^${text.replace(/:\d+/, ':\\d+').replace('#token=…', '#token=[\\w-]+')}$`);
  });
}

describe('npm start without the Electron runtime', () => {
  beforeAll(async () => {
    await buildMain({ only: ['start.mjs', 'web.mjs', 'scan-worker.mjs'], outdir });
    mkdirSync(top, { recursive: true });
    symlinkSync(path.resolve('dist', 'renderer'), path.join(top, 'renderer'));
  });

  afterAll(() => {
    rmSync(top, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints what the README shows, line for line, and the same in French', async () => {
    const lines = (await startOutput('en_US.UTF-8')).trimEnd().split('\n');
    const sample = readmeSample();
    expect(lines).toHaveLength(sample.length);
    lines.forEach((line, i) => expect(line).toMatch(sample[i]!));

    const french = (await startOutput('fr_FR.UTF-8')).trimEnd().split('\n');
    expect(french).toHaveLength(sample.length);
    expect(french[0]).toBe('Recherche du moteur Electron (15\u00a0s au plus)…');
    expect(french[1]).toBe(
      'Le moteur Electron est absent\u00a0: Port Auditor s’ouvre en mode navigateur.',
    );
    expect(french[2]).toMatch(/^PORT_AUDITOR_URL=http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+$/);
  });

  it('--help prints the usage in the user’s language and exits 0 without starting anything', () => {
    // Browser mode is forced: were --help ignored, the host would start, print its address and
    // run until the 60 s timeout killed it.
    for (const bundle of ['start.mjs', 'web.mjs']) {
      const english = runToExit(bundle, ['--help'], 'en_US.UTF-8');
      expect(english.status).toBe(0);
      expect(english.stdout).toMatch(/^Usage: /);
      expect(english.stdout).toContain('--help      print this help and quit');
      expect(english.stdout).not.toContain('PORT_AUDITOR_URL');
      expect(english.stderr).toBe('');
      const french = runToExit(bundle, ['-h'], 'fr_FR.UTF-8');
      expect(french.status).toBe(0);
      expect(french.stdout).toMatch(/^Usage\u00a0: /);
      expect(french.stdout).toContain('--help      afficher cette aide et quitter');
      expect(french.stdout).not.toContain('PORT_AUDITOR_URL');
    }
    expect(runToExit('start.mjs', ['--help'], 'en_US.UTF-8').stdout).toContain(
      'Usage: npm start [-- --help]',
    );
    expect(runToExit('web.mjs', ['--help'], 'en_US.UTF-8').stdout).toContain(
      'Usage: node dist/main/web.mjs [--port N] [--no-open] [--help]',
    );
  });

  it('refuses an unknown option with a clear message, in French too, and exit code 2', () => {
    const english = runToExit('start.mjs', ['--bogus'], 'en_US.UTF-8');
    expect(english.status).toBe(2);
    expect(english.stdout).toBe('');
    expect(english.stderr).toBe('Unknown option: --bogus\nSee: npm start -- --help\n');
    const french = runToExit('start.mjs', ['--bogus'], 'fr_FR.UTF-8');
    expect(french.status).toBe(2);
    expect(french.stderr).toBe('Option inconnue\u00a0: --bogus\nVoir\u00a0: npm start -- --help\n');
    const web = runToExit('web.mjs', ['--port', '99999'], 'en_US.UTF-8');
    expect(web.status).toBe(2);
    expect(web.stdout).toBe('');
    expect(web.stderr).toContain('Invalid port: “99999”');
    expect(web.stderr).toContain('See: node dist/main/web.mjs --help');
  });
});
