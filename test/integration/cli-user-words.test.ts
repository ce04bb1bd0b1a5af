import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli, type CliRun } from '../lab/built-cli.js';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';

// The CLI as installed, given arguments a user could paste or a script could pass: its errors
// quote them on one line, a line feed or an escape written as such (issue 15, N7).
const outdir = path.resolve('dist', `test-cli-words-${process.pid}`, 'main');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pa-cli-words-'));

function run(language: 'fr' | 'en', ...args: string[]): Promise<CliRun> {
  return runBuiltCli(outdir, dataDir, args, language);
}

/** The lines a run wrote to stderr, without the final line feed. */
const linesOf = (text: string) => text.replace(/\n$/u, '').split('\n');

beforeAll(async () => {
  await buildMain({ only: CLI_BUNDLES, outdir });
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(path.dirname(outdir), { recursive: true, force: true });
});

describe('the CLI quotes the user’s words on one line', () => {
  it('an unknown command holding a line feed, an ANSI escape and a bidi override', async () => {
    const result = await run('en', 'scna\nDone: no risk\u001b[2J\u202e');
    expect(result.code).toBe(2);
    expect(linesOf(result.stderr)).toEqual([
      'Invalid command line: unknown command “scna\\nDone: no risk\\u001b[2J\\u202e”. See port-auditor --help.',
    ]);
  });

  it('a file that cannot be read, in French: « » around the escaped name, its quotes as typed, one line', async () => {
    const result = await run('fr', 'report', 'a\nb\r"c».json', '-o', path.join(dataDir, 'x.pdf'));
    expect(result.code).not.toBe(0);
    const lines = linesOf(result.stderr);
    expect(lines).toHaveLength(1);
    // The user's own " and » are shown as typed (issue 15, N9), only controls escaped.
    expect(lines[0]).toContain('Impossible de lire «\u00a0a\\nb\\r"c».json\u00a0»');
  });

  it('a file name with quotation marks, in English: “ ” around it, every character as typed', async () => {
    const name = path.join(dataDir, 'my "best" ‘scan’ «x».json');
    const result = await run('en', 'report', name, '-o', path.join(dataDir, 'x.pdf'));
    expect(result.code).not.toBe(0);
    const lines = linesOf(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`“${name}”`);
  });

  it('a file over the import limit: its size in the language’s numbers (review 15 N5)', async () => {
    // Sparse: stat gives its size, and it is refused before a byte is read.
    const big = path.join(dataDir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 64 * 1024 * 1024 + 100 * 1024);
    const out = path.join(dataDir, 'big.pdf');
    const fr = await run('fr', 'report', big, '-o', out);
    expect(fr.code).not.toBe(0);
    expect(linesOf(fr.stderr)[0]).toContain(
      `«\u00a0${big}\u00a0» est refusé\u00a0: il fait 64,1\u00a0Mo, la limite est 64\u00a0Mo.`,
    );
    const en = await run('en', 'report', big, '-o', out);
    expect(linesOf(en.stderr)[0]).toContain(
      `“${big}” is refused: it is 64.1 MB, the limit is 64 MB.`,
    );
  });

  it('a scan id with a tab and 10,000 characters: escaped and capped', async () => {
    const result = await run('en', 'show', `\t${'f'.repeat(10_000)}`);
    expect(result.code).not.toBe(0);
    const lines = linesOf(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`“\\t${'f'.repeat(118)}…”`);
    expect(lines[0]!.length).toBeLessThan(400);
  });

  // The app's own errors quote what the user gave (a port list, an address, an adapter's name)
  // the same way: one line, a line feed or an escape written as such (issue 15, N7). Each is
  // refused before anything is scanned or changed.
  it('a port list holding an escape, in a scan of this PC', async () => {
    const result = await run('en', 'scan', '-p', '1-x\u001b[31m', '127.0.0.1');
    expect(result.code).toBe(2);
    expect(linesOf(result.stderr)).toEqual([
      'Ports: “1-x\\u001b[31m” is not valid — expected a port number (1-65535), a range (20-25), “-” or top100/top1000/common-udp (UDP ports: U:53,161).',
    ]);
  });

  it('an address holding an escape', async () => {
    const result = await run('fr', 'scan', '127.0.0.1\u001b[31m');
    expect(result.code).toBe(2);
    const lines = linesOf(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Cibles\u00a0: «\u00a0127\.0\.0\.1\\u001b\[31m\u00a0» /u);
  });

  it('an adapter’s name holding a line feed and an escape', async () => {
    const result = await run('en', 'scan', '--include-adapter', 'eth\n\u001b[31m', 'local-network');
    expect(result.code).toBe(2);
    const lines = linesOf(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('“eth\\n\\u001b[31m”');
  });

  it('a port and a remote address to block, holding a line feed and an escape', async () => {
    const port = await run('fr', 'block', '--proto', 'tcp', '--port', '80\n\u001b[31m');
    expect(port.code).toBe(2);
    expect(linesOf(port.stderr)).toEqual([
      'Port refusé\u00a0: «\u00a080\\n\\u001b[31m\u00a0». Indiquez un numéro de 1 à 65535 en chiffres (ou une plage comme 8000-8080).',
    ]);
    const remote = await run(
      'en',
      'block',
      '--proto',
      'tcp',
      '--port',
      '80',
      '--remote',
      '127.0.0.1\n\u001b[31mx',
    );
    expect(remote.code).toBe(2);
    expect(linesOf(remote.stderr)).toEqual([
      'Remote address refused: “127.0.0.1\\n\\u001b[31mx”. Give an IP address or a CIDR network (e.g. 192.168.1.20 or 192.168.1.0/24), separated by commas.',
    ]);
  });
});
