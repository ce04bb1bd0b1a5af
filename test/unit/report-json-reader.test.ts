import { describe, expect, it } from 'vitest';
import { HostResult } from '../../app/contract/index.js';
import { AppFailure } from '../../app/errors.js';
import {
  JsonReportError,
  MAX_JSON_REPORT_HOSTS,
  readJsonReport,
} from '../../app/report/json-report-reader.js';

// Issue 13 review A15/A16: a JSON report is read one host at a time (never the whole text, nor its
// findings and verdicts), and a report over the host limit is refused in the user's words.

/** `text`'s bytes in pieces of `size` bytes, as a file read in pieces gives them. */
async function* piecesOf(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

function host(i: number): HostResult {
  return {
    address: `10.${(i >> 8) & 255}.${i & 255}.${1 + (i >> 16)}`,
    family: 'ipv4',
    isLocal: false,
    mac: `02:00:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
    status: 'up',
    reason: 'syn-ack',
    hostname: i % 7 === 0 ? `nas-é-${i} "quoted" \\ ]}` : undefined,
    ports: [
      { port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
      { port: 443, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
    ],
    hidden: { open: 0, closed: 1022, filtered: 0 },
  } as HostResult;
}

/** A report as the JSON export writes it (docs/report-json.md), `count` hosts. */
function report(count: number): Record<string, unknown> {
  const hosts = Array.from({ length: count }, (_, i) => host(i));
  return {
    format: 'port-auditor-report',
    version: 3,
    pcName: 'bureau-2',
    summary: { hostsUp: count, counts: { critical: 1 } },
    findings: hosts.map((h) => ({ address: h.address, port: 22, reasons: ['x ] } "'] })),
    scan: {
      scanId: '8f14e45f-ceea-467f-a8f5-6f4a3c1b2d90',
      request: { targets: ['10.0.0.0/16'], ports: '22,443', confirmed: false },
      addresses: count,
      portCount: 2,
      notes: [],
      startedAt: '2026-11-30T12:00:00.000Z',
      finishedAt: '2026-11-30T12:01:00.000Z',
      cancelled: false,
      hosts,
    },
    assessment: { hosts: [{ address: '10.0.0.1', ports: [{ reasons: [']]}}'] }] }] },
    firewallRules: null,
    macAddresses: Object.fromEntries(hosts.map((h) => [h.address, h.mac])),
  };
}

describe('a JSON report read one host at a time', () => {
  it('gives the hosts of a few thousand, each checked, whatever the pieces', async () => {
    const document = report(3000);
    const text = JSON.stringify(document, null, 2);
    const whole = JSON.parse(text) as { scan: { hosts: unknown[] } };
    for (const size of [7, 4096, 1 << 20]) {
      const read = await readJsonReport(piecesOf(text, size));
      expect(read.scanHosts).toHaveLength(3000);
      expect(read.scanHosts).toEqual(whole.scan.hosts.map((h) => HostResult.parse(h)));
      expect(read.hosts).toEqual([]);
      // Without its hosts, the rest is the document's, its summary, findings and verdicts left out.
      const { hosts: _h, ...scan } = whole.scan;
      expect(read.rest).toEqual({
        format: 'port-auditor-report',
        version: 3,
        pcName: 'bureau-2',
        scan: { ...scan, hosts: [] },
        firewallRules: null,
        macAddresses: document.macAddresses,
      });
    }
  });

  it('reads a scan written by `scan --json`: its hosts at the top', async () => {
    const { scan } = report(3) as { scan: Record<string, unknown> };
    const read = await readJsonReport(piecesOf(JSON.stringify({ ...scan, pcName: 'pc' }), 5));
    expect(read.hosts.map((h) => h.address)).toEqual(['10.0.0.1', '10.0.1.1', '10.0.2.1']);
    expect(read.rest.hosts).toEqual([]);
    expect(read.rest.pcName).toBe('pc');
  });

  it('takes a member given twice as JSON.parse does, and `__proto__` as a plain key', async () => {
    const text =
      '{"scan":{"hosts":[' +
      JSON.stringify(host(1)) +
      ']},"__proto__":{"polluted":1},"scan":{"hosts":[' +
      JSON.stringify(host(2)) +
      '],"cancelled":true}}';
    const read = await readJsonReport(piecesOf(text, 3));
    expect(read.scanHosts.map((h) => h.address)).toEqual(['10.0.2.1']);
    expect(read.rest.scan).toEqual({ cancelled: true, hosts: [] });
    expect(Object.getPrototypeOf(read.rest)).toBe(Object.prototype);
    expect(Object.keys(read.rest)).toEqual(['scan', '__proto__']);
  });

  it.each([
    ['', 'empty'],
    ['{"scan":{"hosts":[{"address":"10.0.0.1"', 'cut short'],
    ['{"a":1}{"b":2}', 'two documents'],
    ['{"a":1,}', 'a trailing comma'],
    ['{"a" 1}', 'no colon'],
    ['{"scan":{"hosts":{}}}', 'hosts not a list'],
    ['{"findings":[1,2}', 'skipped part unbalanced'],
    ['{"version":01}', 'a number JSON has not'],
  ])('refuses what is not one JSON document (%s: %s)', async (text) => {
    await expect(readJsonReport(piecesOf(text, 2))).rejects.toMatchObject({
      name: 'JsonReportError',
      kind: 'syntax',
    });
  });

  it('says a list is no scan, not that it is no JSON', async () => {
    await expect(readJsonReport(piecesOf('[1,2]', 2))).rejects.toMatchObject({
      kind: 'host',
      where: '',
    });
  });

  it('names the field of a host the contract refuses', async () => {
    const bad = { ...host(0), ports: [{ port: 70000, protocol: 'tcp', state: 'open' }] };
    const text = `{"scan":{"hosts":[${JSON.stringify(host(1))},${JSON.stringify(bad)}]}}`;
    const error = await readJsonReport(piecesOf(text, 64)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsonReportError);
    expect((error as JsonReportError).where).toBe('scan.hosts.1.ports.0.port');
  });

  it('refuses a report over the host limit in the words of other imports, fr and en', async () => {
    // The smallest hosts the contract takes, so the file stays small.
    const one =
      '{"address":"127.0.0.1","family":"ipv4","isLocal":false,"status":"up","reason":"syn-ack","ports":[],"hidden":{"open":0,"closed":0,"filtered":0}}';
    const count = MAX_JSON_REPORT_HOSTS + 2;
    const text = `{"format":"port-auditor-report","scan":{"hosts":[${Array(count).fill(one).join(',')}]}}`;
    const error = await readJsonReport(piecesOf(text, 1 << 16)).catch((e: unknown) => e);
    const fr = new Intl.NumberFormat('fr');
    expect(error).toBeInstanceOf(AppFailure);
    const { code, message } = (error as AppFailure).appError;
    expect(code).toBe('report.nmap-too-many-hosts');
    expect(message).toEqual({
      fr: `Fichier refusé\u00a0: ${fr.format(count)} hôtes, la limite est ${fr.format(65_536)}.`,
      en: 'File refused: 65,538 hosts, the limit is 65,536.',
    });
  });
});
