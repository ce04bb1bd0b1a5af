import { decodeXmlBytes } from '../../app/contract/xml-bytes.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Reference } from '../../app/contract/index.js';
import { AppFailure } from '../../app/errors.js';
import { csvField, renderCsv, CSV_COLUMNS } from '../../app/report/csv.js';
import { reportFileName } from '../../app/report/export.js';
import { renderJson, REPORT_JSON_VERSION } from '../../app/report/json.js';
import { macVendor } from '../../app/report/mac-vendor.js';
import { normaliseMac } from '../../app/net/mac.js';
import { buildReportModel } from '../../app/report/model.js';
import { HOST_REASON_LABEL } from '../../app/contract/vocabulary.js';
import { compactPorts, renderNmapXml, xmlAttr } from '../../app/report/nmap-xml-export.js';
import {
  decodeXmlText,
  importNmapXml,
  keptImportNotes,
  MAX_NMAP_XML_BYTES,
  targetsFromArgs,
  isNmapTarget,
} from '../../app/report/nmap-xml-import.js';
import { unprobedHost } from './support/odd-hosts.js';
import { typeset } from './support/typography.js';

const fixture = readFileSync(new URL('../fixtures/nmap/loopback-sT.xml', import.meta.url), 'utf8');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppFailure) return error.appError.code;
    throw error;
  }
  throw new Error('did not throw');
}

function messageOf(fn: () => unknown): { fr: string; en: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppFailure) return error.appError.message;
  }
  throw new Error('no AppFailure');
}

describe('nmap XML import of real nmap -sT output', () => {
  const { scan } = importNmapXml(fixture);

  it('keeps hosts, listed ports, states, reasons and the hidden count', () => {
    expect(scan.hosts).toHaveLength(1);
    const host = scan.hosts[0]!;
    expect(host).toMatchObject({
      address: '127.77.141.97',
      family: 'ipv4',
      status: 'up',
      // A file's loopback is the machine that ran nmap, never this PC (issue 13, misc13).
      reason: 'scanner',
      isLocal: false,
      hidden: { open: 0, closed: 1022, filtered: 0 },
    });
    expect(host.ports.map((p) => [p.port, p.state, p.reason])).toEqual([
      [23, 'open', 'syn-ack'],
      [445, 'open', 'syn-ack'],
      [34547, 'open', 'syn-ack'],
    ]);
  });

  it('recovers the request and times from nmaprun', () => {
    expect(scan.request).toEqual({
      targets: '127.77.141.97',
      ports: '1-1024,34547',
      skipDiscovery: false,
      confirmed: false,
    });
    expect(scan.portCount).toBe(1025);
    expect(scan.addresses).toBe(1);
    expect(scan.startedAt).toBe(new Date(1795464333 * 1000).toISOString());
    expect(scan.cancelled).toBe(false);
  });

  it('finds the targets in an nmap command line', () => {
    expect(
      targetsFromArgs('nmap -sT -p 22,80 -oX out.xml --top-ports 10 10.0.0.0/24 host.lan'),
    ).toEqual(['10.0.0.0/24', 'host.lan']);
    // The run of the review (issue 13): `--max-hostgroup 1` gave the target "1".
    expect(
      targetsFromArgs(
        'nmap -sT -p 1-1500 --max-rate 400 --max-hostgroup 1 -oX /tmp/i.xml 127.0.0.1 10.213.0.1 10.213.0.2',
      ),
    ).toEqual(['127.0.0.1', '10.213.0.1', '10.213.0.2']);
    expect(
      targetsFromArgs(
        'nmap -f -T4 --scan-delay 1s --min-hostgroup 8 --min-rtt-timeout 50ms -p22 -Pn fd13::1',
      ),
    ).toEqual(['fd13::1']);
  });

  it('takes only words that are targets, never a sentence a file put in its args (issue 15, F2)', () => {
    expect(
      targetsFromArgs(
        'nmap -sV 192.0.2.10 ». Port Auditor a ensuite vérifié chaque port : tous sont fermés. « nmap',
      ),
    ).toEqual([
      '192.0.2.10',
      'Port',
      'Auditor',
      'a',
      'ensuite',
      'chaque',
      'port',
      'tous',
      'sont',
      'nmap',
    ]);
    expect(
      targetsFromArgs(
        'nmap 10.0.0-255.1-254 10.1.*.1 fe80::1%eth0 ::1 scanme.nmap.org 10.0.0.0/8 host.lan/24 ' +
          '10.0.0.0/99 1 ✓ bad_name -host.lan 300.1.1.1 a..b',
      ),
    ).toEqual([
      '10.0.0-255.1-254',
      '10.1.*.1',
      'fe80::1%eth0',
      '::1',
      'scanme.nmap.org',
      '10.0.0.0/8',
      'host.lan/24',
    ]);
    for (const word of [
      '192.168.1.1',
      '192.168.0.0/16',
      '2001:db8::/32',
      'printer',
      'nas-1.home.arpa',
    ])
      expect(isNmapTarget(word), word).toBe(true);
    for (const word of ['»', 'vérifié', ':', 'a/b', '/24', '12', 'x'.repeat(64), '1.2.3'])
      expect(isNmapTarget(word), word).toBe(false);
  });
});

