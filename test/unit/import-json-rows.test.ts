import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostResult } from '../../app/contract/index.js';
import {
  importJsonRows,
  looksLikeJson,
  type JsonImportOptions,
} from '../../app/api/import-json-rows.js';
import { REPORT_JSON_VERSION } from '../../app/report/json.js';
import { AppFailure } from '../../app/errors.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { openDatabase } from '../../app/store/database.js';
import { ScanStore } from '../../app/store/scans.js';

// Issue 13, A15: a JSON report takes the import road — its hosts written as rows of a scan of its
// own, one at a time, its verdicts worked out again here a batch at a time, never the file's.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), `pa-json-rows-${process.pid}-`));
  dirs.push(dir);
  return dir;
}

function host(address: string, extra: Partial<HostResult> = {}): HostResult {
  return {
    address,
    family: address.includes(':') ? 'ipv6' : 'ipv4',
    isLocal: false,
    status: 'up',
    reason: 'syn-ack',
    ports: [{ port: 23, protocol: 'tcp', state: 'open', reason: 'syn-ack' }],
    hidden: { open: 0, closed: 1023, filtered: 0 },
    ...extra,
  } as HostResult;
}

/** A JSON report of another PC's scan (docs/report-json.md), its file's claims hostile. */
function foreignReport(hosts: HostResult[], version = 3): string {
  return JSON.stringify({
    format: 'port-auditor-report',
    version,
    pcName: 'PC-DU-DIRECTEUR',
    assessment: { hosts: [{ address: '10.0.0.2', ports: [{ severity: 'info' }] }] },
    scan: {
      scanId: '8f14e45f-ceea-467f-a8f5-6f4a3c1b2d90',
      request: { targets: '10.0.0.0/24', ports: '1-1024', confirmed: true },
      addresses: 256,
      portCount: 1024,
      notes: [],
      startedAt: '2026-11-30T12:00:00.000Z',
      finishedAt: '2026-11-30T12:01:00.000Z',
      cancelled: false,
      hosts,
    },
    macAddresses: { '10.0.0.2': '02:00:00:00:00:02', '10.9.9.9': '02:00:00:00:00:09' },
  });
}

const assess = (hosts: readonly HostResult[]) =>
  Promise.resolve(assessHosts(hosts, [], knowledgeBase(), true, []));

/** A real store in `dir`/data. */
const storeIn = (dir: string) => new ScanStore(openDatabase(path.join(dir, 'data')));

/**
 * Begins the import scan `scanId` in `scans` and imports `file` into it as read on this PC
 * ("ce-pc", no address of its own, the file known by its name) unless `options` says otherwise.
 */
function importInto(
  scans: ScanStore,
  scanId: string,
  file: string,
  options: Partial<JsonImportOptions> = {},
  onProgress?: (read: number) => void,
) {
  scans.begin(scanId, 'nmap-import');
  return importJsonRows(
    scans,
    scanId,
    file,
    { localAddresses: new Set(), thisPcName: 'ce-pc', fileName: path.basename(file), ...options },
    assess,
    '[]',
    onProgress,
  );
}

