import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../app/contract/index.js';
import { renderJson } from '../../app/report/json.js';
import { buildReportModel } from '../../app/report/model.js';
import { renderNmapXml } from '../../app/report/nmap-xml-export.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { pdfDefinition } from '../../app/report/pdf.js';

/**
 * Issue 13 rev13user F4: the report of an nmap file cut short (no `<runstats>`, no `</nmaprun>`:
 * nmap stopped) gave "Scan duration 0.0 s" and "Scan cancelled before the end". Nobody cancelled
 * it and its duration is not known: the PDF says "unknown: nmap scan interrupted" and
 * "interrupted", the JSON summary `interrupted` with no duration, the nmap XML export no "cancelled
 * by the user"; a scan the user cancelled is still said to be cancelled.
 */
const fixture = readFileSync(new URL('../fixtures/nmap/loopback-sT.xml', import.meta.url), 'utf8');
const now = new Date('2026-11-30T12:00:00.000Z');
/** The same file as nmap leaves it when stopped mid-run: no run statistics, no closing tag. */
const cut = fixture.slice(0, fixture.indexOf('<runstats>'));

/** Every string the PDF lays out, as pdfmake gets them. */
function laidOut(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(laidOut);
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(laidOut);
}

function interrupted(): ScanResult {
  const scan = importNmapXml(cut, { now }).scan;
  expect(scan.cancelled).toBe(true);
  return scan;
}

const words = {
  fr: {
    duration: 'inconnue\u00a0: analyse nmap interrompue',
    stopped:
      'Analyse nmap interrompue avant la fin\u00a0: ce rapport ne contient que les hôtes que nmap avait finis.',
    cancelled:
      'Analyse annulée avant la fin\u00a0: ce rapport ne contient que les résultats partiels.',
    zero: '0,0\u00a0s',
  },
  en: {
    duration: 'unknown: nmap scan interrupted',
    stopped:
      'nmap scan interrupted before the end: this report holds only the hosts nmap had finished.',
    cancelled: 'Scan cancelled before the end: this report holds partial results only.',
    zero: '0.0 s',
  },
} as const;

describe('the report of an interrupted nmap file', () => {
  it.each(['fr', 'en'] as const)(
    '%s PDF: duration unknown, interrupted, never cancelled',
    (lang) => {
      const strings = laidOut(
        pdfDefinition(buildReportModel({ scan: interrupted(), pcName: 'pc' }), lang).content,
      );
      expect(strings).toContain(words[lang].duration);
      expect(strings).toContain(words[lang].stopped);
      expect(strings).not.toContain(words[lang].cancelled);
      expect(strings.some((s) => s.includes(words[lang].zero))).toBe(false);
    },
  );

  it('JSON: no duration, interrupted, not cancelled; nmap XML: not "cancelled by the user"', () => {
    const scan = interrupted();
    const json = JSON.parse(
      renderJson(buildReportModel({ scan, pcName: 'pc' }), { scan, pcName: 'pc' }, 'en', now),
    ) as { summary: Record<string, unknown> };
    expect(json.summary).toMatchObject({ durationMs: null, cancelled: false, interrupted: true });
    const xml = renderNmapXml(scan);
    expect(xml).not.toContain('cancelled by the user');
    expect(xml).toContain('exit="error" errormsg="nmap run interrupted before its end"');
  });

  it.each(['fr', 'en'] as const)('%s: a scan the user cancelled is still “cancelled”', (lang) => {
    const whole = importNmapXml(fixture, { now }).scan;
    const { source: _nmap, ...engine } = whole;
    const scan: ScanResult = { ...engine, cancelled: true };
    const model = buildReportModel({ scan, pcName: 'pc' });
    expect(model).toMatchObject({ interrupted: false });
    expect(model.durationMs).not.toBeNull();
    expect(laidOut(pdfDefinition(model, lang).content)).toContain(words[lang].cancelled);
    expect(renderNmapXml(scan)).toContain('errormsg="cancelled by the user"');
  });

  it('a JSON report of an interrupted nmap run, imported again, is still “interrupted” (review F11)', () => {
    const run = interrupted();
    if (run.source?.kind !== 'nmap') throw new Error('the fixture is an nmap import');
    const scan: ScanResult = {
      ...run,
      source: { kind: 'json-report', fileName: 'report.json', madeHere: false, nmap: run.source },
    };
    const model = buildReportModel({ scan, pcName: 'pc' });
    expect(model).toMatchObject({ interrupted: true, durationMs: null });
    expect(laidOut(pdfDefinition(model, 'en').content)).not.toContain(words.en.cancelled);
    expect(renderNmapXml(scan)).toContain('errormsg="nmap run interrupted before its end"');
  });
});
