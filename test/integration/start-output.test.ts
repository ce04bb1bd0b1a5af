import { spawn } from 'node:child_process';
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

/** What start.mjs prints until its browser-mode host says how to quit; then it is stopped. */
function startOutput(lang: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(outdir, 'start.mjs')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DISPLAY: '',
        WAYLAND_DISPLAY: '',
        LANG: lang,
        LC_ALL: '',
        LC_MESSAGES: '',
        PORT_AUDITOR_BROWSER: '',
        PORT_AUDITOR_DATA_DIR: dataDir,
      },
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
    await buildMain({ only: ['start.mjs', 'scan-worker.mjs'], outdir });
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
});
