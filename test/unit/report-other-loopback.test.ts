import { describe, expect, it } from 'vitest';
import type { HostResult } from '../../app/contract/index.js';
import { foldDevices } from '../../app/contract/devices.js';
import { checkedKeptRow, keptRanHere } from '../../app/api/scan-history.js';
import { keptScanMadeHere, reportInputFromFile } from '../../app/report/json-import.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { bothLanguages } from '../../app/text/catalogue.js';

// Issue 13 (misc13): an nmap file from another machine. Its 127.0.0.0/8 and ::1 hosts are that
// machine's loopback, not this PC; a LAN address of this PC in the file still is this PC.

const now = new Date('2026-11-30T12:00:00.000Z');

/** An nmap -sT file of the machine that ran it: its loopback (v4, v6) and its LAN address. */
function otherMachineFile(): string {
  const host = (addr: string, type: string, reason: string) =>
    `<host><status state="up" reason="${reason}"/><address addr="${addr}" addrtype="${type}"/>
<ports><port protocol="tcp" portid="23"><state state="open" reason="syn-ack"/></port></ports></host>`;
  return `<?xml version="1.0"?>
<nmaprun scanner="nmap" args="nmap -sT -p 23 127.0.0.1 ::1 10.0.7.5 10.0.7.9" start="1700000000">
${host('127.0.0.1', 'ipv4', 'localhost-response')}
${host('::1', 'ipv6', 'localhost-response')}
${host('10.0.7.5', 'ipv4', 'localhost-response')}
${host('10.0.7.9', 'ipv4', 'syn-ack')}
<runstats><finished time="1700000060"/></runstats></nmaprun>`;
}

/** This PC's addresses as os.networkInterfaces() gives them: its loopback and 10.0.7.9. */
const thisPc = new Set(['127.0.0.1', '::1', '10.0.7.9']);

describe('an imported file’s loopback addresses', () => {
  const { scan } = importNmapXml(otherMachineFile(), { now, localAddresses: thisPc });
  const byAddress = new Map(scan.hosts.map((h) => [h.address, h]));

  it('are the machine that ran nmap, never this PC; this PC’s LAN address still is this PC', () => {
    expect(scan.hosts.map((h) => [h.address, h.isLocal, h.reason])).toEqual([
      ['127.0.0.1', false, 'scanner'],
      ['::1', false, 'scanner'],
      ['10.0.7.5', false, 'scanner'],
      ['10.0.7.9', true, 'localhost'],
    ]);
    expect(bothLanguages('vocabulary:hostReason.scanner')).toEqual({
      fr: 'le PC qui a lancé nmap',
      en: 'the PC that ran nmap',
    });
  });

  it('are never folded into This PC, and their ports get no reading of this PC’s listeners', () => {
    const devices = foldDevices(scan.hosts);
    const pc = devices.find((d) => d.isLocal);
    expect(pc?.hosts.map((h) => h.address)).toEqual(['10.0.7.9']);
    // They are one device, the machine that ran nmap (review 13c attacker B3), its LAN address first.
    expect(devices.filter((d) => !d.isLocal).map((d) => d.hosts.map((h) => h.address))).toEqual([
      ['10.0.7.5', '127.0.0.1', '::1'],
    ]);
    // This PC listens on 23 on every interface: only its own address is matched to it.
    const listeners = [{ protocol: 'tcp' as const, address: '0.0.0.0', port: 23 }];
    const verdicts = assessHosts(scan.hosts, listeners, knowledgeBase());
    const exposure = (address: string) =>
      verdicts.hosts.find((h) => h.address === address)?.ports[0]?.exposure;
    expect(exposure('10.0.7.9')).toBeDefined();
    expect(exposure('127.0.0.1')).toBeUndefined();
    expect(verdicts.hosts.filter((h) => h.isLocal).map((h) => h.address)).toEqual(['10.0.7.9']);
  });

  it('read the same from a JSON report of that file', () => {
    const input = reportInputFromFile(
      { scan: { ...scan, hosts: scan.hosts.map((h) => ({ ...h, isLocal: true })) } },
      thisPc,
    );
    expect(input.scan.hosts.map((h) => [h.address, h.isLocal, h.reason])).toEqual([
      ['127.0.0.1', false, 'scanner'],
      ['::1', false, 'scanner'],
      ['10.0.7.5', false, 'scanner'],
      ['10.0.7.9', true, 'localhost'],
    ]);
  });

  it('stay the other machine’s when the import is reopened; an engine scan’s loopback is this PC', () => {
    const row = (host: HostResult) => ({ seq: 0, host, kept: null });
    const loopback = byAddress.get('127.0.0.1')!;
    // A row edited to claim this PC changes nothing: the facts are worked out again.
    const edited = { ...loopback, isLocal: true, reason: 'localhost' as const };
    expect(checkedKeptRow(row(edited), thisPc, 'nmap-import')?.host).toMatchObject({
      isLocal: false,
      reason: 'scanner',
    });
    expect(checkedKeptRow(row(edited), thisPc, 'engine')?.host).toMatchObject({
      isLocal: true,
      reason: 'localhost',
    });
  });
});

