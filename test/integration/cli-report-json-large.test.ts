import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli, type CliRun } from '../lab/built-cli.js';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';

// Issue 13 review A15/A16: `port-auditor report FILE.json` of a large JSON report, read one host
// at a time (app/report/json-report-reader.ts), gives every host back, assessed again here; one
// over the host limit is refused in the words of other over-limit imports, not with a method name
// and the validator's English.
const outdir = path.resolve('dist', `test-cli-json-large-${process.pid}`, 'main');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pa-cli-json-large-'));

function run(language: 'fr' | 'en', ...args: string[]): Promise<CliRun> {
  return runBuiltCli(outdir, dataDir, args, language);
}

/**
 * Address of host `i` of the report read: in 198.18.0.0/15 (RFC 2544, benchmarking), nobody's
 * network and never scanned here; each its own device (loopback ones would fold into the file's
 * PC). The refused file's are loopback (`loopbackOf`).
 */
const addressOf = (i: number) => `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
const loopbackOf = (i: number) => `127.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
const macOf = (i: number) =>
  `02:00:00:${[i >> 16, i >> 8, i].map((b) => (b & 255).toString(16).padStart(2, '0')).join(':')}`;

/**
 * A JSON report as the export writes it (docs/report-json.md) with `count` hosts, each with
 * SSH and Telnet open, and the file's own verdicts and findings (which the reader walks through).
 */
function writeReport(file: string, count: number, address = addressOf): void {
  const fd = openSync(file, 'w');
  writeSync(
    fd,
    `{"format":"port-auditor-report","version":3,"language":"en","pcName":"other-pc",` +
      `"summary":{"hostsUp":${count}},"findings":[{"address":"${address(0)}","reasons":["all fine ]}"]}],` +
      `"scan":{"scanId":"8f14e45f-ceea-467f-a8f5-6f4a3c1b2d90","request":{"targets":"198.18.0.0/15","ports":"22-23","skipDiscovery":false,"confirmed":true},` +
      `"addresses":${count},"portCount":2,"notes":[],"startedAt":"2026-11-30T12:00:00.000Z",` +
      `"finishedAt":"2026-11-30T12:01:00.000Z","cancelled":false,"hosts":[\n`,
  );
  for (let i = 0; i < count; i++) {
    const host = {
      address: address(i),
      family: 'ipv4',
      isLocal: true,
      mac: macOf(i),
      status: 'up',
      reason: 'syn-ack',
      ports: [22, 23].map((port) => ({ port, protocol: 'tcp', state: 'open', reason: 'syn-ack' })),
      hidden: { open: 0, closed: 0, filtered: 0 },
    };
    writeSync(fd, `${i ? ',\n' : ''}${JSON.stringify(host)}`);
  }
  const macs = Array.from({ length: count }, (_, i) => `"${address(i)}":"${macOf(i)}"`);
  writeSync(
    fd,
    `]},"assessment":{"hosts":[{"address":"${address(0)}","ports":[]}]},"firewallRules":null,` +
      `"macAddresses":{${macs.join(',')}}}\n`,
  );
  closeSync(fd);
}

const large = path.join(dataDir, 'large.json');
const tooMany = path.join(dataDir, 'too-many.json');

beforeAll(async () => {
  await buildMain({ only: CLI_BUNDLES, outdir });
  writeReport(large, 3000);
  writeReport(tooMany, 65_537, loopbackOf);
}, 120_000);

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(path.dirname(outdir), { recursive: true, force: true });
});

describe('a large JSON report given to `report`', () => {
  it('gives back every host, assessed again here, the file’s claims dropped', async () => {
    const output = path.join(dataDir, 'out.json');
    const result = await run('en', 'report', large, '-o', output);
    expect(result.stderr).toContain('Report written');
    expect(result.code).toBe(0);
    const written = JSON.parse(readFileSync(output, 'utf8')) as {
      scan: { hosts: { address: string; isLocal: boolean; ports: { port: number }[] }[] };
      findings: { address: string; port: number; severity: string | null; reasons: string[] }[];
      macAddresses: Record<string, string>;
    };
    expect(written.scan.hosts.map((h) => h.address)).toEqual(
      Array.from({ length: 3000 }, (_, i) => addressOf(i)),
    );
    // Not this PC's: a file's `isLocal` is never believed.
    expect(written.scan.hosts.every((h) => !h.isLocal)).toBe(true);
    expect(Object.keys(written.macAddresses)).toHaveLength(3000);
    expect(written.macAddresses[addressOf(2999)]).toBe(macOf(2999));
    // Assessed again by this PC's knowledge base: Telnet is a finding of every host, never the
    // file's "all fine".
    const telnet = written.findings.filter((f) => f.port === 23);
    expect(telnet).toHaveLength(3000);
    expect(telnet.every((f) => f.severity === 'critical' || f.severity === 'high')).toBe(true);
    expect(written.findings.some((f) => f.reasons.includes('all fine ]}'))).toBe(false);
  });

  it.each([
    [
      'fr',
      `Fichier refusé\u00a0: ${new Intl.NumberFormat('fr').format(65_537)} hôtes, la limite est ${new Intl.NumberFormat('fr').format(65_536)}.`,
    ],
    ['en', 'File refused: 65,537 hosts, the limit is 65,536.'],
  ] as const)(
    'refuses one over the host limit in %s, naming the limit',
    async (language, sentence) => {
      const result = await run(language, 'report', tooMany, '-o', path.join(dataDir, 'x.csv'));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(sentence);
      expect(result.stderr).not.toMatch(/risk\.assess|Array must|Too big|too_big/i);
    },
  );
});
