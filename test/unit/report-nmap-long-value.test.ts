import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../app/errors.js';
import {
  importNmapXml,
  importNmapXmlFile,
  MAX_XML_VALUE,
  NmapXmlReader,
} from '../../app/report/nmap-xml-import.js';
import { bothLanguages } from '../../app/text/catalogue.js';

/**
 * Issue 13 rev13hostile F3: an nmap file with a 7 MB attribute was buffered whole by sax (its
 * limit raised to 8 MiB) and refused by the import thread's heap as "needs more memory: import it
 * as several smaller files", advice that cannot help. A name or value longer than nmap writes is
 * refused as a booby-trapped file, as the DTD and depth refusals are, once sax has read
 * MAX_XML_VALUE characters of it: never the rest of it.
 */
const fixture = readFileSync(new URL('../fixtures/nmap/loopback-sT.xml', import.meta.url), 'utf8');
const now = new Date('2026-11-30T12:00:00.000Z');
const dir = mkdtempSync(join(tmpdir(), `pa-nmap-long-value-${process.pid}-`));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PIECE = 64 * 1024;
const refusal = bothLanguages('errors:report.nmap-hostile.length', { max: MAX_XML_VALUE });

/** The fixture with `insert` put where `<service name="telnet"` was, split around the long part. */
function around(open: string, close: string): [string, string] {
  const at = fixture.indexOf('<service name="telnet"');
  const end = fixture.indexOf('/>', at) + 2;
  return [`${fixture.slice(0, at)}${open}`, `${close}${fixture.slice(end)}`];
}

/**
 * Feeds `head`, then `length` characters "A" in pieces, then `tail`, to a reader; the refusal
 * thrown and how many of the long part's characters had been written when it came.
 */
function feed(head: string, length: number, tail: string): { error: unknown; written: number } {
  const reader = new NmapXmlReader({ now });
  let written = 0;
  try {
    reader.write(head);
    const piece = 'A'.repeat(PIECE);
    while (written < length) {
      const size = Math.min(PIECE, length - written);
      reader.write(size === PIECE ? piece : piece.slice(0, size));
      written += size;
    }
    reader.write(tail);
    reader.end();
  } catch (error) {
    return { error, written };
  }
  return { error: null, written };
}

function expectRefused(error: unknown): void {
  expect(error).toBeInstanceOf(AppFailure);
  const { appError } = error as AppFailure;
  expect(appError.code).toBe('report.nmap-hostile');
  expect(appError.message).toEqual(refusal);
}

describe('a name or value longer than nmap writes', () => {
  it('says the file may be booby-trapped, fr and en, in the words of the other refusals', () => {
    expect(refusal.fr).toMatch(
      /^Fichier XML refusé\u00a0: .* Il peut s’agir d’un fichier piégé\.$/,
    );
    expect(refusal.en).toMatch(/^XML file refused: .* It may be a booby-trapped file\.$/);
  });

  it.each([
    ['an attribute of an element the import reads', '<service name="', '"/>'],
    ['an attribute of an element it skips', '<unknown x="', '"/>'],
    ['a comment', '<!--', '-->'],
  ])('%s: refused once sax has read MAX_XML_VALUE characters of it', (_what, open, close) => {
    const [head, tail] = around(open, close);
    const { error, written } = feed(head, 7_000_000, tail);
    expectRefused(error);
    // Refused while the value streamed in, not at its end: the memory it took is bounded.
    expect(written).toBeGreaterThan(MAX_XML_VALUE - PIECE);
    expect(written).toBeLessThanOrEqual(MAX_XML_VALUE + PIECE);
  });

  it('a generated file of a few MB is refused the same way from its path', async () => {
    const [head, tail] = around('<service name="', '"/>');
    const file = join(dir, 'bigattr.xml');
    writeFileSync(file, `${head}${'A'.repeat(3_000_000)}${tail}`);
    expectRefused(await importNmapXmlFile(file, { now }).catch((error: unknown) => error));
  });

  it('a long text is handed over in pieces, never refused: nmap’s script output may be long', () => {
    const [head, tail] = around('<unknown>', '</unknown>');
    const { error } = feed(head, 3_000_000, tail);
    expect(error).toBeNull();
  });

  it('a value as long as nmap’s longest is still read', () => {
    // A service name is kept to its first characters; the file is read, not refused.
    const [head, tail] = around('<service name="', '"/>');
    const long = importNmapXml(`${head}${'A'.repeat(MAX_XML_VALUE - 16)}${tail}`, { now });
    expect(long.scan.hosts).toHaveLength(1);
  });
});
