import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReportModel } from '../../app/report/model.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { PDF_WORD_CHARS, renderPdf, withShortWords } from '../../app/report/pdf.js';

// Review 15, R7: the PDF cut a program's path inside its file name ("…/bin/python3" then ".11").
// A long path is cut after a separator, so folders and the file name stay whole.

const run = promisify(execFile);
const fixture = readFileSync(new URL('../fixtures/nmap/loopback-sT.xml', import.meta.url), 'utf8');
const now = new Date('2026-11-30T12:00:00.000Z');
const dir = mkdtempSync(path.join(os.tmpdir(), 'pa-pdf-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINUX = '/root/.pyenv/versions/3.11.7/bin/python3.11';
const WINDOWS =
  'C:\\Users\\Anne-Sophie\\AppData\\Local\\Programs\\VendorTool\\bin\\vendor-agent.exe';

describe('a long path in the PDF is cut after its separators only', () => {
  it('keeps a Linux file name whole', () => {
    expect(LINUX.length).toBeGreaterThan(PDF_WORD_CHARS);
    expect(withShortWords(`exécutable «\u00a0${LINUX}\u00a0».`)).toBe(
      'exécutable «\u00a0/root/.pyenv/versions/3.11.7/bin/\npython3.11\u00a0».',
    );
  });

  it('keeps Windows folders and the file name whole', () => {
    const cut = withShortWords(`executable “${WINDOWS}”.`);
    expect(cut.replace(/\n/g, '')).toBe(`executable “${WINDOWS}”.`);
    for (const line of cut.split('\n').slice(0, -1)) expect(line).toMatch(/\\$/);
    expect(cut).toContain('\nvendor-agent.exe”.');
    expect(Math.max(...cut.split(/\s/).map((w) => w.length))).toBeLessThanOrEqual(PDF_WORD_CHARS);
  });

  it('still cuts a run with no separator at PDF_WORD_CHARS, never inside a surrogate pair', () => {
    const word = '😀'.repeat(PDF_WORD_CHARS + 5);
    const cut = withShortWords(word).split('\n');
    expect(cut.map((piece) => Array.from(piece).length)).toEqual([PDF_WORD_CHARS, 5]);
  });

  it('prints the program’s file name on one line of the rendered PDF', async () => {
    const model = buildReportModel({ scan: importNmapXml(fixture, { now }).scan, pcName: 'pc' });
    const port = model.hosts[0]!.ports.find((p) => p.state === 'open')!;
    port.reasons = [
      {
        fr: `Ouvert par «\u00a0python3\u00a0» (PID 14258), exécutable «\u00a0${LINUX}\u00a0».`,
        en: `Opened by “python3” (PID 14258), executable “${LINUX}”.`,
      },
    ];
    for (const lang of ['fr', 'en'] as const) {
      const file = path.join(dir, `${lang}.pdf`);
      writeFileSync(file, await renderPdf(model, lang));
      const { stdout } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-']);
      expect(stdout).toContain('python3.11');
    }
  });
});
