import { askUdp } from './udp-question.js';
import { randomInt } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { splitZone } from '../net/address.js';
import type { ReverseLookup } from './reverse-dns.js';

/**
 * Multicast DNS name of one device (RFC 6762), asked of that device alone: a query for the PTR
 * record of its reverse name (`4.3.2.1.in-addr.arpa`, or the `ip6.arpa` nibbles) sent by unicast
 * to its port 5353 (§5.5: "a querier MAY send a unicast query directly to port 5353 on a specific
 * host"), the unicast-response bit set (§5.4). Sent from an ephemeral port, it is a "legacy
 * unicast" query (§6.7): the responder answers by unicast to that port, repeating the id and the
 * question. So nothing is multicast to the whole link, and only the targeted device is asked.
 *
 * The DNS message (RFC 1035 §4) is read and written here: a question and PTR answers are all this
 * needs (the npm dns-packet library would do it too, but cannot be added to the lockfile here).
 */

/** The mDNS port (RFC 6762 §3). */
export const MDNS_PORT = 5353;

const TYPE_PTR = 12;
const CLASS_IN = 1;
/** The top bit of a question's class: "unicast response requested" (RFC 6762 §5.4, "QU"). */
const UNICAST_RESPONSE = 0x8000;
/** The top bit of a record's class in mDNS: "cache flush" (RFC 6762 §10.2), not part of the class. */
const CACHE_FLUSH = 0x8000;

/**
 * The reverse-mapping name of an address (no zone): `d.c.b.a.in-addr.arpa` for IPv4 (RFC 1035
 * §3.5), 32 nibbles then `ip6.arpa` for IPv6 (RFC 3596 §2.5). Throws on a string that is no
 * address.
 */
export function reverseName(address: string): string {
  const parsed = ipaddr.parse(address);
  const bytes = parsed.toByteArray();
  if (parsed.kind() === 'ipv4') return `${[...bytes].reverse().join('.')}.in-addr.arpa`;
  const nibbles = bytes.flatMap((b) => [(b >> 4).toString(16), (b & 0x0f).toString(16)]);
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}

/** `name` as DNS labels (RFC 1035 §3.1), without compression. */
function encodeName(name: string): Buffer {
  const parts = name.split('.').filter((l) => l.length > 0);
  return Buffer.concat([
    ...parts.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])),
    Buffer.from([0]),
  ]);
}

/**
 * A DNS query (RFC 1035 §4.1) with one question: `name`, type PTR, class IN with the QU bit
 * (RFC 6762 §5.4). Id `id` (0…65535): a legacy unicast answer repeats it (§6.7). No flags.
 */
export function encodePtrQuery(id: number, name: string): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id & 0xffff, 0);
  header.writeUInt16BE(1, 4); // QDCOUNT
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(TYPE_PTR, 0);
  tail.writeUInt16BE(CLASS_IN | UNICAST_RESPONSE, 2);
  return Buffer.concat([header, encodeName(name), tail]);
}

/**
 * Reads a domain name at `at` (RFC 1035 §4.1.4: labels, or a pointer to an earlier name); returns
 * it lower-cased, without the root's dot, and the offset after it where it sits. Null on a name
 * that leaves the message, loops, or is longer than 255 bytes.
 */
function readName(message: Buffer, at: number): { name: string; next: number } | null {
  const labels: string[] = [];
  let next = -1;
  let length = 0;
  for (let jumps = 0; jumps < 64;) {
    if (at >= message.length) return null;
    const size = message[at]!;
    if ((size & 0xc0) === 0xc0) {
      if (at + 1 >= message.length) return null;
      if (next < 0) next = at + 2;
      at = ((size & 0x3f) << 8) | message[at + 1]!;
      jumps++;
      continue;
    }
    if ((size & 0xc0) !== 0) return null;
    if (size === 0) {
      return { name: labels.join('.').toLowerCase(), next: next < 0 ? at + 1 : next };
    }
    if (at + 1 + size > message.length) return null;
    length += size + 1;
    if (length > 255) return null;
    labels.push(message.subarray(at + 1, at + 1 + size).toString('latin1'));
    at += 1 + size;
  }
  return null;
}

