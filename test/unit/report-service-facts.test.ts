import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../app/contract/index.js';
import { renderCsv } from '../../app/report/csv.js';
import { renderJson } from '../../app/report/json.js';
import { buildReportModel } from '../../app/report/model.js';
import { pdfDefinition } from '../../app/report/pdf.js';
import { formatDateTime } from '../../app/contract/datetime.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { formatScanResult } from '../../main/cli/format.js';

// What the HTTP and TLS probes learnt (issue 16) reaches the PDF, the CSV and the JSON findings,
// in the report's language, the server's words quoted. The scan result is synthetic: the lab
// test (test/integration/scan-service-lab.test.ts) checks the same fields against real nginx.

const VALID_TO = '2027-01-01T08:00:00.000Z';
const scan: ScanResult = {
  scanId: 'svc16',
  request: { targets: '10.81.0.2', ports: '80,443', skipDiscovery: false, confirmed: false },
  addresses: 1,
  portCount: 2,
  notes: [],
  startedAt: '2026-12-02T09:00:00.000Z',
  finishedAt: '2026-12-02T09:00:05.000Z',
  cancelled: false,
  hosts: [
    {
      address: '10.81.0.2',
      family: 'ipv4',
      isLocal: false,
      status: 'up',
      reason: 'syn-ack',
      hidden: { open: 0, closed: 0, filtered: 0 },
      ports: [
        {
          port: 80,
          protocol: 'tcp',
          state: 'open',
          reason: 'syn-ack',
          detected: { service: 'http', product: 'nginx', version: '1.22.1' },
          http: { status: 301, server: 'nginx/1.22.1', location: 'http://lab.test/"start"' },
        },
        {
          port: 443,
          protocol: 'tcp',
          state: 'open',
          reason: 'syn-ack',
          tls: {
            protocol: 'TLSv1.2',
            subject: 'box.lan',
            issuer: 'box.lan',
            selfSigned: true,
            validTo: VALID_TO,
            expired: false,
          },
        },
      ],
    },
  ],
};

describe('TLS and HTTP facts in the reports', () => {
  const model = buildReportModel({ scan, pcName: 'PC' });

  it('prints them under the port’s reasons in the PDF, in each language', () => {
    const fr = JSON.stringify(pdfDefinition(model, 'fr').content);
    const en = JSON.stringify(pdfDefinition(model, 'en').content);
    const frDate = formatDateTime(VALID_TO, 'fr');
    const enDate = formatDateTime(VALID_TO, 'en');
    expect(en).toContain(
      JSON.stringify(
        `TLSv1.2 · certificate “box.lan” issued by “box.lan” · self-signed · valid until ${enDate}`,
      ).slice(1, -1),
    );
    expect(fr).toContain(
      JSON.stringify(
        `TLSv1.2 · certificat «\u00a0box.lan\u00a0» émis par «\u00a0box.lan\u00a0» · auto-signé · valable jusqu’au ${frDate}`,
      ).slice(1, -1),
    );
    // The server's own quotation marks are made single: they cannot close ours.
    expect(en).toContain(
      JSON.stringify(
        "HTTP 301 · Server: “nginx/1.22.1” · redirects to “http://lab.test/'start'”",
      ).slice(1, -1),
    );
  });

  it('writes them in the CSV’s tls and http columns and as facts in the JSON findings', () => {
    const csv = renderCsv(model, 'en').split('\r\n');
    const header = csv[0]!.split(',');
    expect(header.slice(-2)).toEqual(['tls', 'http']);
    expect(csv.find((r) => r.includes(',443,tcp,'))).toContain(',"TLSv1.2 · certificate “box.lan”');
    expect(csv.find((r) => r.includes(',80,tcp,'))).toMatch(/,HTTP 301 · Server: .*redirects to/);
    const doc = JSON.parse(renderJson(model, { scan }, 'en')) as {
      findings: { port: number; tls: unknown; http: unknown }[];
    };
    const byPort = new Map(doc.findings.map((f) => [f.port, f]));
    expect(byPort.get(443)?.tls).toEqual(scan.hosts[0]!.ports[1]!.tls);
    expect(byPort.get(443)?.http).toBeNull();
    expect(byPort.get(80)?.http).toEqual(scan.hosts[0]!.ports[0]!.http);
  });

  it('prints them in the CLI table’s detail lines, in the words of the page and the PDF (review N12)', () => {
    const assessment = assessHosts(scan.hosts, [], knowledgeBase());
    const lines = (language: 'fr' | 'en') =>
      formatScanResult(scan, language, () => undefined, assessment).split('\n');
    const en = lines('en');
    const fr = lines('fr');
    const enDate = formatDateTime(VALID_TO, 'en');
    const frDate = formatDateTime(VALID_TO, 'fr');
    // Each fact line sits under its own port's row, before the next row.
    const under = (all: string[], row: RegExp, fact: string) => {
      const at = all.findIndex((l) => row.test(l));
      const next = all.findIndex((l, i) => i > at && /^\s+\d+\/tcp\s/.test(l));
      const found = all.indexOf(fact);
      expect(at, String(row)).toBeGreaterThanOrEqual(0);
      expect(found, fact).toBeGreaterThan(at);
      if (next >= 0) expect(found, fact).toBeLessThan(next);
    };
    under(
      en,
      /^\s+443\/tcp\s/,
      `      TLS: TLSv1.2 · certificate “box.lan” issued by “box.lan” · self-signed · valid until ${enDate}`,
    );
    under(
      en,
      /^\s+80\/tcp\s/,
      "      HTTP answer: HTTP 301 · Server: “nginx/1.22.1” · redirects to “http://lab.test/'start'”",
    );
    under(
      fr,
      /^\s+443\/tcp\s/,
      `      TLS\u00a0: TLSv1.2 · certificat «\u00a0box.lan\u00a0» émis par «\u00a0box.lan\u00a0» · auto-signé · valable jusqu’au ${frDate}`,
    );
    under(
      fr,
      /^\s+80\/tcp\s/,
      "      Réponse HTTP\u00a0: HTTP 301 · Server\u00a0: «\u00a0nginx/1.22.1\u00a0» · redirige vers «\u00a0http://lab.test/'start'\u00a0»",
    );
    // The same line as the PDF prints.
    const model = buildReportModel({ scan, pcName: 'PC' });
    const tls = model.hosts.flatMap((h) => h.ports).find((p) => p.port === 443)?.tlsText;
    expect(en.some((l) => l === `      TLS: ${tls?.en}`)).toBe(true);
  });
});
