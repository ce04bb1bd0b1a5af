import { describe, expect, it } from 'vitest';
import type { HostResult, PortResult, ScanResult } from '../../app/contract/index.js';
import {
  countServices,
  deviceHeading,
  deviceHidden,
  devicePageBounds,
  foldDevices,
  isLoopbackOrLinkLocal,
} from '../../app/contract/devices.js';
import { CSV_COLUMNS, renderCsv } from '../../app/report/csv.js';

const CSV_ADDRESSES = CSV_COLUMNS.indexOf('addresses');
import { renderJson } from '../../app/report/json.js';
import { buildReportModel } from '../../app/report/model.js';
import { pdfDefinition } from '../../app/report/pdf.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { formatScanResult } from '../../main/cli/format.js';
import { typeset } from './support/typography.js';

// One device per machine (issue 13): this PC's four addresses are "This PC", a device's IPv4 and
// IPv6 addresses with one MAC address are one device, and counts are per service.

const open = (port: number): PortResult => ({
  port,
  protocol: 'tcp',
  state: 'open',
  reason: 'syn-ack',
});

function host(address: string, isLocal: boolean, ports: PortResult[], mac?: string): HostResult {
  return {
    address,
    family: address.includes(':') ? 'ipv6' : 'ipv4',
    isLocal,
    ...(mac ? { mac } : {}),
    status: 'up',
    reason: isLocal ? 'localhost' : 'syn-ack',
    ports,
    hidden: { open: 0, closed: 996, filtered: 0 },
  };
}

/** The case: 10.99.0.1 and 127.0.0.1 list the same services, ::1 and fe80::… nothing. */
const SERVICES = [135, 445, 3389, 5900];
const hosts: HostResult[] = [
  host('10.99.0.1', true, SERVICES.map(open)),
  host('127.0.0.1', true, SERVICES.map(open)),
  host('::1', true, []),
  host('fe80::1c2a:3bff:fe4d:5e6f', true, []),
  host('10.99.0.20', false, [open(23)], 'aa:bb:cc:00:00:20'),
  host('2001:db8::20', false, [open(23), open(80)], 'AA:BB:CC:00:00:20'),
  host('10.99.0.30', false, [open(23)]),
];

describe('foldDevices', () => {
  const devices = foldDevices(hosts);

  it('makes This PC one device listing the addresses each service is reachable on', () => {
    expect(devices.map((d) => d.key)).toEqual(['this-pc', 'mac:aa:bb:cc:00:00:20', '10.99.0.30']);
    const pc = devices[0]!;
    expect(pc.isLocal).toBe(true);
    expect(pc.hosts.map((h) => h.address)).toEqual(['10.99.0.1', '127.0.0.1']);
    // Empty loopback and link-local addresses have no card of their own.
    expect(pc.folded.map((h) => h.address)).toEqual(['::1', 'fe80::1c2a:3bff:fe4d:5e6f']);
    expect(pc.services).toEqual(
      SERVICES.map((port) => ({ port, protocol: 'tcp', addresses: ['10.99.0.1', '127.0.0.1'] })),
    );
  });

  it('folds other addresses sharing a MAC address (IPv4 and IPv6), any case', () => {
    const device = devices[1]!;
    expect(device.hosts.map((h) => h.address)).toEqual(['10.99.0.20', '2001:db8::20']);
    expect(device.services).toEqual([
      { port: 23, protocol: 'tcp', addresses: ['10.99.0.20', '2001:db8::20'] },
      { port: 80, protocol: 'tcp', addresses: ['2001:db8::20'] },
    ]);
    expect(devices[2]!.hosts.map((h) => h.address)).toEqual(['10.99.0.30']);
  });

  it('keeps a lone empty loopback address of this PC to name the device by', () => {
    const [pc] = foldDevices([host('::1', true, [])]);
    expect(pc!.hosts.map((h) => h.address)).toEqual(['::1']);
    expect(pc!.folded).toEqual([]);
  });

  it('titles This PC "This PC" though only 127.0.0.1 has open ports, listing its addresses', () => {
    // A service listening on loopback only: the LAN address answers with nothing open.
    const [pc, other] = foldDevices([
      host('127.0.0.1', true, [open(4444)]),
      host('10.77.250.1', true, []),
      host('::1', true, []),
      host('10.77.250.2', false, [open(22)]),
    ]);
    expect(deviceHeading(pc!)).toEqual({
      thisPc: true,
      address: '127.0.0.1',
      addresses: ['127.0.0.1', '10.77.250.1', '::1'],
    });
    // Whichever address carries the ports, and even with one address, it is This PC.
    expect(deviceHeading(foldDevices([host('10.99.0.1', true, [open(22)])])[0]!)).toEqual({
      thisPc: true,
      address: '10.99.0.1',
      addresses: ['10.99.0.1'],
    });
    // Another device is named by its one address, nothing listed; by its first of several.
    expect(deviceHeading(other!)).toEqual({
      thisPc: false,
      address: '10.77.250.2',
      addresses: [],
    });
    expect(deviceHeading(devices[1]!)).toEqual({
      thisPc: false,
      address: '10.99.0.20',
      addresses: ['10.99.0.20', '2001:db8::20'],
      foldedBy: 'mac',
    });
  });

  it('tells loopback and link-local addresses', () => {
    for (const a of ['127.0.0.1', '127.9.9.9', '::1', 'fe80::1', 'fe80::1%eth0', '169.254.3.4'])
      expect(isLoopbackOrLinkLocal(a), a).toBe(true);
    for (const a of ['10.0.0.1', '2001:db8::1', 'fec0::1', '::'])
      expect(isLoopbackOrLinkLocal(a), a).toBe(false);
  });
});

