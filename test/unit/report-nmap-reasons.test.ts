import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReportInput, type ScanResult } from '../../app/contract/index.js';
import { renderNmapXml } from '../../app/report/nmap-xml-export.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { useOwnDataDir } from './support/own-data-dir.js';

useOwnDataDir('nmap-reasons');

// Review finding N5 of issue 13: the reason and reason_ttl nmap wrote for a port are written back
// as read by our nmap XML export (import → export → import keeps them); our own engine's ports,
// which have none, keep our reason and TTL 0.

const fixture = readFileSync(new URL('../fixtures/nmap/loopback-sT.xml', import.meta.url), 'utf8');
const now = new Date('2026-11-30T12:00:00.000Z');

/** The fixture with nmap -sS's words: 23 closed by a reset, 445 filtered by an ICMP answer. */
const sS = fixture
  .replace(
    '<port protocol="tcp" portid="23"><state state="open" reason="syn-ack" reason_ttl="0"/>',
    '<port protocol="tcp" portid="23"><state state="closed" reason="reset" reason_ttl="64"/>',
  )
  .replace(
    '<port protocol="tcp" portid="445"><state state="open" reason="syn-ack" reason_ttl="0"/>',
    '<port protocol="tcp" portid="445"><state state="filtered" reason="host-prohibited" reason_ttl="63"/>',
  );

function reasons(scan: ScanResult): string[] {
  return scan.hosts[0]!.ports.map(
    (p) =>
      `${p.port} ${p.state} ${p.reason} ${p.nmapReason ? `${p.nmapReason.reason}/${p.nmapReason.ttl}` : '-'}`,
  );
}

describe('nmap’s port reasons (N5)', () => {
  it('are kept as read, with their TTL, beside the app’s word for them', () => {
    expect(sS).not.toBe(fixture);
    const { scan } = importNmapXml(sS, { now });
    expect(reasons(scan)).toEqual([
      // A SYN scan's RST is nmap's `reset`, not connect()'s conn-refused (review 13 ATK2).
      '23 closed reset reset/64',
      '445 filtered admin-prohibited host-prohibited/63',
      '34547 open syn-ack -',
    ]);
  });

  it('are written back as read by the nmap XML export, and read again the same', () => {
    const { scan } = importNmapXml(sS, { now });
    const xml = renderNmapXml(scan);
    expect(xml).toContain(
      '<port protocol="tcp" portid="23"><state state="closed" reason="reset" reason_ttl="64"/>',
    );
    expect(xml).toContain(
      '<port protocol="tcp" portid="445"><state state="filtered" reason="host-prohibited" reason_ttl="63"/>',
    );
    const again = importNmapXml(xml, { now }).scan;
    expect(reasons(again)).toEqual(reasons(scan));
    // And through a JSON report (the contract keeps them).
    const parsed = ReportInput.parse({ scan });
    expect(reasons(parsed.scan)).toEqual(reasons(scan));
  });

  it('leave the engine’s ports (none read) with our reason and TTL 0', () => {
    const { scan } = importNmapXml(sS, { now });
    const engine: ScanResult = {
      ...scan,
      hosts: scan.hosts.map((h) => ({
        ...h,
        ports: h.ports.map(({ nmapReason: _read, ...port }) => port),
      })),
    };
    const xml = renderNmapXml(engine);
    expect(xml).toContain('portid="23"><state state="closed" reason="reset" reason_ttl="0"/>');
    expect(xml).toContain(
      'portid="445"><state state="filtered" reason="admin-prohibited" reason_ttl="0"/>',
    );
  });

  it('are not kept where the import corrects them (TCP’s syn-ack on a UDP port), nor odd TTLs', () => {
    const udp = sS
      .replace(
        'protocol="tcp" portid="34547"><state state="open" reason="syn-ack" reason_ttl="0"',
        'protocol="udp" portid="123"><state state="open" reason="syn-ack" reason_ttl="0"',
      )
      .replace('reason_ttl="64"', 'reason_ttl="0x40"')
      .replace('reason_ttl="63"', 'reason_ttl="300"');
    const { scan } = importNmapXml(udp, { now });
    expect(reasons(scan)).toEqual([
      '23 closed reset -',
      '445 filtered admin-prohibited host-prohibited/0',
      '123 open udp-response -',
    ]);
    expect(renderNmapXml(scan)).toContain(
      'portid="123"><state state="open" reason="udp-response" reason_ttl="0"/>',
    );
  });
});

describe('nmap’s host reasons (review 13 A6)', () => {
  const withHostReason = (reason: string, ttl: number) =>
    fixture
      .replace(
        /<status state="up" reason="[a-z-]+" reason_ttl="\d+"\/>/,
        `<status state="up" reason="${reason}" reason_ttl="${ttl}"/>`,
      )
      // Another device (a documentation address, RFC 5737): not loopback, not this PC.
      .replaceAll('127.77.141.97', '198.51.100.7');

  it('echo-reply: worded as nmap’s probe answered, never as a connection, and exported as read', () => {
    const file = withHostReason('echo-reply', 63);
    expect(file).toContain('reason="echo-reply" reason_ttl="63"');
    const host = importNmapXml(file, { now }).scan.hosts[0]!;
    expect([host.reason, host.nmapReason]).toEqual([
      'nmap-probe',
      { reason: 'echo-reply', ttl: 63 },
    ]);
    const xml = renderNmapXml(importNmapXml(file, { now }).scan);
    expect(xml).toContain('<status state="up" reason="echo-reply" reason_ttl="63"/>');
    expect(importNmapXml(xml, { now }).scan.hosts[0]!.nmapReason).toEqual({
      reason: 'echo-reply',
      ttl: 63,
    });
  });

  it('reset, arp-response, user-set: the app’s word for them, nmap’s word and TTL written back', () => {
    for (const word of ['reset', 'arp-response', 'user-set', 'timestamp-reply']) {
      const xml = renderNmapXml(importNmapXml(withHostReason(word, 64), { now }).scan);
      expect(xml).toContain(`<status state="up" reason="${word}" reason_ttl="64"/>`);
    }
  });
});

describe('nmap’s reasons for unlisted ports (review 13 N5)', () => {
  it('a SYN scan’s closed ports are written back as reset, a connect scan’s as conn-refused', () => {
    const syn = fixture
      .replace('<scaninfo type="connect"', '<scaninfo type="syn"')
      .replace('reason="conn-refused" count="1022"', 'reason="reset" count="1022"');
    expect(syn).toContain('<extrareasons reason="reset" count="1022"');
    expect(renderNmapXml(importNmapXml(syn, { now }).scan)).toContain(
      '<extrareasons reason="reset" count="1022" proto="tcp" ports="1-22,24-444,446-1024"/>',
    );
    expect(renderNmapXml(importNmapXml(fixture, { now }).scan)).toContain(
      '<extrareasons reason="conn-refused" count="1022" proto="tcp" ports="1-22,24-444,446-1024"/>',
    );
  });
});
