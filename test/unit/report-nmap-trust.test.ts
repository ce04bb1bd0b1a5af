import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReportInput, type PortResult } from '../../app/contract/index.js';
import { reportInputFromFile } from '../../app/report/json-import.js';
import { renderJson } from '../../app/report/json.js';
import { buildReportModel } from '../../app/report/model.js';
import { renderNmapXml } from '../../app/report/nmap-xml-export.js';
import { importNmapXml, portReasonOf } from '../../app/report/nmap-xml-import.js';
import { typeset } from './support/typography.js';
import { useOwnDataDir } from './support/own-data-dir.js';

useOwnDataDir('nmap-trust');

// Issue 13, findings A7 and N6, and a port given twice in one host: an nmap import keeps what the
// file says that nmap would write, says what it left out, and claims no explanation nothing gave.

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/nmap/${name}`, import.meta.url), 'utf8');
const now = new Date('2026-11-30T12:00:00.000Z');

/** `port/protocol state reason nmapReason` per port, in the host's order. */
function described(ports: readonly PortResult[]): string[] {
  return ports.map(
    (p) =>
      `${p.port}/${p.protocol} ${p.state} ${p.reason ?? '-'} ${p.nmapReason ? `${p.nmapReason.reason}:${p.nmapReason.ttl}` : '-'}`,
  );
}

describe('a state/reason pair nmap never writes (A7)', () => {
  const { scan } = importNmapXml(fixture('contradictory-reasons.xml'), { now });
  const host = scan.hosts[0]!;

  it('keeps the state and leaves the reason out; valid pairs keep theirs', () => {
    expect(described(host.ports)).toEqual([
      '22/tcp open syn-ack syn-ack:64',
      // open "reset", closed "syn-ack", UDP open "port-unreach": the state stays, no reason.
      '23/tcp open - -',
      '25/tcp closed - -',
      '80/tcp closed reset reset:64',
      '81/tcp filtered admin-prohibited admin-prohibited:63',
      '53/udp open - -',
      '161/udp closed port-unreach port-unreach:64',
    ]);
    // The contradicted ports are not explained: "refused the connection" is never shown for 23.
    const model = buildReportModel({ scan, pcName: 'PC' });
    const telnet = model.hosts[0]!.ports.find((p) => p.port === 23)!;
    expect(telnet.state).toBe('open');
    expect(telnet.reason).toBeUndefined();
    const doc = JSON.parse(renderJson(model, { scan }, 'en')) as {
      findings: { port: number; reason: string | null }[];
    };
    expect(doc.findings.find((f) => f.port === 23)?.reason).toBeNull();
  });

  it('is counted in a note, in French and English', () => {
    expect(scan.notes).toContainEqual({
      fr: typeset(
        'Fichier nmap : 3 ports avaient une raison qui contredit leur état (par exemple ouvert avec « reset ») ; elles ont été écartées',
      ),
      en: 'nmap file: 3 ports had a reason that contradicts their state (such as open with “reset”); the reason was left out',
    });
    const one = fixture('contradictory-reasons.xml')
      .replace(
        'reason="syn-ack" reason_ttl="64"/><service name="smtp"',
        'reason="reset" reason_ttl="64"/><service name="smtp"',
      )
      .replace('state="open" reason="port-unreach"', 'state="open" reason="udp-response"');
    expect(importNmapXml(one, { now }).scan.notes).toContainEqual({
      fr: typeset(
        'Fichier nmap : 1 port avait une raison qui contredit son état (par exemple ouvert avec « reset ») ; elle a été écartée',
      ),
      en: 'nmap file: 1 port had a reason that contradicts its state (such as open with “reset”); the reason was left out',
    });
  });

  it('reads nmap’s own pairs as nmap wrote them, per protocol and scan type', () => {
    expect(portReasonOf('tcp', 'open', 'syn-ack')).toEqual({
      reason: 'syn-ack',
      contradicts: false,
    });
    // The RST nmap read itself (-sS), not connect()'s refusal (review 13 ATK2).
    expect(portReasonOf('tcp', 'closed', 'reset')).toEqual({
      reason: 'reset',
      contradicts: false,
    });
    expect(portReasonOf('tcp', 'filtered', 'host-prohibited')).toEqual({
      reason: 'admin-prohibited',
      contradicts: false,
    });
    expect(portReasonOf('tcp', 'open|filtered', 'no-response')).toEqual({
      reason: 'no-response',
      contradicts: false,
    });
    expect(portReasonOf('udp', 'open', 'udp-response')).toEqual({
      reason: 'udp-response',
      contradicts: false,
    });
    // TCP's word on a UDP port that agrees with its state is corrected, not left out.
    expect(portReasonOf('udp', 'open', 'syn-ack')).toEqual({
      reason: 'udp-response',
      contradicts: false,
    });
    // nmap's words with no equivalent of ours: no reason claimed, nothing contradicted.
    expect(portReasonOf('tcp', 'filtered', 'proto-unreach')).toEqual({ contradicts: false });
    expect(portReasonOf('tcp', 'open', 'unknown-response')).toEqual({ contradicts: false });
    expect(portReasonOf('tcp', 'open', '')).toEqual({ contradicts: false });
    // -sW words an open port `reset` (the RST's window); any other scan never does.
    expect(portReasonOf('tcp', 'open', 'reset', true)).toEqual({ contradicts: false });
    expect(portReasonOf('tcp', 'open', 'reset')).toEqual({ contradicts: true });
    expect(portReasonOf('tcp', 'closed', 'syn-ack')).toEqual({ contradicts: true });
    expect(portReasonOf('udp', 'open', 'port-unreach')).toEqual({ contradicts: true });
    expect(portReasonOf('udp', 'closed', 'udp-response')).toEqual({ contradicts: true });
    expect(portReasonOf('tcp', 'open', 'echo-reply')).toEqual({ contradicts: true });
  });

  it('keeps a -sW open port’s `reset` for the export, with no reason of ours', () => {
    const window = fixture('contradictory-reasons.xml')
      .replace('<scaninfo type="syn"', '<scaninfo type="window"')
      .replace(/<port protocol="tcp" portid="25">.*\n/, '')
      .replace(/<port protocol="udp" portid="53">.*\n/, '');
    const read = importNmapXml(window, { now }).scan;
    expect(read.notes.map((n) => n.en).join('\n')).not.toContain('contradicts');
    const telnet = read.hosts[0]!.ports.find((p) => p.port === 23)!;
    expect(telnet).toMatchObject({ state: 'open', nmapReason: { reason: 'reset', ttl: 64 } });
    expect(telnet.reason).toBeUndefined();
    expect(renderNmapXml(read)).toContain(
      '<port protocol="tcp" portid="23"><state state="open" reason="reset" reason_ttl="64"/>',
    );
  });

  it('round trip JSON → nmap XML → import is lossless for valid pairs', () => {
    const model = buildReportModel({ scan, pcName: 'PC' });
    const doc = JSON.parse(renderJson(model, { scan }, 'en')) as { scan: unknown };
    const input = reportInputFromFile(
      ReportInput.parse({ scan: doc.scan, pcName: 'PC' }),
      new Set(),
    );
    const again = importNmapXml(renderNmapXml(input.scan), { now }).scan.hosts[0]!;
    expect(described(again.ports)).toEqual(described(host.ports));
    // A port with no reason is written as nmap writes one (unknown-response) and read back as none,
    // with no note: the contradiction was said once, by the first import.
    expect(renderNmapXml(input.scan)).toContain(
      '<port protocol="tcp" portid="23"><state state="open" reason="unknown-response" reason_ttl="0"/>',
    );
    const notes = importNmapXml(renderNmapXml(scan), { now }).scan.notes.map((n) => n.en);
    expect(notes.filter((n) => n.includes('contradicts'))).toHaveLength(1);
  });
});

describe('a ports= list holding entries that are no port numbers (N6)', () => {
  const { scan } = importNmapXml(fixture('ports-list-bad-entries.xml'), { now });
  const host = scan.hosts[0]!;

  it('keeps the list’s valid ports in their state and says how many entries were left out', () => {
    expect(host.portStates).toEqual({
      tcp: { open: '22,80', closed: '1-21,24-79,81-1000', filtered: '1001-1012' },
    });
    expect(host.hidden).toEqual({ open: 0, closed: 997, filtered: 12 });
    expect(scan.notes).toContainEqual({
      fr: typeset(
        'Fichier nmap : 2 entrées d’une liste de ports n’étaient pas des numéros de port et ont été écartées',
      ),
      en: 'nmap file: 2 entries of a ports list were not port numbers and were left out',
    });
    // Entries, not ports: the note of unreadable <port> elements is not used for them.
    expect(scan.notes.map((n) => n.en).join('\n')).not.toContain('ports ignored');
  });

  it('is written back by the export with the kept ports, and read back the same', () => {
    const xml = renderNmapXml(scan);
    expect(xml).toContain(
      '<extrareasons reason="conn-refused" count="997" proto="tcp" ports="1-21,24-79,81-1000"/>',
    );
    expect(xml).toContain(
      '<extrareasons reason="no-response" count="12" proto="tcp" ports="1001-1012"/>',
    );
    const again = importNmapXml(xml, { now }).scan.hosts[0]!;
    expect(again.portStates).toEqual(host.portStates);
    expect(again.hidden).toEqual(host.hidden);
  });
});

describe('the same port twice in one host', () => {
  const { scan } = importNmapXml(fixture('duplicate-port.xml'), { now });
  const host = scan.hosts[0]!;

  it('is one port, in the state that matters most (open first), never silently the last', () => {
    expect(described(host.ports)).toEqual([
      '22/tcp open syn-ack -',
      '80/tcp open syn-ack -',
      '443/tcp closed conn-refused -',
    ]);
    expect(host.portStates).toEqual({ tcp: { open: '22,80', closed: '443' } });
  });

  it('is said in a note, in French and English', () => {
    expect(scan.notes).toContainEqual({
      fr: typeset(
        'Fichier nmap : 2 ports listés deux fois dans un même hôte avec des états différents ; pour chacun, l’état le plus important a été gardé (ouvert d’abord)',
      ),
      en: 'nmap file: 2 ports listed twice in one host with different states; for each, the state that matters most was kept (open first)',
    });
  });

  it('given twice in the same state, is one port with no note', () => {
    const same = fixture('duplicate-port.xml')
      .replace(
        'portid="22"><state state="closed" reason="conn-refused"',
        'portid="22"><state state="open" reason="syn-ack"',
      )
      .replace(
        'portid="80"><state state="filtered" reason="no-response"',
        'portid="80"><state state="open" reason="syn-ack"',
      );
    const read = importNmapXml(same, { now }).scan;
    expect(read.hosts[0]!.ports.map((p) => p.port)).toEqual([22, 80, 443]);
    expect(read.notes.map((n) => n.en).join('\n')).not.toContain('twice');
  });
});
