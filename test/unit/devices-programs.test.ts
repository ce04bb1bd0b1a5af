import { describe, expect, it } from 'vitest';
import type {
  HostResult,
  PortResult,
  RiskAssessResult,
  ScanResult,
  Severity,
} from '../../app/contract/index.js';
import {
  countServices,
  foldDevices,
  programLookup,
  splitByProgram,
} from '../../app/contract/devices.js';
import { buildReportModel } from '../../app/report/model.js';
import { renderCsv } from '../../app/report/csv.js';
import { assessHosts } from '../../app/risk/assess.js';
import { summariseHosts } from '../../app/risk/summary.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { formatScanResult } from '../../main/cli/format.js';
import { scanCounts, ScanCountsTally } from '../../app/store/scans.js';

// Review 13 F2/F3/A2: a device's service is a port and the program holding it. Two programs on one
// port number at two of this PC's addresses are two rows, each with its verdict; one program on
// several addresses is one row at its worst verdict; the summary counts the rows.

const PORT = 48080;
const open = (port: number): PortResult => ({
  port,
  protocol: 'tcp',
  state: 'open',
  reason: 'syn-ack',
});

function local(address: string, ports: PortResult[]): HostResult {
  return {
    address,
    family: 'ipv4',
    isLocal: true,
    status: 'up',
    reason: 'localhost',
    ports,
    hidden: { open: 0, closed: 999, filtered: 0 },
  };
}

const alpha = { pid: 101, name: 'alpha' };
const beta = { pid: 202, name: 'beta' };

describe('splitByProgram', () => {
  const key = (x: string | undefined) => x;
  it('keeps one row when at most one program is known', () => {
    expect(splitByProgram(['a', 'a'], key)).toEqual([['a', 'a']]);
    expect(splitByProgram([undefined, 'a', undefined], key)).toEqual([[undefined, 'a', undefined]]);
    expect(splitByProgram([undefined, undefined], key)).toEqual([[undefined, undefined]]);
    expect(splitByProgram([], key)).toEqual([]);
  });
  it('splits different programs, the unknown ones in a row of their own', () => {
    expect(splitByProgram(['a', 'b', undefined, 'a'], key)).toEqual([
      ['a', 'a'],
      ['b'],
      [undefined],
    ]);
  });
});

describe('foldDevices with the programs the verdicts name', () => {
  const hosts = [local('127.0.0.1', [open(PORT), open(22)]), local('127.0.0.5', [open(PORT)])];
  const verdicts = (a: typeof alpha | undefined, b: typeof alpha | undefined) => [
    {
      address: '127.0.0.1',
      ports: [
        { port: PORT, protocol: 'tcp' as const, ...(a ? { program: a } : {}) },
        { port: 22, protocol: 'tcp' as const },
      ],
    },
    {
      address: '127.0.0.5',
      ports: [{ port: PORT, protocol: 'tcp' as const, ...(b ? { program: b } : {}) }],
    },
  ];

  it('lists a port two programs hold as two services, each with its addresses and program', () => {
    const [pc] = foldDevices(hosts, programLookup(verdicts(alpha, beta)));
    expect(pc!.services).toEqual([
      { port: 22, protocol: 'tcp', addresses: ['127.0.0.1'] },
      { port: PORT, protocol: 'tcp', addresses: ['127.0.0.1'], program: alpha },
      { port: PORT, protocol: 'tcp', addresses: ['127.0.0.5'], program: beta },
    ]);
  });

  it('one service for one program, or an owner known on one address only, or none', () => {
    for (const [a, b] of [
      [alpha, alpha],
      [alpha, undefined],
      [undefined, undefined],
    ] as const) {
      const [pc] = foldDevices(hosts, programLookup(verdicts(a, b)));
      expect(pc!.services.filter((s) => s.port === PORT)).toEqual([
        {
          port: PORT,
          protocol: 'tcp',
          addresses: ['127.0.0.1', '127.0.0.5'],
          ...(a ? { program: a } : {}),
        },
      ]);
    }
    // A different pid of the same executable is another program (two `node` servers).
    const [pc] = foldDevices(hosts, programLookup(verdicts(alpha, { pid: 303, name: 'alpha' })));
    expect(pc!.services.filter((s) => s.port === PORT)).toHaveLength(2);
  });
});

