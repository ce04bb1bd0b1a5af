import { describe, expect, it } from 'vitest';
import { ReportInput, type HostResult, type ScanResult } from '../../app/contract/index.js';
import { renderCsv } from '../../app/report/csv.js';
import { renderJson } from '../../app/report/json.js';
import { reportInputFromFile } from '../../app/report/json-import.js';
import { buildReportModel } from '../../app/report/model.js';
import { renderNmapXml } from '../../app/report/nmap-xml-export.js';
import { pdfDefinition } from '../../app/report/pdf.js';

// Issue 14 new-user review F4: a link-local address scanned through a zone is shown and exported
// with it (fe80::…%veth-a), since the same address may be another device on another link.

const device: HostResult = {
  address: 'fe80::b42b:c0ff:feb1:7b8b',
  zone: 'veth-a',
  family: 'ipv6',
  isLocal: false,
  status: 'up',
  reason: 'syn-ack',
  ports: [{ port: 23, protocol: 'tcp', state: 'open', reason: 'syn-ack' }],
  hidden: { open: 0, closed: 3, filtered: 0 },
};

const scan: ScanResult = {
  scanId: 'z1',
  request: {
    targets: 'fe80::b42b:c0ff:feb1:7b8b%veth-a',
    ports: '22,23,80,8080',
    skipDiscovery: false,
    confirmed: false,
  },
  addresses: 1,
  portCount: 4,
  notes: [],
  startedAt: '2026-11-30T10:00:00.000Z',
  finishedAt: '2026-11-30T10:00:01.000Z',
  cancelled: false,
  hosts: [device],
};

/** Every string the PDF lays out, as pdfmake gets them. */
function laidOut(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(laidOut);
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(laidOut);
}

describe('reports keep a link-local address’s zone', () => {
  const model = buildReportModel({ scan, pcName: 'PC' });

  it('CSV: the device and the addresses the port is on, with the zone', () => {
    const row = renderCsv(model, 'en').split('\r\n')[1]!;
    expect(row.startsWith('fe80::b42b:c0ff:feb1:7b8b%veth-a,,false,,,up,23,tcp,open,')).toBe(true);
    expect(row).toContain(',fe80::b42b:c0ff:feb1:7b8b%veth-a,');
  });

  it('JSON: findings name the address with its zone, the scan keeps it as `zone`', () => {
    const doc = JSON.parse(renderJson(model, { scan, pcName: 'PC' }, 'en'));
    expect(doc.findings[0]).toMatchObject({
      address: 'fe80::b42b:c0ff:feb1:7b8b%veth-a',
      addresses: ['fe80::b42b:c0ff:feb1:7b8b%veth-a'],
    });
    expect(doc.scan.hosts[0]).toMatchObject({
      address: 'fe80::b42b:c0ff:feb1:7b8b',
      zone: 'veth-a',
    });
    // Given back to the app, the file's host keeps its zone.
    const back = reportInputFromFile(
      ReportInput.parse({ scan: doc.scan, pcName: doc.pcName }),
      new Set(),
    );
    expect(back.scan.hosts[0]).toMatchObject({ address: device.address, zone: 'veth-a' });
  });

  it('a file’s zone is kept only on a link-local address written without one', () => {
    const read = (host: HostResult) =>
      reportInputFromFile(ReportInput.parse({ scan: { ...scan, hosts: [host] } }), new Set()).scan
        .hosts[0]!;
    expect(read({ ...device, address: '10.0.0.5', family: 'ipv4' })).not.toHaveProperty('zone');
    expect(read({ ...device, address: '2001:db8::5' })).not.toHaveProperty('zone');
    expect(read({ ...device, address: 'fe80::5%eth0' })).toMatchObject({ address: 'fe80::5%eth0' });
    expect(read({ ...device, address: 'fe80::5%eth0' })).not.toHaveProperty('zone');
    expect(read(device)).toMatchObject({ address: device.address, zone: 'veth-a' });
  });

  it('PDF: the device is titled with the zone', () => {
    const text = laidOut(pdfDefinition(model, 'en').content).join('\n');
    expect(text).toContain('fe80::b42b:c0ff:feb1:7b8b%veth-a');
  });

  it('nmap XML: the address as nmap writes it, without a zone', () => {
    const xml = renderNmapXml(scan);
    expect(xml).toContain('<address addr="fe80::b42b:c0ff:feb1:7b8b" addrtype="ipv6"/>');
    expect(xml).not.toContain('addr="fe80::b42b:c0ff:feb1:7b8b%');
  });
});