describe('a JSON report imported into the store (importJsonRows, real SQLite)', () => {
  it('writes each host as a row, worked out here: the file’s PC named, never this one', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'report.json');
    writeFileSync(
      file,
      foreignReport([
        // The file's own loopback, which it says is its PC: not this PC.
        host('127.0.0.1', { isLocal: true, reason: 'localhost' }),
        host('10.0.0.2'),
        host('local-network'),
      ]),
    );
    const scans = storeIn(dir);
    const progress: number[] = [];
    const rows = await importInto(
      scans,
      '11111111-2222-4333-8444-555555555555',
      file,
      { localAddresses: new Set(['10.0.0.7']) },
      (read) => progress.push(read),
    );
    expect(rows.kind).toBe('json-report');
    expect(rows.imported.scan.source).toEqual({
      kind: 'json-report',
      fileName: 'report.json',
      pcName: 'PC-DU-DIRECTEUR',
      madeHere: false,
    });
    // Nobody confirmed anything on this PC; the host without an IP address is left out, said.
    expect(rows.imported.scan.request.confirmed).toBe(false);
    expect(rows.imported.scan.notes.map((n) => n.en).join(' ')).toContain(
      '1 host without a valid IP address ignored',
    );
    expect(rows.imported.hostCount).toBe(2);
    expect(rows.imported.macAddresses).toEqual({ '10.0.0.2': '02:00:00:00:00:02' });
    const written = scans.rows('11111111-2222-4333-8444-555555555555', -1, 10);
    expect(written).not.toBe('unreadable');
    const hosts = (written as { host: HostResult }[]).map((r) => r.host);
    expect(hosts.map((h) => [h.address, h.isLocal, h.reason])).toEqual([
      ['127.0.0.1', false, 'reporter'],
      ['10.0.0.2', false, 'syn-ack'],
    ]);
    // Verdicts of this PC's knowledge base: telnet is critical, whatever the file said.
    expect(rows.summary?.counts.critical).toBe(2);
    expect(progress.at(-1)).toBe(progress.reduce((a, b) => Math.max(a, b), 0));
  });

  it('leaves out a reason that contradicts its state, as an nmap XML import does (review 13 hostile F7)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'contradicts.json');
    writeFileSync(
      file,
      foreignReport([
        host('10.0.0.2', {
          ports: [
            // "closed (accepted the connection)": the state is kept, the reason is not.
            {
              port: 22,
              protocol: 'tcp',
              state: 'closed',
              reason: 'syn-ack',
              nmapReason: { reason: 'syn-ack', ttl: 64 },
            },
            // nmap's word alone contradicting the state is as wrong.
            {
              port: 25,
              protocol: 'tcp',
              state: 'open',
              reason: 'syn-ack',
              nmapReason: { reason: 'reset', ttl: 64 },
            },
            // A UDP port open with port unreachable is none of nmap's.
            { port: 161, protocol: 'udp', state: 'open', reason: 'port-unreach' },
            // TCP's word on a UDP port that agrees with its state is nmap's UDP word, not counted.
            {
              port: 53,
              protocol: 'udp',
              state: 'open',
              reason: 'syn-ack',
              nmapReason: { reason: 'syn-ack', ttl: 64 },
            },
            // Pairs nmap writes are kept as they are.
            { port: 23, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
            { port: 80, protocol: 'tcp', state: 'closed', reason: 'conn-refused' },
            { port: 137, protocol: 'udp', state: 'closed', reason: 'port-unreach' },
            { port: 443, protocol: 'tcp', state: 'filtered', reason: 'host-unreachable' },
          ],
        }),
      ]),
    );
    const scans = storeIn(dir);
    const scanId = '11111111-2222-4333-8444-555555555557';
    const rows = await importInto(scans, scanId, file);
    const written = scans.rows(scanId, -1, 10);
    expect(written).not.toBe('unreadable');
    const [row] = written as { host: HostResult }[];
    const ports = Object.fromEntries(
      row!.host.ports.map((p) => [`${p.port}/${p.protocol}`, [p.state, p.reason, p.nmapReason]]),
    );
    expect(ports).toEqual({
      '22/tcp': ['closed', undefined, undefined],
      '25/tcp': ['open', undefined, undefined],
      '161/udp': ['open', undefined, undefined],
      '53/udp': ['open', 'udp-response', undefined],
      '23/tcp': ['open', 'syn-ack', undefined],
      '80/tcp': ['closed', 'conn-refused', undefined],
      '137/udp': ['closed', 'port-unreach', undefined],
      '443/tcp': ['filtered', 'host-unreachable', undefined],
    });
    const notes = rows.imported.scan.notes;
    expect(notes.map((n) => n.en)).toContain(
      'File: 3 ports had a reason that contradicts their state (such as closed with “syn-ack”); the reason was left out',
    );
    expect(notes.map((n) => n.fr)).toContain(
      'Fichier\u00a0: 3 ports avaient une raison qui contredit leur état (par exemple fermé avec «\u00a0syn-ack\u00a0»)\u202f; elles ont été écartées',
    );
  });

  it('reads a report of the previous version (3) as one of this version (4)', async () => {
    expect(REPORT_JSON_VERSION).toBe(4);
    const dir = tempDir();
    const scans = storeIn(dir);
    const readBack = async (version: number, scanId: string) => {
      const file = path.join(dir, `v${version}.json`);
      // Version 3 had no `reason: null` nor nmapReason: a port without a reason, and one with.
      const ports: HostResult['ports'] = [
        { port: 23, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
        { port: 25, protocol: 'tcp', state: 'filtered' },
      ];
      writeFileSync(file, foreignReport([host('10.0.0.2', { ports })], version));
      const rows = await importInto(scans, scanId, file, { fileName: 'report.json' });
      const written = scans.rows(scanId, -1, 10) as { host: HostResult }[];
      return { hosts: written.map((r) => r.host), counts: rows.summary?.counts };
    };
    const previous = await readBack(3, '11111111-2222-4333-8444-555555555558');
    const current = await readBack(REPORT_JSON_VERSION, '11111111-2222-4333-8444-555555555559');
    expect(previous.hosts.map((h) => h.ports)).toEqual([
      [
        { port: 23, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
        { port: 25, protocol: 'tcp', state: 'filtered' },
      ],
    ]);
    expect(current).toEqual(previous);
    expect(previous.counts?.critical).toBe(1);
  });

  it('refuses a file cut short before writing a row, in the words of a JSON report', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'cut.json');
    const whole = foreignReport([host('10.0.0.2'), host('10.0.0.3')]);
    writeFileSync(file, whole.slice(0, whole.indexOf('10.0.0.3')));
    const scans = storeIn(dir);
    const scanId = '11111111-2222-4333-8444-555555555556';
    const error = await importInto(scans, scanId, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppFailure);
    expect((error as AppFailure).code).toBe('report.json-invalid');
    expect((error as AppFailure).appError.message.fr).toBe(
      '«\u00a0cut.json\u00a0» n’est ni du JSON ni du XML nmap. Donnez le fichier écrit par «\u00a0port-auditor scan … --json\u00a0», un rapport JSON de Port Auditor, ou un XML de nmap (nmap -oX).',
    );
    // The first reading failed: no row of it was written.
    expect(scans.rows(scanId, -1, 10)).toEqual([]);
  });

  it.each([
    ['another host in place of the one the first reading judged', '10.0.0.2', '10.0.0.3'],
    ['bytes that are no longer JSON', '"hosts":[', '"hosts":{'],
  ])(
    'refuses a file rewritten in place between its two readings (%s), its rows unwritten (review F5)',
    async (_what, from, to) => {
      const dir = tempDir();
      const file = path.join(dir, 'rewritten.json');
      // 4 MiB exactly (white space after the document, RFC 8259 §2): read in 1 MiB pieces, the
      // first reading ends as progress says half the size, before the second reads a byte.
      const size = 4 * 1024 * 1024;
      const text = foreignReport([host('10.0.0.2')]);
      const padded = (t: string) => t + ' '.repeat(size - Buffer.byteLength(t));
      writeFileSync(file, padded(text));
      const scans = new ScanStore(openDatabase(path.join(dir, 'data')));
      const scanId = '11111111-2222-4333-8444-55555555555a';
      scans.begin(scanId, 'nmap-import');
      const between: number[] = [];
      const error = await importJsonRows(
        scans,
        scanId,
        file,
        { localAddresses: new Set(), thisPcName: 'ce-pc', fileName: 'rewritten.json' },
        assess,
        '[]',
        (read) => {
          if (read !== size / 2) return;
          between.push(read);
          // Same size, written in place: the same inode the import holds open.
          writeFileSync(file, padded(text.replace(from, to)), { flag: 'r+' });
        },
      ).catch((e: unknown) => e);
      expect(between).toEqual([size / 2]);
      expect(error).toBeInstanceOf(AppFailure);
      expect((error as AppFailure).code).toBe('report.import-read');
      expect((error as AppFailure).appError.message.en).toBe(
        `Cannot read “${file}” (changed while read). Check that it is a file you can read, then choose it again.`,
      );
      // Nothing of the second reading was written; the caller drops the begun scan.
      expect(scans.rows(scanId, -1, 10)).toEqual([]);
    },
  );

  it('takes a document as JSON by its first byte, white space and byte order mark aside', () => {
    expect(looksLikeJson(Buffer.from(' \n\t{"a":1}'))).toBe(true);
    expect(looksLikeJson(Buffer.from('\ufeff[1]'))).toBe(true);
    expect(looksLikeJson(Buffer.from('<?xml version="1.0"?>'))).toBe(false);
    expect(looksLikeJson(Buffer.from('hello'))).toBe(false);
    expect(looksLikeJson(Buffer.alloc(0))).toBe(false);
  });
});
