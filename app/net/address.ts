import ipaddr from 'ipaddr.js';

/**
 * The one place where the app decides what an IP address is and how it is written: the scanner's
 * targets, the risk engine's listeners, the neighbour table and the firewall's remote scope all
 * read addresses through here, so `::ffff:127.0.0.1`, `::7f00:1` and `127.0.0.1` are one address
 * everywhere.
 */

export type IpFamily = 4 | 6;

/** An address as a number, with its family: what interval arithmetic and comparisons need. */
export interface IpValue {
  family: IpFamily;
  value: bigint;
}

/**
 * Splits the zone (scope) off an address as RFC 4007 §11 writes it: `fe80::1%eth0`. The zone is
 * kept exactly as written — Linux interface names may contain dashes and dots (`br-lan`,
 * `veth-a`, `eth0.100`), Windows uses interface numbers (`fe80::1%12`). Returns no zone when there
 * is no `%`; an empty zone (`fe80::1%`) is returned as the empty string so callers can refuse it.
 */
export function splitZone(text: string): { address: string; zone?: string } {
  const percent = text.indexOf('%');
  if (percent < 0) return { address: text };
  return { address: text.slice(0, percent), zone: text.slice(percent + 1) };
}

const LOW_32 = (1n << 32n) - 1n;

/** An address parsed by ipaddr.js, as a number. */
export function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let value = 0n;
  if (address.kind() === 'ipv4') {
    for (const octet of (address as ipaddr.IPv4).octets) value = (value << 8n) | BigInt(octet);
  } else {
    for (const part of (address as ipaddr.IPv6).parts) value = (value << 16n) | BigInt(part);
  }
  return value;
}

/**
 * The IPv4 address an IPv6 value stands for, if any: IPv4-mapped `::ffff:a.b.c.d` (RFC 4291
 * §2.5.5.2) and the deprecated IPv4-compatible `::a.b.c.d` (RFC 4291 §2.5.5.1). `::` (unspecified)
 * and `::1` (loopback) are IPv6 addresses of their own, not IPv4-compatible ones.
 */
export function embeddedIPv4(value: bigint): bigint | undefined {
  if (value >> 32n === 0xffffn) return value & LOW_32;
  if (value >> 32n === 0n && value > 1n) return value;
  return undefined;
}

/**
 * Reads one IP address (no prefix, no zone): IPv4 only as four decimal numbers (ipaddr.js would
 * also read `10.1` or `65536` as IPv4 shorthands, which here are typos, not addresses), IPv6 in any
 * RFC 4291 §2.2 form. IPv4-mapped and IPv4-compatible IPv6 come back as the IPv4 address.
 * Returns null for anything else.
 */
export function parseIp(text: string): IpValue | null {
  if (text.includes(':')) {
    if (!/^[0-9a-fA-F:.]+$/.test(text) || !ipaddr.IPv6.isValid(text)) return null;
    const value = toBigInt(ipaddr.IPv6.parse(text));
    const v4 = embeddedIPv4(value);
    return v4 === undefined ? { family: 6, value } : { family: 4, value: v4 };
  }
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return null;
  return { family: 4, value: toBigInt(ipaddr.IPv4.parse(text)) };
}

/** The canonical text of a numeric address: dotted decimal, or RFC 5952 §4 for IPv6. */
export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) {
    const n = Number(value & LOW_32);
    return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const parts: number[] = new Array<number>(8);
  let v = value;
  for (let i = 7; i >= 0; i--) {
    parts[i] = Number(v & 0xffffn);
    v >>= 16n;
  }
  return new ipaddr.IPv6(parts).toRFC5952String();
}

/**
 * The canonical text of an IP address, or null when `text` is not one. IPv4-mapped
 * (`::ffff:a.b.c.d`) and IPv4-compatible (`::a.b.c.d`) IPv6 become `a.b.c.d`; other IPv6
 * addresses are written as RFC 5952 §4 says (lower case, longest zero run as `::`). A zone is kept
 * as written after a `%` (RFC 4007 §11); an empty zone is not an address.
 */
