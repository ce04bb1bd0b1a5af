import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli, type CliRun } from '../lab/built-cli.js';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';

/**
 * `port-auditor report ID` as installed (the bundled CLI), over a data folder of this test: a kept
 * scan is exported by its id or the start of it, as `show` takes it; what `show --json` printed is
 * a report source too; an id too short or unknown is refused in the user's language.
 */
const outdir = path.resolve('dist', `test-cli-report-kept-${process.pid}`, 'main');
const FIXTURE = path.resolve('test/fixtures/nmap/loopback-sT.xml');

function run(dataDir: string, args: string[], language: 'en' | 'fr' = 'en'): Promise<CliRun> {
  return runBuiltCli(outdir, dataDir, args, language);
}

describe('port-auditor report of a kept scan', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), `pa-cli-report-kept-${process.pid}-`));
    await buildMain({
      only: CLI_BUNDLES,
      outdir,
    });
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    rmSync(path.dirname(outdir), { recursive: true, force: true });
  });

  it('exports a kept scan by its id or its start, and from what show --json printed', async () => {
    expect((await run(dir, ['import', FIXTURE])).code).toBe(0);
    const id = (
      JSON.parse((await run(dir, ['history', '--json'])).stdout) as {
        scans: { scanId: string }[];
      }
    ).scans[0]?.scanId as string;

    const pdf = path.join(dir, 'kept.pdf');
    const byPrefix = await run(dir, ['report', id.slice(0, 6), '-o', pdf], 'fr');
    expect(byPrefix).toMatchObject({ code: 0, stdout: '' });
    // Its progress lines (cli-export-progress.test.ts says them), then the file.
    const said = byPrefix.stderr.split('\n');
    expect(said.slice(-2)).toEqual([`Rapport écrit\u00a0: ${pdf}`, '']);
    expect(said.slice(0, -2).every((line) => line.startsWith('Rapport\u00a0: '))).toBe(true);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const csv = path.join(dir, 'kept.csv');
    expect((await run(dir, ['report', id, '-o', csv])).code).toBe(0);
    const rows = readFileSync(csv, 'utf8').trim().split(/\r?\n/);
    // The fixture's three open ports on 127.77.141.97, one row each after the header.
    expect(rows).toHaveLength(4);
    expect(rows.slice(1).every((r) => r.includes('127.77.141.97'))).toBe(true);

    const shown = path.join(dir, 'show.json');
    writeFileSync(shown, (await run(dir, ['show', id, '--json'])).stdout);
    const fromShow = path.join(dir, 'from-show.csv');
    expect((await run(dir, ['report', shown, '-o', fromShow])).code).toBe(0);
    expect(readFileSync(fromShow, 'utf8')).toBe(readFileSync(csv, 'utf8'));

    // Its JSON report read back: nmap ran on loopback only, which proves nothing (review 13 A1),
    // but this store keeps the scan as made here: rated as the kept scan, this PC's (N9).
    const json = path.join(dir, 'kept.json');
    expect((await run(dir, ['report', id, '-o', json])).code).toBe(0);
    const fromJson = path.join(dir, 'from-json.csv');
    expect((await run(dir, ['report', json, '-o', fromJson])).code).toBe(0);
    expect(readFileSync(fromJson, 'utf8')).toBe(readFileSync(csv, 'utf8'));
  });

  it('a JSON report read back: its engine, PC name and local errors are the file’s word, not this PC’s (review 13b, A5)', async () => {
    const json = path.join(dir, 'report.json');
    expect((await run(dir, ['report', FIXTURE, '-o', json])).code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      scan: { source?: unknown; hosts: { localError?: unknown }[] };
      pcName?: string;
    };
    report.scan.source = {
      kind: 'engine',
      method: 'tcp-connect',
      minRtoMs: 100,
      maxRtoMs: 2000,
      initialRtoMs: 1000,
      maxTries: 2,
      maxTriesCap: 4,
      discoveryPorts: [80],
    };
    report.pcName = 'PC-DU-DIRECTEUR';
    report.scan.hosts[0]!.localError = { code: 'EACCES', message: { fr: 'x', en: 'x' } };
    const forged = path.join(dir, 'forged.json');
    writeFileSync(forged, JSON.stringify(report));
    const pdf = path.join(dir, 'forged.pdf');
    expect((await run(dir, ['report', forged, '-o', pdf])).code).toBe(0);
    const text = execFileSync('/usr/bin/pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-'], {
      encoding: 'utf8',
    }).replace(/\s+/g, ' ');
    expect(text).not.toContain('Each port was tested with a full TCP connection from this PC');
    expect(text).toContain(
      'These results come from the JSON report “forged.json”, imported on this PC, not from a scan made by this PC',
    );
    // Not this PC's name as the report's title or footer either: the file was made elsewhere
    // (review 13 N3).
    expect(text).not.toContain(`${os.hostname()} —`);
    expect(text).toContain(
      'Results from a report file made on the PC “PC-DU-DIRECTEUR”, not on this PC.',
    );
    // Named as the file's PC, never as this PC's: the note, and the cover's title block and
    // facts say it is the PC that made the file (review N3).
    expect(text).toContain('Name of the PC that made the file PC-DU-DIRECTEUR');
    expect(text).not.toContain('This PC’s name');
    // Title block, cover facts, note, and each page's footer: the file's PC every time.
    expect(text.split('PC-DU-DIRECTEUR').length).toBeGreaterThanOrEqual(4);
    expect(text).not.toContain('This PC’s firewall or security policy did not let the probe out');
    expect(text).toContain(
      'The file says the PC that made it could not reach this address (EACCES)',
    );
  });

  it('refuses, in the user’s language, an id too short, unknown, or a file that is not a scan', async () => {
    const short = await run(dir, ['report', '75', '-o', path.join(dir, 'x.pdf')], 'fr');
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain(
      '«\u00a075\u00a0» est trop court pour désigner une analyse\u00a0: donnez au moins 4 caractères de son identifiant',
    );
    const showShort = await run(dir, ['show', '75'], 'en');
    expect(showShort.stderr).toContain(
      '“75” is too short to name a scan: give at least 4 characters',
    );

    const unknown = await run(dir, ['report', 'ffff0', '-o', path.join(dir, 'x.pdf')], 'fr');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain(
      'Aucune analyse conservée n’a l’identifiant «\u00a0ffff0\u00a0»',
    );

    const missing = await run(dir, ['report', 'nowhere.json', '-o', path.join(dir, 'x.pdf')], 'fr');
    expect(missing.stderr).toContain(
      'Impossible de lire «\u00a0nowhere.json\u00a0» (fichier ou dossier introuvable).',
    );

    const wrong = path.join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ hello: 1 }));
    const invalid = await run(dir, ['report', wrong, '-o', path.join(dir, 'x.pdf')], 'fr');
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain(
      'n’est pas un résultat d’analyse valide\u00a0: le champ «\u00a0scan.',
    );
    expect(invalid.stderr).not.toMatch(/Invalid input|expected|received/);
  });
});
