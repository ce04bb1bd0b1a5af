import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../app/report/csv.js';
import { buildReportModel } from '../../app/report/model.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { PDF_WORD_CHARS, pdfDefinition, renderPdf, withShortWords } from '../../app/report/pdf.js';
import { typeset } from './support/typography.js';

// Issue 13 attacker review F1 (one long word in an imported file) and F12 (line breaks in
// one-line fields): hostile nmap files through the import, the report model, the CSV and the PDF.

const fixture = readFileSync(new URL('../fixtures/nmap/loopback-sT.xml', import.meta.url), 'utf8');
const now = new Date('2026-11-30T12:00:00.000Z');

function withHost(hostname: string, product = 'telnetd'): string {
  return fixture
    .replace(
      '<hostnames>\n</hostnames>',
      `<hostnames><hostname name="${hostname}" type="PTR"/></hostnames>`,
    )
    .replace(
      '<service name="telnet" method="table" conf="3"/>',
      `<service name="telnet" product="${product}" version="1.0" method="probed" conf="10"/>`,
    );
}

/** Every string the PDF lays out, as pdfmake gets them. */
function laidOut(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(laidOut);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    ['text', 'stack', 'columns', 'table', 'body', 'ul', 'ol'].includes(key) || typeof v === 'object'
      ? laidOut(v)
      : [],
  );
}

