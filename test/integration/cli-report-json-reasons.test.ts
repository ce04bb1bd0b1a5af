import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli, type CliRun } from '../lab/built-cli.js';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';

// Review 13 hostile F7: a JSON report whose ports carry a reason nmap never writes for their
// state (22/tcp closed with syn-ack, a UDP port open with port-unreach) is read with the nmap XML
// importer's rule: the state kept, the reason left out and counted in a note. Its CSV and PDF
// never say "closed (accepted the connection)".
const outdir = path.resolve('dist', `test-cli-json-reasons-${process.pid}`, 'main');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pa-cli-json-reasons-'));

function run(language: 'fr' | 'en', ...args: string[]): Promise<CliRun> {
  return runBuiltCli(outdir, dataDir, args, language);
}

/** A JSON report of another PC (docs/report-json.md) with contradictory state/reason pairs. */
function writeReport(file: string): void {
  const host = {
    // 198.18.0.0/15 (RFC 2544, benchmarking): nobody's network, never scanned here.
    address: '198.18.0.2',
    family: 'ipv4',
    isLocal: true,
    status: 'up',
    reason: 'syn-ack',
    ports: [
      {
        port: 22,
        protocol: 'tcp',
        state: 'closed',
        reason: 'syn-ack',
        nmapReason: { reason: 'syn-ack', ttl: 64 },
      },
      { port: 161, protocol: 'udp', state: 'open', reason: 'port-unreach' },
      { port: 23, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
    ],
    hidden: { open: 0, closed: 0, filtered: 0 },
  };
  writeFileSync(
    file,
    JSON.stringify({
      format: 'port-auditor-report',
      version: 3,
      pcName: 'other-pc',
      scan: {
        scanId: '8f14e45f-ceea-467f-a8f5-6f4a3c1b2d91',
        request: {
          targets: '198.18.0.2',
          ports: '22-23,161',
          skipDiscovery: false,
          confirmed: true,
        },
        addresses: 1,
        portCount: 3,
        notes: [],
        startedAt: '2026-11-30T12:00:00.000Z',
        finishedAt: '2026-11-30T12:01:00.000Z',
        cancelled: false,
        hosts: [host],
      },
    }),
  );
}

describe('port-auditor report FILE.json with contradictory reasons (review 13 hostile F7)', () => {
  beforeAll(async () => {
    await buildMain({ only: CLI_BUNDLES, outdir });
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(path.dirname(outdir), { recursive: true, force: true });
  });

  it('keeps the states, leaves the reasons out of the CSV and PDF, and says so', async () => {
    const file = path.join(dataDir, 'contradicts.json');
    writeReport(file);

    const csv = path.join(dataDir, 'out.csv');
    expect((await run('en', 'report', file, '-o', csv)).code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split(/\r?\n/);
    const header = (lines[0] ?? '').split(',');
    const column = (name: string) => header.indexOf(name);
    expect(column('reason')).toBeGreaterThan(-1);
    const rows = lines.slice(1).map((line) => line.split(','));
    const byPort = Object.fromEntries(
      rows.map((r) => [
        `${r[column('port')]}/${r[column('protocol')]}`,
        [r[column('state')], r[column('reason')]],
      ]),
    );
    expect(byPort['23/tcp']).toEqual(['open', 'syn-ack']);
    expect(byPort['161/udp']).toEqual(['open', '']);
    expect(byPort['22/tcp']).toEqual(['closed', '']);
    expect(readFileSync(csv, 'utf8')).not.toMatch(/closed,syn-ack|port-unreach/);

    const pdf = path.join(dataDir, 'out.pdf');
    expect((await run('en', 'report', file, '-o', pdf)).code).toBe(0);
    const text = execFileSync('/usr/bin/pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-'], {
      encoding: 'utf8',
    }).replace(/\s+/g, ' ');
    expect(text).toContain('22/tcp closed');
    expect(text).not.toMatch(/22\/tcp closed \(accepted the connection\)/);
    expect(text).toContain(
      'File: 2 ports had a reason that contradicts their state (such as closed with “syn-ack”); the reason was left out',
    );
  });
});