describe('nmap XML import refuses hostile or foreign input with fr/en errors', () => {
  it('refuses entity declarations (billion laughs)', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE nmaprun [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><nmaprun scanner="nmap">&b;</nmaprun>`;
    expect(codeOf(() => importNmapXml(bomb))).toBe('report.nmap-hostile');
    const m = messageOf(() => importNmapXml(bomb));
    expect(m.fr).toMatch(/entités/);
    expect(m.en).toMatch(/entities/);
  });

  it('refuses an external entity (file read)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE nmaprun SYSTEM "file:///etc/passwd" [ ]><nmaprun scanner="nmap"/>`;
    expect(codeOf(() => importNmapXml(xxe))).toBe('report.nmap-hostile');
  });

  it('refuses huge input before parsing it', () => {
    const huge = `<nmaprun scanner="nmap">${' '.repeat(MAX_NMAP_XML_BYTES)}</nmaprun>`;
    expect(codeOf(() => importNmapXml(huge))).toBe('report.nmap-too-large');
  });

  it('reports malformed XML with its line', () => {
    const m = messageOf(() => importNmapXml('<nmaprun scanner="nmap">\n<host>\n</nmaprun>'));
    expect(m.en).toMatch(/line \d/);
    expect(m.fr).toMatch(/ligne \d/);
  });

  it('refuses XML that is not an nmap result', () => {
    expect(codeOf(() => importNmapXml('<html><body/></html>'))).toBe('report.nmap-not-nmap');
    expect(codeOf(() => importNmapXml('<nmaprun scanner="masscan"/>'))).toBe(
      'report.nmap-not-nmap',
    );
  });

  it('says what is wrong in the reader’s language, never in the parser’s English (review 15, #7)', () => {
    const text = messageOf(() => importNmapXml('hello'));
    expect(text.fr).toBe(
      typeset(
        'Fichier XML illisible, ligne 1, colonne 1 : du texte précède la première balise, ce n’est donc pas du XML.',
      ),
    );
    expect(text.en).toBe(
      'Unreadable XML file, line 1, column 1: text comes before the first tag, so this is not XML.',
    );
    const cut = messageOf(() =>
      importNmapXml('<nmaprun scanner="nmap">\n<host a=1></host></nmaprun>'),
    );
    expect(cut.fr).toMatch(typeset('ligne 2, colonne 9 : un attribut est mal écrit'));
    for (const m of [text, cut]) expect(`${m.fr} ${m.en}`).not.toMatch(/Non-whitespace|Unquoted/);
    const empty = messageOf(() => importNmapXml('<nmaprun scanner=""/>'));
    expect(empty.fr).toContain('il ne dit pas quel programme l’a écrit');
    expect(empty.fr).not.toContain('scanner=');
    const masscan = messageOf(() => importNmapXml('<nmaprun scanner="masscan"/>'));
    expect(masscan.fr).toContain(typeset('il a été écrit par « masscan », pas par nmap'));
    expect(masscan.en).toContain('it was written by “masscan”, not by nmap');
    expect(messageOf(() => importNmapXml('<html/>')).en).toContain('it has no <nmaprun> element');
  });
});