/** What a response says about the question's name. */
export interface PtrAnswer {
  id: number;
  /** The PTR targets given for `name`, in the order of the message (answers, then additionals). */
  names: string[];
}

/**
 * Reads a DNS response (QR bit, RCODE 0) and collects the PTR records for `name` (compared
 * without case, RFC 1035 §2.3.3) in its answer and additional sections; the class's top bit is
 * mDNS's cache-flush bit (RFC 6762 §10.2). Null for a query, an error, or a message cut short.
 */
export function decodePtrAnswer(message: Buffer, name: string): PtrAnswer | null {
  if (message.length < 12) return null;
  const flags = message.readUInt16BE(2);
  if ((flags & 0x8000) === 0 || (flags & 0x000f) !== 0) return null;
  const questions = message.readUInt16BE(4);
  const records = message.readUInt16BE(6) + message.readUInt16BE(8) + message.readUInt16BE(10);
  const wanted = name.toLowerCase().replace(/\.$/, '');
  let at = 12;
  for (let i = 0; i < questions; i++) {
    const q = readName(message, at);
    if (!q || q.next + 4 > message.length) return null;
    at = q.next + 4;
  }
  const names: string[] = [];
  for (let i = 0; i < records; i++) {
    const owner = readName(message, at);
    if (!owner || owner.next + 10 > message.length) return null;
    const type = message.readUInt16BE(owner.next);
    const klass = message.readUInt16BE(owner.next + 2) & ~CACHE_FLUSH;
    const size = message.readUInt16BE(owner.next + 8);
    const data = owner.next + 10;
    if (data + size > message.length) return null;
    if (type === TYPE_PTR && klass === CLASS_IN && owner.name === wanted) {
      const target = readName(message, data);
      if (target && target.next <= data + size) names.push(target.name);
    }
    at = data + size;
  }
  return { id: message.readUInt16BE(0), names };
}

export interface MdnsLimits {
  /** Milliseconds one try waits for the answer (≤ 1000). */
  tryTimeoutMs: number;
  /** Tries in all (1 or 2: one retry at most). */
  tries: number;
}

export const defaultMdnsLimits: MdnsLimits = { tryTimeoutMs: 1000, tries: 2 };

/**
 * Asks `address` (IPv4 or IPv6, a link-local one with its `%zone`) for the mDNS PTR name of its
 * own address, on its port 5353. The socket is not connected: a responder with several addresses
 * answers from the one it picks (avahi answers from its interface's first address, seen in
 * test/integration/scan-mdns-lab), so the answer is known by its id and its question's name (the
 * target's reverse name), not by its source; the price is that a device without mDNS is known
 * only by silence (no ICMP error reaches an unconnected socket). Resolves with the names
 * (`labprinter.local`), possibly none; rejects with code ETIMEOUT after the last try, the
 * socket's error otherwise, or ECANCELLED once `signal` aborts. Fits ReverseLookup, so the
 * engine bounds and caches it as it does reverse DNS.
 */
export function mdnsReverseLookup(limits: Partial<MdnsLimits> = {}): ReverseLookup {
  const tryTimeoutMs = Math.min(1000, limits.tryTimeoutMs ?? defaultMdnsLimits.tryTimeoutMs);
  const tries = Math.max(1, Math.min(2, limits.tries ?? defaultMdnsLimits.tries));
  return (address, signal) => {
    const bare = splitZone(address).address;
    const question = reverseName(bare);
    const id = randomInt(0, 0x10000);
    return askUdp(
      {
        type: ipaddr.parse(bare).kind() === 'ipv4' ? 'udp4' : 'udp6',
        request: encodePtrQuery(id, question),
        address,
        port: MDNS_PORT,
        socket: 'unconnected',
        tries,
        tryTimeoutMs,
        answer: (message) => {
          const answer = decodePtrAnswer(message, question);
          return answer && answer.id === id ? answer.names : undefined;
        },
      },
      signal,
    );
  };
}
