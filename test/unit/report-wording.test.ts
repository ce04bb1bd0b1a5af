import { describe, expect, it } from 'vitest';
import type { HostResult, ScanResult } from '../../app/contract/index.js';
import { buildReportModel } from '../../app/report/model.js';
import { pdfDefinition } from '../../app/report/pdf.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { typeset } from './support/typography.js';

// Review of issue 15 (new user), findings 4 and 6: the PDF wrote "(unknown)" in French and
// "non listés : 1027 fermés" where the CLI and the page say "1 027 ports fermés".

/** A device with one open port nothing names (dynamic range, no IANA entry) and 1,027 closed. */
function device(address: string): HostResult {
  return {
    address,
    family: 'ipv4',
    isLocal: false,
    status: 'up',
    reason: 'syn-ack',
    ports: [{ port: 61234, protocol: 'tcp', state: 'open', reason: 'syn-ack' }],
    hidden: { open: 0, closed: 1027, filtered: 1 },
  };
}

const scan: ScanResult = {
  scanId: 'wording',
  request: { targets: '10.77.1.4', ports: '1-1024,61234', skipDiscovery: false, confirmed: false },
  addresses: 1,
  portCount: 1029,
  notes: [],
  startedAt: '2026-01-01T10:00:00.000Z',
  finishedAt: '2026-01-01T10:00:03.000Z',
  cancelled: false,
  hosts: [device('10.77.1.4')],
};

const texts = (value: unknown) => JSON.stringify(value);

describe('the PDF words counts and unnamed services as the page does', () => {
  const assessment = assessHosts(scan.hosts, [], knowledgeBase());
  const model = buildReportModel({ scan, assessment, pcName: 'PC' });

  it('keeps the code "unknown" in the model (exports) and names it in words in the PDF', () => {
    expect(model.hosts[0]!.ports[0]!.service).toBe('unknown');
    const fr = texts(pdfDefinition(model, 'fr').content);
    const en = texts(pdfDefinition(model, 'en').content);
    expect(fr).toContain('61234/tcp (service non identifié)');
    expect(en).toContain('61234/tcp (unidentified service)');
    expect(fr).not.toMatch(/\bunknown\b/);
    expect(en).not.toMatch(/\(unknown\)/);
  });

  it('groups the hidden counts by language, with real plurals', () => {
    const fr = texts(pdfDefinition(model, 'fr').content);
    const en = texts(pdfDefinition(model, 'en').content);
    expect(fr).toContain(typeset('Ports non affichés : 1\u202f027 ports fermés, 1 port filtré'));
    expect(en).toContain('Ports not shown: 1,027 closed ports, 1 filtered port');
  });

  it('says why programs are missing in the CLI’s and the page’s sentence, and only with a reason', () => {
    // Review 15, #5: "(droits d’administrateur nécessaires)" as root and on reopened scans.
    expect(texts(pdfDefinition(model, 'fr').content)).not.toMatch(/administrateur|n’écoutent plus/);
    const kept = buildReportModel({
      scan,
      assessment: { ...assessment, programsComplete: false, programsMissing: 'kept' },
      pcName: 'PC',
    });
    expect(texts(pdfDefinition(kept, 'fr').content)).toContain(
      typeset(
        'Analyse conservée : certains programmes qu’elle a notés n’écoutent plus de la même façon',
      ),
    );
    const admin = buildReportModel({
      scan,
      assessment: { ...assessment, programsComplete: false, programsMissing: 'not-elevated' },
      pcName: 'PC',
    });
    expect(texts(pdfDefinition(admin, 'en').content)).toContain(
      'run Port Auditor as administrator to see them all.',
    );
  });
});