describe('nmap XML import reads numbers and times only as nmap writes them', () => {
  const now = new Date('2026-11-30T12:00:00.000Z');

  it('a port in hex, with an exponent, a fraction or a sign is not a port', () => {
    const odd = fixture
      .replace('portid="23"', 'portid="0x17"')
      .replace('portid="445"', 'portid="4.45e2"')
      .replace('portid="34547"', 'portid="34547.0"');
    const { scan } = importNmapXml(odd, { now });
    expect(scan.hosts[0]?.ports).toEqual([]);
    // Not dropped in silence (review 13d): the note says how many and why, in both languages.
    expect(scan.notes).toContainEqual({
      fr: typeset(
        'Fichier nmap : 3 ports ignorés : leur numéro ou leur état n’est pas écrit comme nmap l’écrit (par exemple portid="0x50")',
      ),
      en: 'nmap file: 3 ports ignored: their number or state is not one nmap writes (such as portid="0x50")',
    });
    expect(
      importNmapXml(fixture.replace('portid="23"', 'portid="+23"'), {
        now,
      }).scan.hosts[0]?.ports.map((p) => p.port),
    ).toEqual([445, 34547]);
  });

  it('a port with spaces around it or a leading zero is not a port (nmap writes neither)', () => {
    for (const odd of [' 23', '23 ', '0023', '00443', '\t23']) {
      const { scan } = importNmapXml(fixture.replace('portid="23"', `portid="${odd}"`), { now });
      expect(
        scan.hosts[0]?.ports.map((p) => p.port),
        JSON.stringify(odd),
      ).toEqual([445, 34547]);
      expect(scan.notes.map((n) => n.en)).toContainEqual(
        'nmap file: 1 port ignored: its number or state is not one nmap writes (such as portid="0x50")',
      );
    }
    // 0 is written as nmap writes it, and stays a port.
    const zero = importNmapXml(fixture.replace('portid="23"', 'portid="0"'), { now });
    expect(zero.scan.hosts[0]?.ports.map((p) => p.port)).toEqual([0, 445, 34547]);
  });

  it('a time that is not a date is left out instead of failing the import', () => {
    for (const start of ['1e20', '99999999999999', '-1', '0x6a']) {
      const odd = fixture
        .replace('start="1795464333"', `start="${start}"`)
        .replace('<finished time="1795464333"', '<finished time="1e20"');
      const { scan } = importNmapXml(odd, { now });
      expect(scan.startedAt, start).toBe(now.toISOString());
      expect(scan.finishedAt, start).toBe(now.toISOString());
    }
    const counted = importNmapXml(fixture.replace('count="1022"', 'count="1e3"'), { now });
    expect(counted.scan.hosts[0]?.hidden.closed).toBe(0);
  });
});

describe('an interrupted nmap run (no </nmaprun>: Ctrl+C)', () => {
  const twoHosts = (() => {
    const start = fixture.indexOf('<host ');
    const end = fixture.indexOf('</host>') + '</host>'.length;
    const second = fixture.slice(start, end).replace('127.77.141.97', '127.77.141.98');
    return `${fixture.slice(0, end)}\n${second}${fixture.slice(end)}`;
  })();

  it('imports its complete hosts, says it was interrupted, and counts as stopped', () => {
    // Cut in the middle of the second host's ports, as nmap leaves a file it was writing.
    const cut = twoHosts.slice(0, twoHosts.lastIndexOf('<port protocol="tcp" portid="445"'));
    const { scan } = importNmapXml(cut);
    expect(scan.hosts.map((h) => h.address)).toEqual(['127.77.141.97']);
    expect(scan.hosts[0]?.ports.map((p) => p.port)).toEqual([23, 445, 34547]);
    expect(scan.cancelled).toBe(true);
    expect(scan.notes).toContainEqual({
      fr: typeset('Analyse nmap interrompue : seuls les hôtes complets du fichier sont repris'),
      en: 'nmap scan interrupted: only the file’s complete hosts are imported',
    });
    // Cut after the last host: both are kept.
    const afterHosts = twoHosts.slice(0, twoHosts.indexOf('<runstats>'));
    expect(importNmapXml(afterHosts).scan.hosts).toHaveLength(2);
  });

  it('without one complete host it has nothing to import; broken inside, it is unreadable XML', () => {
    const beforeAnyHost = fixture.slice(0, fixture.indexOf('</host>'));
    expect(codeOf(() => importNmapXml(beforeAnyHost))).toBe('report.nmap-interrupted-empty');
    const broken = fixture.replace('</host>', '</hots>');
    expect(codeOf(() => importNmapXml(broken))).toBe('report.nmap-invalid-xml');
    expect(importNmapXml(fixture).scan.cancelled).toBe(false);
  });
});

