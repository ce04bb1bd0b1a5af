import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../app/contract/index.js';
import { hostnameMethodLabel } from '../../app/contract/vocabulary.js';
import { renderNmapXml } from '../../app/report/nmap-xml-export.js';
import {
  decodeNodeStatusResponse,
  encodeNodeStatusRequest,
  workstationName,
} from '../../app/scan/netbios.js';

// Bytes written here from RFC 1002 §4.2.1.1 (header), §4.2.17 (NODE STATUS REQUEST) and
// §4.2.18 (NODE STATUS RESPONSE), and RFC 1001 §14.1 (first-level encoding), not from a capture.

/** `*` + 15 NULs, first-level encoded: '*' = 0x2A → 'C','K'; each 0x00 → 'A','A'. */
const WILDCARD = 'CK' + 'A'.repeat(30);

/** One NODE_NAME entry: 15-byte name padded with spaces, suffix, NAME_FLAGS. */
function entry(name: string, suffix: number, flags: number): Buffer {
  const out = Buffer.alloc(18, 0x20);
  out.write(name, 0, 'latin1');
  out[15] = suffix;
  out.writeUInt16BE(flags, 16);
  return out;
}

const ACT = 0x0400;
const GROUP = 0x8000;

/** A positive NODE STATUS RESPONSE with these entries and UNIT_ID, 46 bytes of statistics. */
function response(id: number, entries: Buffer[], unitId: number[], rrName?: Buffer): Buffer {
  const header = Buffer.from([id >> 8, id & 0xff, 0x84, 0x00, 0, 0, 0, 1, 0, 0, 0, 0]);
  const name =
    rrName ?? Buffer.concat([Buffer.from([0x20]), Buffer.from(WILDCARD), Buffer.from([0])]);
  const statistics = Buffer.alloc(46);
  Buffer.from(unitId).copy(statistics, 0);
  const rdata = Buffer.concat([Buffer.from([entries.length]), ...entries, statistics]);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(0x21, 0); // NBSTAT
  fixed.writeUInt16BE(0x01, 2); // IN
  fixed.writeUInt32BE(0, 4); // TTL 0 (§4.2.18)
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([header, name, fixed, rdata]);
}

describe('NetBIOS node status request (RFC 1002 §4.2.17)', () => {
  it('asks `*` for type NBSTAT, class IN, with no flags, in 50 bytes', () => {
    const request = encodeNodeStatusRequest(0xbeef);
    const expected = Buffer.concat([
      Buffer.from([0xbe, 0xef, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
      Buffer.from([0x20]),
      Buffer.from(WILDCARD, 'ascii'),
      Buffer.from([0x00, 0x00, 0x21, 0x00, 0x01]),
    ]);
    expect(request.toString('hex')).toBe(expected.toString('hex'));
    expect(request).toHaveLength(50);
  });
});

describe('NetBIOS node status response (RFC 1002 §4.2.18)', () => {
  const table = [
    entry('LABPC', 0x00, ACT),
    entry('LABPC', 0x03, ACT),
    entry('LABPC', 0x20, ACT),
    entry('WORKGROUP', 0x00, ACT | GROUP),
    entry('WORKGROUP', 0x1e, ACT | GROUP),
  ];

  it('reads every name with its suffix and group bit, and the unit id', () => {
    const status = decodeNodeStatusResponse(
      response(0x1234, table, [0x00, 0x15, 0x5d, 0x01, 0x02, 0x03]),
    );
    expect(status).toEqual({
      transactionId: 0x1234,
      names: [
        { name: 'LABPC', suffix: 0x00, group: false, active: true },
        { name: 'LABPC', suffix: 0x03, group: false, active: true },
        { name: 'LABPC', suffix: 0x20, group: false, active: true },
        { name: 'WORKGROUP', suffix: 0x00, group: true, active: true },
        { name: 'WORKGROUP', suffix: 0x1e, group: true, active: true },
      ],
      unitId: '00:15:5d:01:02:03',
    });
    expect(workstationName(status!)).toBe('LABPC');
  });

  it('takes the unique <00> name, never the workgroup, even when the group comes first', () => {
    const status = decodeNodeStatusResponse(
      response(
        1,
        [entry('WORKGROUP', 0x00, ACT | GROUP), entry('NAS', 0x20, ACT), entry('NAS', 0x00, ACT)],
        [0, 0, 0, 0, 0, 0],
      ),
    );
    expect(workstationName(status!)).toBe('NAS');
    // Samba answers with a zero UNIT_ID: no MAC address is invented.
    expect(status!.unitId).toBeUndefined();
    const groupsOnly = decodeNodeStatusResponse(
      response(1, [entry('WORKGROUP', 0x00, ACT | GROUP)], [0, 0, 0, 0, 0, 0]),
    );
    expect(workstationName(groupsOnly!)).toBeNull();
  });

  it('reads an answer whose RR_NAME is a compression pointer', () => {
    const status = decodeNodeStatusResponse(
      response(7, [entry('PRINTER', 0x00, ACT)], [1, 2, 3, 4, 5, 6], Buffer.from([0xc0, 0x0c])),
    );
    expect(workstationName(status!)).toBe('PRINTER');
  });

  it('refuses a request, a negative answer, another type and a table cut short', () => {
    const good = response(9, table, [1, 2, 3, 4, 5, 6]);
    expect(decodeNodeStatusResponse(encodeNodeStatusRequest(9))).toBeNull();
    const negative = Buffer.from(good);
    negative[3] = 0x03; // RCODE NAM_ERR
    expect(decodeNodeStatusResponse(negative)).toBeNull();
    const otherType = Buffer.from(good);
    otherType.writeUInt16BE(0x20, 12 + 34); // NB, not NBSTAT
    expect(decodeNodeStatusResponse(otherType)).toBeNull();
    // NUM_NAMES says 5 entries; only two are there.
    expect(decodeNodeStatusResponse(good.subarray(0, 12 + 34 + 10 + 1 + 36))).toBeNull();
    expect(decodeNodeStatusResponse(Buffer.alloc(5))).toBeNull();
  });
});

describe('a NetBIOS name in the outputs', () => {
  it('is labelled in both languages', () => {
    expect(hostnameMethodLabel('netbios', 'fr')).toBe('nom NetBIOS');
    expect(hostnameMethodLabel('netbios', 'en')).toBe('NetBIOS name');
  });

  it('is never written into nmap XML as a PTR name', () => {
    const scan: ScanResult = {
      scanId: 'nb',
      request: { targets: '10.78.0.2', ports: '445', skipDiscovery: false, confirmed: false },
      addresses: 1,
      portCount: 1,
      notes: [],
      startedAt: '2026-12-01T10:00:00.000Z',
      finishedAt: '2026-12-01T10:00:01.000Z',
      cancelled: false,
      hosts: [
        {
          address: '10.78.0.2',
          family: 'ipv4',
          hostname: 'LABPC',
          hostnameMethod: 'netbios',
          isLocal: false,
          status: 'up',
          reason: 'syn-ack',
          ports: [{ port: 445, protocol: 'tcp', state: 'open', reason: 'syn-ack' }],
          hidden: { open: 0, closed: 0, filtered: 0 },
        },
      ],
    };
    const xml = renderNmapXml(scan);
    expect(xml).not.toContain('LABPC');
    expect(xml).toContain('<hostnames>\n</hostnames>');
  });
});