export function canonicalIp(text: string): string | null {
  const { address, zone } = splitZone(text);
  if (zone === '') return null;
  const parsed = parseIp(address);
  if (!parsed) return null;
  const canonical = formatIp(parsed.family, parsed.value);
  return zone !== undefined && parsed.family === 6 ? `${canonical}%${zone}` : canonical;
}

/**
 * The canonical text of an address or CIDR network, host bits cleared (`192.168.1.7/24` →
 * `192.168.1.0/24`, `/32` and `/128` written as the bare address); null when it is neither. An
 * IPv4-mapped network (`::ffff:10.0.0.0/104`) becomes its IPv4 network (`10.0.0.0/8`), and so
 * does an IPv4-compatible one (`::/96` → `0.0.0.0/0`, RFC 4291 §2.5.5.1).
 */
export function canonicalNetwork(text: string): string | null {
  const slash = text.indexOf('/');
  if (slash < 0) return text.includes('%') ? null : canonicalIp(text);
  const prefixText = text.slice(slash + 1);
  const parsed = parseIp(text.slice(0, slash));
  if (!parsed || !/^[0-9]{1,3}$/.test(prefixText)) return null;
  const written = Number(prefixText);
  const wasV6 = text.slice(0, slash).includes(':');
  let prefix = written;
  if (wasV6 && parsed.family === 4) {
    // ::ffff:a.b.c.d/n covers IPv4 addresses only when n keeps the whole ::ffff: part fixed.
    if (written < 96 || written > 128) return null;
    prefix = written - 96;
  }
  let family = parsed.family;
  let value = parsed.value;
  if (family === 6 && written >= 96 && written < 128 && value >> 32n === 0n) {
    // `::/96` … `::/127` start at `::` or `::1`, which are not IPv4-compatible addresses
    // themselves, yet the network holds IPv4-compatible ones (RFC 4291 §2.5.5.1): the IPv4
    // network it denotes, as `::0.0.0.0/96` would be, never an IPv6 match no packet carries.
    family = 4;
    value = value & LOW_32;
    prefix = written - 96;
  }
  const bits = family === 4 ? 32 : 128;
  if (prefix > bits) return null;
  const hostBits = BigInt(bits - prefix);
  const network = (value >> hostBits) << hostBits;
  const base = formatIp(family, network);
  return prefix === bits ? base : `${base}/${prefix}`;
}

/**
 * What kind of address something is, for deciding whether scanning it needs the user's
 * confirmation and how to explain it. From the IANA special-purpose registries (RFC 6890 and
 * updates); anything not listed is `public`.
 */
export type AddressKind =
  | 'unspecified'
  | 'loopback'
  | 'link-local'
  | 'private'
  | 'unique-local'
  | 'shared'
  | 'nat64'
  | 'documentation'
  | 'benchmarking'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'public';

export interface SpecialRange {
  cidr: string;
  kind: AddressKind;
  /** Where the rule comes from. */
  source: string;
}

/**
 * The special ranges, most specific first (a lookup takes the first match). IPv4-mapped and
 * IPv4-compatible IPv6 need no entry: `parseIp` turns them into IPv4 before any lookup.
 */
