import { describe, expect, it } from 'vitest';
import type { HostResult } from '../../app/contract/index.js';
import { checkedKeptRow } from '../../app/api/scan-history.js';
import { reportInputFromFile } from '../../app/report/json-import.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { everyPortVerdict, withEveryPortVerdict } from '../../app/scan/every-port.js';
import { tarpitHost } from './support/odd-hosts.js';

// Review 13b (attacker) A1: nmap -p- against a tarpit or portspoof lists every port open. An
// import, a JSON report and a kept scan reopened get the engine's one verdict for it.

/** One nmap host at `address` with ports 1..open open and `closed` more counted closed. */
function nmapFile(address: string, open: number, closed = 0): string {
  const ports = Array.from(
    { length: open },
    (_, i) =>
      `<port protocol="tcp" portid="${i + 1}"><state state="open" reason="syn-ack"/></port>`,
  ).join('');
  const extra = closed ? `<extraports state="closed" count="${closed}"/>` : '';
  return `<?xml version="1.0"?><nmaprun scanner="nmap" args="nmap -p- ${address}" start="1700000000">
<host><status state="up" reason="syn-ack"/><address addr="${address}" addrtype="ipv4"/>
<ports>${extra}${ports}</ports></host><runstats><finished time="1700000060"/></runstats></nmaprun>`;
}

describe('a host answering on every port', () => {
  it('follows the engine rule: at least 80 % open of at least 50 probed', () => {
    expect(everyPortVerdict(40, 50)).toEqual({ open: 40, probed: 50 });
    expect(everyPortVerdict(39, 50)).toBeUndefined();
    expect(everyPortVerdict(49, 49)).toBeUndefined();
    expect(everyPortVerdict(60, 50)).toBeUndefined();
  });

  it('is grouped when imported from nmap XML, with its 30,000 open ports counted once', () => {
    const { scan } = importNmapXml(nmapFile('192.168.1.5', 30_000));
    const host = scan.hosts[0]!;
    expect(host.answersEveryPort).toEqual({ open: 30_000, probed: 30_000 });
    const assessed = assessHosts(scan.hosts, [], knowledgeBase());
    expect(assessed.counts).toEqual({ critical: 0, high: 0, medium: 1, low: 0, info: 0 });
    expect(assessed.hosts[0]!.worst).toBe('medium');
  });

  it('counts the closed ports nmap only counted, and leaves a busy server alone', () => {
    const server = importNmapXml(nmapFile('192.168.1.6', 60, 940)).scan.hosts[0]!;
    expect(server.answersEveryPort).toBeUndefined();
    const few = importNmapXml(nmapFile('192.168.1.7', 20)).scan.hosts[0]!;
    expect(few.answersEveryPort).toBeUndefined();
  });

  it('is grouped when a JSON report or a kept scan does not say it', () => {
    const { answersEveryPort: _said, ...unsaid } = tarpitHost('10.77.1.4');
    const host: HostResult = unsaid;
    const input = reportInputFromFile(
      {
        scan: {
          scanId: 'j',
          request: { targets: '10.77.1.4', ports: '1-100', skipDiscovery: false, confirmed: false },
          addresses: 1,
          portCount: 100,
          notes: [],
          startedAt: '2026-01-01T10:00:00.000Z',
          finishedAt: '2026-01-01T10:00:03.000Z',
          cancelled: false,
          hosts: [host],
        },
        assessment: null,
        pcName: 'PC',
      } as unknown as Parameters<typeof reportInputFromFile>[0],
      new Set(),
    );
    expect(input.scan.hosts[0]!.answersEveryPort).toEqual({ open: 100, probed: 100 });
    const row = checkedKeptRow({ seq: 0, host, kept: null }, new Set())!;
    expect(row.host.answersEveryPort).toEqual({ open: 100, probed: 100 });
    expect(withEveryPortVerdict({ ...host, status: 'down' }).answersEveryPort).toBeUndefined();
  });
});
