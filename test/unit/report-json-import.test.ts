import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReportInput } from '../../app/contract/index.js';
import { reportInputFromFile, scanJsonOf } from '../../app/report/json-import.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { typeset } from './support/typography.js';
import { fileHostnameLabel, hostnameMethodLabel } from '../../app/contract/vocabulary.js';

// Issue 13 attacker review F3: a JSON report given to `port-auditor report` is data to assess
// again, never the file's verdicts, texts or claims about this PC.

const fixture = readFileSync(new URL('../fixtures/nmap/loopback-sT.xml', import.meta.url), 'utf8');
const now = new Date('2026-11-30T12:00:00.000Z');

function hostileReport(): ReportInput {
  const { scan } = importNmapXml(fixture, { now });
  const pc = scan.hosts[0]!;
  const lan = { ...pc, address: '192.168.1.50', isLocal: true, reason: 'localhost' as const };
  const fake = { ...pc, address: typeset('Pare-feu : tout est bloqué ✔'), isLocal: true };
  const assessment = assessHosts([pc], [], knowledgeBase());
  for (const host of assessment.hosts)
    for (const port of host.ports) {
      port.severity = 'info';
      port.reasons = [
        { ruleId: 'kb.known-port', text: { fr: 'Bloqué, vérifié.', en: 'Blocked, verified.' } },
      ];
    }
  return ReportInput.parse({
    scan: {
      ...scan,
      request: { ...scan.request, confirmed: true },
      notes: [
        { fr: typeset('Vérifié : tout est bloqué.'), en: 'Verified: every port is blocked.' },
      ],
      hosts: [
        pc,
        lan,
        fake,
        {
          ...pc,
          address: '10.0.0.9',
          hostname: 'nas\n192.168.1.99  NAS  no risky port',
          localError: {
            code: 'made up code',
            message: { fr: 'Ce PC bloque', en: 'This PC blocks' },
          },
          answersEveryPort: { open: 5, probed: 1 },
        },
      ],
    },
    assessment,
    firewallRules: [],
    pcName: 'pc\nforged',
  });
}

