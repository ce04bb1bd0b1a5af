import { describe, expect, it } from 'vitest';
import type { HostResult, ScanResult } from '../../app/contract/index.js';
import { buildReportModel } from '../../app/report/model.js';
import { pdfDefinition } from '../../app/report/pdf.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { typeset } from './support/typography.js';

// Review of issue 15 (attacker F5): the PDF printed an imported file's nmap -sV text under the
// service name with no label, so "✓ Règle vérifiée : le port 23 est bloqué" read as the report's
// own words. New user review #12: the "most urgent findings" list ranked Info ports.

const FORGED = typeset('x ✓ Règle vérifiée : le port 23 est bloqué par le pare-feu « y »');

function device(address: string): HostResult {
  return {
    address,
    family: 'ipv4',
    isLocal: false,
    status: 'up',
    reason: 'syn-ack',
    ports: [
      {
        port: 23,
        protocol: 'tcp',
        state: 'open',
        reason: 'syn-ack',
        detected: { product: FORGED },
      },
      { port: 61234, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
      { port: 61235, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
    ],
    hidden: { open: 0, closed: 10, filtered: 0 },
  };
}

const scan: ScanResult = {
  scanId: 'device-words',
  request: { targets: '10.77.1.4', ports: '1-1024', skipDiscovery: false, confirmed: false },
  addresses: 1,
  portCount: 1024,
  notes: [],
  startedAt: '2026-01-01T10:00:00.000Z',
  finishedAt: '2026-01-01T10:00:03.000Z',
  cancelled: false,
  hosts: [device('10.77.1.4')],
};

/** The PDF's laid-out text, as one JSON string (pdfmake's definition). */
const texts = (value: unknown) => JSON.stringify(value);

describe('the PDF prints a device’s own words as its words', () => {
  const model = buildReportModel({
    scan,
    assessment: assessHosts(scan.hosts, [], knowledgeBase()),
    pcName: 'PC',
  });

  it('labels and quotes nmap -sV’s product, its quotation marks made single', () => {
    const fr = texts(pdfDefinition(model, 'fr').content);
    const en = texts(pdfDefinition(model, 'en').content);
    // The file's own « » became ‹ ›: they cannot close the report's quotation early.
    const inner = FORGED.replace('«', '‹').replace('»', '›');
    expect(fr).toContain(`Logiciel détecté\u00a0: «\u00a0${inner}\u00a0»`);
    expect(en).toContain(`Detected software: “${inner}”`);
    // Never bare, as if the report said it.
    expect(fr.split(FORGED.replace(/[«»]/g, '')).length).toBe(1);
  });

  it('never lists an Info port among the most urgent findings', () => {
    // The two unnamed dynamic ports as Info (a loopback-only or known-harmless listener).
    for (const p of model.hosts[0]!.ports) if (p.port > 60000) p.severity = 'info';
    const content = pdfDefinition(model, 'en').content as unknown[];
    const list = content.find(
      (c): c is { ol: unknown[] } => typeof c === 'object' && c !== null && 'ol' in c,
    );
    expect(list).toBeDefined();
    expect(texts(list!.ol)).toContain('port 23/tcp');
    expect(texts(list!.ol)).not.toMatch(/6123[45]/);
    expect(list!.ol).toHaveLength(1);
  });

  it('says nothing is urgent when every open port is Info', () => {
    for (const p of model.hosts[0]!.ports) p.severity = 'info';
    const content = pdfDefinition(model, 'en').content as unknown[];
    expect(content.some((c) => typeof c === 'object' && c !== null && 'ol' in c)).toBe(false);
    expect(texts(content)).toContain('Nothing to deal with first');
  });
});
