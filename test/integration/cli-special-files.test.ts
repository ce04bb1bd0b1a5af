import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli, type CliRun } from '../lab/built-cli.js';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';
import { generateNmapXml } from '../lab/nmap-xml.js';

// `report FILE` and `import FILE` given what is not a regular file (review 13 A12): a device read
// whole took 660 MB before failing, a FIFO with no writer never ended. Each must be refused at
// once, before a byte is read, naming the file in the user's language.
const outdir = path.resolve('dist', `test-cli-special-${process.pid}`, 'main');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pa-cli-special-'));
const fifo = path.join(dataDir, 'pipe.json');
const fifoXml = path.join(dataDir, 'pipe.xml');

function run(language: 'fr' | 'en', ...args: string[]): Promise<CliRun> {
  return runBuiltCli(outdir, dataDir, args, language);
}

beforeAll(async () => {
  await buildMain({ only: CLI_BUNDLES, outdir });
  execFileSync('mkfifo', [fifo, fifoXml]);
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(path.dirname(outdir), { recursive: true, force: true });
});

describe('files that are not regular files are refused before reading', () => {
  it('report of a FIFO with no writer (JSON name), in French', async () => {
    const result = await run('fr', 'report', fifo, '-o', path.join(dataDir, 'x.csv'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `Impossible de lire «\u00a0${fifo}\u00a0» (ce n’est pas un fichier mais un périphérique, un tube ou un dossier).`,
    );
  }, 30_000);

  it('report and import of a FIFO named .xml', async () => {
    for (const command of ['report', 'import']) {
      const args = command === 'report' ? ['-o', path.join(dataDir, 'y.csv')] : [];
      const result = await run('en', command, fifoXml, ...args);
      expect(result.code, command).toBe(2);
      expect(result.stderr).toContain(
        `Cannot read “${fifoXml}” (it is not a file but a device, a pipe, or a folder).`,
      );
    }
  }, 30_000);

  it('report of /dev/zero', async () => {
    const result = await run('en', 'report', '/dev/zero', '-o', path.join(dataDir, 'z.csv'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Cannot read “/dev/zero” (it is not a file but a device, a pipe, or a folder).',
    );
  }, 30_000);
});

// `--json FILE` where another program planted a symbolic link (review 13, F6): the JSON replaces
// the link, and what the link named is left as it was.
describe('a JSON output path that is a planted link', () => {
  it('is replaced by the JSON for import and scan, never written through', async () => {
    const out = path.join(dataDir, 'out');
    mkdirSync(out);
    const victim = path.join(dataDir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    const xml = path.join(dataDir, 'lan.xml');
    writeFileSync(xml, generateNmapXml(3));
    const cases: [string, string[]][] = [
      ['import.json', ['import', xml]],
      ['scan.json', ['scan', '127.0.0.1', '-p', '9', '--skip-discovery']],
    ];
    for (const [name, args] of cases) {
      const link = path.join(out, name);
      symlinkSync(victim, link);
      const result = await run('en', ...args, '--json', link);
      expect(result.code, `${args[0]}: ${result.stderr}`).toBe(0);
      expect(readFileSync(victim, 'utf8')).toBe('precious\n');
      expect(lstatSync(link).isSymbolicLink()).toBe(false);
      expect(JSON.parse(readFileSync(link, 'utf8'))).toBeTypeOf('object');
    }
    // Nothing left behind beside them.
    expect(readdirSync(out).sort()).toEqual(['import.json', 'scan.json']);
  }, 120_000);
});

// One output policy for `report -o`, `scan --report`, `scan --json` and `import --json` (diff
// review F1): a link planted at the output path is replaced, never written through; a FIFO planted
// there is refused at once, never blocked on; the process's own /dev/stdout is written, not replaced.
describe('report and JSON output paths that are not plain files', () => {
  it('report -o a planted link: the report replaces it, its target untouched', async () => {
    const out = path.join(dataDir, 'out-report');
    mkdirSync(out);
    const victim = path.join(dataDir, 'victim-report.txt');
    writeFileSync(victim, 'precious\n');
    const xml = path.join(dataDir, 'report-lan.xml');
    writeFileSync(xml, generateNmapXml(3));
    const link = path.join(out, 'report.csv');
    symlinkSync(victim, link);
    const result = await run('en', 'report', xml, '-o', link);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(link).isFile()).toBe(true);
    expect(readFileSync(link, 'utf8').length).toBeGreaterThan(0);
    expect(readdirSync(out)).toEqual(['report.csv']);
  }, 60_000);

  it('report -o and --json a FIFO: refused in the user’s language, nothing hangs', async () => {
    const xml = path.join(dataDir, 'fifo-lan.xml');
    writeFileSync(xml, generateNmapXml(2));
    const outFifo = path.join(dataDir, 'out-pipe.csv');
    execFileSync('mkfifo', [outFifo]);
    const report = await run('fr', 'report', xml, '-o', outFifo);
    expect(report.code).not.toBe(0);
    expect(report.stderr).toContain(
      `Impossible d’écrire le rapport «\u00a0${outFifo}\u00a0» (ce n’est pas un fichier mais un périphérique, un tube ou un dossier).`,
    );
    const json = await run('en', 'import', xml, '--json', outFifo);
    expect(json.code).not.toBe(0);
    expect(json.stderr).toContain(
      `Cannot write the JSON file “${outFifo}” (it is not a file but a device, a pipe, or a folder).`,
    );
    expect(lstatSync(outFifo).isFIFO()).toBe(true);
  }, 60_000);

  it('--json /dev/stdout (the socket spawn gave it) is written to stdout, the link left as it is', async () => {
    const xml = path.join(dataDir, 'stdout-lan.xml');
    writeFileSync(xml, generateNmapXml(2));
    const before = readdirSync('/dev').filter((name) => name.includes('.part'));
    const result = await run('en', 'import', xml, '--json', '/dev/stdout');
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
    // The table comes first, then the JSON document to the end.
    const json = result.stdout.slice(result.stdout.indexOf('{\n'));
    expect(JSON.parse(json)).toMatchObject({ hosts: expect.any(Array) });
    expect(readdirSync('/dev').filter((name) => name.includes('.part'))).toEqual(before);
  }, 60_000);
});