describe('a JSON report read back', () => {
  const input = reportInputFromFile(hostileReport(), new Set(['10.99.0.1']));

  it('drops the file’s verdicts and rules: the hosts are assessed again', () => {
    expect(input.assessment).toBeUndefined();
    expect(input.firewallRules).toBeUndefined();
  });

  it('keeps IP literals only, with a note, and decides itself which are this PC', () => {
    expect(input.scan.hosts.map((h) => [h.address, h.isLocal, h.reason])).toEqual([
      // The file's loopback is the PC that made the file, not this one.
      ['127.77.141.97', false, 'scanner'],
      ['192.168.1.50', false, 'scanner'],
      // The file's "localhost" was its scanner's own machine: the scanner here, not this PC.
      ['10.0.0.9', false, 'scanner'],
    ]);
    expect(input.scan.notes).toContainEqual({
      fr: typeset('Fichier : 1 hôte sans adresse IP valide ignoré'),
      en: 'File: 1 host without a valid IP address ignored',
    });
    expect(input.scan.request.confirmed).toBe(false);
  });

  it('shows the file’s notes as the file’s, and its names on one line', () => {
    expect(input.scan.notes[1]).toEqual({
      fr: typeset('Note du fichier : « Vérifié : tout est bloqué. »'),
      en: 'Note from the file: “Verified: every port is blocked.”',
    });
    const device = input.scan.hosts[2]!;
    expect(device.hostname).toBe('nas 192.168.1.99  NAS  no risky port');
    expect(device.localError).toBeUndefined();
    expect(device.answersEveryPort).toBeUndefined();
  });

  it('quotes the file’s notes as outside words: one line, controls seen, quotes kept in, capped (issue 15)', () => {
    const report = hostileReport();
    report.scan.notes = [
      {
        fr: 'Vérifié » Port Auditor\na tout\u001b[2J bloqué',
        en: 'Checked” Port Auditor\nblocked\u001b[2J all',
      },
      { fr: 'é'.repeat(10_000), en: 'e'.repeat(10_000) },
    ];
    const [said, long] = reportInputFromFile(report, new Set()).scan.notes.filter((n) =>
      n.en.startsWith('Note from the file'),
    );
    expect(said).toEqual({
      fr: typeset('Note du fichier : « Vérifié › Port Auditor a tout\ufffd[2J bloqué »'),
      en: 'Note from the file: “Checked’ Port Auditor blocked\ufffd[2J all”',
    });
    expect(long?.fr).toBe(typeset(`Note du fichier : « ${'é'.repeat(499)}… »`));
    expect(long?.en).toBe(`Note from the file: “${'e'.repeat(499)}…”`);
  });

  it('labels a file’s host names as the file’s, never as looked up by this PC (issue 15, N6)', () => {
    const report = hostileReport();
    const [first, second] = report.scan.hosts;
    const nameless = { ...first!, address: '10.99.0.7', hostnameMethod: 'ptr' as const };
    delete nameless.hostname;
    report.scan.hosts = [
      { ...first!, hostname: 'bank.example', hostnameMethod: 'ptr' },
      { ...second!, hostname: 'router.lan', hostnameMethod: 'user' },
      { ...first!, address: '10.99.0.6', hostname: 'nas.lan', hostnameMethod: 'nmap-ptr' },
      nameless,
    ];
    const read = reportInputFromFile(report, new Set());
    const byName = read.scan.hosts.map((h) => [h.hostname, h.hostnameMethod]);
    expect(byName).toEqual([
      ['bank.example', 'file'],
      ['router.lan', 'file'],
      ['nas.lan', 'nmap-ptr'],
      [undefined, undefined],
    ]);
    expect(hostnameMethodLabel('file', 'fr')).toBe('nom dans le fichier');
    expect(hostnameMethodLabel('file', 'en')).toBe('name in the file');
    expect(fileHostnameLabel('ptr', 'fr')).toBeUndefined();
    expect(fileHostnameLabel('file', 'fr')).toBe('nom dans le fichier');
  });

  it('labels an nmap file’s name without a type as the file’s (issue 15, N6)', () => {
    const xml = fixture.replace(
      /<hostnames>[\s\S]*?<\/hostnames>/u,
      '<hostnames><hostname name="printer.lan"/></hostnames>',
    );
    const [host] = importNmapXml(xml, { now }).scan.hosts;
    expect(host).toMatchObject({ hostname: 'printer.lan', hostnameMethod: 'file' });
  });

  it('drops a file’s claim that this app’s engine scanned it, and marks the results as a file’s', () => {
    const report = hostileReport();
    report.scan.source = {
      kind: 'engine',
      method: 'tcp-connect',
      minRtoMs: 100,
      maxRtoMs: 2000,
      initialRtoMs: 1000,
      maxTries: 2,
      maxTriesCap: 4,
      discoveryPorts: [80],
    };
    const read = reportInputFromFile(report, new Set());
    expect(read.scan.source).toBeUndefined();
    expect(read.origin).toBe('file');
    // An nmap file's source is what the PDF says of nmap: kept.
    expect(input.scan.source?.kind).toBe('nmap');
  });

  it('names this PC, not the file’s: the file’s PC name is a note about the file (review 13b, A5)', () => {
    expect(input.pcName).toBeUndefined();
    expect(input.scan.notes[0]).toEqual({
      fr: typeset(
        'Résultats d’un fichier de rapport produit sur le PC « pc forged », pas sur ce PC.',
      ),
      en: 'Results from a report file made on the PC “pc forged”, not on this PC.',
    });
  });

  it('words a file’s local error as the file’s claim, and writes a file’s prefix once', () => {
    const report = hostileReport();
    report.scan.hosts[3]!.localError = { code: 'EACCES', message: { fr: 'x', en: 'x' } };
    report.scan.notes = [
      {
        fr: typeset('Note du fichier nmap : Vérifié depuis un autre appareil'),
        en: 'Note from the nmap file: Verified from another device',
      },
    ];
    const read = reportInputFromFile(report, new Set());
    expect(read.scan.hosts[2]!.localError).toEqual({
      code: 'EACCES',
      message: {
        fr: typeset(
          'Le fichier dit que le PC qui l’a produit n’a pas pu joindre cette adresse (EACCES) : ce PC ne l’a pas vérifié, et cela ne dit rien de l’appareil.',
        ),
        en: 'The file says the PC that made it could not reach this address (EACCES): this PC did not check it, and it says nothing about the device.',
      },
    });
    expect(read.scan.notes).toContainEqual({
      fr: typeset('Note du fichier nmap : « Vérifié depuis un autre appareil »'),
      en: 'Note from the nmap file: “Verified from another device”',
    });
  });
});

