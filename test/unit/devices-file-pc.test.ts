import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostResult, ScanResult } from '../../app/contract/index.js';
import {
  countServices,
  deviceHeading,
  FILE_PC_KEY,
  foldDevices,
  sharedMacs,
} from '../../app/contract/devices.js';
import { reportInputFromFile } from '../../app/report/json-import.js';
import { renderCsv } from '../../app/report/csv.js';
import { renderJson } from '../../app/report/json.js';
import { buildReportModel } from '../../app/report/model.js';
import { pdfDefinition } from '../../app/report/pdf.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { VerdictTotals } from '../../app/risk/verdict-totals.js';
import { ScanCountsTally, scanCounts } from '../../app/store/scans.js';
import { bothLanguages } from '../../app/text/catalogue.js';
import { formatScanResult } from '../../main/cli/format.js';
import { typeset } from './support/typography.js';

// Review 13c attacker B3: the machine that ran nmap, when it is not this PC, is one device — its
// loopback (127.0.0.1, ::1) and the addresses nmap answered for as itself — with each of its
// services counted once, as "This PC" is for this PC's addresses.

const LO_XML = readFileSync(path.join(__dirname, '../fixtures/nmap/lo.xml'), 'utf8');
const now = new Date('2026-12-01T06:00:00.000Z');
/** A PC that owns neither 192.0.2.2 nor fd00::2: the file was made elsewhere. */
const thisPc = new Set(['127.0.0.1', '::1', '10.77.66.1']);

describe('the PC that ran nmap (lo.xml read on another PC)', () => {
  const { scan } = importNmapXml(LO_XML, { now, localAddresses: thisPc, fileName: 'lo.xml' });
  const assessment = assessHosts(scan.hosts, [], knowledgeBase());

  it('merges the file’s seven hosts into four addresses, saying so for the ::ffff: ones', () => {
    expect(scan.hosts.map((h) => [h.address, h.isLocal, h.reason])).toEqual([
      ['127.0.0.1', false, 'scanner'],
      ['::1', false, 'scanner'],
      ['192.0.2.2', false, 'scanner'],
      ['fd00::2', false, 'scanner'],
    ]);
    expect(scan.notes).toContainEqual(
      bothLanguages('messages:import.nmapMappedMerged', { count: 2 }),
    );
    expect(scan.notes.map((n) => n.en)).toContain(
      'nmap file: 2 hosts written as IPv6 ::ffff:a.b.c.d merged with their IPv4 addresses',
    );
    expect(scan.notes.map((n) => n.fr)).toContain(
      typeset(
        'Fichier nmap : 2 hôtes notés en IPv6 ::ffff:a.b.c.d fusionnés avec leur adresse IPv4',
      ),
    );
  });

  it('folds them into one device listing where each service is reachable', () => {
    const devices = foldDevices(scan.hosts);
    expect(devices).toHaveLength(1);
    const [pc] = devices;
    expect(pc!.key).toBe(FILE_PC_KEY);
    expect(pc!.isLocal).toBe(false);
    expect(pc!.hosts.map((h) => h.address)).toEqual(['192.0.2.2', 'fd00::2', '127.0.0.1', '::1']);
    const everywhere = ['192.0.2.2', 'fd00::2', '127.0.0.1', '::1'];
    expect(pc!.services).toEqual([
      { port: 23, protocol: 'tcp', addresses: everywhere },
      { port: 445, protocol: 'tcp', addresses: everywhere },
    ]);
    // Why they are one: the file's word, not a shared MAC address (there is none).
    expect(deviceHeading(pc!)).toEqual({
      thisPc: false,
      address: '192.0.2.2',
      addresses: everywhere,
      foldedBy: 'file-pc',
    });
  });

  it('counts each service once: verdicts, totals, history counts', () => {
    expect(assessment.counts).toEqual({ critical: 1, high: 1, medium: 0, low: 0, info: 0 });
    const totals = new VerdictTotals(sharedMacs(scan.hosts));
    for (const host of assessment.hosts) totals.add(host);
    expect(totals.result().counts).toEqual(assessment.counts);
    expect(scanCounts(scan)).toMatchObject({ hostsUp: 4, devicesUp: 1, openPorts: 2 });
    const tally = new ScanCountsTally(new Set());
    for (const host of scan.hosts) tally.add(host);
    expect(tally.counts(scan.addresses)).toEqual(scanCounts(scan));
    // A verdict names the file's machine so that counting alone (countServices) folds it too.
    expect(assessment.hosts.every((h) => h.reason === 'scanner')).toBe(true);
    expect(countServices(assessment.hosts)).toEqual(assessment.counts);
  });

  it('reads as one device in the CLI, the PDF, the JSON and the CSV', () => {
    const cli = formatScanResult(scan, 'en', () => undefined, assessment);
    expect(cli).toContain('4 addresses scanned, 4 up (1 device), 2 open ports in 100.0\u00a0s.');
    expect(cli).toContain('Open ports by risk level: Critical 1, High 1.');
    expect(cli).toContain('192.0.2.2  up (the PC that ran nmap)');
    expect(cli).toContain(
      'This machine’s addresses (as the file gives them): 192.0.2.2, fd00::2, 127.0.0.1, ::1',
    );
    expect(cli).not.toContain('same MAC');
    expect(cli.match(/^ {2}23\/tcp /gm)).toHaveLength(1);

    const model = buildReportModel({ scan, assessment, pcName: 'PC' });
    expect(model).toMatchObject({ hostsUp: 4, devicesUp: 1, openPorts: 2 });
    expect(model.counts).toEqual(assessment.counts);
    expect(model.findings.map((f) => f.port.port)).toEqual([23, 445]);
    const doc = JSON.parse(renderJson(model, { scan, assessment }, 'en'));
    expect(doc.summary).toMatchObject({ hostsUp: 4, devicesUp: 1, openPorts: 2 });
    expect(doc.findings).toHaveLength(2);
    const csv = renderCsv(model, 'en').trim().split('\r\n').slice(1);
    expect(csv).toHaveLength(2);
    const pdf = JSON.stringify(pdfDefinition(model, 'fr').content);
    expect(pdf).toContain(typeset('actif : le PC qui a lancé nmap'));
    expect(pdf).toContain(typeset('adresses : 192.0.2.2, fd00::2, 127.0.0.1, ::1'));
  });

  it('is This PC when the file proves nmap ran here (one of its own addresses is this PC’s)', () => {
    const here = importNmapXml(LO_XML, { now, localAddresses: new Set(['192.0.2.2']) }).scan;
    const devices = foldDevices(here.hosts);
    expect(devices.map((d) => d.key)).toEqual(['this-pc', FILE_PC_KEY]);
    // fd00::2 answered as nmap itself, but is not one of this PC's addresses now: the file's
    // word alone, so it stays the file's machine (a LAN address passes from PC to PC).
    expect(devices[1]!.hosts.map((h) => h.address)).toEqual(['fd00::2']);
  });
});

