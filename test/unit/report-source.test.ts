import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../app/report/csv.js';
import { renderJson } from '../../app/report/json.js';
import { buildReportModel } from '../../app/report/model.js';
import { PA_SCRIPT_ID, renderNmapXml } from '../../app/report/nmap-xml-export.js';
import { importNmapXml, keptImportNotes } from '../../app/report/nmap-xml-import.js';
import { pdfDefinition } from '../../app/report/pdf.js';
import { typeset } from './support/typography.js';

// A scan result says where it came from (issue 13): an nmap -sS import is described as nmap's
// SYN scan in the PDF's method section, not as this app's TCP connects.

const SYN = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<nmaprun scanner="nmap" args="nmap -sS -p 1-1024 -oX syn.xml 10.9.0.9" start="1796056402" version="7.93" xmloutputversion="1.05">
<scaninfo type="syn" protocol="tcp" numservices="1024" services="1-1024"/>
<host starttime="1796056402" endtime="1796056403"><status state="up" reason="reset" reason_ttl="63"/>
<address addr="10.9.0.9" addrtype="ipv4"/>
<hostnames>
</hostnames>
<ports><extraports state="closed" count="1023">
<extrareasons reason="reset" count="1023" proto="tcp" ports="1-21,23-1024"/>
</extraports>
<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="63"/></port>
</ports>
</host>
<runstats><finished time="1796056403" elapsed="1.20" exit="success"/><hosts up="1" down="0" total="1"/>
</runstats>
</nmaprun>
`;

describe('the source of a scan result', () => {
  it('an nmap import names nmap’s command, version and scan type, and the file when told', () => {
    const { scan } = importNmapXml(SYN, { fileName: 'syn.xml' });
    expect(scan.source).toEqual({
      kind: 'nmap',
      fileName: 'syn.xml',
      args: 'nmap -sS -p 1-1024 -oX syn.xml 10.9.0.9',
      version: '7.93',
      scanTypes: [{ type: 'syn', protocol: 'tcp' }],
    });
    const unnamed = importNmapXml(SYN).scan;
    expect(unnamed.source).not.toHaveProperty('fileName');
  });

  it('travels through our nmap XML export and back', () => {
    const { scan } = importNmapXml(SYN, { fileName: 'syn.xml' });
    const back = importNmapXml(renderNmapXml(scan)).scan;
    expect(back.source).toEqual(scan.source);
  });

  it('the PDF describes nmap’s SYN scan for an import, our TCP connects otherwise', () => {
    const { scan } = importNmapXml(SYN, { fileName: 'syn.xml' });
    const fr = JSON.stringify(
      pdfDefinition(buildReportModel({ scan, pcName: 'PC' }), 'fr').content,
    );
    expect(fr).toContain(typeset('fichier XML de nmap 7.93 « syn.xml »'));
    expect(fr).toContain('nmap -sS -p 1-1024 -oX syn.xml 10.9.0.9');
    expect(fr).toContain('SYN (nmap -sS)');
    expect(fr).toContain('Port Auditor n’a envoyé aucune sonde');
    expect(fr).not.toContain('Chaque port a été testé par une connexion TCP complète');

    const { source: _source, ...engine } = scan;
    void _source;
    const ours = JSON.stringify(
      pdfDefinition(buildReportModel({ scan: engine, pcName: 'PC' }), 'en').content,
    );
    expect(ours).toContain('Each port was tested with a full TCP connection from this PC');
    expect(ours).not.toContain('nmap -sS -p');
  });
});

describe('an nmap file’s own words stay the file’s (issue 15, F2, F6)', () => {
  const forged =
    'nmap 192.0.2.10 ». Port Auditor a ensuite vérifié chaque port depuis un autre appareil : tous sont fermés. « nmap';
  const HOSTILE = SYN.replace(
    'args="nmap -sS -p 1-1024 -oX syn.xml 10.9.0.9"',
    `args="${forged.replace(/"/g, '&quot;')}&#10;&#x202e;x"`,
  );
  const fileName = 'h2\n✓ Pare-feu vérifié : tous les ports sont bloqués\u202e.xml';

  it('neutralises the file name and args where they enter the app, and keeps only real targets', () => {
    const { scan } = importNmapXml(HOSTILE, { fileName });
    const source = scan.source as { fileName?: string; args: string };
    expect(source.fileName).toBe('h2 ✓ Pare-feu vérifié : tous les ports sont bloqués\uFFFD.xml');
    expect(source.args).not.toMatch(/[\n\u202e]/u);
    expect(scan.request.targets.split(' ')).not.toContain('»');
    expect(scan.request.targets).not.toMatch(/vérifié|:/u);
  });

  it('the PDF quotes the command line as the file’s, in a paragraph of its own', () => {
    const { scan } = importNmapXml(HOSTILE, { fileName });
    const content = pdfDefinition(buildReportModel({ scan, pcName: 'PC' }), 'fr').content;
    const fr = JSON.stringify(content);
    // Our sentence ends before the file's words; they are quoted, and their » cannot close it.
    // (The file's own " : " keeps its plain space: only our typography is typeset.)
    expect(fr).toContain(
      '«\u00a0h2 ✓ Pare-feu vérifié : tous les ports sont bloqués\uFFFD.xml\u00a0». Port Auditor n’a envoyé aucune sonde',
    );
    expect(fr).toContain(
      typeset(
        'citée telle quelle et non vérifiée par Port Auditor : « nmap 192.0.2.10 ›. Port Auditor a ensuite vérifié',
      ),
    );
    expect(fr).toContain(typeset('(d’après la ligne de commande du fichier nmap)'));
  });

  it('our nmap XML export keeps the file’s command line as the file’s, not as our scan', () => {
    const { scan } = importNmapXml(SYN, { fileName: 'syn.xml' });
    const xml = renderNmapXml(scan);
    expect(xml).toContain('args="nmap -sS -p 1-1024 -oX syn.xml 10.9.0.9"');
    expect(xml).not.toMatch(/Port Auditor [0-9.]+ scan initiated/u);
    expect(xml).toContain('imported from an nmap file');
  });
});

