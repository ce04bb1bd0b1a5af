import { describe, expect, it } from 'vitest';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';

// Review 13b (attacker) A6 and A7: what an nmap file without <scaninfo> or with half-valid
// metadata times says about its ports per address and its duration.

function file(head: string, ports: number, extra = ''): string {
  const list = Array.from(
    { length: ports },
    (_, i) =>
      `<port protocol="tcp" portid="${i + 1}"><state state="open" reason="syn-ack"/></port>`,
  ).join('');
  return `<?xml version="1.0"?><nmaprun scanner="nmap" args="nmap 192.168.1.5" start="1700000000">${head}
<host><status state="up" reason="syn-ack"/><address addr="192.168.1.5" addrtype="ipv4"/>
<ports>${extra}${list}</ports></host><runstats><finished time="1700000060"/></runstats></nmaprun>`;
}

const meta = (elems: Record<string, string>) =>
  `<prescript><script id="port-auditor" output="x">${Object.entries(elems)
    .map(([k, v]) => `<elem key="${k}">${v}</elem>`)
    .join('')}</script></prescript>`;

describe('an nmap file’s ports per address and duration', () => {
  it('counts the ports its hosts list and count when it has no <scaninfo>', () => {
    const { scan } = importNmapXml(file('', 3, '<extraports state="closed" count="997"/>'));
    expect(scan.portCount).toBe(1000);
  });

  it('takes the count its command line asks for when it has no <scaninfo> (review 13c #7)', () => {
    // The largest host lists 3 and counts 1,447 more: the file overstates, its args do not.
    const overstated = file('', 3, '<extraports state="closed" count="1447"/>');
    const withArgs = (args: string) => overstated.replace('nmap 192.168.1.5', args);
    expect(importNmapXml(withArgs('nmap -p 1-1024 192.168.1.5')).scan.portCount).toBe(1024);
    expect(importNmapXml(withArgs('nmap -p- 192.168.1.5')).scan.portCount).toBe(65_535);
    expect(importNmapXml(withArgs('nmap -pT:22,80,U:53 192.168.1.5')).scan.portCount).toBe(3);
    expect(importNmapXml(withArgs('nmap --top-ports 200 192.168.1.5')).scan.portCount).toBe(200);
    expect(importNmapXml(withArgs('nmap -F 192.168.1.5')).scan.portCount).toBe(100);
    // A spec this app cannot count (service names): the hosts' ports, as before.
    expect(importNmapXml(withArgs('nmap -p http,ssh 192.168.1.5')).scan.portCount).toBe(1450);
  });

  it('keeps <scaninfo>’s count when there is one', () => {
    const info = '<scaninfo type="syn" protocol="tcp" numservices="100" services="1-100"/>';
    expect(importNmapXml(file(info, 3)).scan.portCount).toBe(100);
  });

  it('takes both times from nmap when the metadata’s start is refused', () => {
    const head = meta({ startedAt: '2026-02-31T00:00:00Z', finishedAt: '2025-01-01T00:00:00Z' });
    const { scan } = importNmapXml(file(head, 1));
    expect(scan.startedAt).toBe('2023-11-14T22:13:20.000Z');
    expect(scan.finishedAt).toBe('2023-11-14T22:14:20.000Z');
  });

  it('takes both times from the metadata when both are valid', () => {
    const head = meta({ startedAt: '2026-01-01T10:00:00Z', finishedAt: '2026-01-01T10:00:05Z' });
    const { scan } = importNmapXml(file(head, 1));
    expect([scan.startedAt, scan.finishedAt]).toEqual([
      '2026-01-01T10:00:00Z',
      '2026-01-01T10:00:05Z',
    ]);
  });
});