describe('imported hosts are worded from this PC’s point of view', () => {
  it('the file’s scanner is “the PC that ran nmap”, and this PC is this PC however it was seen', () => {
    const other = fixture.replace('addr="127.77.141.97"', 'addr="192.0.2.7"');
    expect(importNmapXml(other).scan.hosts[0]).toMatchObject({
      isLocal: false,
      reason: 'scanner',
    });
    const seenByArp = other.replace('reason="localhost-response"', 'reason="arp-response"');
    // nmap's ARP reply was on the network of the PC that ran it, not in this PC's neighbour table.
    const byArp = importNmapXml(seenByArp).scan;
    expect(byArp.hosts[0]?.reason).toBe('nmap-neighbour');
    expect(HOST_REASON_LABEL['nmap-neighbour'].fr).toBe(
      'a répondu à nmap en ARP/NDP, sur le réseau du PC qui a lancé nmap',
    );
    // Written back as nmap wrote it.
    expect(renderNmapXml(byArp)).toContain('reason="arp-response"');
    expect(
      importNmapXml(seenByArp, { localAddresses: new Set(['192.0.2.7']) }).scan.hosts[0],
    ).toMatchObject({ isLocal: true, reason: 'localhost' });
    expect(renderNmapXml(importNmapXml(other).scan)).toContain('reason="localhost-response"');
  });
});

describe('UDP ports keep nmap’s UDP reasons', () => {
  it('udp-response and port-unreach are read, written back, and never worded as TCP', () => {
    const udp = fixture
      .replace(
        '<port protocol="tcp" portid="23"><state state="open" reason="syn-ack" reason_ttl="0"/>',
        '<port protocol="udp" portid="53"><state state="open" reason="udp-response" reason_ttl="64"/>',
      )
      .replace(
        '<port protocol="tcp" portid="445"><state state="open" reason="syn-ack" reason_ttl="0"/>',
        '<port protocol="udp" portid="161"><state state="closed" reason="port-unreach" reason_ttl="64"/>',
      )
      .replace(
        '<port protocol="tcp" portid="34547"><state state="open" reason="syn-ack" reason_ttl="0"/>',
        '<port protocol="udp" portid="123"><state state="open" reason="syn-ack" reason_ttl="0"/>',
      );
    const { scan } = importNmapXml(udp);
    const reasons = scan.hosts[0]!.ports.map(
      (p) => `${p.port}/${p.protocol} ${p.state} ${p.reason}`,
    );
    expect(reasons).toEqual([
      '53/udp open udp-response',
      '161/udp closed port-unreach',
      '123/udp open udp-response',
    ]);
    const xml = renderNmapXml(scan);
    expect(xml).toContain('portid="53"><state state="open" reason="udp-response"');
    expect(xml).toContain('portid="161"><state state="closed" reason="port-unreach"');
  });
});

