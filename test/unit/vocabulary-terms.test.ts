import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Language, ScanResult } from '../../app/contract/index.js';
import { notShownText, programLabel } from '../../app/contract/vocabulary.js';
import { buildReportModel } from '../../app/report/model.js';
import { pdfDefinition } from '../../app/report/pdf.js';
import { renderCsv } from '../../app/report/csv.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase, serviceName } from '../../app/risk/knowledge-base.js';
import { textFor } from '../../app/text/catalogue.js';
import { CATALOGUE, NAMESPACES } from '../../app/text/locales/index.js';
import { formatScanResult } from '../../main/cli/format.js';

// Review of issue 15 (new user), #11: the page said "niveau de risque", the CLI "RISQUE" and
// "Verdicts des ports ouverts", the PDF "Gravité" and "Pire gravité"; hidden ports were "Non
// affichés : 1 027 ports fermés" (CLI), "Ports non affichés : fermés 1 027" (page) and "non
// listés : 1027 fermés" (PDF); a program was "python3 (PID 15391)" in the page and the CLI but
// "python3 (15391)" in the PDF. Each concept now has one name, the vocabulary's, which every
// surface takes from the catalogue.

const LANGUAGES: Language[] = ['fr', 'en'];

const scan: ScanResult = {
  scanId: 'terms',
  request: {
    targets: '127.0.0.1,10.77.0.5',
    ports: '1-1024',
    skipDiscovery: false,
    confirmed: false,
  },
  addresses: 2,
  portCount: 1024,
  notes: [],
  startedAt: '2026-01-01T10:00:00.000Z',
  finishedAt: '2026-01-01T10:00:01.000Z',
  cancelled: false,
  hosts: [
    {
      address: '127.0.0.1',
      family: 'ipv4',
      isLocal: true,
      status: 'up',
      reason: 'localhost',
      ports: [{ port: 4444, protocol: 'tcp', state: 'open', reason: 'syn-ack' }],
      hidden: { open: 0, closed: 1023, filtered: 0 },
    },
    {
      address: '10.77.0.5',
      family: 'ipv4',
      isLocal: false,
      status: 'up',
      reason: 'syn-ack',
      ports: [{ port: 445, protocol: 'tcp', state: 'open', reason: 'syn-ack' }],
      hidden: { open: 0, closed: 1021, filtered: 2 },
    },
  ],
};
const program = { pid: 15391, name: 'python3', path: '/usr/bin/python3' };
const assessment = assessHosts(
  scan.hosts,
  [{ protocol: 'tcp', address: '127.0.0.1', port: 4444, program }],
  knowledgeBase(),
);

/** The vocabulary's words for `key` (`term.riskLevel`…), as i18next writes them. */
function term(language: Language, key: string, params: Record<string, unknown> = {}): string {
  return String(textFor(language, 'vocabulary')(key, params));
}

/** Every string of a catalogue tree with its key. */
function strings(tree: unknown, prefix = ''): [string, string][] {
  if (typeof tree === 'string') return [[prefix, tree]];
  if (typeof tree !== 'object' || tree === null) return [];
  return Object.entries(tree).flatMap(([k, v]) => strings(v, prefix ? `${prefix}.${k}` : k));
}

describe('one name per concept on the page, in the CLI and in the PDF', () => {
  it('names a program with its PID the same way in both languages, and the name alone with none', () => {
    const raw = (l: Language) => (CATALOGUE[l].vocabulary as { term: { program: string } }).term;
    expect(raw('fr').program).toBe(raw('en').program);
    expect(programLabel('python3', 15391)).toBe('python3 (PID 15391)');
    expect(programLabel('python3', 0)).toBe('python3');
  });

  it.each(LANGUAGES)(
    'the CLI takes the risk level, hidden ports and programs from the vocabulary (%s)',
    (lang) => {
      const text = formatScanResult(scan, lang, serviceName, assessment);
      const t = textFor(lang);
      expect(text).toContain(term(lang, 'term.riskLevel').toLocaleUpperCase(lang));
      expect(text).toContain(`${term(lang, 'term.openPortsByRiskLevel')}`);
      expect(text).toContain(programLabel('python3', 15391));
      expect(text).toContain(notShownText(scan.hosts[1]!.hidden, (k, p) => String(t(k, p ?? {})))!);
    },
  );

  it.each(LANGUAGES)('the PDF takes the same words (%s)', (lang) => {
    const model = buildReportModel({ scan, assessment, pcName: 'PC' });
    const pdf = JSON.stringify(pdfDefinition(model, lang).content);
    const t = textFor(lang);
    for (const key of ['term.riskLevel', 'term.highestRiskLevel', 'term.openPortsByRiskLevel']) {
      expect(pdf).toContain(`"${term(lang, key)}"`);
    }
    expect(pdf).toContain(programLabel('python3', 15391));
    expect(pdf).toContain(notShownText(scan.hosts[1]!.hidden, (k, p) => String(t(k, p ?? {})))!);
    // The exports name the program as the page does too.
    expect(renderCsv(model, lang)).toContain('python3 (PID 15391)');
  });

  it('the page’s labels nest the vocabulary’s keys, and its components call its functions', () => {
    for (const lang of LANGUAGES) {
      const risk = CATALOGUE[lang].risk as { summary: { label: string }; host: { worst: string } };
      expect(risk.summary.label).toBe('$t(vocabulary:term.openPortsByRiskLevel)');
      expect(risk.host.worst).toMatch(/^\$t\(vocabulary:term\.highestRiskLevel\)\u00a0?:$/);
      expect(String(textFor(lang, 'risk')('host.worst'))).toContain(
        term(lang, 'term.highestRiskLevel'),
      );
    }
    const source = (file: string) =>
      readFileSync(new URL(`../../renderer/features/${file}`, import.meta.url), 'utf8');
    expect(source('scan/HostCard.tsx')).toMatch(/notShownText\(/);
    expect(source('risk/PortVerdict.tsx')).toMatch(/programLabel\(/);
  });

  it('leaves no other word for the risk level in any catalogue string', () => {
    for (const lang of LANGUAGES) {
      for (const ns of NAMESPACES) {
        for (const [key, text] of strings(CATALOGUE[lang][ns])) {
          // Placeholders and nested keys are code, not words.
          const words = text.replace(/\{\{[^}]*\}\}|\$t\([^)]*\)/g, '');
          expect(words, `${lang}/${ns}:${key}`).not.toMatch(/gravit|\bseverit/i);
          expect(words, `${lang}/${ns}:${key}`).not.toMatch(/\bRISQUE\b|\bRISK\b/);
        }
      }
    }
  });
});
