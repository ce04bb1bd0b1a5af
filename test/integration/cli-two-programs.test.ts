import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli, type CliRun } from '../lab/built-cli.js';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';

/**
 * Review 13 F2/F3/A2: two different programs listen on one port number at two of this PC's
 * loopback addresses — this test's node process on A:P, a python3 child on B:P. The CLI scan lists
 * one row per program, each with its address and its own verdict, and its summary counts those
 * rows; reopening the kept scan (`show`) and reading the scan's JSON back (`report FILE.json`, an
 * import) keep both programs. The bundled CLI, a temp data folder, addresses of 127.0.0.0/8 no
 * other test binds.
 */
const outdir = path.resolve('dist', `test-cli-two-programs-${process.pid}`, 'main');
const A = `127.79.${(process.pid % 250) + 1}.1`;
const B = A.replace(/\.1$/, '.5');

let dir = '';
let files = '';
let port = 0;
let python: ChildProcess | undefined;
let server: net.Server | undefined;

function run(args: string[], language: 'en' | 'fr' = 'en'): Promise<CliRun> {
  return runBuiltCli(outdir, dir, args, language);
}

async function ok(args: string[]): Promise<string> {
  const done = await run(args);
  expect(done.code, `${args.join(' ')}\n${done.stdout}\n${done.stderr}`).toBe(0);
  return done.stdout;
}

/** The rows of port `port` in the CLI's table. */
const rowsOf = (text: string) => text.split('\n').filter((l) => l.startsWith(`  ${port}/tcp `));

/** A python3 server on B, port chosen by the system; resolves with the port it printed. */
function startPython(): Promise<number> {
  const code = [
    'import socket, sys',
    's = socket.socket()',
    `s.bind((${JSON.stringify(B)}, 0))`,
    's.listen(8)',
    'print(s.getsockname()[1], flush=True)',
    'while True:',
    '    c, _ = s.accept()',
    '    c.close()',
  ].join('\n');
  const child = spawn('python3', ['-c', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  python = child;
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout!.setEncoding('utf8').once('data', (d: string) => resolve(Number(d.trim())));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), `pa-two-programs-${process.pid}-`));
  files = mkdtempSync(path.join(os.tmpdir(), `pa-two-programs-files-${process.pid}-`));
  await buildMain({ only: CLI_BUNDLES, outdir });
  port = await startPython();
  server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server!.listen(port, A, resolve));
});

afterAll(async () => {
  if (server) await new Promise((resolve) => server!.close(resolve));
  python?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (files) rmSync(files, { recursive: true, force: true });
  rmSync(path.dirname(outdir), { recursive: true, force: true });
});

describe('two programs on one port number at two of this PC’s addresses', () => {
  const node = `node (PID ${process.pid})`;
  const py = () => `python3 (PID ${python!.pid})`;

  function expectBoth(text: string) {
    const rows = rowsOf(text);
    expect(rows, text).toHaveLength(2);
    const ofNode = rows.find((r) => r.includes(node));
    const ofPython = rows.find((r) => r.includes(py()));
    // Each its own level (loopback only: Info) and the one address it listens on.
    expect(ofNode, text).toMatch(new RegExp(`\\bInfo\\b.*${A.replace(/\./g, '\\.')}$`));
    expect(ofPython, text).toMatch(new RegExp(`\\bInfo\\b.*${B.replace(/\./g, '\\.')}$`));
    // The summary counts the rows: two open ports, two Info.
    expect(text).toContain('2 open ports');
    expect(text).toContain('Open ports by risk level: Info 2.');
  }

  it('the scan, the kept scan and the scan’s JSON read back list both, rows and summary agreeing', async () => {
    const json = path.join(files, 'scan.json');
    expectBoth(await ok(['scan', `${A},${B}`, '-p', String(port), '--json', json]));

    const list = JSON.parse(await ok(['history', '--json'])) as { scans: { scanId: string }[] };
    expectBoth(await ok(['show', list.scans[0]!.scanId]));

    // Read back as a report source (an import): one CSV row per program.
    const csv = path.join(files, 'scan.csv');
    await ok(['report', json, '-o', csv]);
    const rows = readFileSync(csv, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.includes(`,${port},`));
    expect(rows).toHaveLength(2);
    expect(rows.some((r) => r.includes(node))).toBe(true);
    expect(rows.some((r) => r.includes(py()))).toBe(true);
  });
});
