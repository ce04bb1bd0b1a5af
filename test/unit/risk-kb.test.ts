import { describe, expect, it } from 'vitest';
import kbData from '../../assets/data/ports-kb.json' with { type: 'json' };
import { RiskCategory, Severity } from '../../app/contract/risk.js';
import { AppFailure } from '../../app/errors.js';
import { rangeOfPort } from '../../app/risk/kb-schema.js';
import { buildKnowledgeBase, ianaService, knowledgeBase } from '../../app/risk/knowledge-base.js';

describe('port knowledge base', () => {
  const kb = knowledgeBase();

  it('loads, validates and holds at least 100 entries', () => {
    expect(kb.entries.length).toBeGreaterThanOrEqual(100);
  });

  it('gives every entry a reason and an advice in both languages and a valid severity', () => {
    for (const entry of kb.entries) {
      const where = `${entry.port}/${entry.protocols.join('+')}`;
      expect(Severity.options, where).toContain(entry.severity);
      for (const text of [entry.reason, entry.advice]) {
        expect(text.fr.trim().length, where).toBeGreaterThan(10);
        expect(text.en.trim().length, where).toBeGreaterThan(10);
        expect(text.fr, `${where} French differs from English`).not.toBe(text.en);
      }
      expect(entry.range, where).toBe(rangeOfPort(entry.port));
      expect(RiskCategory.options, where).toContain(entry.category);
    }
  });

  it('writes French with the typographic apostrophe (’), never a straight one between letters', () => {
    const straight: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'fr' && typeof value === 'string') {
            if (/\p{L}'\p{L}/u.test(value)) straight.push(value);
          } else walk(value);
        }
      }
    };
    walk(kbData);
    expect(straight).toEqual([]);
  });

  it('covers every category the product promises', () => {
    const need: Array<[number, 'tcp' | 'udp']> = [
      [3389, 'tcp'],
      [5900, 'tcp'],
      [5985, 'tcp'],
      [22, 'tcp'],
      [23, 'tcp'],
      [5938, 'tcp'],
      [7070, 'tcp'],
      [445, 'tcp'],
      [139, 'tcp'],
      [137, 'udp'],
      [21, 'tcp'],
      [2049, 'tcp'],
      [1433, 'tcp'],
      [3306, 'tcp'],
      [5432, 'tcp'],
      [1521, 'tcp'],
      [27017, 'tcp'],
      [6379, 'tcp'],
      [9200, 'tcp'],
      [11211, 'tcp'],
      [11211, 'udp'],
      [5984, 'tcp'],
      [4444, 'tcp'],
      [31337, 'tcp'],
      [12345, 'tcp'],
      [1243, 'tcp'],
      [6667, 'tcp'],
      [2323, 'tcp'],
      [554, 'tcp'],
      [1900, 'udp'],
      [5000, 'tcp'],
      [53, 'udp'],
      [123, 'udp'],
      [161, 'udp'],
      [80, 'tcp'],
      [443, 'tcp'],
      [631, 'tcp'],
      [9100, 'tcp'],
    ];
    for (const [port, protocol] of need) {
      expect(kb.byPort(port, protocol), `${port}/${protocol}`).toBeDefined();
    }
    const categories = new Set(kb.entries.map((e) => e.category));
    for (const c of [
      'remote-admin',
      'file-sharing',
      'database',
      'backdoor',
      'iot',
      'amplification',
      'web',
      'printing',
    ]) {
      expect(categories).toContain(c);
    }
    for (const port of [80, 443, 53, 631, 9100]) {
      expect(kb.byPort(port, 'tcp')?.severity, String(port)).toBe('info');
    }
  });

  it('cites the advisories that made the big ports famous', () => {
    const labels = (port: number) => kb.byPort(port, 'tcp')?.references.map((r) => r.label) ?? [];
    expect(labels(445)).toContain('MS17-010');
    expect(labels(3389)).toContain('CVE-2019-0708');
    expect(kb.byPort(4444, 'tcp')?.severity).toBe('critical');
    expect(kb.byPort(4444, 'tcp')?.category).toBe('backdoor');
    expect(labels(4444).length).toBeGreaterThan(0);
  });

  it('rejects a knowledge base with a missing language, a bad severity or a wrong range', () => {
    const first = kbData.entries[0]!;
    const withEntry = (entry: unknown) => ({
      ...kbData,
      entries: [entry, ...kbData.entries.slice(1)],
    });
    const attempts = [
      withEntry({ ...first, reason: { fr: first.reason.fr, en: '' } }),
      withEntry({ ...first, severity: 'catastrophic' }),
      withEntry({ ...first, range: 'dynamic' }),
      withEntry({ ...first, advice: { en: first.advice.en } }),
      { ...kbData, entries: kbData.entries.slice(0, 50) },
      { ...kbData, entries: [...kbData.entries, kbData.entries[3]] },
    ];
    for (const bad of attempts) {
      let caught: unknown;
      try {
        buildKnowledgeBase(bad);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AppFailure);
      expect((caught as AppFailure).appError.code).toBe('risk.kb-invalid');
      expect((caught as AppFailure).appError.message.fr).toMatch(/base de connaissances/);
      // From the catalogue (review 15 N5): French typography (U+00A0 before the colon) as the
      // catalogue sets it, which the literal in the code had not.
      const { message } = (caught as AppFailure).appError;
      expect(message.fr).toMatch(
        /^La base de connaissances des ports est invalide \(.*\u00a0: .*\)\.$/,
      );
      expect(message.en).toMatch(/^The port knowledge base is invalid \(.*: .*\)\.$/);
    }
  });

  it('names other ports from the IANA registry, and none for unassigned ones', () => {
    expect(ianaService(6379, 'tcp')?.name).toBe('redis');
    expect(ianaService(4, 'tcp')).toBeNull();
    expect(ianaService(60000, 'tcp')).toBeNull();
  });
});