describe('a kept row’s reason for being up (review 13b, A9)', () => {
  const lanHost: HostResult = {
    address: '192.168.1.12',
    family: 'ipv4',
    status: 'up',
    reason: 'localhost',
    isLocal: true,
    ports: [
      { port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
      { port: 445, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
    ],
    hidden: { open: 0, closed: 0, filtered: 0 },
  };
  const row = (host: HostResult) => ({ seq: 0, host, kept: null });

  it('follows the facts worked out again, never a stored “this PC” or “the PC that ran nmap”', () => {
    for (const kind of ['engine', 'nmap-import'] as const) {
      expect(checkedKeptRow(row(lanHost), new Set(), kind)?.host).toMatchObject({
        isLocal: false,
        reason: 'syn-ack',
      });
      const edited = { ...lanHost, isLocal: false };
      expect(checkedKeptRow(row(edited), new Set(), kind)?.host.reason).toBe('syn-ack');
    }
    const closedOnly = {
      ...lanHost,
      ports: [
        {
          port: 22,
          protocol: 'tcp' as const,
          state: 'closed' as const,
          reason: 'conn-refused' as const,
        },
      ],
    };
    expect(checkedKeptRow(row(closedOnly), new Set(), 'engine')?.host.reason).toBe('conn-refused');
    // An engine scan is never "the PC that ran nmap".
    const scanner = { ...lanHost, isLocal: false, reason: 'scanner' as const };
    expect(checkedKeptRow(row(scanner), new Set(), 'engine')?.host.reason).toBe('syn-ack');
    // An import's own word about its scanner (not this PC) stays.
    expect(checkedKeptRow(row(scanner), new Set(), 'nmap-import')?.host.reason).toBe('scanner');
    // This PC now is this PC whatever the row said.
    const now = { ...lanHost, isLocal: false, reason: 'syn-ack' as const };
    expect(checkedKeptRow(row(now), new Set(['192.168.1.12']), 'engine')?.host).toMatchObject({
      isLocal: true,
      reason: 'localhost',
    });
  });
});

// Review 13c new user #2: a file nmap made on this very PC (the machine answering
// `localhost-response` at one of this PC's own addresses) has this PC's loopback.
describe('a file nmap ran on this PC', () => {
  /** nmap -sT 127.0.0.1 10.0.7.9 on this PC: both answer `localhost-response`. */
  const hereFile = `<?xml version="1.0"?>
<nmaprun scanner="nmap" args="nmap -sT -p 23 127.0.0.1 10.0.7.9" start="1700000000">
<host><status state="up" reason="localhost-response"/><address addr="127.0.0.1" addrtype="ipv4"/>
<ports><port protocol="tcp" portid="23"><state state="open" reason="syn-ack"/></port></ports></host>
<host><status state="up" reason="localhost-response"/><address addr="10.0.7.9" addrtype="ipv4"/>
<ports><port protocol="tcp" portid="23"><state state="open" reason="syn-ack"/></port></ports></host>
<runstats><finished time="1700000060"/></runstats></nmaprun>`;

  it('folds its loopback into This PC: one device', () => {
    const { scan } = importNmapXml(hereFile, { now, localAddresses: thisPc });
    expect(scan.source).toMatchObject({ kind: 'nmap', selfAddresses: ['10.0.7.9'] });
    expect(scan.hosts.map((h) => [h.address, h.isLocal, h.reason])).toEqual([
      ['127.0.0.1', true, 'localhost'],
      ['10.0.7.9', true, 'localhost'],
    ]);
    expect(foldDevices(scan.hosts)).toHaveLength(1);
  });

  it('is worked out again on reopen from the file’s evidence and this PC’s addresses now', () => {
    const { scan } = importNmapXml(hereFile, { now, localAddresses: new Set() });
    const loopback = scan.hosts[0]!;
    // Imported on a PC without 10.0.7.9 it is not this PC's loopback…
    expect(loopback).toMatchObject({ isLocal: false, reason: 'scanner' });
    const row = { seq: 0, host: loopback, kept: null };
    const header = { record: { kind: 'nmap-import' }, result: { source: scan.source } };
    // …reopened where 10.0.7.9 is this PC's, it is.
    const here = keptRanHere(header as never, thisPc);
    expect(here).toBe(true);
    expect(checkedKeptRow(row, thisPc, 'nmap-import', here)?.host).toMatchObject({
      isLocal: true,
      reason: 'localhost',
    });
    expect(keptRanHere(header as never, new Set(['127.0.0.1']))).toBe(false);
  });

  it('a file whose localhost-response address is not this PC’s keeps “the PC that ran nmap”', () => {
    // otherMachineFile: nmap said 10.0.7.5 is itself; this PC is 10.0.7.9.
    const { scan } = importNmapXml(otherMachineFile(), { now, localAddresses: thisPc });
    expect(scan.source).toMatchObject({ selfAddresses: ['10.0.7.5'] });
    expect(scan.hosts[0]).toMatchObject({
      address: '127.0.0.1',
      isLocal: false,
      reason: 'scanner',
    });
  });

  it('a recorded list of nmap’s own addresses is not taken from the file', () => {
    const recorded = JSON.stringify({
      kind: 'nmap',
      args: 'nmap 127.0.0.1',
      scanTypes: [],
      selfAddresses: ['10.0.7.9'],
    }).replace(/"/g, '&quot;');
    const file = `<?xml version="1.0"?>
<nmaprun scanner="nmap" args="nmap -sT -p 23 127.0.0.1" start="1700000000">
<prescript><script id="port-auditor" output=""><elem key="source">${recorded}</elem></script></prescript>
<host><status state="up" reason="localhost-response"/><address addr="127.0.0.1" addrtype="ipv4"/>
<ports><port protocol="tcp" portid="23"><state state="open" reason="syn-ack"/></port></ports></host>
<host><status state="up" reason="localhost-response"/><address addr="10.0.7.5" addrtype="ipv4"/></host>
<runstats><finished time="1700000060"/></runstats></nmaprun>`;
    // The file's own hosts say nmap ran on 10.0.7.5 (not this PC); the recorded list says 10.0.7.9.
    const { scan } = importNmapXml(file, { now, localAddresses: thisPc });
    expect(scan.source).toMatchObject({ selfAddresses: ['10.0.7.5'] });
    expect(scan.hosts[0]).toMatchObject({ isLocal: false, reason: 'scanner' });
  });
});

// Review 13c new user #3: this app's JSON report of an engine scan, read again on the PC that made it.
describe('a JSON report of this PC’s own engine scan', () => {
  const pcHost = (address: string, family: 'ipv4' | 'ipv6'): HostResult => ({
    address,
    family,
    status: 'up',
    reason: 'localhost',
    isLocal: true,
    ports: [{ port: 23, protocol: 'tcp', state: 'open', reason: 'syn-ack' }],
    hidden: { open: 0, closed: 0, filtered: 0 },
  });
  const { scan: base } = importNmapXml(otherMachineFile(), { now, localAddresses: thisPc });
  const report = {
    pcName: 'vm',
    scan: {
      ...base,
      source: undefined,
      hosts: [pcHost('10.0.7.9', 'ipv4'), pcHost('127.0.0.1', 'ipv4'), pcHost('::1', 'ipv6')],
    },
  };
  const facts = (input: ReturnType<typeof reportInputFromFile>) =>
    input.scan.hosts.map((h) => [h.address, h.isLocal, h.reason]);

  it('keeps its loopback as this PC, one device, and says it was made on this PC', () => {
    const input = reportInputFromFile(report, thisPc, 'VM');
    expect(facts(input)).toEqual([
      ['10.0.7.9', true, 'localhost'],
      ['127.0.0.1', true, 'localhost'],
      ['::1', true, 'localhost'],
    ]);
    expect(foldDevices(input.scan.hosts)).toHaveLength(1);
    expect(input.scan.notes[0]).toEqual(
      bothLanguages('messages:import.filePcThis', { name: 'vm' }),
    );
    expect(input.scan.notes[0]?.fr).not.toContain('pas sur ce PC');
  });

  it('from another PC (other name, or same name without this PC’s address), stays that PC’s', () => {
    const other = reportInputFromFile(report, thisPc, 'office');
    // No nmap ran: the PC that produced the report (review 13c new user #3).
    expect(facts(other).slice(1)).toEqual([
      ['127.0.0.1', false, 'reporter'],
      ['::1', false, 'reporter'],
    ]);
    expect(other.scan.notes[0]).toEqual(
      bothLanguages('messages:import.filePcName', { name: 'vm' }),
    );
    const namesake = reportInputFromFile(report, new Set(['127.0.0.1', '::1', '10.9.9.9']), 'vm');
    expect(facts(namesake).map((f) => f[1])).toEqual([false, false, false]);
    expect(namesake.scan.notes[0]).toEqual(
      bothLanguages('messages:import.filePcSameName', { name: 'vm' }),
    );
    // A report of an nmap import is never "this PC's own engine scan".
    const nmap = reportInputFromFile(
      { ...report, scan: { ...report.scan, source: base.source } },
      thisPc,
      'vm',
    );
    expect(facts(nmap)[1]).toEqual(['127.0.0.1', false, 'scanner']);
  });
});

describe('a JSON report of an nmap import run on loopback only (review 13 A1, N9)', () => {
  // nmap scanned 127.0.0.9 only: the file names no address of nmap's own but loopback.
  const xml = `<?xml version="1.0"?>
<nmaprun scanner="nmap" args="nmap -sS -p 29 127.0.0.9" start="1700000000">
<host><status state="up" reason="localhost-response"/><address addr="127.0.0.9" addrtype="ipv4"/>
<ports><port protocol="tcp" portid="29"><state state="open" reason="syn-ack"/></port></ports></host>
<runstats><finished time="1700000060"/></runstats></nmaprun>`;
  const { scan } = importNmapXml(xml, { now, localAddresses: thisPc });
  const loopbackOf = (input: ReturnType<typeof reportInputFromFile>) =>
    input.scan.hosts.map((h) => [h.address, h.isLocal]);

  it('made on another PC is that PC’s: its loopback is not this PC, the cover names that PC', () => {
    const input = reportInputFromFile({ pcName: 'DESKTOP-OTHER', scan }, thisPc, 'vm');
    expect(loopbackOf(input)).toEqual([['127.0.0.9', false]]);
    expect(input.filePc).toEqual({ name: 'DESKTOP-OTHER' });
    expect(input.scan.notes[0]).toEqual(
      bothLanguages('messages:import.filePcName', { name: 'DESKTOP-OTHER' }),
    );
  });

  it('with this PC’s name proves nothing by itself; kept in this store as made here, it is this PC’s', () => {
    const named = reportInputFromFile({ pcName: 'vm', scan }, thisPc, 'vm');
    expect(loopbackOf(named)).toEqual([['127.0.0.9', false]]);
    expect(named.filePc).toEqual({ name: 'vm' });
    const kept = reportInputFromFile({ pcName: 'vm', scan }, thisPc, 'vm', true);
    expect(loopbackOf(kept)).toEqual([['127.0.0.9', true]]);
    expect(kept.filePc).toBeUndefined();
  });
});

describe('a report file whose scan this store keeps (review 13 N9)', () => {
  // A PC with loopback only: its own engine scan's file names no address of its own.
  const loopbackOnly = new Set(['127.0.0.1', '::1']);
  const { scan: imported } = importNmapXml(otherMachineFile(), { now, localAddresses: thisPc });
  const engine = {
    ...imported,
    source: {
      kind: 'engine' as const,
      method: 'tcp-connect' as const,
      minRtoMs: 100,
      maxRtoMs: 2000,
      initialRtoMs: 1000,
      maxTries: 2,
      maxTriesCap: 4,
      discoveryPorts: [80],
      selfAddresses: [],
    },
  };
  const { hosts: _hosts, ...kept } = engine;
  const file = { pcName: 'vm', scan: engine };

  it('is this PC’s when the store keeps it (same id, start, kind) and the name is this PC’s', () => {
    expect(keptScanMadeHere(file, kept, loopbackOnly, 'VM')).toBe(true);
    const input = reportInputFromFile(file, loopbackOnly, 'vm', true);
    expect(input.filePc).toBeUndefined();
    expect(input.scan.notes[0]).toEqual(
      bothLanguages('messages:import.filePcThis', { name: 'vm' }),
    );
    expect(input.scan.hosts.find((h) => h.address === '127.0.0.1')?.isLocal).toBe(true);
  });

  it('is not when the store has no such scan, another start, another kind, or the name differs', () => {
    expect(keptScanMadeHere(file, undefined, loopbackOnly, 'vm')).toBe(false);
    expect(keptScanMadeHere(file, { ...kept, startedAt: 'x' }, loopbackOnly, 'vm')).toBe(false);
    expect(keptScanMadeHere(file, { ...kept, scanId: 'other' }, loopbackOnly, 'vm')).toBe(false);
    expect(keptScanMadeHere(file, { ...kept, source: imported.source }, loopbackOnly, 'vm')).toBe(
      false,
    );
    expect(keptScanMadeHere(file, kept, loopbackOnly, 'DESKTOP-OTHER')).toBe(false);
  });

  it('not kept here, says plainly it cannot tell, never that its addresses are not this PC’s', () => {
    const lone = { pcName: 'vm', scan: { ...engine, hosts: [engine.hosts[0]!] } };
    expect(lone.scan.hosts.map((h) => h.address)).toEqual(['127.0.0.1']);
    const input = reportInputFromFile(lone, loopbackOnly, 'vm');
    expect(input.scan.notes[0]).toEqual(
      bothLanguages('messages:import.filePcSameNameUnproven', { name: 'vm' }),
    );
    expect(input.scan.notes[0]?.en).toContain('cannot tell whether the file was made here');
    expect(input.scan.notes[0]?.en).not.toContain('whose addresses are not this PC’s');
  });
});