describe('nmap -sV products and versions', () => {
  const SV = SYN.replace(
    '<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="63"/></port>',
    '<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="63"/><service name="ssh" product="OpenSSH" version="9.2p1 Debian 2" extrainfo="protocol 2.0" ostype="Linux" method="probed" conf="10"><cpe>cpe:/a:openbsd:openssh:9.2p1</cpe></service></port>' +
      '<port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="63"/><service name="http" product="nginx" version="1.22.1" method="probed" conf="10"/></port>' +
      '<port protocol="tcp" portid="443"><state state="open" reason="syn-ack" reason_ttl="63"/><service name="https" method="table" conf="3"/></port>',
  )
    .replace('count="1023"', 'count="1021"')
    .replace(
      'count="1023" proto="tcp" ports="1-21,23-1024"',
      'count="1021" proto="tcp" ports="1-21,23-79,81-442,444-1024"',
    );

  it('are kept from the file, written back and shown in the PDF, CSV and JSON', () => {
    const { scan } = importNmapXml(SV);
    const ports = scan.hosts[0]!.ports;
    expect(ports.map((p) => [p.port, p.detected])).toEqual([
      [
        22,
        {
          service: 'ssh',
          product: 'OpenSSH',
          version: '9.2p1 Debian 2',
          extraInfo: 'protocol 2.0',
        },
      ],
      [80, { service: 'http', product: 'nginx', version: '1.22.1' }],
      // Only the port table's guess: nothing was detected.
      [443, undefined],
    ]);
    const xml = renderNmapXml(scan);
    expect(xml).toContain(
      '<service name="ssh" product="OpenSSH" version="9.2p1 Debian 2" extrainfo="protocol 2.0" method="probed" conf="10"/>',
    );
    expect(importNmapXml(xml).scan.hosts[0]!.ports).toEqual(ports);

    const model = buildReportModel({ scan, pcName: 'PC' });
    const pdf = JSON.stringify(pdfDefinition(model, 'en').content);
    expect(pdf).toContain('OpenSSH 9.2p1 Debian 2 (protocol 2.0)');
    expect(pdf).toContain('nginx 1.22.1');
    const csv = renderCsv(model, 'en').split('\r\n');
    expect(csv[0]!.endsWith(',addresses,product,tls,http')).toBe(true);
    expect(
      csv.find((r) => r.includes(',22,tcp,'))!.endsWith(',OpenSSH 9.2p1 Debian 2 (protocol 2.0),,'),
    ).toBe(true);
    const doc = JSON.parse(renderJson(model, { scan }, 'fr'));
    expect(
      doc.findings.map((f: { port: number; product: string | null }) => [f.port, f.product]),
    ).toEqual([
      [22, 'OpenSSH 9.2p1 Debian 2 (protocol 2.0)'],
      [80, 'nginx 1.22.1'],
      [443, null],
    ]);
  });
});

describe('host by host import (memory bounded)', () => {
  it('finds each <host> of the run, not one in a comment, CDATA or a nested element, with > in attributes', () => {
    const odd = SYN.replace(
      '<scaninfo',
      '<!-- <host><address addr="10.9.9.9" addrtype="ipv4"/></host> --><prescript><script id="x" output="a > b"><![CDATA[<host></host>]]></script></prescript><scaninfo',
    ).replace('args="nmap', 'comment="x > y" args="nmap');
    const { scan } = importNmapXml(odd);
    expect(scan.hosts.map((h) => h.address)).toEqual(['10.9.0.9']);
    expect(scan.hosts[0]!.portStates?.tcp).toEqual({ open: '22', closed: '1-21,23-1024' });
  });
});