export const SPECIAL_RANGES: readonly SpecialRange[] = [
  { cidr: '0.0.0.0/32', kind: 'unspecified', source: 'RFC 1122 §3.2.1.3' },
  { cidr: '0.0.0.0/8', kind: 'reserved', source: 'RFC 1122 §3.2.1.3 ("this network")' },
  { cidr: '10.0.0.0/8', kind: 'private', source: 'RFC 1918' },
  { cidr: '100.64.0.0/10', kind: 'shared', source: 'RFC 6598 (carrier-grade NAT)' },
  { cidr: '127.0.0.0/8', kind: 'loopback', source: 'RFC 1122 §3.2.1.3' },
  { cidr: '169.254.0.0/16', kind: 'link-local', source: 'RFC 3927' },
  { cidr: '172.16.0.0/12', kind: 'private', source: 'RFC 1918' },
  { cidr: '192.0.0.0/24', kind: 'reserved', source: 'RFC 6890 (IETF protocol assignments)' },
  { cidr: '192.0.2.0/24', kind: 'documentation', source: 'RFC 5737' },
  { cidr: '192.168.0.0/16', kind: 'private', source: 'RFC 1918' },
  { cidr: '198.18.0.0/15', kind: 'benchmarking', source: 'RFC 2544' },
  { cidr: '198.51.100.0/24', kind: 'documentation', source: 'RFC 5737' },
  { cidr: '203.0.113.0/24', kind: 'documentation', source: 'RFC 5737' },
  { cidr: '224.0.0.0/4', kind: 'multicast', source: 'RFC 5771' },
  { cidr: '255.255.255.255/32', kind: 'broadcast', source: 'RFC 919' },
  { cidr: '240.0.0.0/4', kind: 'reserved', source: 'RFC 1112 §4' },
  { cidr: '::/128', kind: 'unspecified', source: 'RFC 4291 §2.5.2' },
  { cidr: '::1/128', kind: 'loopback', source: 'RFC 4291 §2.5.3' },
  { cidr: '64:ff9b::/96', kind: 'nat64', source: 'RFC 6052 §2.1 (well-known NAT64 prefix)' },
  { cidr: '64:ff9b:1::/48', kind: 'nat64', source: 'RFC 8215 (local-use NAT64 prefix)' },
  { cidr: '2001:db8::/32', kind: 'documentation', source: 'RFC 3849' },
  { cidr: 'fc00::/7', kind: 'unique-local', source: 'RFC 4193' },
  { cidr: 'fe80::/10', kind: 'link-local', source: 'RFC 4291 §2.5.6' },
  { cidr: 'ff00::/8', kind: 'multicast', source: 'RFC 4291 §2.7' },
];

/** A special range as numbers: `start`–`end` inclusive. */
export interface NumericRange extends IpValue {
  end: bigint;
  kind: AddressKind;
}

/** SPECIAL_RANGES as numeric intervals, in the same order. */
export const SPECIAL_INTERVALS: readonly NumericRange[] = SPECIAL_RANGES.map(({ cidr, kind }) => {
  const [address, prefixText] = cidr.split('/') as [string, string];
  const parsed = parseIp(address)!;
  const hostBits = BigInt((parsed.family === 4 ? 32 : 128) - Number(prefixText));
  return {
    family: parsed.family,
    value: parsed.value,
    end: parsed.value + (1n << hostBits) - 1n,
    kind,
  };
});

/** The kind of a numeric address (see SPECIAL_RANGES). */
export function kindOfValue(family: IpFamily, value: bigint): AddressKind {
  for (const range of SPECIAL_INTERVALS) {
    if (range.family === family && value >= range.value && value <= range.end) return range.kind;
  }
  return 'public';
}

/** The kind of an address written as text (zone allowed), or null when it is not an address. */
export function addressKind(text: string): AddressKind | null {
  const { address, zone } = splitZone(text);
  if (zone === '') return null;
  const parsed = parseIp(address);
  return parsed ? kindOfValue(parsed.family, parsed.value) : null;
}

/** True for IPv6 link-local (fe80::/10): such an address means nothing without its zone. */
export function needsZone(family: IpFamily, value: bigint): boolean {
  return family === 6 && kindOfValue(family, value) === 'link-local';
}

/**
 * A host's address as this app writes it, or null: an IP literal only (IPv4 as four decimal
 * numbers, IPv6 in RFC 5952 form, IPv4-mapped IPv6 as IPv4), with a short interface zone kept for
 * IPv6. A name, a keyword (`local-network`), `__proto__` or kilobytes of text is not a host.
 */
export function hostAddress(
  text: string | undefined,
): { address: string; family: 'ipv4' | 'ipv6' } | null {
  if (text === undefined || text.length > 120) return null;
  const { zone } = splitZone(text);
  if (zone !== undefined && !/^[\w.-]{1,64}$/.test(zone)) return null;
  const address = canonicalIp(text);
  if (address === null) return null;
  return { address, family: address.includes(':') ? 'ipv6' : 'ipv4' };
}