describe('countServices with programs', () => {
  const at = (address: string, severity: Severity, program?: typeof alpha) => ({
    address,
    isLocal: true,
    worst: null,
    ports: [{ port: PORT, protocol: 'tcp' as const, severity, ...(program ? { program } : {}) }],
  });
  it('counts each program’s service at its own verdict', () => {
    expect(countServices([at('127.0.0.1', 'info', alpha), at('127.0.0.5', 'high', beta)])).toEqual({
      critical: 0,
      high: 1,
      medium: 0,
      low: 0,
      info: 1,
    });
  });
  it('counts one program’s service once, at its worst', () => {
    expect(countServices([at('127.0.0.1', 'info', alpha), at('127.0.0.5', 'high', alpha)])).toEqual(
      { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
    );
  });
});

describe('the CLI table, the PDF model and the CSV list each program’s row', () => {
  const hosts = [local('127.0.0.1', [open(PORT)]), local('127.0.0.5', [open(PORT)])];
  const scan: ScanResult = {
    scanId: 'programs',
    request: {
      targets: '127.0.0.1,127.0.0.5',
      ports: String(PORT),
      skipDiscovery: false,
      confirmed: false,
    },
    addresses: 2,
    portCount: 1,
    notes: [],
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:00:01.000Z',
    cancelled: false,
    hosts,
  };
  /** Real verdicts of two listeners, then the second address's verdict set to `second`. */
  function assessed(programs: [typeof alpha, typeof alpha], second: Severity): RiskAssessResult {
    const base = assessHosts(
      hosts,
      [
        { protocol: 'tcp', address: '127.0.0.1', port: PORT, program: programs[0] },
        { protocol: 'tcp', address: '127.0.0.5', port: PORT, program: programs[1] },
      ],
      knowledgeBase(),
    );
    const verdicts = base.hosts.map((h) =>
      h.address === '127.0.0.5'
        ? { ...h, worst: second, ports: h.ports.map((p) => ({ ...p, severity: second })) }
        : h,
    );
    return { ...base, hosts: verdicts, ...summariseHosts(verdicts) };
  }
  const rowsOf = (text: string) => text.split('\n').filter((l) => l.startsWith(`  ${PORT}/tcp`));

  it('two programs: two rows, each with its program, level and address; the summary agrees', () => {
    const assessment = assessed([alpha, beta], 'high');
    expect(assessment.hosts[0]!.ports[0]!.severity).toBe('info');
    const text = formatScanResult(scan, 'en', () => undefined, assessment);
    const rows = rowsOf(text);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.includes('beta'))).toMatch(/High.*beta \(PID 202\).*127\.0\.0\.5$/);
    expect(rows.find((r) => r.includes('alpha'))).toMatch(/Info.*alpha \(PID 101\).*127\.0\.0\.1$/);
    expect(text).toContain('2 open ports');
    expect(text).toMatch(/risk level: High 1, Info 1\./);

    const model = buildReportModel({ scan, assessment, pcName: 'PC' });
    expect(model.openPorts).toBe(2);
    expect(model.counts).toMatchObject({ high: 1, info: 1 });
    const ports = model.hosts[0]!.ports.map((p) => [p.program, p.severity, p.addresses]);
    expect(ports).toEqual([
      ['beta (PID 202)', 'high', ['127.0.0.5']],
      ['alpha (PID 101)', 'info', ['127.0.0.1']],
    ]);
    const csv = renderCsv(model, 'en').split('\r\n');
    expect(csv.filter((r) => r.includes(`,${PORT},`))).toHaveLength(2);
  });

  it('the kept counts (History, a reopened scan’s summary) count the same services', () => {
    const assessment = assessed([alpha, beta], 'high');
    expect(scanCounts(scan, assessment.hosts).openPorts).toBe(2);
    const tally = new ScanCountsTally(new Set());
    for (const h of hosts)
      tally.add(
        h,
        assessment.hosts.find((v) => v.address === h.address),
      );
    expect(tally.counts(2).openPorts).toBe(2);
    // One program, or no verdicts: one service.
    expect(scanCounts(scan, assessed([alpha, alpha], 'high').hosts).openPorts).toBe(1);
    expect(scanCounts(scan).openPorts).toBe(1);
  });

  it('one program: one row at the worst level of its addresses, as the summary counts it', () => {
    const assessment = assessed([alpha, alpha], 'high');
    const text = formatScanResult(scan, 'en', () => undefined, assessment);
    const rows = rowsOf(text);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/High.*alpha \(PID 101\).*127\.0\.0\.1, 127\.0\.0\.5$/);
    expect(text).toContain('1 open port');
    expect(text).toMatch(/risk level: High 1\./);
    expect(text).not.toMatch(/Info 1/);
  });
});
