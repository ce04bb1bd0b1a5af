import { describe, expect, it } from 'vitest';
import type { HostResult, PortResult, ScanResult } from '../../app/contract/index.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { buildReportModel } from '../../app/report/model.js';
import { renderCsv } from '../../app/report/csv.js';
import { renderNmapXml } from '../../app/report/nmap-xml-export.js';

// Review 15 N1: our nmap XML names a port's service as the UI, CLI, PDF and CSV do (the verdict's
// name: Chromium's 9222 is "chromium"), marks a service that named itself (banner, HTTP/TLS
// probe) as nmap marks a -sV match, and keeps what the probes found. The scan is synthetic (what
// the engine records for these listeners; the lab tests check the engine against real servers).

const open = (port: number, extra: Partial<PortResult> = {}): PortResult => ({
  port,
  protocol: 'tcp',
  state: 'open',
  reason: 'syn-ack',
  ...extra,
});

const host: HostResult = {
  address: '127.0.0.1',
  family: 'ipv4',
  isLocal: true,
  status: 'up',
  reason: 'localhost',
  hidden: { open: 0, closed: 0, filtered: 0 },
  ports: [
    open(9222),
    open(5900, { banner: 'RFB 003.008' }),
    open(80, {
      detected: { service: 'http', product: 'SimpleHTTP', version: '0.6' },
      http: { status: 200, server: 'SimpleHTTP/0.6 Python/3.11.7' },
    }),
    open(443, {
      tls: {
        protocol: 'TLSv1.3',
        subject: 'rv15.test',
        issuer: 'rv15.test',
        selfSigned: true,
        validTo: '2027-01-01T09:34:00.000Z',
        expired: false,
      },
    }),
    open(8081),
  ],
};
const scan: ScanResult = {
  scanId: 'n1',
  request: {
    targets: '127.0.0.1',
    ports: '80,443,5900,8081,9222',
    skipDiscovery: false,
    confirmed: false,
  },
  addresses: 1,
  portCount: 5,
  notes: [],
  startedAt: '2026-12-02T09:00:00.000Z',
  finishedAt: '2026-12-02T09:00:02.000Z',
  cancelled: false,
  hosts: [host],
};
const listeners = [9222, 5900, 80, 443, 8081].map((port) => ({
  protocol: 'tcp' as const,
  address: '0.0.0.0',
  port,
  program: port === 9222 ? { pid: 4242, name: 'chromium' } : { pid: 4343, name: 'python3' },
}));
listeners[0]!.address = '127.0.0.1';
const assessment = assessHosts([host], listeners, knowledgeBase());
const xml = renderNmapXml(scan, {}, assessment);
const service = (port: number) =>
  new RegExp(`portid="${port}">.*?(<service [^>]*/>)`).exec(xml)?.[1] ?? '';

describe('nmap XML service names', () => {
  it('names each service as the CSV does, the verdict’s word', () => {
    const csv = renderCsv(buildReportModel({ scan, assessment, pcName: 'pc' }), 'en');
    expect(service(9222)).toContain('name="chromium"');
    expect(csv).toMatch(/,9222,tcp,open,syn-ack,chromium,/);
    for (const port of [9222, 5900, 80, 443, 8081]) {
      const name = /name="([^"]+)"/.exec(service(port))?.[1];
      expect(csv).toContain(`,${port},tcp,open,syn-ack,${name},`);
    }
  });

  it('a service that named itself is probed; a port number’s or program’s name is the table’s', () => {
    expect(service(5900)).toBe('<service name="vnc" method="probed" conf="10"/>');
    expect(service(80)).toBe(
      '<service name="http" product="SimpleHTTP" version="0.6" method="probed" conf="10"/>',
    );
    expect(service(443)).toMatch(/^<service name="https" tunnel="ssl" method="table" conf="3"\/>$/);
    expect(service(9222)).toBe('<service name="chromium" method="table" conf="3"/>');
  });
});