describe('the same address in several <host> elements', () => {
  it('is one host: up if either says so, each port once (open first), counted once', () => {
    const start = fixture.indexOf('<host ');
    const end = fixture.indexOf('</host>') + '</host>'.length;
    const again = fixture
      .slice(start, end)
      .replace(
        /<port protocol="tcp" portid="23">.*?<\/port>/s,
        '<port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="0"/></port>',
      )
      .replace(
        '<extraports state="closed" count="1022">',
        '<extraports state="closed" count="1000">',
      )
      // The second run found 445 closed: open stays, an audit must not hide it.
      .replace(
        'portid="445"><state state="open" reason="syn-ack"',
        'portid="445"><state state="closed" reason="conn-refused"',
      );
    const doubled = `${fixture.slice(0, end)}\n${again}${fixture.slice(end)}`.replace(
      '<hosts up="1" down="0" total="1"/>',
      '<hosts up="2" down="0" total="2"/>',
    );
    const { scan } = importNmapXml(doubled);
    expect(scan.hosts).toHaveLength(1);
    expect(scan.addresses).toBe(1);
    const host = scan.hosts[0]!;
    expect(host.status).toBe('up');
    expect(host.ports.map((p) => [p.port, p.state])).toEqual([
      [23, 'open'],
      [80, 'open'],
      [445, 'open'],
      [34547, 'open'],
    ]);
    // Port 80, open in the second, was one of the first's 1,022 unlisted ports (review 13 N2):
    // 4 listed + 1,021 closed, the first's 1,025 ports, and a note that the two disagreed.
    expect(host.hidden).toEqual({ open: 0, closed: 1021, filtered: 0 });
    expect(scan.notes.map((n) => n.en)).toContainEqual(expect.stringContaining('disagree'));
  });
});

describe('nmap XML import trusts no address, “this PC” or confirmation from the file', () => {
  it('a host whose address is not an IP literal is left out, with a note', () => {
    for (const addr of ['local-network', '__proto__', 'a'.repeat(5000), '0x7f.1', '10.1', '']) {
      const { scan } = importNmapXml(fixture.replace('addr="127.77.141.97"', `addr="${addr}"`));
      expect(scan.hosts, addr.slice(0, 20)).toEqual([]);
      expect(scan.notes).toContainEqual({
        fr: typeset('Fichier nmap : 1 hôte sans adresse IP valide ignoré'),
        en: 'nmap file: 1 host without a valid IP address ignored',
      });
    }
  });

  it('addresses come out canonical, without another PC’s zone; a zone not short and plain is refused', () => {
    const as = (addr: string, addrtype = 'ipv6') =>
      importNmapXml(
        fixture.replace(
          '<address addr="127.77.141.97" addrtype="ipv4"/>',
          `<address addr="${addr}" addrtype="${addrtype}"/>`,
        ),
      ).scan.hosts.map((h) => [h.address, h.family]);
    // The zone names an interface of the PC that wrote the file (review 13, attacker F9).
    expect(as('FE80:0:0:0:0:0:0:1%eth0')).toEqual([['fe80::1', 'ipv6']]);
    expect(as('::ffff:192.168.1.9')).toEqual([['192.168.1.9', 'ipv4']]);
    // The file's addrtype does not decide the family: the address does.
    expect(as('10.0.0.9', 'ipv6')).toEqual([['10.0.0.9', 'ipv4']]);
    expect(as(`fe80::1%${'x'.repeat(100)}`)).toEqual([]);
    expect(as('fe80::1%eth0;rm')).toEqual([]);
  });

  it('leaves out what is no device and counts no one could scan, saying so (fr/en)', () => {
    // Review 13, attacker F9: 0.0.0.0, ::, 255.255.255.255 and 224.0.0.1 were devices "up";
    // extraports count="999999999999999" and hosts total="999999999999999" were shown.
    const host = (addr: string, closed = 3) =>
      `<host><status state="up" reason="syn-ack" reason_ttl="0"/><address addr="${addr}" addrtype="${addr.includes(':') ? 'ipv6' : 'ipv4'}"/><ports><extraports state="closed" count="${closed}"/><port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="0"/></port></ports></host>\n`;
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<nmaprun scanner="nmap" args="nmap -sT 10.9.0.0/24" start="1796056402" version="7.93" xmloutputversion="1.05">\n' +
      '<scaninfo type="connect" protocol="tcp" numservices="4" services="1-4"/>\n' +
      ['0.0.0.0', '::', '255.255.255.255', '224.0.0.1', 'ff02::1', '239.255.255.250']
        .map((a) => host(a))
        .join('') +
      host('10.9.0.9', 999_999_999_999_999) +
      host('10.9.0.10') +
      '<runstats><finished time="1796056403" exit="success"/><hosts up="8" down="0" total="999999999999999"/></runstats>\n</nmaprun>\n';
    const { scan } = importNmapXml(xml);
    expect(scan.hosts.map((h) => h.address)).toEqual(['10.9.0.9', '10.9.0.10']);
    expect(scan.hosts[0]?.hidden).toEqual({ open: 0, closed: 0, filtered: 0 });
    expect(scan.hosts[1]?.hidden).toEqual({ open: 0, closed: 3, filtered: 0 });
    expect(scan.addresses).toBe(2);
    expect(scan.notes).toEqual([
      {
        fr: typeset(
          'Fichier nmap : 6 adresses qui ne sont pas des appareils ignorées (0.0.0.0, ::, diffusion, multidiffusion)',
        ),
        en: 'nmap file: 6 addresses that are no devices ignored (0.0.0.0, ::, broadcast, multicast)',
      },
      {
        fr: typeset(
          'Fichier nmap : 1 nombre de ports invraisemblable ignoré (plus de 65\u202f536)',
        ),
        en: 'nmap file: 1 implausible port count ignored (over 65,536)',
      },
      {
        fr: typeset(
          'Fichier nmap : nombre d’adresses analysées invraisemblable ignoré (plus de 2^32)',
        ),
        en: 'nmap file: implausible number of addresses scanned ignored (over 2^32)',
      },
    ]);
    // Read back from the store, they are the reader's own notes, not the file's.
    expect(keptImportNotes(scan.notes)).toEqual(scan.notes);
  });

  it('whether a host is this PC, and whether a scan was confirmed, is recomputed here', () => {
    const elsewhere = structuredClone(importNmapXml(fixture).scan);
    elsewhere.hosts[0]!.address = '192.0.2.7';
    elsewhere.hosts[0]!.isLocal = true;
    elsewhere.request.confirmed = true;
    const xml = renderNmapXml(elsewhere);
    const plain = importNmapXml(xml).scan;
    expect(plain.hosts[0]?.isLocal).toBe(false);
    expect(plain.request.confirmed).toBe(false);
    const here = importNmapXml(xml, { localAddresses: new Set(['192.0.2.7']) }).scan;
    expect(here.hosts[0]?.isLocal).toBe(true);
  });
});