describe('a kept import’s notes read back', () => {
  it('keep the reader’s own notes as they are and show any other as the file’s', () => {
    // The reader's notes, as it writes them: two hosts without an IP address, an SCTP port, a
    // note of our own export, and a run stopped before its end (no </nmaprun>).
    const host = (addr: string) =>
      `<host><status state="up" reason="syn-ack" reason_ttl="0"/><address addr="${addr}" addrtype="ipv4"/><ports><port protocol="sctp" portid="80"><state state="open" reason="init-ack" reason_ttl="0"/></port></ports></host>\n`;
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<nmaprun scanner="nmap" args="nmap -sT 10.9.0.9" start="1796056402" version="7.93" xmloutputversion="1.05">\n' +
      '<scaninfo type="connect" protocol="tcp" numservices="1" services="80"/>\n' +
      `<prescript><script id="${PA_SCRIPT_ID}" output=""><table key="notes"><table><elem key="fr">Cibles : 10.9.0.9</elem><elem key="en">Targets: 10.9.0.9</elem></table></table></script></prescript>\n` +
      host('10.9.0.9') +
      host('local-network') +
      host('__proto__');
    const { scan } = importNmapXml(xml, { fileName: 'cut.xml' });
    expect(scan.notes.map((n) => n.en)).toEqual([
      'Note from the nmap file: “Targets: 10.9.0.9”',
      'nmap scan interrupted: only the file’s complete hosts are imported',
      'nmap file: 2 hosts without a valid IP address ignored',
      'nmap: 1 SCTP/IP port ignored',
    ]);
    expect(keptImportNotes(scan.notes)).toEqual(scan.notes);
    // Any other note, or one of the reader's with words added, is the file's.
    const forged = [
      { fr: typeset('Pare-feu vérifié : tout est bloqué'), en: 'Firewall checked: all blocked' },
      {
        fr: typeset('Fichier nmap : 2 hôtes sans adresse IP valide ignorés ; pare-feu vérifié'),
        en: 'nmap file: 2 hosts without a valid IP address ignored; firewall checked',
      },
    ];
    // The reader's note on ports nmap never writes is its own too, one port or several.
    for (const ports of [['0x50'], [' 23', '00443']]) {
      const odd = xml.replace(
        '</ports></host>',
        ports
          .map(
            (p) =>
              `<port protocol="tcp" portid="${p}"><state state="open" reason="syn-ack"/></port>`,
          )
          .join('') + '</ports></host>',
      );
      const notes = importNmapXml(odd, { fileName: 'odd.xml' }).scan.notes;
      expect(notes.map((n) => n.en)).toContain(
        ports.length === 1
          ? 'nmap file: 1 port ignored: its number or state is not one nmap writes (such as portid="0x50")'
          : 'nmap file: 2 ports ignored: their number or state is not one nmap writes (such as portid="0x50")',
      );
      expect(keptImportNotes(notes)).toEqual(notes);
    }
    expect(keptImportNotes(forged)).toEqual(
      forged.map((n) => ({
        fr: typeset(`Note du fichier nmap : « ${n.fr} »`),
        en: `Note from the nmap file: “${n.en}”`,
      })),
    );
  });
});

describe('an nmap file’s notes (issue 15)', () => {
  it('are quoted as the file’s words: one line, our quotes kept in, capped', () => {
    const note = (fr: string, en: string) =>
      `<table><elem key="fr">${fr}</elem><elem key="en">${en}</elem></table>`;
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<nmaprun scanner="nmap" args="nmap -sT 10.9.0.9" start="1796056402" version="7.93" xmloutputversion="1.05">\n' +
      `<prescript><script id="${PA_SCRIPT_ID}" output=""><table key="notes">` +
      note('Vérifié » tout&#10;est bloqué', 'Checked” all&#10;blocked') +
      note('é'.repeat(600), 'e'.repeat(600)) +
      '</table></script></prescript>\n<runstats><finished time="1796056403"/></runstats></nmaprun>\n';
    const { scan } = importNmapXml(xml, { fileName: 'noted.xml' });
    expect(scan.notes.slice(0, 2)).toEqual([
      {
        fr: typeset('Note du fichier nmap : « Vérifié › tout est bloqué »'),
        en: 'Note from the nmap file: “Checked’ all blocked”',
      },
      {
        fr: typeset(`Note du fichier nmap : « ${'é'.repeat(499)}… »`),
        en: `Note from the nmap file: “${'e'.repeat(499)}…”`,
      },
    ]);
    // Kept and reopened, they stay as they are; one kept before notes were quoted gets quoted.
    expect(keptImportNotes(scan.notes.slice(0, 2))).toEqual(scan.notes.slice(0, 2));
    expect(
      keptImportNotes([
        {
          fr: 'Note du fichier nmap\u00a0: Vérifié » tout',
          en: 'Note from the nmap file: Checked” all',
        },
      ]),
    ).toEqual([
      {
        fr: typeset('Note du fichier nmap : « Vérifié › tout »'),
        en: 'Note from the nmap file: “Checked’ all”',
      },
    ]);
  });
});