describe('a device’s unlisted ports', () => {
  it('are its first address’s, less what the device lists from another address, in the state it had there', () => {
    // Review 13, new user #10: 1,028 ports, 7 listed, "closed 1022" (the first address's own).
    const lan = {
      ...host('10.99.0.1', true, [open(22), open(80)]),
      hidden: { open: 0, closed: 9, filtered: 1 },
      portStates: { tcp: { open: '22,80', closed: '1-9,631', filtered: '3389' } },
    };
    const loopback = host('127.0.0.1', true, [open(22), open(631), open(3389), open(80)]);
    const [pc] = foldDevices([lan, loopback]);
    expect(pc!.services.map((s) => s.port)).toEqual([22, 80, 631, 3389]);
    // 631 was closed and 3389 filtered on the LAN address: each counted once, where it is listed.
    expect(deviceHidden(lan, pc!.services)).toEqual({ open: 0, closed: 8, filtered: 0 });
    // Without per-port states, a port listed from another address is taken as closed there.
    expect(deviceHidden({ ...lan, portStates: undefined }, pc!.services)).toEqual({
      open: 0,
      closed: 7,
      filtered: 1,
    });
    // A port listed twice is taken off once, and a count never goes below zero.
    expect(deviceHidden(lan, [...pc!.services, ...pc!.services])).toEqual({
      open: 0,
      closed: 8,
      filtered: 0,
    });
    expect(
      deviceHidden({ ...lan, hidden: { open: 0, closed: 0, filtered: 0 } }, pc!.services),
    ).toEqual({ open: 0, closed: 0, filtered: 0 });
  });
});

describe('CSV rows of a folded device', () => {
  it('name in `address` an address the port was seen on, never only the device’s first', () => {
    // Review 13, new user #18: 631 on 127.0.0.1 only had `address` 10.213.0.1.
    const pc = [
      host('10.213.0.1', true, [open(8080)]),
      host('127.0.0.1', true, [open(631), open(8080)]),
      host('::1', true, []),
    ];
    const scan: ScanResult = {
      scanId: 'c1',
      request: { targets: 'this-pc', ports: '631,8080', skipDiscovery: false, confirmed: false },
      addresses: 3,
      portCount: 2,
      notes: [],
      startedAt: '2026-11-30T10:00:00.000Z',
      finishedAt: '2026-11-30T10:00:01.000Z',
      cancelled: false,
      hosts: pc,
    };
    const rows = renderCsv(buildReportModel({ scan, pcName: 'PC' }), 'en')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((r) => r.split(','));
    const row = (port: number) => rows.find((r) => r[6] === String(port))!;
    const addresses = CSV_ADDRESSES;
    expect([row(631)[0], row(631)[addresses]]).toEqual(['127.0.0.1', '127.0.0.1']);
    expect([row(8080)[0], row(8080)[addresses]]).toEqual(['10.213.0.1', '10.213.0.1 127.0.0.1']);
    // The JSON report's findings say the same (review 13 A13: 631 had `address` 10.213.0.1).
    const findings = (
      JSON.parse(renderJson(buildReportModel({ scan, pcName: 'PC' }), { scan }, 'en')) as {
        findings: { port: number; address: string; addresses: string[] }[];
      }
    ).findings.map((f) => [f.port, f.address, f.addresses]);
    expect(findings).toEqual([
      [631, '127.0.0.1', ['127.0.0.1']],
      [8080, '10.213.0.1', ['10.213.0.1', '127.0.0.1']],
    ]);
  });
});