describe('a device heading’s reason for several addresses', () => {
  const up = (address: string, extra: Partial<HostResult> = {}): HostResult => ({
    address,
    family: address.includes(':') ? 'ipv6' : 'ipv4',
    isLocal: false,
    status: 'up',
    reason: 'syn-ack',
    ports: [],
    hidden: { open: 0, closed: 0, filtered: 0 },
    ...extra,
  });

  it('is "same MAC" only when they share one (review 13c attacker B4)', () => {
    const mac = 'aa:bb:cc:00:00:01';
    const [device] = foldDevices([
      up('10.0.0.5', { mac }),
      up('fe80::5', { mac: mac.toUpperCase() }),
    ]);
    expect(deviceHeading(device!).foldedBy).toBe('mac');
    // Two addresses of one device without a MAC (rows of an edited store): no reason given.
    const listed = deviceHeading({
      isLocal: false,
      hosts: [up('127.0.0.1'), up('127.0.0.1')],
      folded: [],
    });
    expect(listed.addresses).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(listed.foldedBy).toBeUndefined();
  });
});

describe('an engine JSON report made on another PC (review 13c new user #3)', () => {
  const open = (port: number) => ({
    port,
    protocol: 'tcp' as const,
    state: 'open' as const,
    reason: 'syn-ack' as const,
  });
  const host = (address: string, ports: number[]): HostResult => ({
    address,
    family: address.includes(':') ? 'ipv6' : 'ipv4',
    isLocal: true,
    status: 'up',
    reason: 'localhost',
    ports: ports.map(open),
    hidden: { open: 0, closed: 0, filtered: 0 },
  });
  const scan: ScanResult = {
    scanId: 'other-pc',
    source: {
      kind: 'engine',
      method: 'tcp-connect',
      minRtoMs: 100,
      maxRtoMs: 3000,
      initialRtoMs: 1000,
      maxTries: 2,
      maxTriesCap: 4,
      discoveryPorts: [80, 443],
    },
    request: { targets: 'this-pc', ports: '23,445', skipDiscovery: false, confirmed: false },
    addresses: 3,
    portCount: 2,
    notes: [],
    startedAt: '2026-11-30T10:00:00.000Z',
    finishedAt: '2026-11-30T10:00:01.000Z',
    cancelled: false,
    hosts: [host('10.9.9.9', [23, 445]), host('127.0.0.1', [23, 445]), host('::1', [23])],
  };

  it('names its addresses "the PC that produced this report", never nmap, and folds them', () => {
    const input = reportInputFromFile({ scan, pcName: 'OTHER-PC' }, thisPc, 'THIS-PC');
    // Its loopback, and the address it said was its own (isLocal in the file), are that PC's.
    expect(input.scan.hosts.map((h) => [h.address, h.isLocal, h.reason])).toEqual([
      ['10.9.9.9', false, 'reporter'],
      ['127.0.0.1', false, 'reporter'],
      ['::1', false, 'reporter'],
    ]);
    expect(bothLanguages('vocabulary:hostReason.reporter')).toEqual({
      fr: 'le PC qui a produit ce rapport',
      en: 'the PC that produced this report',
    });
    const devices = foldDevices(input.scan.hosts);
    expect(devices.map((d) => d.hosts.map((h) => h.address))).toEqual([
      ['10.9.9.9', '127.0.0.1', '::1'],
    ]);
    const assessment = assessHosts(input.scan.hosts, [], knowledgeBase());
    expect(assessment.counts).toEqual({ critical: 1, high: 1, medium: 0, low: 0, info: 0 });
    const cli = formatScanResult(input.scan, 'en', () => undefined, assessment);
    expect(cli).toContain('10.9.9.9  up (the PC that produced this report)');
    expect(cli).toContain('3 up (1 device), 2 open ports');
    expect(cli).not.toContain('nmap');
  });

  it('keeps "the PC that ran nmap" for a report of an nmap import', () => {
    const nmapScan: ScanResult = {
      ...scan,
      source: { kind: 'nmap', args: 'nmap 127.0.0.1', scanTypes: [] },
    };
    const input = reportInputFromFile({ scan: nmapScan, pcName: 'OTHER-PC' }, thisPc, 'THIS-PC');
    expect(input.scan.hosts.map((h) => h.reason)).toEqual(['scanner', 'scanner', 'scanner']);
  });
});
