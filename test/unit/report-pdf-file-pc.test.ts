import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReportInput, type ScanResult } from '../../app/contract/index.js';
import { reportInputFromFile, scanJsonOf } from '../../app/report/json-import.js';
import { buildReportModel } from '../../app/report/model.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { pdfDefinition } from '../../app/report/pdf.js';
import { useOwnDataDir } from './support/own-data-dir.js';

useOwnDataDir('pdf-file-pc');

// Review finding N3 of issue 13: the PDF of results read back from a JSON file made on another PC
// names that PC as the one that made the file, never as "This PC's name"; a file made on this PC
// keeps "This PC's name".

const fixture = readFileSync(new URL('../fixtures/nmap/loopback-sT.xml', import.meta.url), 'utf8');
const now = new Date('2026-11-30T12:00:00.000Z');
const THIS_PC = 'THIS-PC';
const HERE = new Set(['10.0.0.5']);

/** A `scan --json` file of an engine scan, made on PC `pcName` whose LAN address is `lan`. */
function scanFile(pcName: string | undefined, lan: string): ReportInput {
  const { scan } = importNmapXml(fixture, { now });
  const engine: ScanResult = {
    ...scan,
    source: {
      kind: 'engine',
      method: 'tcp-connect',
      minRtoMs: 100,
      maxRtoMs: 1000,
      initialRtoMs: 1000,
      maxTries: 2,
      maxTriesCap: 4,
      discoveryPorts: [80, 443],
    },
  };
  const { pcName: name, ...written } = scanJsonOf(engine, pcName ?? 'unused', new Set([lan]));
  return ReportInput.parse({ scan: written, ...(pcName !== undefined ? { pcName: name } : {}) });
}

/** Every string the PDF's first page lays out (the cover), as pdfmake gets them. */
function coverStrings(input: ReportInput, lang: 'fr' | 'en'): string[] {
  const read = reportInputFromFile(input, HERE, THIS_PC);
  // With this PC's name when the file gives none, as the app names the PC of a kept scan.
  const model = buildReportModel({ ...read, pcName: read.pcName ?? THIS_PC });
  const laidOut = (value: unknown): string[] => {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.flatMap(laidOut);
    if (typeof value !== 'object' || value === null) return [];
    return Object.values(value).flatMap(laidOut);
  };
  const content = pdfDefinition(model, lang).content as unknown[];
  const end = content.findIndex(
    (c) => typeof c === 'object' && c !== null && 'pageBreak' in c && c.pageBreak === 'before',
  );
  return laidOut(end > 0 ? content.slice(0, end) : content);
}

describe('the PDF cover of a report file (N3)', () => {
  it('names the PC that made a foreign file as the file’s, in French and English', () => {
    const foreign = scanFile('OTHER-PC', '192.0.2.44');
    const en = coverStrings(foreign, 'en');
    expect(en).toContain('Name of the PC that made the file');
    expect(en).toContain('OTHER-PC');
    expect(en).not.toContain('This PC’s name');
    const fr = coverStrings(foreign, 'fr');
    expect(fr).toContain('Nom du PC qui a créé le fichier');
    expect(fr).toContain('OTHER-PC');
    expect(fr).not.toContain('Nom de ce PC');
  });

  it('says the file names no PC when it gives no name', () => {
    const unnamed = scanFile(undefined, '192.0.2.44');
    expect(coverStrings(unnamed, 'en')).toContain('not given in the file');
    expect(coverStrings(unnamed, 'fr')).toContain('non indiqué dans le fichier');
    expect(coverStrings(unnamed, 'en')).not.toContain('This PC’s name');
  });

  it('keeps “This PC’s name” for a file this PC made (its name and one of its addresses)', () => {
    const mine = scanFile(THIS_PC, '10.0.0.5');
    const en = coverStrings(mine, 'en');
    expect(en).toContain('This PC’s name');
    expect(en).toContain(THIS_PC);
    expect(en).not.toContain('Name of the PC that made the file');
    expect(coverStrings(mine, 'fr')).toContain('Nom de ce PC');
  });
});

// Review 13 N3: an nmap import's PDF was titled "… — <this PC's name>" with "Nom de ce PC : vm",
// though nmap ran elsewhere: an nmap file never names the PC that ran it.
describe('the PDF of an nmap import (review 13 N3)', () => {
  const { scan } = importNmapXml(fixture, { now });
  const definition = (lang: 'fr' | 'en') =>
    pdfDefinition(buildReportModel({ scan, pcName: THIS_PC }), lang);
  const strings = (value: unknown): string[] => {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (typeof value !== 'object' || value === null) return [];
    return Object.values(value).flatMap(strings);
  };

  it.each([
    ['fr', 'Nom du PC qui a créé le fichier', 'non indiqué dans le fichier', 'Nom de ce PC'],
    ['en', 'Name of the PC that made the file', 'not given in the file', 'This PC’s name'],
  ] as const)(
    '%s: names the PC that ran nmap as the file’s, unknown; never this PC',
    (lang, label, unknown, thisPc) => {
      const doc = definition(lang);
      const text = strings(doc.content);
      expect(text).toContain(label);
      expect(text).toContain(unknown);
      expect(text).not.toContain(thisPc);
      expect(text.join('\n')).not.toContain(THIS_PC);
      // The document's title and footer give no PC's name either.
      expect(doc.info?.title).toBe(
        lang === 'fr' ? 'Rapport d’audit des ports réseau' : 'Network port audit report',
      );
      const footer = (doc.footer as (page: number, pages: number) => unknown)(1, 2);
      expect(strings(footer).join('\n')).not.toContain(THIS_PC);
    },
  );
});