describe('counts per service', () => {
  it('counts This PC’s service once, at the worst severity any of its addresses got', () => {
    const counts = countServices([
      {
        address: '10.99.0.1',
        isLocal: true,
        worst: null,
        ports: [
          { port: 3389, protocol: 'tcp', severity: 'high' },
          { port: 445, protocol: 'tcp', severity: 'critical', mitigated: true },
        ],
      },
      {
        address: '127.0.0.1',
        isLocal: true,
        worst: null,
        ports: [{ port: 3389, protocol: 'tcp', severity: 'critical' }],
      },
      {
        address: '10.99.0.30',
        isLocal: false,
        worst: null,
        ports: [{ port: 3389, protocol: 'tcp', severity: 'critical' }],
      },
      {
        address: '10.99.0.40',
        isLocal: false,
        worst: 'medium',
        answersEveryPort: {},
        ports: [
          { port: 1, protocol: 'tcp', severity: 'info' },
          { port: 2, protocol: 'tcp', severity: 'info' },
        ],
      },
    ]);
    expect(counts).toEqual({ critical: 2, high: 0, medium: 1, low: 0, info: 0 });
  });

  const scan: ScanResult = {
    scanId: 'devices',
    request: { targets: 'local-network', ports: 'top1000', skipDiscovery: false, confirmed: false },
    addresses: 256,
    portCount: 1000,
    notes: [],
    startedAt: '2026-11-30T10:00:00.000Z',
    finishedAt: '2026-11-30T10:00:30.000Z',
    cancelled: false,
    hosts,
  };
  const assessment = assessHosts(
    hosts,
    SERVICES.map((port) => ({ protocol: 'tcp' as const, address: '0.0.0.0', port })),
    knowledgeBase(),
    true,
  );

  it('the risk summary, the report, its findings and the CLI count services, not addresses', () => {
    const perAddress = assessment.hosts.reduce(
      (n, h) => n + Object.values(h.counts).reduce((a, b) => a + b, 0),
      0,
    );
    const perService = Object.values(assessment.counts).reduce((a, b) => a + b, 0);
    // 4 services of this PC seen twice, 23 of one device seen twice, 80, and 23 of another device.
    expect(perAddress).toBe(12);
    expect(perService).toBe(7);

    const model = buildReportModel({ scan, assessment, pcName: 'PC' });
    expect(model.hostsUp).toBe(7);
    expect(model.devicesUp).toBe(3);
    expect(model.openPorts).toBe(7);
    expect(model.counts).toEqual(assessment.counts);
    expect(model.findings).toHaveLength(7);
    const rdp = model.findings.find((f) => f.port.port === 3389)!;
    expect(rdp.port.addresses).toEqual(['10.99.0.1', '127.0.0.1']);
    expect(rdp.host.addresses).toEqual([
      '10.99.0.1',
      '127.0.0.1',
      '::1',
      'fe80::1c2a:3bff:fe4d:5e6f',
    ]);

    const doc = JSON.parse(renderJson(model, { scan, assessment }, 'en'));
    expect(doc.summary).toMatchObject({ hostsUp: 7, devicesUp: 3, openPorts: 7 });
    expect(doc.findings.filter((f: { port: number }) => f.port === 3389)).toHaveLength(1);

    const csv = renderCsv(model, 'en').split('\r\n');
    expect(csv.filter((r) => r.includes(',3389,'))).toHaveLength(1);
    expect(csv.find((r) => r.includes(',3389,'))!.endsWith(',10.99.0.1 127.0.0.1,,,')).toBe(true);
    expect(csv.find((r) => r.includes(',3389,'))!.startsWith('10.99.0.1,')).toBe(true);

    const pdf = JSON.stringify(pdfDefinition(model, 'fr').content);
    expect(pdf).toContain('appareils actifs');
    expect(pdf).toContain(
      typeset('adresses : 10.99.0.1, 127.0.0.1, ::1, fe80::1c2a:3bff:fe4d:5e6f'),
    );
    expect(pdf).toContain('Sur 10.99.0.1, 127.0.0.1.');

    expect(formatScanResult(scan, 'en', () => undefined, assessment)).toContain(
      '256 addresses scanned, 7 up (3 devices), 7 open ports in 30.0\u00a0s.',
    );
  });
});

describe('pages of devices', () => {
  it('never cut a device across two pages, and cover every address once', () => {
    // Devices 0..5; device 2 (two addresses) straddles the first page's end, device 4 the second's.
    const deviceOf = [0, 1, 2, 2, 3, 4, 4, 4, 5];
    expect(devicePageBounds(deviceOf, 0, 3)).toEqual([0, 4]);
    expect(devicePageBounds(deviceOf, 3, 3)).toEqual([4, 8]);
    expect(devicePageBounds(deviceOf, 6, 3)).toEqual([8, 9]);
    expect(devicePageBounds(deviceOf, 9, 3)).toEqual([9, 9]);
    const seen: number[] = [];
    for (let offset = 0; offset < deviceOf.length; offset += 3) {
      const [start, end] = devicePageBounds(deviceOf, offset, 3);
      for (let i = start; i < end; i++) seen.push(i);
    }
    expect(seen).toEqual(deviceOf.map((_, i) => i));
    expect(devicePageBounds([], 0, 50)).toEqual([0, 0]);
  });
});
