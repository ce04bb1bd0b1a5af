import { describe, expect, it } from 'vitest';
import { portReasonText } from '../../app/contract/vocabulary.js';
import { renderCsv, CSV_COLUMNS } from '../../app/report/csv.js';
import { buildReportModel } from '../../app/report/model.js';
import { renderNmapXml } from '../../app/report/nmap-xml-export.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { useOwnDataDir } from './support/own-data-dir.js';

useOwnDataDir('nmap-reset');

// Review 13 ATK2: an -sS file's closed port (`reset`, the RST nmap read) was worded and exported
// as connect()'s `conn-refused`; a port given many times must be one row, counted as shown.

const xml = (ports: string) =>
  '<?xml version="1.0"?>\n<nmaprun scanner="nmap" args="nmap -sS 10.0.0.1" start="1700000000" version="7.93" xmloutputversion="1.05">\n' +
  '<scaninfo type="syn" protocol="tcp" numservices="1000" services="1-1000"/>\n' +
  `<host><status state="up" reason="echo-reply" reason_ttl="63"/><address addr="10.0.0.1" addrtype="ipv4"/><ports>${ports}</ports></host>\n` +
  '<runstats><finished time="1700000100"/></runstats></nmaprun>\n';
const port = (n: number, state: string, reason: string, protocol = 'tcp') =>
  `<port protocol="${protocol}" portid="${n}"><state state="${state}" reason="${reason}" reason_ttl="64"/></port>`;

/** The CSV's rows as `port protocol state reason`. */
function csvRows(csv: string): string[] {
  const [header, ...rows] = csv.trimEnd().split('\r\n');
  const columns = header!.split(',');
  const at = (name: (typeof CSV_COLUMNS)[number]) => columns.indexOf(name);
  return rows.map((row) => {
    const cells = row.split(',');
    return [at('port'), at('protocol'), at('state'), at('reason')].map((i) => cells[i]).join(' ');
  });
}

describe('an -sS file’s reset', () => {
  it('is nmap’s word in the CSV and the nmap XML, worded as a reset in fr and en', () => {
    const { scan } = importNmapXml(
      xml(
        port(22, 'open', 'syn-ack') +
          port(3389, 'closed', 'reset') +
          port(53, 'closed', 'reset', 'udp'),
      ),
    );
    const ports = scan.hosts[0]!.ports;
    expect(ports.map((p) => `${p.port}/${p.protocol} ${p.reason}`)).toEqual([
      '22/tcp syn-ack',
      '3389/tcp reset',
      // TCP's word on a UDP port, as nmap says it for UDP.
      '53/udp port-unreach',
    ]);
    const model = buildReportModel({ scan, pcName: 'PC' });
    expect(csvRows(renderCsv(model, 'en'))).toEqual([
      '22 tcp open syn-ack',
      '53 udp closed port-unreach',
      '3389 tcp closed reset',
    ]);
    expect(renderNmapXml(scan)).toContain(
      'portid="3389"><state state="closed" reason="reset" reason_ttl="64"/>',
    );
    expect(portReasonText('reset')).toEqual({
      fr: 'a répondu par une réinitialisation TCP (RST)',
      en: 'answered with a TCP reset (RST)',
    });
  });

  it('a port given three times is one row, and the counts say what the rows show', () => {
    const { scan } = importNmapXml(
      xml(
        port(3389, 'open', 'syn-ack') +
          port(3389, 'open', 'syn-ack') +
          port(3389, 'closed', 'reset'),
      ),
    );
    const model = buildReportModel({ scan, pcName: 'PC' });
    expect(csvRows(renderCsv(model, 'en'))).toEqual(['3389 tcp open syn-ack']);
    expect(model.openPorts).toBe(1);
  });

  it('100,000 copies of port 80 in one host are one port', () => {
    const { scan } = importNmapXml(xml(port(80, 'open', 'syn-ack').repeat(100_000)));
    expect(scan.hosts[0]!.ports.map((p) => `${p.port} ${p.state}`)).toEqual(['80 open']);
    expect(scan.hosts[0]!.answersEveryPort).toBeUndefined();
    expect(buildReportModel({ scan, pcName: 'PC' }).openPorts).toBe(1);
  });
});
