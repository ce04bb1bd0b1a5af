import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../app/contract/index.js';
import { buildReportModel } from '../../app/report/model.js';
import { pdfDefinition } from '../../app/report/pdf.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { tarpitHost, unprobedHost } from './support/odd-hosts.js';
import { typeset } from './support/typography.js';

// A tarpit answering on every port and an address this PC could not probe, through the report
// model and the PDF's document definition (inspected without rendering).

const scan: ScanResult = {
  scanId: 'odd',
  request: {
    targets: '10.77.1.4 10.99.0.1',
    ports: '1-100',
    skipDiscovery: false,
    confirmed: false,
  },
  addresses: 2,
  portCount: 100,
  notes: [],
  startedAt: '2026-01-01T10:00:00.000Z',
  finishedAt: '2026-01-01T10:00:03.000Z',
  cancelled: false,
  hosts: [
    tarpitHost('10.77.1.4'),
    unprobedHost('10.99.0.1', {
      fr: 'Ce PC n’a aucune route (ENETUNREACH).',
      en: 'This PC has no route (ENETUNREACH).',
    }),
  ],
};

function texts(value: unknown): string {
  return JSON.stringify(value);
}

describe('report of hosts that are not what they seem', () => {
  const assessment = assessHosts(scan.hosts, [], knowledgeBase());
  const model = buildReportModel({ scan, assessment, pcName: 'PC' });

  it('counts a host answering on every port once, and none of its ports as findings', () => {
    expect(model.counts).toEqual({ critical: 0, high: 0, medium: 1, low: 0, info: 0 });
    expect(model.findings).toEqual([]);
    const tarpit = model.hosts.find((h) => h.address === '10.77.1.4')!;
    expect(tarpit.worst).toBe('medium');
    expect(tarpit.answersEveryPort).toEqual({ open: 100, probed: 100 });
  });

  it('keeps the host this PC could not probe, with the reason', () => {
    expect(model.hosts.find((h) => h.address === '10.99.0.1')).toMatchObject({
      status: 'unknown',
      localError: { code: 'ENETUNREACH' },
    });
  });

  it('writes one statement and the port list for the tarpit, in French and English', () => {
    const fr = texts(pdfDefinition(model, 'fr').content);
    expect(fr).toContain(typeset('Tout port répond : pare-feu, proxy ou piège'));
    expect(fr).toContain('100 des 100 ports sondés ont accepté la connexion');
    expect(fr).toContain(typeset('Ports ouverts : 1-100'));
    expect(fr).toContain('non analysé');
    expect(fr).toContain('Ce PC n’a aucune route (ENETUNREACH).');
    // No per-port table for it: port 23 (telnet, critical on its own) is not a row.
    expect(fr).not.toContain('"text":"23","bold":true');
    const en = texts(pdfDefinition(model, 'en').content);
    expect(en).toContain('Every port answers: firewall, proxy or trap');
    expect(en).toContain('Open ports: 1-100');
    expect(en).toContain('This PC has no route (ENETUNREACH).');
  });

  it('writes port lists that wrap only between ports', () => {
    // Review of issue 14 (new user), F3: "…873,990,9 / 93,995…" read as ports 9 and 93.
    const kept = [1, 3, 5, 7, 50, 51, 52, 99];
    const full = tarpitHost('10.77.1.4');
    const host = { ...full, ports: full.ports.filter((p) => kept.includes(p.port)) };
    const spreadScan = {
      ...scan,
      request: { ...scan.request, ports: '1,3,5,7,993,995,5000-5001,49152-49157' },
      hosts: [host],
    };
    const spread = buildReportModel({
      scan: spreadScan,
      assessment: assessHosts(spreadScan.hosts, [], knowledgeBase()),
      pcName: 'PC',
    });
    const fr = texts(pdfDefinition(spread, 'fr').content);
    expect(fr).toContain(typeset('Ports ouverts : 1, 3, 5, 7, 50-52, 99'));
    expect(fr).toContain('1, 3, 5, 7, 993, 995, 5000-5001, 49152-49157');
  });

  it('lists the tarpit among the findings of the summary, never "no open port was found"', () => {
    // Review of issue 14 (new user), F2: the summary said "No open port was found" next to the
    // cover's 100 open ports, under a chart summing to 1.
    const fr = texts(pdfDefinition(model, 'fr').content);
    expect(fr).not.toContain('Aucun port ouvert n’a été trouvé');
    expect(fr).toContain(typeset('10.77.1.4 : Tout port répond : pare-feu, proxy ou piège'));
    expect(fr).toContain(
      typeset(
        '1 appareil répond sur tout port : il compte pour un seul verdict (100 ports ouverts en tout), pas un par port.',
      ),
    );
    const en = texts(pdfDefinition(model, 'en').content);
    expect(en).not.toContain('No open port was found');
    expect(en).toContain('10.77.1.4: Every port answers: firewall, proxy or trap');
    expect(en).toContain(
      '1 device answers on every port: it counts as one verdict (100 open ports in all)',
    );
  });
});
