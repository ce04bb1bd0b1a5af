import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../app/contract/index.js';
import { localAddresses } from '../../app/api/report-handlers.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { renderNmapXml } from '../../app/report/nmap-xml-export.js';
import { scanLab, startReportLab, type ReportLab } from './report-lab.js';

const run = promisify(execFile);

/** Imported as the app imports: knowing this PC's addresses, which decide what is this PC. */
const asTheAppDoes = () => ({ localAddresses: localAddresses() });

let lab: ReportLab;
let scan: ScanResult;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pa-report-nmap-'));
  lab = await startReportLab();
  scan = await scanLab(lab.address, lab.portSpec);
});

afterAll(async () => {
  await lab?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function states(result: ScanResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const host of result.hosts) {
    out[host.address] = host.status;
    for (const p of host.ports) out[`${host.address} ${p.port}/${p.protocol}`] = p.state;
  }
  return out;
}

describe('nmap XML of a real lab scan', () => {
  it('is valid against nmap’s DTD and nmap.xsl turns it into its HTML report', async () => {
    const file = path.join(tmp, 'ours.xml');
    await writeFile(file, renderNmapXml(scan, { [lab.address]: '00:1b:a9:01:02:03' }));
    await run('xmllint', ['--noout', '--dtdvalid', '/usr/share/nmap/nmap.dtd', file]);
    const { stdout: html } = await run('xsltproc', ['/usr/share/nmap/nmap.xsl', file]);
    expect(html).toContain(lab.address);
    expect(html).toContain(String(lab.ports.ssh));
    expect(html).toContain('open');
    expect(html).toContain('Brother');
  });

  it('imports back to the identical scan result', () => {
    const back = importNmapXml(renderNmapXml(scan), asTheAppDoes());
    // All but where it came from: a file never says it is this app's engine run (review F4).
    expect(back.scan.source?.kind).toBe('nmap');
    expect(withoutSource(back.scan)).toEqual(withoutSource(scan));
    expect(back.macAddresses).toEqual({});
  });

  it('carries the MAC address the scan read from the neighbour table there and back', () => {
    // Loopback has no link layer: give the lab host the MAC a LAN device would have.
    const withMac = structuredClone(scan);
    const host = withMac.hosts.find((h) => h.address === lab.address)!;
    host.mac = '00:1b:a9:01:02:03';
    const xml = renderNmapXml(withMac);
    expect(xml).toMatch(
      /<address addr="00:1B:A9:01:02:03" addrtype="mac" vendor="Brother[^"]*"\/>/,
    );
    const back = importNmapXml(xml, asTheAppDoes());
    expect(withoutSource(back.scan)).toEqual(withoutSource(withMac));
    expect(back.macAddresses).toEqual({ [lab.address]: '00:1B:A9:01:02:03' });
  });

  it('reads what `nmap -sT -oX` writes for the same targets: same states as our scan', async () => {
    const { stdout: xml } = await run('nmap', [
      '-sT',
      '-Pn',
      '-n',
      '-p',
      lab.portSpec,
      '-oX',
      '-',
      lab.address,
    ]);
    const imported = importNmapXml(xml, asTheAppDoes()).scan;
    expect(states(imported)).toEqual(states(scan));
    const host = imported.hosts[0]!;
    expect(host.isLocal).toBe(true);
    expect(imported.request.targets).toBe(lab.address);
    expect(imported.portCount).toBe(5);
    expect(imported.request.skipDiscovery).toBe(true);
    // The fixture kept in test/fixtures/nmap/ for the unit tests came from this very command.
  });
});

/** A scan result but for its `source`. */
function withoutSource<T extends { source?: unknown }>(scan: T): Omit<T, 'source'> {
  const { source: _source, ...rest } = scan;
  void _source;
  return rest;
}
