import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../app/errors.js';
import {
  importNmapXml,
  importNmapXmlFile,
  MAX_NMAP_XML_BYTES,
  MAX_XML_DEPTH,
  NmapXmlReader,
} from '../../app/report/nmap-xml-import.js';

const fixture = readFileSync(new URL('../fixtures/nmap/loopback-sT.xml', import.meta.url), 'utf8');
const now = new Date('2026-11-30T12:00:00.000Z');
const dir = mkdtempSync(join(tmpdir(), `pa-nmap-stream-${process.pid}-`));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The import of `text` handed over in pieces of `size` characters. */
function inPieces(text: string, size: number) {
  const reader = new NmapXmlReader({ now });
  for (let i = 0; i < text.length; i += size) reader.write(text.slice(i, i + size));
  return reader.end();
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppFailure) return error.appError.code;
    throw error;
  }
  throw new Error('did not throw');
}

describe('nmap XML read as it streams in', () => {
  const whole = importNmapXml(fixture, { now });

  it('gives the same import whatever the pieces, one character at a time included', () => {
    for (const size of [1, 7, 4096]) expect(inPieces(fixture, size)).toEqual(whole);
  });

  it('shows a reference to a character XML does not allow as U+FFFD, even cut between pieces', () => {
    const escapes = fixture.replace(
      '<hostnames>\n</hostnames>',
      '<hostnames><hostname name="cam&#27;]0;x&#x7;era" type="PTR"/></hostnames>',
    );
    for (const size of [1, 3, 4096])
      expect(inPieces(escapes, size).scan.hosts[0]?.hostname).toBe('cam\ufffd]0;x\ufffdera');
  });

  it('finds entity declarations and a cut file’s later hosts across the seams of pieces', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE nmaprun [<!ENTITY a "a">]><nmaprun scanner="nmap"/>`;
    expect(() => inPieces(bomb, 3)).toThrow(AppFailure);
    const broken = fixture.replace('<status ', '<status <').concat('</host>');
    expect(() => inPieces(broken, 5)).toThrow(/ligne|line/);
  });

  it('tells a file cut short from one broken inside, whatever the pieces', () => {
    const end = fixture.indexOf('</host>') + '</host>'.length;
    // Cut short: broken only after its last complete host.
    const cut = `${fixture.slice(0, end)}\n<runstats><finished time="1795464333" <`;
    for (const size of [1, 5, 4096]) expect(inPieces(cut, size).scan.cancelled).toBe(true);
    // Broken inside, then ending as a run does (white space after it included).
    const broken = `${fixture.replace('</host>', '</host><host></hots>').trimEnd()}\n\n\n\n\n\n\n\n`;
    for (const size of [1, 5, 4096]) expect(() => inPieces(broken, size)).toThrow(/line \d/);
  });

  it('says a run stopped before its first host was finished has nothing to import, in fr and en', () => {
    const headerOnly = fixture.slice(0, fixture.indexOf('<host'));
    const inFirstPort = fixture.slice(0, fixture.indexOf('<port ') + 12);
    for (const text of [headerOnly, inFirstPort]) {
      for (const size of [1, 4096]) {
        let failure: AppFailure | undefined;
        try {
          inPieces(text, size);
        } catch (error) {
          failure = error as AppFailure;
        }
        expect(failure?.appError.code).toBe('report.nmap-interrupted-empty');
        expect(failure?.appError.message.fr).toMatch(
          /^Analyse nmap interrompue avant la fin de son premier hôte\u00a0: le fichier n’a aucun hôte complet à importer\./,
        );
        expect(failure?.appError.message.en).toMatch(
          /^The nmap run was interrupted before its first host was finished/,
        );
        expect(JSON.stringify(failure?.appError)).not.toContain('Unclosed');
      }
    }
  });

  it('reads a file from its path as the text import does, UTF-16 (PowerShell) included', async () => {
    const utf8 = join(dir, 'utf8.xml');
    writeFileSync(utf8, fixture);
    expect(await importNmapXmlFile(utf8, { now })).toEqual(whole);
    const utf16 = join(dir, 'utf16.xml');
    writeFileSync(
      utf16,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fixture, 'utf16le')]),
    );
    expect(await importNmapXmlFile(utf16, { now })).toEqual(whole);
  });

  it('imports the complete hosts of a file cut short', async () => {
    const cut = join(dir, 'cut.xml');
    writeFileSync(cut, fixture.slice(0, fixture.indexOf('</host>') + '</host>'.length + 40));
    const { scan } = await importNmapXmlFile(cut, { now });
    expect(scan.hosts).toHaveLength(1);
    expect(scan.cancelled).toBe(true);
  });

  it('refuses a file over the limit from its size, without reading it', async () => {
    const huge = join(dir, 'huge.xml');
    writeFileSync(huge, '');
    // Sparse: 200 MB on paper, nothing on disk, and nothing read.
    truncateSync(huge, 200 * 1024 * 1024);
    expect(MAX_NMAP_XML_BYTES).toBeLessThan(200 * 1024 * 1024);
    expect(await codeOf(importNmapXmlFile(huge))).toBe('report.nmap-too-large');
  });
});

describe('hostile nmap XML shapes (issue 13 attacker review F2)', () => {
  const whole = importNmapXml(fixture, { now });
  const hostEnd = fixture.indexOf('</host>');

  function codeOfSync(run: () => unknown): string {
    try {
      run();
    } catch (error) {
      if (error instanceof AppFailure) return error.appError.code;
      throw error;
    }
    throw new Error('did not throw');
  }

  it('imports the hosts of a file with 100,000 unknown elements in a host and in the run', () => {
    const noise = '<a x="1"><b>text</b></a>'.repeat(100_000);
    const script = `<script id="ssl-cert" output="${'x'.repeat(100_000)}"><table>${'<elem>y</elem>'.repeat(1000)}</table></script>`;
    const padded = fixture
      .replace('<verbose level="0"/>', `<verbose level="0"/>${noise}`)
      .replace('<times srtt', `${noise}<hostscript>${script}</hostscript><times srtt`);
    const result = importNmapXml(padded, { now });
    expect(result.scan.hosts).toEqual(whole.scan.hosts);
    expect(result.scan.notes).toEqual(whole.scan.notes);
  });

  it('keeps the first of the elements nmap writes once (a port’s state) and ignores the rest', () => {
    const extra = '<state state="closed" reason="reset"/>'.repeat(10_000);
    const twice = fixture.replace(
      '<port protocol="tcp" portid="23"><state state="open" reason="syn-ack" reason_ttl="0"/>',
      `<port protocol="tcp" portid="23"><state state="open" reason="syn-ack" reason_ttl="0"/>${extra}`,
    );
    expect(importNmapXml(twice, { now }).scan.hosts).toEqual(whole.scan.hosts);
  });

  it('reads unknown elements nested 20 deep, refuses nesting deeper than nmap ever writes', () => {
    const nested = (depth: number) =>
      `${fixture.slice(0, hostEnd)}${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}${fixture.slice(hostEnd)}`;
    expect(importNmapXml(nested(20), { now }).scan.hosts).toEqual(whole.scan.hosts);
    expect(codeOfSync(() => importNmapXml(nested(MAX_XML_DEPTH), { now }))).toBe(
      'report.nmap-hostile',
    );
    // Never closed (the review's deep.xml): refused at the depth, not read as a cut file.
    const deep = `<nmaprun scanner="nmap"><host><address addr="192.168.1.5" addrtype="ipv4"/>${'<a>'.repeat(100_000)}`;
    expect(() => importNmapXml(deep, { now })).toThrow(/32/);
  });

  it('refuses a host with more ports than two protocols have', () => {
    const ports = Array.from(
      { length: 2 * 65_536 + 1 },
      (_, i) =>
        `<port protocol="${i % 2 ? 'udp' : 'tcp'}" portid="${i >> 1}"><state state="closed" reason="reset"/></port>`,
    ).join('');
    const many = fixture.replace('<ports>', `<ports>${ports}`);
    expect(codeOfSync(() => importNmapXml(many, { now }))).toBe('report.nmap-hostile');
  });
});
