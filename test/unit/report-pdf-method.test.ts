import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../app/contract/index.js';
import { PORT_REASON_LABEL } from '../../app/contract/vocabulary.js';
import { buildReportModel } from '../../app/report/model.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { pdfDefinition, renderPdf } from '../../app/report/pdf.js';

// Review 15b: the PDF's Method section names probe answers in words, and the service column of
// a device's table never cuts a word in two.

const run = promisify(execFile);
const fixture = readFileSync(new URL('../fixtures/nmap/loopback-sT.xml', import.meta.url), 'utf8');
const now = new Date('2026-11-30T12:00:00.000Z');
const dir = mkdtempSync(path.join(os.tmpdir(), 'pa-pdf-method-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every string the PDF lays out, as pdfmake gets them. */
function laidOut(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(laidOut);
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(laidOut);
}

/** One word with no break opportunity: too wide for the column as it was (70 pt). */
const LONG = 'MicrosoftWindowsRpcOverHttp';

function model(product?: string) {
  const xml = product
    ? fixture.replace(
        '<service name="telnet" method="table" conf="3"/>',
        `<service name="telnet" product="${product}" version="1.0" method="probed" conf="10"/>`,
      )
    : fixture;
  return buildReportModel({ scan: importNmapXml(xml, { now }).scan, pcName: 'pc' });
}

describe('the PDF in words', () => {
  it.each(['fr', 'en'] as const)(
    '%s: the Method table gives each answer in words, no code',
    (lang) => {
      const strings = laidOut(pdfDefinition(model(), lang).content);
      for (const [code, words] of Object.entries(PORT_REASON_LABEL)) {
        expect(strings).not.toContain(code);
        expect(strings).toContain(words[lang]);
      }
      expect(strings).toContain(
        lang === 'fr'
          ? 'Le port est ouvert\u00a0: un service accepte les connexions.'
          : 'The port is open: a service accepts connections.',
      );
    },
  );

  // Review 15 N4: the engine's Method said "without sending data to the service" in a report that
  // shows the HTTP answer and certificate service detection asked for.
  it.each(['fr', 'en'] as const)(
    '%s: the engine Method says what service detection sends',
    (lang) => {
      const scan: ScanResult = {
        scanId: 'n4',
        request: { targets: '127.0.0.1', ports: '80', skipDiscovery: false, confirmed: false },
        addresses: 1,
        portCount: 1,
        notes: [],
        startedAt: '2026-12-02T09:00:00.000Z',
        finishedAt: '2026-12-02T09:00:01.000Z',
        cancelled: false,
        hosts: [],
      };
      const text = laidOut(
        pdfDefinition(buildReportModel({ scan, pcName: 'pc' }), lang).content,
      ).join('\n');
      expect(text).not.toMatch(/sans envoyer de données|without sending data/);
      expect(text).toContain(
        lang === 'fr'
          ? 'une requête HTTP «\u00a0HEAD /\u00a0» sur les ports 80, 8000, 8008, 8080, 8888, une négociation TLS puis «\u00a0HEAD /\u00a0» dans la session chiffrée sur les ports 443, 8443.'
          : 'an HTTP “HEAD /” request on ports 80, 8000, 8008, 8080, 8888, a TLS handshake then “HEAD /” inside the encrypted session on ports 443, 8443.',
      );
    },
  );

  it('a long service or product word is never cut mid-word in the device table', async () => {
    const file = path.join(dir, 'long.pdf');
    writeFileSync(file, await renderPdf(model(LONG), 'en'));
    const { stdout } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-']);
    expect(stdout).toContain(LONG);
  });
});

// Review 13 N1: the Method of an nmap import said open|filtered "becomes filtered" while the
// device pages (and the import itself) keep it "open or filtered". One true statement now.
describe('the Method of an nmap import on nmap’s intermediate states', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<nmaprun scanner="nmap" args="nmap -sS -sU -p T:22,25,110,U:161 -oX - 127.0.0.1" start="1795464333" version="7.93" xmloutputversion="1.05">
<scaninfo type="syn" protocol="tcp" numservices="3" services="22,25,110"/>
<scaninfo type="udp" protocol="udp" numservices="1" services="161"/>
<host starttime="1795464333" endtime="1795464334"><status state="up" reason="user-set" reason_ttl="0"/>
<address addr="127.0.0.1" addrtype="ipv4"/>
<ports>
<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="64"/></port>
<port protocol="tcp" portid="25"><state state="closed|filtered" reason="no-response" reason_ttl="0"/></port>
<port protocol="tcp" portid="110"><state state="unfiltered" reason="reset" reason_ttl="64"/></port>
<port protocol="udp" portid="161"><state state="open|filtered" reason="no-response" reason_ttl="0"/></port>
</ports>
</host>
<runstats><finished time="1795464334" elapsed="1.00" exit="success"/><hosts up="1" down="0" total="1"/></runstats>
</nmaprun>
`;
  const scan = importNmapXml(xml, { now }).scan;

  it('keeps open|filtered, makes closed|filtered filtered and unfiltered closed, as the Method says', () => {
    const states = Object.fromEntries(
      scan.hosts[0]!.ports.map((p) => [`${p.port}/${p.protocol}`, p.state]),
    );
    expect(states).toEqual({
      '22/tcp': 'open',
      '25/tcp': 'filtered',
      '110/tcp': 'closed',
      '161/udp': 'open|filtered',
    });
  });

  it.each([
    [
      'fr',
      'Deux états intermédiaires de nmap sont ramenés à ceux de ce rapport\u00a0: «\u00a0closed|filtered\u00a0» devient filtré, «\u00a0unfiltered\u00a0» devient fermé. «\u00a0open|filtered\u00a0» reste «\u00a0ouvert ou filtré\u00a0», comme chez nmap et dans les pages de chaque appareil\u202f; ces ports ne sont comptés ni comme ouverts ni comme fermés.',
      'ouvert ou filtré',
    ],
    [
      'en',
      'Two of nmap’s intermediate states are brought to this report’s: “closed|filtered” becomes filtered, “unfiltered” becomes closed. “open|filtered” stays “open or filtered”, as in nmap and on each device’s pages; such ports are counted neither as open nor as closed.',
      'open or filtered',
    ],
  ] as const)('%s: one statement, the one the device pages keep', (lang, said, stateWords) => {
    const text = laidOut(
      pdfDefinition(buildReportModel({ scan, pcName: 'pc' }), lang).content,
    ).join('\n');
    expect(text).toContain(said);
    // Nothing says open|filtered becomes filtered any more.
    expect(text).not.toMatch(/open\|filtered[^.]*(deviennent|become) filtr/);
    // And the device's own part prints the state so.
    expect(text).toContain(stateWords);
  });
});