describe('reference links read back from a report', () => {
  it('are https: only', () => {
    expect(Reference.safeParse({ label: 'CISA', url: 'https://www.cisa.gov/' }).success).toBe(true);
    expect(Reference.safeParse({ label: 'no link' }).success).toBe(true);
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'http://example.com/',
      'data:text/html,x',
    ]) {
      expect(Reference.safeParse({ label: 'x', url }).success, url).toBe(false);
    }
  });
});

describe('nmap XML export', () => {
  const { scan } = importNmapXml(fixture);

  it('writes the elements nmap writes and survives awkward text', () => {
    const weird = structuredClone(scan);
    weird.hosts[0]!.hostname = 'caméra "salon" <&> Дом';
    weird.hosts[0]!.ports[0]!.banner = 'Hello\r\n\u0001<b>';
    const xml = renderNmapXml(weird);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE nmaprun>/);
    expect(xml).toContain(
      '<scaninfo type="connect" protocol="tcp" numservices="1025" services="1-1024,34547"/>',
    );
    expect(xml).toContain('<extraports state="closed" count="1022">');
    expect(xml).toContain('<service name="telnet" method="table" conf="3"/>');
    const back = importNmapXml(xml).scan;
    expect(back.hosts[0]!.hostname).toBe('caméra "salon" <&> Дом');
    expect(back.hosts[0]!.ports[0]!.banner).toBe('Hello\r\n<b>');
  });

  it('keeps the scan notes in both languages through export and import, as the file’s', () => {
    const noted = structuredClone(scan);
    noted.notes = [
      {
        fr: typeset('Réseau local : seul le /22 <autour> est analysé.'),
        en: 'Local network: only the /22 around it is scanned.',
      },
    ];
    expect(importNmapXml(renderNmapXml(noted)).scan.notes).toEqual([
      {
        fr: typeset('Note du fichier nmap : « Réseau local : seul le /22 <autour> est analysé. »'),
        en: 'Note from the nmap file: “Local network: only the /22 around it is scanned.”',
      },
    ]);
  });

  it('decides itself which addresses are this PC’s, whatever the file says', () => {
    const claimed = structuredClone(scan);
    claimed.hosts[0]!.address = '192.0.2.50';
    claimed.hosts[0]!.isLocal = true;
    const xml = renderNmapXml(claimed);
    expect(xml).toMatch(/key="isLocal">true</);
    const elsewhere = importNmapXml(xml).scan.hosts.find((h) => h.address === '192.0.2.50');
    expect(elsewhere?.isLocal).toBe(false);
    const here = importNmapXml(xml, { localAddresses: new Set(['192.0.2.50']) }).scan.hosts;
    expect(here.find((h) => h.address === '192.0.2.50')?.isLocal).toBe(true);
  });

  it('keeps local errors, unscanned hosts and every-port hosts through export and import', () => {
    const odd = structuredClone(scan);
    const unprobed = unprobedHost('10.99.0.1', {
      fr: typeset(
        "Ce PC n'a aucune route vers cette adresse (ENETUNREACH) : elle n'a pas pu être analysée.",
      ),
      en: 'This PC has no route to this address (ENETUNREACH): it could not be scanned.',
    });
    odd.hosts.push(unprobed);
    odd.hosts[0]!.answersEveryPort = { open: 1020, probed: 1025 };
    const xml = renderNmapXml(odd);
    expect(xml).toContain('<status state="unknown" reason="local-error" reason_ttl="0"/>');
    const back = importNmapXml(xml).scan;
    expect(back.hosts.find((h) => h.address === '10.99.0.1')).toMatchObject({
      status: 'unknown',
      reason: 'local-error',
      localError: { code: 'ENETUNREACH' },
    });
    expect(back.hosts[0]!.answersEveryPort).toEqual({ open: 1020, probed: 1025 });
  });

  it('decodes character references once', () => {
    expect(decodeXmlText('a&amp;#10;b&#10;c&#x41;&lt;')).toBe('a&#10;b\ncA<');
  });

  it('shows terminal escapes and bidi overrides from a file instead of obeying them', () => {
    // ESC ] 0 ; title BEL retitles a terminal; ESC [ 2 J clears it; U+202E reverses what follows.
    expect(decodeXmlText('a&#27;]0;pwned&#7;b&#x1b;[2Jc&#x9b;d&#x202e;e\tf\ng')).toBe(
      'a\ufffd]0;pwned\ufffdb\ufffd[2Jc\ufffdd\ufffde\tf\ng',
    );
    expect(decodeXmlText('raw\u001b[31mred')).toBe('raw\ufffd[31mred');
  });

  it('compacts port lists the way nmap does', () => {
    expect(compactPorts([1, 2, 3, 22, 80, 81])).toBe('1-3,22,80-81');
    expect(xmlAttr('a"b<c>&\n')).toBe('a&quot;b&lt;c&gt;&amp;&#10;');
  });
});

