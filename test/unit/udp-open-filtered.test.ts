import { describe, expect, it } from 'vitest';
import type { HostResult, ScanResult } from '../../app/contract/index.js';
import { specHasUdp, withCommonUdp } from '../../app/contract/port-spec.js';
import { PORT_STATE_LABEL, PORT_STATE_HELP } from '../../app/contract/vocabulary.js';
import { renderCsv } from '../../app/report/csv.js';
import { renderJson } from '../../app/report/json.js';
import { buildReportModel } from '../../app/report/model.js';
import { equivalentNmapArgs, renderNmapXml } from '../../app/report/nmap-xml-export.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { parsePortSpec } from '../../app/scan/ports.js';
import { pdfDefinition } from '../../app/report/pdf.js';
import { formatScanResult } from '../../main/cli/format.js';
import { typeset } from './support/typography.js';

/** A device after `-p T:22,U:53,123,161`: SNMP answered, DNS refused, NTP stayed silent. */
const device: HostResult = {
  address: '192.168.1.20',
  family: 'ipv4',
  isLocal: false,
  status: 'up',
  reason: 'syn-ack',
  ports: [
    { port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
    { port: 53, protocol: 'udp', state: 'closed', reason: 'port-unreach' },
    { port: 123, protocol: 'udp', state: 'open|filtered', reason: 'no-response' },
    { port: 161, protocol: 'udp', state: 'open', reason: 'udp-response' },
  ],
  hidden: { open: 0, closed: 0, filtered: 0, 'open|filtered': 2 },
  portStates: {
    tcp: { open: '22' },
    udp: { open: '161', closed: '53', 'open|filtered': '123,1900,5353' },
  },
};

function scan(hosts: HostResult[], ports = 'T:22,U:53,123,161,1900,5353'): ScanResult {
  return {
    scanId: 'udp',
    request: { targets: '192.168.1.20', ports, skipDiscovery: false, confirmed: false },
    addresses: 1,
    portCount: 6,
    notes: [],
    startedAt: '2026-12-01T00:00:00.000Z',
    finishedAt: '2026-12-01T00:00:01.000Z',
    cancelled: false,
    hosts,
  };
}

describe('open|filtered, a state of its own', () => {
  it('is worded for a non-expert in both languages, with what it means', () => {
    expect(PORT_STATE_LABEL['open|filtered']).toEqual({
      fr: 'ouvert ou filtré',
      en: 'open or filtered',
    });
    expect(PORT_STATE_HELP['open|filtered'].en).toContain('counted neither as open nor as closed');
    expect(PORT_STATE_HELP['open|filtered'].fr).toContain(
      typeset('ni comme ouvert ni comme fermé'),
    );
  });

  it('travels through the CSV and the JSON as nmap names it, never counted open', () => {
    const model = buildReportModel({ scan: scan([device]), pcName: 'PC' });
    const rows = renderCsv(model, 'en').split('\r\n');
    expect(rows.some((r) => r.includes('123,udp,open|filtered'))).toBe(true);
    expect(model.hosts[0]!.openCount).toBe(2);
    const json = JSON.parse(renderJson(model, { scan: scan([device]) }, 'en')) as {
      scan: { hosts: HostResult[] };
    };
    expect(json.scan.hosts[0]!.ports.find((p) => p.port === 123)?.state).toBe('open|filtered');
    expect(json.scan.hosts[0]!.hidden['open|filtered']).toBe(2);
  });

  it('is written to nmap XML with reason no-response and read back as itself', () => {
    const xml = renderNmapXml(scan([device]));
    expect(xml).toContain(
      '<port protocol="udp" portid="123"><state state="open|filtered" reason="no-response"',
    );
    expect(xml).toContain('<extraports state="open|filtered" count="2">');
    expect(xml).toContain(
      '<extrareasons reason="no-response" count="2" proto="udp" ports="1900,5353"/>',
    );
    const back = importNmapXml(xml).scan.hosts[0]!;
    expect(back.ports.find((p) => p.port === 123)).toMatchObject({
      protocol: 'udp',
      state: 'open|filtered',
      reason: 'no-response',
    });
    expect(back.hidden['open|filtered']).toBe(2);
    expect(back.portStates?.udp?.['open|filtered']).toBe('123,1900,5353');
  });

  it('is kept from an nmap -sU file, whose one <scaninfo> is UDP', () => {
    const xml = `<?xml version="1.0"?>
<nmaprun scanner="nmap" args="nmap -sU -p 53,123 10.0.0.5" start="1764547200" version="7.93" xmloutputversion="1.05">
<scaninfo type="udp" protocol="udp" numservices="2" services="53,123"/>
<host><status state="up" reason="udp-response" reason_ttl="64"/><address addr="10.0.0.5" addrtype="ipv4"/>
<ports><port protocol="udp" portid="53"><state state="open" reason="udp-response" reason_ttl="64"/></port>
<port protocol="udp" portid="123"><state state="open|filtered" reason="no-response" reason_ttl="0"/></port></ports></host>
<runstats><finished time="1764547201" elapsed="1.00" exit="success"/><hosts up="1" down="0" total="1"/></runstats>
</nmaprun>`;
    const imported = importNmapXml(xml).scan;
    expect(imported.hosts[0]!.ports.map((p) => [p.port, p.protocol, p.state])).toEqual([
      [53, 'udp', 'open'],
      [123, 'udp', 'open|filtered'],
    ]);
    // The file's ports are UDP ones: the spec says so, and an export writes nmap's -sU back.
    expect(parsePortSpec(imported.request.ports)).toEqual({ tcp: [], udp: [53, 123] });
    expect(renderNmapXml(imported)).toContain(
      '<scaninfo type="udp" protocol="udp" numservices="2" services="53,123"/>',
    );
  });

  it('is its own count in the CLI, not open, not closed', () => {
    const text = formatScanResult(scan([device]), 'en');
    expect(text).toContain('open or filtered');
    expect(text).toContain('2 ports with no answer (open or filtered)');
    expect(text).toContain('TCP and UDP: a UDP port with no answer is “open or filtered”');
    expect(formatScanResult(scan([device], '22'), 'en')).not.toContain('TCP and UDP');
  });
});

describe('UDP in the nmap XML export', () => {
  it('has one <scaninfo> per protocol and the nmap command with -sU', () => {
    const xml = renderNmapXml(scan([device]));
    expect(xml).toContain(
      '<scaninfo type="connect" protocol="tcp" numservices="1" services="22"/>',
    );
    expect(xml).toContain(
      '<scaninfo type="udp" protocol="udp" numservices="5" services="53,123,161,1900,5353"/>',
    );
    expect(equivalentNmapArgs(scan([device]))).toBe(
      'nmap -sT -sU -p T:22,U:53,123,161,1900,5353 192.168.1.20',
    );
  });

  it('a TCP-only scan keeps its one TCP <scaninfo> and -sT', () => {
    const tcpOnly = scan([{ ...device, ports: device.ports.slice(0, 1) }], '22,80');
    const xml = renderNmapXml(tcpOnly);
    expect(xml).toContain(
      '<scaninfo type="connect" protocol="tcp" numservices="2" services="22,80"/>',
    );
    expect(xml).not.toContain('type="udp"');
    expect(equivalentNmapArgs(tcpOnly)).toBe('nmap -sT -p 22,80 192.168.1.20');
  });
});

describe('UDP in the PDF’s method section', () => {
  const method = (result: ScanResult) =>
    JSON.stringify(pdfDefinition(buildReportModel({ scan: result, pcName: 'PC' }), 'en').content);

  it('describes the UDP probes and their states when UDP ports were scanned', () => {
    const text = method(scan([device]));
    expect(text).toContain('on a connected UDP socket');
    expect(text).toContain('“open or filtered” when nothing comes back');
    expect(text).toContain('The TCP and UDP ports chosen were scanned.');
    expect(text).not.toContain('Only TCP ports were scanned.');
  });

  it('says TCP only when no UDP port was asked for', () => {
    const text = method(scan([{ ...device, ports: device.ports.slice(0, 1) }], '22'));
    expect(text).toContain('Only TCP ports were scanned.');
    expect(text).not.toContain('connected UDP socket');
  });
});

describe('the page’s “common UDP services” choice', () => {
  it('rides on any TCP choice and comes off again', () => {
    expect(withCommonUdp('top1000', true)).toBe('top1000,common-udp');
    expect(withCommonUdp('top1000,common-udp', false)).toBe('top1000');
    expect(withCommonUdp('22, 80,common-udp', true)).toBe('22,80,common-udp');
    expect(parsePortSpec(withCommonUdp('22,80', true)).tcp).toEqual([22, 80]);
  });

  it('tells a TCP-only spec from one with UDP ports', () => {
    expect(specHasUdp('top1000')).toBe(false);
    expect(specHasUdp('T:22,80')).toBe(false);
    expect(specHasUdp('top1000,common-udp')).toBe(true);
    expect(specHasUdp('22,u:53')).toBe(true);
  });
});
