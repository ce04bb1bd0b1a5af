import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli, type CliRun } from '../lab/built-cli.js';
import { generateNmapXml } from '../lab/nmap-xml.js';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';

/**
 * `port-auditor report ID -o FILE` as installed (the bundled CLI, its export thread), stderr a
 * pipe: plain progress lines in the user's language, then the file written; Ctrl+C (SIGINT) cancels
 * the export in the app and leaves no file, partial or whole, in the output's folder. A data
 * folder of this test; nothing is scanned (the hosts come from a generated nmap file).
 */
const outdir = path.resolve('dist', `test-cli-export-progress-${process.pid}`, 'main');

describe('port-auditor report: progress on stderr and Ctrl+C', () => {
  let dir: string;
  let dataDir: string;
  let outputs: string;
  let small: string;
  let large: string;

  const run = (args: string[], language: 'en' | 'fr'): Promise<CliRun> =>
    runBuiltCli(outdir, dataDir, args, language);

  /** Imports `hosts` generated devices and answers the kept scan's id. */
  const importHosts = async (hosts: number): Promise<string> => {
    const file = path.join(dir, `hosts${hosts}.xml`);
    writeFileSync(file, generateNmapXml(hosts));
    expect((await run(['import', file], 'en')).code).toBe(0);
    const listed = JSON.parse((await run(['history', '--json'], 'en')).stdout) as {
      scans: { scanId: string; source?: { fileName?: string } }[];
    };
    const scan = listed.scans.find((s) => JSON.stringify(s).includes(`hosts${hosts}.xml`));
    expect(scan).toBeDefined();
    return scan!.scanId;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), `pa-cli-export-progress-${process.pid}-`));
    dataDir = path.join(dir, 'data');
    outputs = path.join(dir, 'out');
    await buildMain({ only: CLI_BUNDLES, outdir });
    small = await importHosts(40);
    large = await importHosts(400);
    // Made after the imports: only the reports go in it.
    mkdirSync(outputs);
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    rmSync(path.dirname(outdir), { recursive: true, force: true });
  });

  it('a CSV: its devices at 0 and 100 %, then the file, in English and in French', async () => {
    const csv = path.join(dir, 'small.csv');
    expect(await run(['report', small, '-o', csv], 'en')).toEqual({
      code: 0,
      stdout: '',
      stderr: [
        'Report: 0% of devices put in (0/40)',
        'Report: 100% of devices put in (40/40)',
        `Report written: ${csv}`,
        '',
      ].join('\n'),
    });
    const csvFr = path.join(dir, 'small-fr.csv');
    expect(await run(['report', small, '-o', csvFr], 'fr')).toEqual({
      code: 0,
      stdout: '',
      stderr: [
        'Rapport\u00a0: 0\u00a0% des appareils mis dans le rapport (0/40)',
        'Rapport\u00a0: 100\u00a0% des appareils mis dans le rapport (40/40)',
        `Rapport écrit\u00a0: ${csvFr}`,
        '',
      ].join('\n'),
    });
    // The same rows, each report in its user's language.
    const rows = (file: string) => readFileSync(file, 'utf8').trim().split(/\r?\n/).length;
    expect(rows(csvFr)).toBe(rows(csv));
  }, 120_000);

  it('a JSON report read back (made in the CLI’s own thread) says its progress too', async () => {
    const json = path.join(dir, 'small.json');
    expect((await run(['report', small, '-o', json], 'en')).code).toBe(0);
    const csv = path.join(dir, 'from-json.csv');
    expect(await run(['report', json, '-o', csv], 'en')).toEqual({
      code: 0,
      stdout: '',
      stderr: [
        'Report: 0% of devices put in (0/40)',
        'Report: 100% of devices put in (40/40)',
        `Report written: ${csv}`,
        '',
      ].join('\n'),
    });
  }, 120_000);

  it('a PDF: devices, layout, pages written by quarters up to the page count, in French', async () => {
    const pdf = path.join(dir, 'small.pdf');
    const result = await run(['report', small, '-o', pdf], 'fr');
    expect(result).toMatchObject({ code: 0, stdout: '' });
    const lines = result.stderr.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'Rapport\u00a0: 0\u00a0% des appareils mis dans le rapport (0/40)',
      'Rapport\u00a0: 25\u00a0% des appareils mis dans le rapport (10/40)',
      'Rapport\u00a0: 50\u00a0% des appareils mis dans le rapport (20/40)',
      'Rapport\u00a0: 75\u00a0% des appareils mis dans le rapport (30/40)',
      'Rapport\u00a0: 100\u00a0% des appareils mis dans le rapport (40/40)',
      'Rapport\u00a0: mise en page, 0 page',
    ]);
    const pdfBytes = readFileSync(pdf);
    const pageCount = (pdfBytes.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
    expect(pageCount).toBeGreaterThan(1);
    const pagesLines = lines.slice(6, -2);
    expect(pagesLines[0]).toBe(`Rapport\u00a0: 0\u00a0% des pages écrites (0/${pageCount})`);
    expect(pagesLines.at(-1)).toBe(
      `Rapport\u00a0: 100\u00a0% des pages écrites (${pageCount}/${pageCount})`,
    );
    expect(pagesLines.length).toBeLessThanOrEqual(5);
    expect(lines.slice(-2)).toEqual([`Rapport écrit\u00a0: ${pdf}`, '']);
  }, 120_000);

  it('Ctrl+C during a PDF cancels it in the app: exit 130, said in English, no file left', async () => {
    const pdf = path.join(outputs, 'large.pdf');
    const child = spawn(
      process.execPath,
      [path.join(outdir, 'cli.mjs'), 'report', large, '-o', pdf],
      {
        env: {
          ...process.env,
          LANG: 'en_US.UTF-8',
          LC_ALL: '',
          LC_MESSAGES: '',
          PORT_AUDITOR_DATA_DIR: dataDir,
          PORT_AUDITOR_ASSETS: path.resolve('assets'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let interrupted = false;
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (text: string) => {
        stderr += text;
        // Interrupted once the export is under way in the app, as a user would see it.
        if (!interrupted && stderr.includes('Report: ')) {
          interrupted = true;
          child.kill('SIGINT');
        }
      });
      child.on('error', reject);
      child.on('close', resolve);
    });
    clearTimeout(killer);
    expect(code).toBe(130);
    expect(stderr).toContain('Cancelling the export… (Ctrl+C again to quit at once)\n');
    expect(stderr).toContain('Export cancelled: no file was saved. The kept scan is unaffected.\n');
    expect(stderr).not.toContain('Report written');
    // No report, no partial file beside it.
    expect(readdirSync(outputs)).toEqual([]);
    // The kept scan exports again.
    const again = path.join(outputs, 'again.csv');
    expect((await run(['report', large, '-o', again], 'en')).code).toBe(0);
    expect(readdirSync(outputs)).toEqual(['again.csv']);
  }, 300_000);
});
