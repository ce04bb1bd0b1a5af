import { describe, expect, it } from 'vitest';
import type { PortResult, ScanResult } from '../../app/contract/index.js';
import { formatProgress, formatScanResult } from '../../main/cli/format.js';
import { serviceName } from '../../app/risk/knowledge-base.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { tarpitHost, unprobedHost } from './support/odd-hosts.js';
import { typeset } from './support/typography.js';

const result: ScanResult = {
  scanId: 's1',
  request: {
    targets: '127.0.0.1,10.77.0.9',
    ports: '1-1024',
    skipDiscovery: false,
    confirmed: false,
  },
  addresses: 2,
  portCount: 1024,
  notes: [],
  startedAt: '2025-01-01T10:00:00.000Z',
  finishedAt: '2025-01-01T10:00:01.500Z',
  cancelled: false,
  hosts: [
    {
      address: '127.0.0.1',
      family: 'ipv4',
      hostname: 'localhost',
      isLocal: true,
      status: 'up',
      reason: 'localhost',
      ports: [
        { port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
        { port: 80, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
      ],
      hidden: { open: 0, closed: 1022, filtered: 0 },
    },
    {
      address: '10.77.0.9',
      family: 'ipv4',
      isLocal: false,
      status: 'down',
      reason: 'no-response',
      ports: [],
      hidden: { open: 0, closed: 0, filtered: 0 },
    },
  ],
};

describe('formatScanResult', () => {
  it('labels a host name a file gave as the file’s, a name this PC looked up without it (issue 15, N6)', () => {
    const named = {
      ...result,
      hosts: [
        result.hosts[0]!,
        {
          ...result.hosts[1]!,
          status: 'up' as const,
          reason: 'syn-ack' as const,
          hostname: 'bank.example',
          hostnameMethod: 'file' as const,
        },
      ],
    };
    const fr = formatScanResult(named, 'fr');
    expect(fr).toContain('10.77.0.9 (bank.example — nom dans le fichier)');
    expect(formatScanResult(named, 'en')).toContain('10.77.0.9 (bank.example — name in the file)');
    const looked = {
      ...named,
      hosts: [named.hosts[0]!, { ...named.hosts[1]!, hostnameMethod: 'ptr' as const }],
    };
    expect(formatScanResult(looked, 'en')).toContain('10.77.0.9 (bank.example)');
  });

  it('prints the scan notes in the CLI language only', () => {
    const noted = {
      ...result,
      notes: [
        {
          fr: typeset('Réseau local : seul le /22 est analysé.'),
          en: 'Local network: only the /22 is scanned.',
        },
      ],
    };
    expect(formatScanResult(noted, 'en')).toContain('! Local network: only the /22 is scanned.');
    expect(formatScanResult(noted, 'en')).not.toContain('Réseau local');
    expect(formatScanResult(noted, 'fr')).toContain(
      typeset('! Réseau local : seul le /22 est analysé.'),
    );
    expect(formatScanResult(noted, 'fr')).not.toContain('Local network');
  });
  it('lists each up host with a port table, service names and a summary (English)', () => {
    const text = formatScanResult(result, 'en', serviceName);
    const lines = text.split('\n');
    // This PC is titled as the page and the PDF title it, its addresses listed under.
    expect(lines[0]).toBe('This PC  up');
    expect(lines[1]).toBe('  This PC’s addresses: 127.0.0.1 (localhost)');
    expect(lines[2]).toMatch(/^ {2}PORT\s+STATE\s+ANSWER\s+SERVICE$/);
    expect(lines[3]).toMatch(/^ {2}22\/tcp\s+open\s+accepted the connection\s+ssh$/);
    expect(lines[4]).toMatch(/^ {2}80\/tcp\s+open\s+accepted the connection\s+http$/);
    expect(text).toContain('Ports not shown: 1,022 closed ports');
    expect(text).not.toContain('10.77.0.9');
    expect(text).toContain('2 addresses scanned, 1 up, 2 open ports in 1.5\u00a0s.');
  });
  it('speaks French to a French user', () => {
    const text = formatScanResult(result, 'fr', serviceName);
    expect(text).toMatch(/PORT\s+ÉTAT\s+RÉPONSE\s+SERVICE/);
    expect(text).toMatch(/22\/tcp\s+ouvert\s+a accepté la connexion\s+ssh/);
    expect(text).toContain('Ports non affichés\u00a0: 1\u202f022 ports fermés');
    expect(text).toContain('2 adresses analysées, 1 active, 2 ports ouverts en 1,5\u00a0s.');
  });
  it('says when a scan was cancelled', () => {
    expect(formatScanResult({ ...result, cancelled: true }, 'en')).toContain('partial results');
  });
  it('says an nmap file cut short was nmap’s run interrupted, not a cancelled scan', () => {
    const source = { kind: 'nmap' as const, args: 'nmap -sT 10.77.0.1', scanTypes: [] };
    const text = formatScanResult({ ...result, cancelled: true, source }, 'fr', serviceName);
    expect(text).toContain(
      '2 adresses analysées, 1 active, 2 ports ouverts (analyse nmap interrompue\u00a0: seuls les hôtes que nmap avait finis sont là).',
    );
    expect(text).not.toContain('annulée');
  });
});

describe('formatScanResult with verdicts', () => {
  // A device with a critical port and this PC with a backdoor port, an info port and a closed one.
  const scan: ScanResult = {
    ...result,
    hosts: [
      {
        address: '10.77.0.5',
        family: 'ipv4',
        isLocal: false,
        status: 'up',
        reason: 'syn-ack',
        ports: [
          { port: 80, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
          { port: 445, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
        ],
        hidden: { open: 0, closed: 1022, filtered: 0 },
      },
      {
        ...result.hosts[0]!,
        ports: [
          { port: 9, protocol: 'tcp', state: 'closed', reason: 'conn-refused' },
          { port: 443, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
          { port: 4444, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
        ],
      },
    ],
  };
  const node = { pid: 4242, name: 'node', path: '/usr/bin/node' };
  const assessment = assessHosts(
    scan.hosts,
    [
      { protocol: 'tcp', address: '127.0.0.1', port: 443, program: node },
      { protocol: 'tcp', address: '127.0.0.1', port: 4444, program: node },
    ],
    knowledgeBase(),
  );

  it('adds risk and program columns, worst first, with the reasons under each open port (English)', () => {
    const text = formatScanResult(scan, 'en', serviceName, assessment);
    const lines = text.split('\n');
    // This PC first, then the device.
    expect(lines[0]).toBe('This PC  up');
    expect(lines[1]).toBe('  This PC’s addresses: 127.0.0.1 (localhost)');
    expect(lines[2]).toMatch(/^ {2}PORT\s+STATE\s+ANSWER\s+SERVICE\s+RISK LEVEL\s+PROGRAM$/);
    expect(lines[3]).toMatch(
      /^ {2}4444\/tcp\s+open\s+accepted the connection\s+metasploit\s+Critical\s+node \(PID 4242\)$/,
    );
    expect(lines[4]).toBe(`      - ${knowledgeBase().byPort(4444, 'tcp')!.reason.en}`);
    expect(lines[5]).toBe('      - Opened by “node” (PID 4242), executable “/usr/bin/node”.');
    expect(lines[6]).toMatch(
      /^ {6}- .*a program listening on a backdoor port is suspicious in itself\.$/,
    );
    expect(lines[7]).toMatch(
      /^ {2}443\/tcp\s+open\s+accepted the connection\s+https\s+Info\s+node \(PID 4242\)$/,
    );
    const closed = lines.findIndex((l) => /^ {2}9\/tcp/.test(l));
    expect(lines[closed]).toMatch(/^ {2}9\/tcp\s+closed\s+refused the connection\s+discard$/);
    expect(closed).toBeGreaterThan(7);

    const device = lines.indexOf('10.77.0.5  up (accepted a connection)');
    expect(device).toBeGreaterThan(closed);
    // No program column for another device: the OS only knows this PC's programs.
    expect(lines[device + 1]).toMatch(/^ {2}PORT\s+STATE\s+ANSWER\s+SERVICE\s+RISK LEVEL$/);
    expect(lines[device + 2]).toMatch(
      /^ {2}445\/tcp\s+open\s+accepted the connection\s+smb\s+High$/,
    );
    expect(lines[device + 3]).toMatch(/WannaCry/);
    expect(text).toContain('Open ports by risk level: Critical 1, High 1, Info 2.');
    expect(text).not.toContain('administrator');
  });

  it('speaks French, and says when programs are missing', () => {
    const text = formatScanResult(scan, 'fr', serviceName, {
      ...assessment,
      programsComplete: false,
      programsMissing: 'not-elevated',
    });
    expect(text).toMatch(/^ {2}PORT\s+ÉTAT\s+RÉPONSE\s+SERVICE\s+NIVEAU DE RISQUE\s+PROGRAMME$/m);
    expect(text).toMatch(
      /^ {2}4444\/tcp\s+ouvert\s+a accepté la connexion\s+metasploit\s+Critique\s+node \(PID 4242\)$/m,
    );
    expect(text).toContain(`      - ${knowledgeBase().byPort(4444, 'tcp')!.reason.fr}\n`);
    expect(text).toContain(
      '      - Ouvert par «\u00a0node\u00a0» (PID 4242), exécutable «\u00a0/usr/bin/node\u00a0».',
    );
    expect(text).toMatch(/^ {2}445\/tcp\s+ouvert\s+a accepté la connexion\s+smb\s+Élevé$/m);
    expect(text).toContain(
      'Ports ouverts par niveau de risque\u00a0: Critique 1, Élevé 1, Info 2.',
    );
    expect(text).toContain(
      '! Certains ports de ce PC n’ont pas pu être reliés à leur programme\u00a0: relancez Port Auditor en administrateur',
    );
  });

  it('gives no advice to run as administrator without a reason, and words a kept scan as such', () => {
    // Review 15, #5: the advice showed as root, and on reopened scans whose owners are not checked.
    const silent = formatScanResult(scan, 'fr', serviceName, {
      ...assessment,
      programsComplete: false,
    });
    expect(silent).not.toContain('administrateur');
    const kept = formatScanResult(scan, 'en', serviceName, {
      ...assessment,
      programsComplete: false,
      programsMissing: 'kept',
    });
    expect(kept).toContain(
      '! Kept scan: some programs it recorded no longer listen the same way on this PC, so they are not named.',
    );
    expect(kept).not.toContain('administrator');
  });

  it('keeps the plain table when no verdict could be made', () => {
    const text = formatScanResult(scan, 'en', serviceName);
    expect(text).toMatch(/^ {2}PORT\s+STATE\s+ANSWER\s+SERVICE$/m);
    expect(text).not.toMatch(/RISK|Critical|risk level/);
    expect(text.split('\n')[0]).toBe('10.77.0.5  up (accepted a connection)');
  });
});

describe('formatScanResult on hosts that are not what they seem', () => {
  const tarpit = tarpitHost('10.77.0.66');
  const unreachable = unprobedHost('10.99.0.1', {
    fr: 'Ce PC n’a aucune route vers cette adresse (ENETUNREACH).',
    en: 'This PC has no route to this address (ENETUNREACH).',
  });
  const scan: ScanResult = { ...result, addresses: 2, hosts: [tarpit, unreachable] };
  const assessment = assessHosts(scan.hosts, [], knowledgeBase());

  it('groups a host that answers on every port into one statement, not a hundred verdicts', () => {
    const en = formatScanResult(scan, 'en', serviceName, assessment);
    expect(en).toContain('! Every port answers: firewall, proxy or trap');
    expect(en).toContain('100 of the 100 probed ports accepted the connection');
    expect(en).toContain('Open ports: 1-100');
    expect(en).not.toMatch(/^ {2}PORT/m);
    expect(en).toContain('Open ports by risk level: Medium 1.');
    const fr = formatScanResult(scan, 'fr', serviceName, assessment);
    expect(fr).toContain(typeset('! Tout port répond : pare-feu, proxy ou piège'));
    expect(fr).toContain('Ports ouverts\u00a0: 1-100');
  });

  it('lists a host this PC could not probe, with the reason, as neither up nor down', () => {
    const en = formatScanResult(scan, 'en', serviceName, assessment);
    expect(en).toContain('10.99.0.1  not scanned: this PC cannot reach it');
    expect(en).toContain('  ! This PC has no route to this address (ENETUNREACH).');
    const fr = formatScanResult(scan, 'fr', serviceName, assessment);
    expect(fr).toContain(typeset('10.99.0.1  non analysé : ce PC ne peut pas le joindre'));
    expect(fr).toContain('  ! Ce PC n’a aucune route vers cette adresse (ENETUNREACH).');
  });

  it('groups the addresses it could not probe for one reason into one block, not counted as scanned', () => {
    // Review of issue 14 (new user), F6: 16 blocks of 3 lines, then "16 addresses scanned".
    const message = {
      fr: 'Ce PC n’a aucune route vers cette adresse (ENETUNREACH).',
      en: 'This PC has no route to this address (ENETUNREACH).',
    };
    const hosts = Array.from({ length: 16 }, (_, i) => unprobedHost(`100.64.6.${i}`, message));
    const many: ScanResult = { ...result, addresses: 16, hosts };
    const en = formatScanResult(many, 'en', serviceName);
    expect(en).toContain(
      '16 addresses not scanned: 100.64.6.0, 100.64.6.1, 100.64.6.2, 100.64.6.3, 100.64.6.4, 100.64.6.5, 100.64.6.6, 100.64.6.7, 100.64.6.8, 100.64.6.9 and 6 more\n  ! This PC has no route to this address (ENETUNREACH).',
    );
    expect(en.match(/ENETUNREACH/g)).toHaveLength(1);
    expect(en).toContain('0 addresses scanned, 16 not scanned, 0 up');
    const fr = formatScanResult(many, 'fr', serviceName);
    expect(fr).toContain('16 adresses non analysées\u00a0: 100.64.6.0, ');
    expect(fr).toContain(' et 6 autres\n  ! Ce PC n’a aucune route');
    expect(fr).toContain('0 adresse analysée, 16 non analysées, 0 active');
  });
});

describe('formatScanResult writes link-local addresses with their zone', () => {
  const linkLocal = {
    address: 'fe80::b42b:c0ff:feb1:7b8b',
    zone: 'veth-a',
    family: 'ipv6' as const,
    isLocal: false,
    status: 'up' as const,
    reason: 'syn-ack' as const,
    ports: [
      { port: 22, protocol: 'tcp' as const, state: 'open' as const, reason: 'syn-ack' as const },
    ],
    hidden: { open: 0, closed: 3, filtered: 0 },
  };

  it('titles the device by the address as it can be typed again, fe80::…%veth-a', () => {
    const scan: ScanResult = { ...result, addresses: 1, hosts: [linkLocal] };
    expect(formatScanResult(scan, 'en').split('\n')[0]).toBe(
      'fe80::b42b:c0ff:feb1:7b8b%veth-a  up (accepted a connection)',
    );
    expect(formatScanResult(scan, 'fr').split('\n')[0]).toMatch(
      /^fe80::b42b:c0ff:feb1:7b8b%veth-a {2}actif/,
    );
  });

  it('lists this PC’s link-local address with its zone, and where a port is reachable', () => {
    const pc = {
      ...linkLocal,
      address: 'fe80::1',
      zone: 'br-lan',
      isLocal: true,
      reason: 'localhost' as const,
    };
    const loopback = { ...pc, address: '::1', zone: undefined };
    delete loopback.zone;
    const scan: ScanResult = { ...result, addresses: 2, hosts: [pc, loopback] };
    const en = formatScanResult(scan, 'en');
    expect(en).toContain('  This PC’s addresses: fe80::1%br-lan, ::1');
    expect(en).toMatch(/22\/tcp\s+open\s+accepted the connection\s+fe80::1%br-lan, ::1$/m);
    expect(en).toContain('  Ports not shown (fe80::1%br-lan): 3 closed ports');
  });
});

describe('formatScanResult folds each device as the page does', () => {
  const port = (n: number): PortResult => ({
    port: n,
    protocol: 'tcp',
    state: 'open',
    reason: 'syn-ack',
  });
  const pc = (address: string, ports: PortResult[], closed: number) => ({
    address,
    family: address.includes(':') ? ('ipv6' as const) : ('ipv4' as const),
    isLocal: true,
    status: 'up' as const,
    reason: 'localhost' as const,
    ports,
    hidden: { open: 0, closed, filtered: 0 },
  });
  const device = (address: string, mac: string) => ({
    address,
    family: address.includes(':') ? ('ipv6' as const) : ('ipv4' as const),
    isLocal: false,
    mac,
    status: 'up' as const,
    reason: 'neighbour' as const,
    ports: [port(80)],
    hidden: { open: 0, closed: 999, filtered: 0 },
  });
  const scan: ScanResult = {
    ...result,
    addresses: 5,
    hosts: [
      pc('10.77.0.1', [{ ...port(22), detected: { product: 'OpenSSH', version: '9.2p1' } }], 999),
      pc('127.0.0.1', [port(22), port(631)], 998),
      pc('::1', [], 1000),
      device('10.77.0.5', '02:00:00:00:00:05'),
      device('fd77::5', '02:00:00:00:00:05'),
    ],
  };

  it('prints This PC once, each service once with where it is reachable and what nmap saw running', () => {
    const en = formatScanResult(scan, 'en', serviceName);
    const lines = en.split('\n');
    expect(lines[0]).toBe('This PC  up');
    expect(lines[1]).toBe('  This PC’s addresses: 10.77.0.1, 127.0.0.1, ::1');
    expect(lines[2]).toMatch(/^ {2}PORT\s+STATE\s+ANSWER\s+SERVICE\s+SOFTWARE\s+REACHABLE ON$/);
    expect(lines[3]).toMatch(
      /^ {2}22\/tcp\s+open\s+accepted the connection\s+ssh\s+OpenSSH 9\.2p1\s+10\.77\.0\.1, 127\.0\.0\.1$/,
    );
    expect(lines[4]).toMatch(
      /^ {2}631\/tcp\s+open\s+accepted the connection\s+ipp\s+127\.0\.0\.1$/,
    );
    expect(lines[5]).toBe('  Ports not shown (10.77.0.1): 999 closed ports');
    expect(lines[6]).toBe('  Ports not shown (127.0.0.1): 998 closed ports');
    expect(lines[7]).toBe('  Ports not shown (::1): 1,000 closed ports');
    expect(en.match(/22\/tcp/g)).toHaveLength(1);
    // Two addresses sharing a MAC are one device, titled by its first address.
    expect(lines[9]).toBe('10.77.0.5  up (seen on the local network (ARP/NDP table))');
    expect(lines[10]).toBe('  This device’s addresses (same MAC address): 10.77.0.5, fd77::5');
    expect(en.match(/80\/tcp/g)).toHaveLength(1);
    expect(en).toContain('5 addresses scanned, 5 up (2 devices), 3 open ports in 1.5\u00a0s.');
  });

  it('says it in French', () => {
    const fr = formatScanResult(scan, 'fr', serviceName);
    expect(fr.split('\n')[0]).toBe('Ce PC  actif');
    expect(fr).toContain('  Adresses de ce PC\u00a0: 10.77.0.1, 127.0.0.1, ::1');
    expect(fr).toMatch(/^ {2}PORT\s+ÉTAT\s+RÉPONSE\s+SERVICE\s+LOGICIEL\s+JOIGNABLE SUR$/m);
    expect(fr).toContain('  Ports non affichés (127.0.0.1)\u00a0: 998 ports fermés');
    expect(fr).toContain('  Adresses de cet appareil (même adresse MAC)\u00a0: 10.77.0.5, fd77::5');
  });
});

describe('formatProgress', () => {
  it('shows percent, probes, open ports and time left', () => {
    const event = {
      type: 'progress',
      scanId: 's1',
      done: 512,
      total: 1024,
      etaMs: 2100,
      openFound: 1,
    } as const;
    expect(formatProgress(event, 'en')).toBe(
      'Scanning: 50% (512/1,024), 1 open port — ~3\u00a0s left',
    );
    expect(formatProgress(event, 'fr')).toBe(
      'Analyse\u00a0: 50\u00a0% (512/1\u202f024), 1 port ouvert — reste ~3\u00a0s',
    );
  });
});

describe('a program’s own words never become lines or reversed text of ours', () => {
  // The review's path (issue 15, F1): a folder whose name holds a line feed, a forged "blocked by
  // Port Auditor" line and U+202E; a program name with ESC and a zero-width space.
  const folder =
    '/tmp/x/bin\n      * Bloqué par Port Auditor (règle PortAuditor-1), relu dans le pare-feu ; risque atténué.\n\u202e';
  const program = { pid: 4343, name: '=cmd|\u001b[2J\u200bsshd', path: `${folder}/python3` };
  const scan: ScanResult = {
    ...result,
    hosts: [
      {
        ...result.hosts[0]!,
        ports: [{ port: 47123, protocol: 'tcp', state: 'open', reason: 'syn-ack' }],
        hidden: { open: 0, closed: 0, filtered: 0 },
      },
    ],
  };
  const assessment = assessHosts(
    scan.hosts,
    [{ protocol: 'tcp', address: '127.0.0.1', port: 47123, program }],
    knowledgeBase(),
  );

  it('keeps each reason on one line, with no control, bidi or invisible character', () => {
    const reasons = assessment.hosts.flatMap((h) => h.ports.flatMap((p) => p.reasons));
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) {
      for (const text of [reason.text.fr, reason.text.en]) {
        // eslint-disable-next-line no-control-regex -- the test looks for control characters
        expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b\u202a-\u202e\u2066-\u2069]/u);
      }
    }
    for (const language of ['fr', 'en'] as const) {
      const text = formatScanResult(scan, language, serviceName, assessment);
      const forged = text.split('\n').filter((line) => line.includes('Bloqué par Port Auditor'));
      expect(forged).toHaveLength(1);
      // The forged words stay inside our own reason line, after its "/tmp/x/bin".
      expect(forged[0]).toMatch(/^ {6}- .*\/tmp\/x\/bin +\* Bloqué par Port Auditor/u);
    }
  });
});

describe('long or wide outside words keep the table readable (issue 15, F7)', () => {
  it('caps a long product with … and lines columns up by code points', () => {
    const scan: ScanResult = {
      ...result,
      hosts: [
        {
          ...result.hosts[1]!,
          status: 'up',
          reason: 'syn-ack',
          ports: [
            {
              port: 80,
              protocol: 'tcp',
              state: 'open',
              reason: 'syn-ack',
              detected: { product: 'x'.repeat(200) },
            },
            {
              port: 81,
              protocol: 'tcp',
              state: 'open',
              reason: 'syn-ack',
              detected: { product: 'Émetteur 😀😀 serveur' },
            },
          ],
        },
      ],
    };
    const lines = formatScanResult(scan, 'en', serviceName).split('\n');
    const long = lines.find((l) => l.includes('80/tcp'))!;
    const wide = lines.find((l) => l.includes('81/tcp'))!;
    expect(long).toContain(`${'x'.repeat(31)}…`);
    expect(long).not.toContain('x'.repeat(32));
    expect(Array.from(long).length).toBeLessThan(120);
    // Both rows' software cells start at the same column, counted in code points.
    const at = (line: string, word: string) => Array.from(line.slice(0, line.indexOf(word))).length;
    expect(at(wide, 'Émetteur')).toBe(at(long, 'xxx'));
  });
});