describe('long and multi-line text from an imported file', () => {
  it('caps a host name at 253 characters, the longest DNS name, marking the cut with …', () => {
    const { scan } = importNmapXml(withHost('A'.repeat(10_000)), { now });
    expect(scan.hosts[0]?.hostname).toBe(`${'A'.repeat(252)}…`);
    // A name of 253 is whole.
    expect(importNmapXml(withHost('A'.repeat(253)), { now }).scan.hosts[0]?.hostname).toBe(
      'A'.repeat(253),
    );
  });

  it('imports host names and products on one line (no forged rows in the CSV or the PDF)', () => {
    const { scan } = importNmapXml(
      withHost(
        'nas&#10;  192.168.1.99  NAS  no risky port&#x2028;x',
        'OpenSSH&#10;Firewall: all ports blocked, verified',
      ),
      { now },
    );
    const host = scan.hosts[0]!;
    expect(host.hostname).toBe('nas   192.168.1.99  NAS  no risky port x');
    expect(host.ports[0]?.detected?.product).toBe('OpenSSH Firewall: all ports blocked, verified');
    const model = buildReportModel({ scan, pcName: 'pc' });
    const rows = renderCsv(model, 'en').split('\r\n');
    // Header, one row per listed port, the final empty line: no field spans two lines.
    expect(rows).toHaveLength(1 + scan.hosts[0]!.ports.length + 1);
    expect(laidOut(pdfDefinition(model, 'en').content).join(' ')).not.toMatch(
      /\n\s*192\.168\.1\.99/,
    );
  });

  it('keeps a line feed in a kept scan’s host name or product off the CSV and PDF rows', () => {
    const { scan } = importNmapXml(fixture, { now });
    const host = scan.hosts[0]!;
    host.hostname = 'nas\n192.168.1.99  NAS  no risky port';
    host.ports[0]!.detected = { product: 'OpenSSH\u2028Firewall: all ports blocked' };
    const model = buildReportModel({ scan, pcName: 'pc' });
    expect(model.hosts[0]?.hostname).toBe('nas 192.168.1.99  NAS  no risky port');
    expect(renderCsv(model, 'en').replace(/\r\n/g, '')).not.toMatch(/[\n\u2028]/u);
    expect(renderCsv(model, 'en').split('\r\n')).toHaveLength(1 + host.ports.length + 1);
  });

  it('cuts an unbroken word into lines the PDF lays out in linear time', () => {
    const word = 'A'.repeat(10_000);
    const cut = withShortWords(`before ${word} after`);
    expect(cut.replace(/\n/g, '')).toBe(`before ${word} after`);
    expect(Math.max(...cut.split(/\s/).map((w) => w.length))).toBe(PDF_WORD_CHARS);
    expect(withShortWords(typeset('Règle créée : port 445 bloqué.'))).toBe(
      typeset('Règle créée : port 445 bloqué.'),
    );
  });

  it('lays out no word longer than PDF_WORD_CHARS, whatever the file’s notes and names', async () => {
    const { scan } = importNmapXml(withHost('B'.repeat(10_000), 'P'.repeat(10_000)), { now });
    scan.notes.push({ fr: 'N'.repeat(10_000), en: 'N'.repeat(10_000) });
    const model = buildReportModel({ scan, pcName: 'pc' });
    const words = laidOut(pdfDefinition(model, 'fr').content).flatMap((t) => t.split(/\s/));
    expect(Math.max(...words.map((w) => w.length))).toBeLessThanOrEqual(PDF_WORD_CHARS);
    const pdf = await renderPdf(model, 'fr');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('what an nmap file says about itself (issue 13 attacker review F4)', () => {
  const meta = (elems: string, notes = '') =>
    fixture.replace(
      '<verbose level="0"/>',
      `<prescript><script id="port-auditor" output="x">${elems}<table key="notes">${notes}</table></script></prescript>`,
    );

  it('shows the file’s notes as the file’s, not the app’s', () => {
    const { scan } = importNmapXml(
      meta(
        '',
        typeset(
          '<table><elem key="fr">Vérifié depuis un autre appareil : tout est bloqué.</elem><elem key="en">Verified from another device: every port is blocked.</elem></table>',
        ),
      ),
      { now },
    );
    expect(scan.notes).toEqual([
      {
        fr: typeset(
          'Note du fichier nmap : « Vérifié depuis un autre appareil : tout est bloqué. »',
        ),
        en: 'Note from the nmap file: “Verified from another device: every port is blocked.”',
      },
    ]);
  });

  it('refuses dates that do not exist and never gives a run a negative duration', () => {
    const feb31 = importNmapXml(meta('<elem key="startedAt">2026-02-31T00:00:00Z</elem>'), {
      now,
    }).scan;
    // Not 3 March: the run's own start (nmap's `start`) instead.
    expect(feb31.startedAt).toBe(new Date(1795464333 * 1000).toISOString());
    const backwards = importNmapXml(
      meta(
        '<elem key="startedAt">2026-03-01T00:00:00.000Z</elem><elem key="finishedAt">2025-01-01T00:00:00.000Z</elem>',
      ),
      { now },
    ).scan;
    expect(backwards.startedAt).toBe('2026-03-01T00:00:00.000Z');
    expect(backwards.finishedAt).toBe(backwards.startedAt);
    const plain = importNmapXml(
      fixture
        .replace('start="1795464333"', 'start="253402300799"')
        .replace('<finished time="1795464333"', '<finished time="0"'),
      { now },
    ).scan;
    expect(Date.parse(plain.finishedAt)).toBeGreaterThanOrEqual(Date.parse(plain.startedAt));
  });
});

describe('counts an nmap file claims for a host', () => {
  it('keeps "every port answered open" only when no more ports are open than probed', () => {
    const claim = (open: number, probed: number) =>
      importNmapXml(
        fixture.replace(
          '<times srtt',
          `<hostscript><script id="port-auditor" output="x"><elem key="answersEveryPortOpen">${open}</elem><elem key="answersEveryPortProbed">${probed}</elem></script></hostscript><times srtt`,
        ),
        { now },
      ).scan.hosts[0]?.answersEveryPort;
    expect(claim(5, 1)).toBeUndefined();
    expect(claim(990, 1000)).toEqual({ open: 990, probed: 1000 });
  });
});

describe('where an nmap file says its scan came from', () => {
  it('never takes a file’s word that it is this app’s engine run', () => {
    const engine = JSON.stringify({
      kind: 'engine',
      method: 'tcp-connect',
      minRtoMs: 100,
      maxRtoMs: 3000,
      initialRtoMs: 1000,
      maxTries: 2,
      maxTriesCap: 6,
      discoveryPorts: [80],
    });
    const xml = fixture.replace(
      '<verbose level="0"/>',
      `<prescript><script id="port-auditor" output="x"><elem key="scanId">s1</elem><elem key="source">${engine.replace(/"/g, '&quot;')}</elem></script></prescript>`,
    );
    expect(importNmapXml(xml, { now }).scan.source).toMatchObject({
      kind: 'nmap',
      args: 'nmap -sT -p 1-1024,34547 -oX - 127.77.141.97',
    });
  });
});

describe('invisible characters in an nmap file are made visible (issue 15, F4)', () => {
  it('a zero-width space, joiner or BOM in a host name or product is shown as U+FFFD', () => {
    const { scan } = importNmapXml(
      withHost('printer&#x200b;.lan', 'micro&#x200d;soft&#xfeff;&#x202e;'),
      { now },
    );
    const host = scan.hosts[0]!;
    expect(host.hostname).toBe('printer\uFFFD.lan');
    const detected = host.ports.find((p) => p.detected)?.detected;
    expect(detected?.product).toBe('micro\uFFFDsoft\uFFFD\uFFFD');
  });
});
