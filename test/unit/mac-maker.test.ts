import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../app/contract/index.js';
import { isLocallyAdministeredMac, macMakerOf } from '../../app/contract/devices.js';
import { macMakerText } from '../../app/contract/vocabulary.js';
import { macMaker, macVendor, withMacVendor } from '../../app/report/mac-vendor.js';
import { buildReportModel } from '../../app/report/model.js';
import { renderCsv } from '../../app/report/csv.js';
import { renderJson } from '../../app/report/json.js';
import { pdfDefinition } from '../../app/report/pdf.js';
import { formatScanResult } from '../../main/cli/format.js';
import { serviceName } from '../../app/risk/knowledge-base.js';

/** Raspberry Pi Foundation's OUI (IEEE MA-L B8-27-EB), and the same bytes with the U/L bit set. */
const PI = 'b8:27:eb:01:02:03';
const RANDOMISED = 'ba:27:eb:01:02:03';
/** An OUI no one registered (checked against oui-data below). */
const UNREGISTERED = 'fc:ff:fc:00:00:01';

function scanWith(...macs: string[]): ScanResult {
  return {
    scanId: 'mac',
    request: { targets: '10.99.0.0/24', ports: '22', skipDiscovery: false, confirmed: false },
    addresses: macs.length,
    portCount: 1,
    notes: [],
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:00:01.000Z',
    cancelled: false,
    hosts: macs.map((mac, i) => ({
      address: `10.99.0.${i + 2}`,
      family: 'ipv4' as const,
      isLocal: false,
      mac,
      status: 'up' as const,
      reason: 'neighbour' as const,
      ports: [
        { port: 22, protocol: 'tcp' as const, state: 'open' as const, reason: 'syn-ack' as const },
      ],
      hidden: { open: 0, closed: 0, filtered: 0 },
    })),
  };
}

describe('the U/L bit (IEEE 802-2014 §8.2.2)', () => {
  it('is bit 0x02 of the first octet, read in every form a MAC is written', () => {
    expect(isLocallyAdministeredMac(PI)).toBe(false);
    expect(isLocallyAdministeredMac(RANDOMISED)).toBe(true);
    expect(isLocallyAdministeredMac('DA-A1-19-00-00-01')).toBe(true); // Android's random form
    expect(isLocallyAdministeredMac('a:b:c:d:e:f')).toBe(true); // macOS: 0x0a has the bit
    expect(isLocallyAdministeredMac('8:0:27:1:2:3')).toBe(false); // VirtualBox, registered
    expect(isLocallyAdministeredMac('021b.a901.0203')).toBe(true);
    expect(isLocallyAdministeredMac('001BA9010203')).toBe(false);
    // The multicast bit (0x01) is not the U/L bit.
    expect(isLocallyAdministeredMac('01:00:5e:00:00:01')).toBe(false);
    expect(isLocallyAdministeredMac('not a mac')).toBe(false);
  });
});

describe('the one OUI lookup', () => {
  it('names the registered maker, says private for a randomised address, unknown otherwise', () => {
    expect(macMaker(PI)).toEqual({ kind: 'vendor', name: 'Raspberry Pi Foundation' });
    expect(macMaker('B8-27-EB-01-02-03')).toEqual(macMaker(PI));
    // Same OUI bytes, U/L bit set: software chose it, no maker is claimed.
    expect(macMaker(RANDOMISED)).toEqual({ kind: 'private' });
    expect(macMaker(UNREGISTERED)).toEqual({ kind: 'unknown' });
    expect(macMaker('zz')).toBeNull();
    expect(macVendor(PI)).toBe('Raspberry Pi Foundation');
    expect(macVendor(RANDOMISED)).toBeNull();
  });

  it('gives the page the maker with the MAC, and drops a maker that is not the lookup’s', () => {
    expect(withMacVendor({ address: 'x', mac: PI })).toEqual({
      address: 'x',
      mac: PI,
      macVendor: 'Raspberry Pi Foundation',
    });
    expect(withMacVendor({ address: 'x', mac: RANDOMISED, macVendor: 'Forged' })).toEqual({
      address: 'x',
      mac: RANDOMISED,
    });
    const none: { address: string; mac?: string } = { address: 'x' };
    expect(withMacVendor(none)).toBe(none);
  });

  it('is read back on the page side from what the app sent', () => {
    expect(macMakerOf({ mac: PI, macVendor: 'Raspberry Pi Foundation' })).toEqual({
      kind: 'vendor',
      name: 'Raspberry Pi Foundation',
    });
    expect(macMakerOf({ mac: RANDOMISED })).toEqual({ kind: 'private' });
    expect(macMakerOf({ mac: UNREGISTERED })).toEqual({ kind: 'unknown' });
    expect(macMakerOf({})).toBeNull();
  });
});

describe('the maker in words, the same in every output', () => {
  it('labels a private address as such in French and English, never as an unknown maker', () => {
    expect(macMakerText({ kind: 'private' }, 'fr')).toBe('adresse MAC privée (aléatoire)');
    expect(macMakerText({ kind: 'private' }, 'en')).toBe('private (randomised) MAC address');
    expect(macMakerText({ kind: 'unknown' }, 'fr')).toBe('fabricant inconnu');
    expect(macMakerText({ kind: 'unknown' }, 'en')).toBe('unknown maker');
    expect(macMakerText({ kind: 'vendor', name: 'Raspberry Pi Foundation' }, 'fr')).toBe(
      'Raspberry Pi Foundation',
    );
  });

  it('puts MAC and maker in the CLI, the CSV, the JSON and the PDF', () => {
    const scan = scanWith(PI, RANDOMISED);
    const en = formatScanResult(scan, 'en', serviceName);
    expect(en).toContain('  MAC address: B8:27:EB:01:02:03 · Raspberry Pi Foundation\n');
    expect(en).toContain('  MAC address: BA:27:EB:01:02:03 · private (randomised) MAC address\n');
    const fr = formatScanResult(scan, 'fr', serviceName);
    expect(fr).toContain(
      '  Adresse MAC\u00a0: BA:27:EB:01:02:03 · adresse MAC privée (aléatoire)\n',
    );

    const model = buildReportModel({ scan, pcName: 'PC' });
    const rows = renderCsv(model, 'fr').split('\r\n');
    expect(rows[1]).toMatch(/^10\.99\.0\.2,,false,B8:27:EB:01:02:03,Raspberry Pi Foundation,up,/);
    expect(rows[2]).toMatch(
      /^10\.99\.0\.3,,false,BA:27:EB:01:02:03,adresse MAC privée \(aléatoire\),up,/,
    );

    const doc = JSON.parse(renderJson(model, { scan, pcName: 'PC' }, 'en'));
    expect(
      doc.findings.map((f: { macVendor: unknown; macMaker: unknown }) => [f.macVendor, f.macMaker]),
    ).toEqual([
      ['Raspberry Pi Foundation', 'vendor'],
      [null, 'private'],
    ]);

    const pdf = JSON.stringify(pdfDefinition(model, 'en'));
    expect(pdf).toContain('MAC B8:27:EB:01:02:03 — Raspberry Pi Foundation');
    expect(pdf).toContain('MAC BA:27:EB:01:02:03 — private (randomised) MAC address');
  });
});