describe('CSV and JSON', () => {
  const { scan } = importNmapXml(fixture);
  const model = buildReportModel({
    scan,
    pcName: 'PC',
    macAddresses: { '127.77.141.97': '00-1b-a9-01-02-03' },
  });

  it('escapes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(42)).toBe('42');
    expect(csvField(undefined)).toBe('');
  });

  it('writes one CRLF row per host×port under a header', () => {
    const csv = renderCsv(model, 'en');
    const rows = csv.split('\r\n');
    expect(rows[0]).toBe(CSV_COLUMNS.join(','));
    expect(rows).toHaveLength(1 + 3 + 1);
    expect(rows[rows.length - 1]).toBe('');
    expect(rows[1]).toMatch(
      /^127\.77\.141\.97,,false,00:1B:A9:01:02:03,"Brother[^"]*",up,23,tcp,open,syn-ack,telnet,/,
    );
  });

  it('writes a versioned JSON that carries its inputs', () => {
    const doc = JSON.parse(renderJson(model, { scan, pcName: 'PC' }, 'fr'));
    expect(doc.format).toBe('port-auditor-report');
    expect(doc.version).toBe(REPORT_JSON_VERSION);
    expect(doc.scan).toEqual(scan);
    expect(doc.findings).toHaveLength(3);
    expect(doc.findings[0]).toMatchObject({
      address: '127.77.141.97',
      port: 23,
      state: 'open',
      severity: null,
    });
    expect(doc.summary).toMatchObject({ hostsUp: 1, openPorts: 3, assessed: false, counts: null });
  });

  it('names MAC vendors from the IEEE registry, never for randomised addresses', () => {
    expect(normaliseMac('001b.a901.0203')).toBe('00:1b:a9:01:02:03');
    expect(normaliseMac('AABBCCDDEEFF')).toBe('aa:bb:cc:dd:ee:ff');
    expect(macVendor('00:1b:a9:01:02:03')).toMatch(/Brother/i);
    expect(macVendor('02:1b:a9:01:02:03')).toBeNull();
    expect(normaliseMac('zz')).toBeNull();
  });

  it('uses the MAC the scan found (neighbour table) in every format, and reads nmap’s back', () => {
    const withMac = structuredClone(scan);
    withMac.hosts[0]!.mac = '00:11:32:5a:7e:01';
    const macModel = buildReportModel({ scan: withMac, pcName: 'PC' });
    expect(macModel.hosts[0]).toMatchObject({ mac: '00:11:32:5A:7E:01' });
    expect(macModel.hosts[0]!.macVendor).toMatch(/Synology/i);
    expect(renderCsv(macModel, 'fr').split('\r\n')[1]).toMatch(
      /^127\.77\.141\.97,,false,00:11:32:5A:7E:01,Synology[^,]*,up,23,/,
    );
    const doc = JSON.parse(renderJson(macModel, { scan: withMac, pcName: 'PC' }, 'en'));
    expect(doc.findings[0]).toMatchObject({ mac: '00:11:32:5A:7E:01' });
    expect(doc.findings[0].macVendor).toMatch(/Synology/i);
    expect(doc.scan.hosts[0].mac).toBe('00:11:32:5a:7e:01');
    const xml = renderNmapXml(withMac);
    expect(xml).toMatch(
      /<address addr="00:11:32:5A:7E:01" addrtype="mac" vendor="Synology[^"]*"\/>/,
    );
    const back = importNmapXml(xml);
    expect(back.scan.hosts[0]!.mac).toBe('00:11:32:5a:7e:01');
    expect(back.scan).toEqual(withMac);
    // As nmap writes it for a LAN device (upper case, vendor attribute).
    const fromNmap = fixture.replace(
      '<address addr="127.77.141.97" addrtype="ipv4"/>',
      '<address addr="127.77.141.97" addrtype="ipv4"/>\n<address addr="00:1B:A9:01:02:03" addrtype="mac" vendor="Brother Industries"/>',
    );
    expect(fromNmap).not.toBe(fixture);
    expect(importNmapXml(fromNmap).scan.hosts[0]!.mac).toBe('00:1b:a9:01:02:03');
  });

  it('names files by kind, language and scan time', () => {
    expect(reportFileName('pdf', 'fr', '2026-01-02T03:04:00')).toBe(
      'port-auditor-rapport-2026-01-02-0304.pdf',
    );
    expect(reportFileName('nmap-xml', 'en', 'x')).toBe('port-auditor-nmap-scan.xml');
  });
});

describe('nmap XML files in the encoding they say', () => {
  it('UTF-16LE with a BOM (Windows PowerShell 5.1’s `> scan.xml`), UTF-8 with or without BOM, a declared latin-1', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fixture, 'utf16le')]);
    expect(decodeXmlBytes(utf16)).toBe(fixture);
    expect(importNmapXml(decodeXmlBytes(utf16)).scan.hosts).toHaveLength(1);
    const utf16be = Buffer.from(Buffer.from(fixture, 'utf16le')).swap16();
    expect(decodeXmlBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]))).toBe(fixture);
    // UTF-16 without a BOM is known by its first `<?`.
    expect(decodeXmlBytes(Buffer.from(fixture, 'utf16le'))).toBe(fixture);
    expect(decodeXmlBytes(utf16be)).toBe(fixture);
    expect(
      decodeXmlBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(fixture)])),
    ).toBe(fixture);
    expect(decodeXmlBytes(Buffer.from(fixture))).toBe(fixture);
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>', 'latin1');
    expect(decodeXmlBytes(latin1)).toBe('<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>');
  });
});