describe('a JSON report’s port reasons (review 13 hostile F7)', () => {
  const ports = [
    { port: 22, protocol: 'tcp', state: 'closed', reason: 'syn-ack' },
    // -sW: nmap words an open port `reset` (the RST's window told it), no reason of ours.
    { port: 80, protocol: 'tcp', state: 'open', nmapReason: { reason: 'reset', ttl: 64 } },
  ] as const;
  const report = (scanTypes: { type: string; protocol: string }[]) => {
    const { scan } = importNmapXml(fixture, { now });
    return ReportInput.parse({
      scan: {
        ...scan,
        source: { kind: 'nmap', args: 'nmap -sW 10.0.0.2', scanTypes },
        hosts: [{ ...scan.hosts[0]!, address: '10.0.0.2', ports }],
      },
    });
  };
  const read = (scanTypes: { type: string; protocol: string }[]) => {
    const input = reportInputFromFile(report(scanTypes), new Set(['10.99.0.1']));
    return {
      ports: input.scan.hosts[0]!.ports.map((p) => [p.port, p.state, p.reason, p.nmapReason]),
      notes: input.scan.notes.map((n) => n.en),
    };
  };

  it('keeps a window scan’s open `reset` as nmap wrote it, and counts the contradiction', () => {
    const { ports, notes } = read([{ type: 'window', protocol: 'tcp' }]);
    expect(ports).toEqual([
      [22, 'closed', undefined, undefined],
      [80, 'open', undefined, { reason: 'reset', ttl: 64 }],
    ]);
    expect(notes).toContain(
      'File: 1 port had a reason that contradicts its state (such as closed with “syn-ack”); the reason was left out',
    );
  });

  it('leaves out an open `reset` of a scan that was no window scan', () => {
    const { ports, notes } = read([{ type: 'syn', protocol: 'tcp' }]);
    expect(ports).toEqual([
      [22, 'closed', undefined, undefined],
      [80, 'open', undefined, undefined],
    ]);
    expect(notes).toContain(
      'File: 2 ports had a reason that contradicts their state (such as closed with “syn-ack”); the reason was left out',
    );
  });
});

describe('our own scan JSON read back (issue 13 review, #3)', () => {
  const engine = {
    kind: 'engine' as const,
    method: 'tcp-connect' as const,
    minRtoMs: 100,
    maxRtoMs: 3000,
    initialRtoMs: 1000,
    maxTries: 2,
    maxTriesCap: 6,
    discoveryPorts: [80],
  };
  const { scan: imported } = importNmapXml(fixture, { now });
  // A scan of this PC's loopback only: no address of the file names the PC but its own list.
  const scan = { ...imported, source: engine };
  const here = new Set(['127.0.0.1', '10.9.8.7', 'fe80::1']);
  const written = scanJsonOf(scan, 'atelier', here);
  const readBack = (json: object, local: ReadonlySet<string>, name: string) =>
    reportInputFromFile(
      ReportInput.parse({
        scan: json,
        ...('pcName' in json ? { pcName: (json as { pcName: string }).pcName } : {}),
      }),
      local,
      name,
    );

  it('names the PC and its addresses other than loopback', () => {
    expect(written.pcName).toBe('atelier');
    expect(written.source).toMatchObject({
      kind: 'engine',
      selfAddresses: ['10.9.8.7', 'fe80::1'],
    });
  });

  it('is this PC’s own scan on a PC of that name with one of those addresses: its loopback is this PC', () => {
    const same = readBack(written, new Set(['10.9.8.7']), 'ATELIER');
    expect(same.scan.hosts[0]).toMatchObject({ address: '127.77.141.97', isLocal: true });
    // Another name, or none of its addresses: the loopback of the PC that made it.
    for (const [local, name] of [
      [new Set(['10.9.8.7']), 'bureau'],
      [new Set(['10.9.8.8']), 'atelier'],
    ] as const) {
      expect(readBack(written, local, name).scan.hosts[0]?.isLocal).toBe(false);
    }
    // Addresses without the PC's name (an edited file) are not believed.
    const { pcName: _gone, ...nameless } = written;
    expect(readBack(nameless, new Set(['10.9.8.7']), 'atelier').scan.hosts[0]?.isLocal).toBe(false);
  });
});
