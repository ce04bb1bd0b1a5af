import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';
import { runBuiltCli, userEnv, type CliRun } from '../lab/built-cli.js';
import { createNamespace, deleteNamespace, uniqueName } from '../lab/netns.js';

/**
 * Review 15 F6: a user runs `port-auditor scan 127.0.0.1 -p <port>` while browser mode is open.
 * The CLI must name the page's port as the page does — Port Auditor's, another instance with its
 * PID — not "node, not among the known risky services". Browser mode (web.mjs --no-open) and the
 * CLI are this test's own build (one dist/test-*\/main folder, as one installation), both run in a
 * namespace of this test, each with a data folder of its own. Needs `npm run build` (the renderer
 * the host serves) and root (namespaces).
 */
const ROOT = path.resolve(__dirname, '../..');
const top = path.join(ROOT, 'dist', `test-own-host-${process.pid}`);
const outdir = path.join(top, 'main');
const ns = uniqueName('own', 'pc');

let hostData = '';
let cliData = '';
let host: ChildProcess | undefined;
let hostPid = 0;
let port = 0;

/** Browser mode with no display: the host never tries to open a window or a browser. */
const HEADLESS = { PORT_AUDITOR_BROWSER: '1', DISPLAY: '', WAYLAND_DISPLAY: '' };

/** Starts browser mode in the namespace; resolves with its page's port once it prints its URL. */
function startHost(): Promise<number> {
  // `ip netns exec` execs node in place: the child's pid is the host's.
  const child = spawn(
    'ip',
    ['netns', 'exec', ns, process.execPath, path.join(outdir, 'web.mjs'), '--no-open'],
    { cwd: ROOT, env: userEnv('en', hostData, HEADLESS), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  host = child;
  hostPid = child.pid ?? 0;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const url = /PORT_AUDITOR_URL=http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (url) resolve(Number(url[1]));
    });
    child.once('exit', (code) => reject(new Error(`web.mjs exited ${code}: ${out}${err}`)));
  });
}

/** The bundled CLI in the namespace, as a user of `language`, with its own data folder. */
const cli = (args: string[], language: 'en' | 'fr'): Promise<CliRun> =>
  runBuiltCli(outdir, cliData, args, language, HEADLESS, { netns: ns });

/** The table row of the host's port in the CLI's output. */
const rowOf = (text: string) =>
  text.split('\n').find((line) => line.trimStart().startsWith(`${port}/tcp `));

beforeAll(async () => {
  hostData = mkdtempSync(path.join(os.tmpdir(), `pa-own-host-${process.pid}-`));
  cliData = mkdtempSync(path.join(os.tmpdir(), `pa-own-host-cli-${process.pid}-`));
  await buildMain({ only: [...CLI_BUNDLES, 'web.mjs'], outdir });
  mkdirSync(top, { recursive: true });
  symlinkSync(path.join(ROOT, 'dist', 'renderer'), path.join(top, 'renderer'));
  await createNamespace(ns);
  port = await startHost();
}, 120_000);

afterAll(async () => {
  if (host && host.exitCode === null) {
    const exited = new Promise((resolve) => host!.once('exit', resolve));
    host.kill('SIGTERM');
    await exited;
  }
  await deleteNamespace(ns);
  for (const dir of [hostData, cliData]) if (dir) rmSync(dir, { recursive: true, force: true });
  rmSync(top, { recursive: true, force: true });
});

describe('the CLI names a running browser-mode host as Port Auditor (review 15 F6)', () => {
  it('in French: "Port Auditor (autre instance, PID n)", its program and the reason saying so', async () => {
    const run = await cli(['scan', '127.0.0.1', '-p', String(port)], 'fr');
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const row = rowOf(run.stdout);
    expect(row, run.stdout).toBeDefined();
    expect(row).toContain(`Port Auditor (autre instance, PID ${hostPid})`);
    expect(row).toContain(`node (PID ${hostPid})`);
    expect(run.stdout).toContain(
      `C’est le port d’une autre instance de Port Auditor en cours d’exécution, programme «\u00a0node\u00a0», PID ${hostPid}, lancée à part de celle-ci.`,
    );
    expect(run.stdout).not.toContain('ne figure pas parmi les services à risque');
  });

  it('in English: "Port Auditor (another instance, PID n)"', async () => {
    const run = await cli(['scan', '127.0.0.1', '-p', String(port)], 'en');
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const row = rowOf(run.stdout);
    expect(row, run.stdout).toBeDefined();
    expect(row).toContain(`Port Auditor (another instance, PID ${hostPid})`);
    expect(row).toContain(`node (PID ${hostPid})`);
    expect(run.stdout).toContain(
      `This is the port of another running instance of Port Auditor, program “node”, PID ${hostPid}, started apart from this one.`,
    );
    expect(run.stdout).not.toContain('not among the known risky services');
  });
});
