import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli, type CliRun } from '../lab/built-cli.js';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';

// The CLI as installed (the bundled cli.mjs and its scan worker), built into a folder of this run,
// speaking to a French and to an English user: what they read is kept as snapshots, so a change of
// wording, of typography or of a column shows in review.
const outdir = path.resolve('dist', `test-cli-lang-${process.pid}`, 'main');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pa-cli-lang-'));

type Lang = 'fr' | 'en';
function run(language: Lang, ...args: string[]): Promise<CliRun> {
  // Commander wraps the help to the terminal's width: a pipe has none, so it uses 80 columns.
  return runBuiltCli(outdir, dataDir, args, language, { COLUMNS: '80' });
}

/** No-break spaces made visible, so a snapshot shows the French typography it checks. */
const visible = (text: string) => text.replaceAll('\u00a0', '⍽').replaceAll('\u202f', '⎵');

let listener: net.Server;
let openPort: number;
let closedPort: number;

beforeAll(async () => {
  await buildMain({ only: CLI_BUNDLES, outdir });
  listener = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  openPort = (listener.address() as net.AddressInfo).port;
  // A port that was just free and is now closed: the kernel answers RST.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  await new Promise((resolve) => listener?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(path.dirname(outdir), { recursive: true, force: true });
});

describe.each<Lang>(['fr', 'en'])('the CLI speaks %s', (language) => {
  it('top-level help', async () => {
    const result = await run(language, '--help');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(visible(result.stdout)).toMatchSnapshot();
  });

  it('one command’s help', async () => {
    const result = await run(language, 'report', '--help');
    expect(result.code).toBe(0);
    expect(visible(result.stdout)).toMatchSnapshot();
  });

  it('an unknown command, with what it may have meant', async () => {
    const result = await run(language, 'scna', '127.0.0.1');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(visible(result.stderr)).toMatchSnapshot();
  });

  it('a mistyped option, with what it may have meant', async () => {
    const result = await run(language, 'scan', '127.0.0.1', '--jsno', 'out.json');
    expect(result.code).toBe(2);
    expect(visible(result.stderr)).toMatchSnapshot();
  });

  it('a missing required option, an option without its value, too many arguments', async () => {
    const missing = await run(language, 'report', 'some-scan');
    const noValue = await run(language, 'report', 'some-scan', '-o');
    const tooMany = await run(language, 'rules', 'extra');
    expect([missing.code, noValue.code, tooMany.code]).toEqual([2, 2, 2]);
    expect(visible([missing.stderr, noValue.stderr, tooMany.stderr].join(''))).toMatchSnapshot();
  });

  it('a report file with an extension no format has is refused, naming the accepted ones', async () => {
    const docx = path.join(dataDir, `x-${language}.docx`);
    const report = await run(language, 'report', 'some-scan', '-o', docx);
    // scan --report is refused before the scan runs.
    const scan = await run(
      language,
      'scan',
      '127.0.0.1',
      '-p',
      String(closedPort),
      '--report',
      docx,
    );
    for (const result of [report, scan]) {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(visible(result.stderr)).toContain(
        language === 'fr'
          ? '«⍽.docx⍽» n’est pas l’extension d’un format de rapport. Extensions acceptées⍽: .pdf, .json, .csv ou .xml'
          : '“.docx” is not the extension of a report format. Accepted extensions: .pdf, .json, .csv, or .xml',
      );
    }
    expect(existsSync(docx)).toBe(false);
  });

  it('a bad option value', async () => {
    const result = await run(language, 'scan', '127.0.0.1', '-p', '1-2-3');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(visible(result.stderr)).toMatchSnapshot();
  });
});

describe('the scan table in both languages', () => {
  /**
   * What varies from run to run: the ports this test got (same width, so the columns stay), its
   * pid, the host name, the duration, and the notes on what this machine lets a scan see.
   */
  const masked = (text: string) =>
    visible(text)
      .replaceAll(String(openPort), 'O'.repeat(String(openPort).length))
      .replaceAll(String(closedPort), 'C'.repeat(String(closedPort).length))
      .replaceAll(`PID ${process.pid}`, 'PID <pid>')
      .replaceAll(process.execPath, '<node>')
      .replace(/127\.0\.0\.1 \([^)]*\)/g, '127.0.0.1')
      .replace(/\d+[.,]\d(⍽s)/g, '<t>$1')
      .replace(/^! .*\n/gm, '');

  it.each<Lang>(['fr', 'en'])('%s', async (language) => {
    const result = await run(language, 'scan', '127.0.0.1', '-p', `${openPort},${closedPort}`);
    expect(result.code).toBe(0);
    expect(masked(result.stdout)).toMatchSnapshot();
    // The JSON keeps the codes the table puts in words.
    expect(result.stdout).not.toMatch(/syn-ack|conn-refused/);
  });
});
