import { describe, expect, it } from 'vitest';
import type { HostResult } from '../../app/contract/index.js';
import { importNmapXml, type HostSink } from '../../app/report/nmap-xml-import.js';
import { typeset } from './support/typography.js';
import { useOwnDataDir } from './support/own-data-dir.js';

useOwnDataDir('nmap-merge');

// Issue 13, review 13 ATK3 (the same address in many <host> elements was merged in quadratic
// time) and N2 (a merged host counted more ports than were scanned).

const head = (args: string) =>
  `<?xml version="1.0"?>\n<nmaprun scanner="nmap" args="${args}" start="1700000000" version="7.93" xmloutputversion="1.05">\n`;
const tail = '<runstats><finished time="1700000100"/></runstats></nmaprun>\n';
const port = (n: number, state: string, reason: string) =>
  `<port protocol="tcp" portid="${n}"><state state="${state}" reason="${reason}" reason_ttl="64"/></port>`;
const host = (addr: string, status: string, body: string) =>
  `<host><status state="${status}" reason="${status === 'up' ? 'echo-reply' : 'no-response'}" reason_ttl="${status === 'up' ? 63 : 0}"/><address addr="${addr}" addrtype="ipv4"/><ports>${body}</ports></host>\n`;

describe('the same address in many <host> elements (ATK3)', () => {
  it('20,000 elements of one address are one host, each port once, in the state that matters most', () => {
    const n = 20_000;
    const parts = [head('nmap -sS 10.0.0.1')];
    for (let i = 0; i < n; i++) {
      // Element i lists port i+1 open, and port 7 closed; the last one says the host is up.
      parts.push(
        host(
          '10.0.0.1',
          i === n - 1 ? 'up' : 'down',
          port(n - i, 'open', 'syn-ack') + port(7, 'closed', 'reset'),
        ),
      );
    }
    parts.push(tail);
    const { scan, hostCount } = importNmapXml(parts.join(''));
    expect(hostCount).toBe(1);
    expect(scan.hosts).toHaveLength(1);
    const merged = scan.hosts[0]!;
    expect(merged.status).toBe('up');
    // nmap's reason with the status it explains, not the first element's.
    expect(merged.nmapReason).toEqual({ reason: 'echo-reply', ttl: 63 });
    expect(merged.ports).toHaveLength(n);
    // Sorted once, by number; 7 open (element 19,993 said so), never closed.
    expect(merged.ports.map((p) => p.port)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(merged.ports.every((p) => p.state === 'open')).toBe(true);
    expect(merged.hidden).toEqual({ open: 0, closed: 0, filtered: 0 });
    expect(scan.addresses).toBe(1);
  });

  it('through a sink, the merged host is set once at the end, from the host it was given', () => {
    const rows: HostResult[] = [];
    const sets: number[] = [];
    const sink: HostSink = {
      add: (h) => rows.push(h),
      get: (i) => rows[i]!,
      set: (i, h) => {
        sets.push(i);
        rows[i] = h;
      },
    };
    const xml =
      head('nmap -sS 10.0.0.1 10.0.0.2') +
      host('10.0.0.1', 'up', port(22, 'open', 'syn-ack')) +
      host('10.0.0.2', 'up', port(80, 'open', 'syn-ack')) +
      host('10.0.0.1', 'up', port(22, 'closed', 'reset') + port(21, 'open', 'syn-ack')) +
      host('10.0.0.1', 'up', port(23, 'filtered', 'no-response')) +
      tail;
    const { scan, hostCount } = importNmapXml(xml, { hosts: sink });
    expect(scan.hosts).toEqual([]);
    expect(hostCount).toBe(2);
    expect(sets).toEqual([0]);
    expect(rows.map((h) => [h.address, h.ports.map((p) => `${p.port} ${p.state}`)])).toEqual([
      ['10.0.0.1', ['21 open', '22 open', '23 filtered']],
      ['10.0.0.2', ['80 open']],
    ]);
  });
});

describe('a merged host counts no more ports than were scanned (N2)', () => {
  it('lowers the unlisted count by the ports listed in the other element, with a note (fr/en)', () => {
    const xml =
      head('nmap -p 1-1000 10.0.0.1') +
      '<scaninfo type="syn" protocol="tcp" numservices="1000" services="1-1000"/>\n' +
      host(
        '10.0.0.1',
        'up',
        '<extraports state="closed" count="998"/>' +
          port(443, 'open', 'syn-ack') +
          port(900, 'filtered', 'no-response'),
      ) +
      host(
        '10.0.0.1',
        'up',
        '<extraports state="closed" count="999"/>' + port(80, 'open', 'syn-ack'),
      ) +
      tail;
    const { scan } = importNmapXml(xml);
    expect(scan.hosts).toHaveLength(1);
    const merged = scan.hosts[0]!;
    expect(merged.ports.map((p) => `${p.port} ${p.state}`)).toEqual([
      '80 open',
      '443 open',
      '900 filtered',
    ]);
    // 3 listed + 997 closed: the 1,000 scanned, not 1,002.
    expect(merged.hidden).toEqual({ open: 0, closed: 997, filtered: 0 });
    expect(scan.portCount).toBe(1000);
    expect(scan.notes).toContainEqual({
      fr: typeset(
        'Fichier nmap : 1 adresse est donnée dans plusieurs hôtes qui ne s’accordent pas sur ses ports (ensemble, ils en comptent plus qu’un seul n’en a analysé) ; ses ports non listés ont été réduits des ports listés dans ses autres hôtes',
      ),
      en: 'nmap file: 1 address is given in several hosts that disagree on its ports (together they count more than any one of them scanned); its unlisted ports were reduced by the ports listed in its other hosts',
    });
  });

  it('lowers the state that matters least first, and adds no note when the elements agree', () => {
    const xml =
      head('nmap -p 1-10 10.0.0.1 10.0.0.2') +
      host(
        '10.0.0.1',
        'up',
        '<extraports state="filtered" count="4"/><extraports state="closed" count="5"/>' +
          port(1, 'open', 'syn-ack'),
      ) +
      host(
        '10.0.0.1',
        'up',
        '<extraports state="filtered" count="8"/>' +
          port(2, 'open', 'syn-ack') +
          port(3, 'closed', 'reset'),
      ) +
      // The same 10 ports twice, the same one listed: nothing to lower.
      host(
        '10.0.0.2',
        'up',
        '<extraports state="closed" count="9"/>' + port(5, 'open', 'syn-ack'),
      ) +
      host(
        '10.0.0.2',
        'up',
        '<extraports state="closed" count="9"/>' + port(5, 'open', 'syn-ack'),
      ) +
      tail;
    const { scan } = importNmapXml(xml);
    const [first, second] = scan.hosts;
    // Listed 1, 2, 3; max counts filtered 8 + closed 5 = 13, of 10 - 3 = 7: closed goes first.
    expect(first?.hidden).toEqual({ open: 0, closed: 0, filtered: 7 });
    expect(second?.hidden).toEqual({ open: 0, closed: 9, filtered: 0 });
    expect(scan.notes.filter((n) => n.en.includes('disagree'))).toHaveLength(1);
    expect(scan.notes.find((n) => n.en.includes('disagree'))?.en).toContain('1 address is');
  });
});
