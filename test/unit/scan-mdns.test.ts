import { describe, expect, it } from 'vitest';
import { hostnameMethodLabel } from '../../app/contract/vocabulary.js';
import { decodePtrAnswer, encodePtrQuery, reverseName } from '../../app/scan/mdns.js';

// Bytes written here from RFC 1035 §4.1 (message, name compression §4.1.4) and RFC 6762 §5.4
// (QU bit), §6.7 (legacy unicast answer: id and question repeated) and §10.2 (cache-flush bit),
// not from a capture.

/** `name` as uncompressed labels. */
function labels(name: string): Buffer {
  return Buffer.concat([
    ...name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
    Buffer.from([0]),
  ]);
}

const REVERSE = '2.0.81.10.in-addr.arpa';

/**
 * A legacy unicast answer: the question repeated, then one PTR answer whose owner is a pointer
 * to the question's name (offset 12) and whose target is `labprinter16.local`, class IN with the
 * cache-flush bit.
 */
function answer(id: number, options: { rcode?: number; owner?: Buffer; type?: number } = {}) {
  const header = Buffer.from([
    id >> 8,
    id & 0xff,
    0x84,
    options.rcode ?? 0,
    0,
    1,
    0,
    1,
    0,
    0,
    0,
    0,
  ]);
  const question = Buffer.concat([labels(REVERSE), Buffer.from([0, 12, 0, 1])]);
  const target = Buffer.concat([
    Buffer.from([12]),
    Buffer.from('labprinter16'),
    Buffer.from([5]),
    Buffer.from('local'),
    Buffer.from([0]),
  ]);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(options.type ?? 12, 0);
  fixed.writeUInt16BE(0x8001, 2);
  fixed.writeUInt32BE(10, 4);
  fixed.writeUInt16BE(target.length, 8);
  return Buffer.concat([header, question, options.owner ?? Buffer.from([0xc0, 12]), fixed, target]);
}

describe('mDNS reverse query (RFC 6762 §5.4, §5.5)', () => {
  it('names the address’s reverse-mapping name, IPv4 and IPv6', () => {
    expect(reverseName('10.81.0.2')).toBe(REVERSE);
    expect(reverseName('fe80::1')).toBe(
      '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.e.f.ip6.arpa',
    );
  });

  it('asks one PTR question, class IN with the unicast-response bit, no flags', () => {
    const query = encodePtrQuery(0x4242, REVERSE);
    const expected = Buffer.concat([
      Buffer.from([0x42, 0x42, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
      labels(REVERSE),
      Buffer.from([0x00, 0x0c, 0x80, 0x01]),
    ]);
    expect(query.toString('hex')).toBe(expected.toString('hex'));
  });
});

describe('mDNS answer', () => {
  it('reads the PTR target behind compression pointers and the cache-flush bit', () => {
    expect(decodePtrAnswer(answer(0x4242), REVERSE)).toEqual({
      id: 0x4242,
      names: ['labprinter16.local'],
    });
    // Names compare without case (RFC 1035 §2.3.3).
    expect(decodePtrAnswer(answer(1), '2.0.81.10.IN-ADDR.ARPA.')?.names).toEqual([
      'labprinter16.local',
    ]);
  });

  it('keeps no record for another name or of another type', () => {
    expect(
      decodePtrAnswer(answer(1, { owner: labels('3.0.81.10.in-addr.arpa') }), REVERSE)?.names,
    ).toEqual([]);
    expect(decodePtrAnswer(answer(1, { type: 1 }), REVERSE)?.names).toEqual([]);
  });

  it('refuses a query, an error, a message cut short and a pointer loop', () => {
    expect(decodePtrAnswer(encodePtrQuery(1, REVERSE), REVERSE)).toBeNull();
    expect(decodePtrAnswer(answer(1, { rcode: 3 }), REVERSE)).toBeNull();
    const whole = answer(1);
    expect(decodePtrAnswer(whole.subarray(0, whole.length - 4), REVERSE)).toBeNull();
    // The answer's owner points at itself.
    const at = 12 + labels(REVERSE).length + 4;
    expect(decodePtrAnswer(answer(1, { owner: Buffer.from([0xc0, at]) }), REVERSE)).toBeNull();
  });

  it('is labelled in both languages', () => {
    expect(hostnameMethodLabel('mdns', 'fr')).toBe('nom mDNS');
    expect(hostnameMethodLabel('mdns', 'en')).toBe('mDNS name');
  });
});
