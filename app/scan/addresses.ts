import ipaddr from 'ipaddr.js';

/** Addresses as integers so ranges can be merged, subtracted and walked without materialising them. */
export type Family = 4 | 6;

export interface Interval {
  family: Family;
  start: bigint;
  end: bigint;
}

/** What crosses the worker boundary: bigints as decimal strings. */
export interface SerializedInterval {
  family: Family;
  start: string;
  end: string;
}

export function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let value = 0n;
  if (address.kind() === 'ipv4') {
    for (const octet of (address as ipaddr.IPv4).octets) value = (value << 8n) | BigInt(octet);
  } else {
    for (const part of (address as ipaddr.IPv6).parts) value = (value << 16n) | BigInt(part);
  }
  return value;
}

export function formatAddress(family: Family, value: bigint): string {
  if (family === 4) {
    const n = Number(value);
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

export function familyBits(family: Family): bigint {
  return family === 4 ? 32n : 128n;
}

export function cidrInterval(family: Family, base: bigint, prefix: number): Interval {
  const hostBits = familyBits(family) - BigInt(prefix);
  const size = 1n << hostBits;
  const start = (base >> hostBits) << hostBits;
  return { family, start, end: start + size - 1n };
}

export function intervalSize(interval: Interval): bigint {
  return interval.end - interval.start + 1n;
}

/** Sorts and merges overlapping or adjacent intervals (IPv4 before IPv6). */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) =>
    a.family !== b.family
      ? a.family - b.family
      : a.start < b.start
        ? -1
        : a.start > b.start
          ? 1
          : 0,
  );
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.family === interval.family && interval.start <= last.end + 1n) {
      if (interval.end > last.end) last.end = interval.end;
    } else {
      merged.push({ ...interval });
    }
  }
  return merged;
}

/** `include` minus `exclude`; both must be merged (sorted, disjoint). */
export function subtractIntervals(
  include: readonly Interval[],
  exclude: readonly Interval[],
): Interval[] {
  const result: Interval[] = [];
  for (const interval of include) {
    let pieces: Interval[] = [{ ...interval }];
    for (const cut of exclude) {
      if (cut.family !== interval.family) continue;
      const next: Interval[] = [];
      for (const piece of pieces) {
        if (cut.end < piece.start || cut.start > piece.end) {
          next.push(piece);
          continue;
        }
        if (cut.start > piece.start)
          next.push({ family: piece.family, start: piece.start, end: cut.start - 1n });
        if (cut.end < piece.end)
          next.push({ family: piece.family, start: cut.end + 1n, end: piece.end });
      }
      pieces = next;
      if (pieces.length === 0) break;
    }
    result.push(...pieces);
  }
  return result;
}

export function serializeIntervals(intervals: readonly Interval[]): SerializedInterval[] {
  return intervals.map((i) => ({
    family: i.family,
    start: i.start.toString(),
    end: i.end.toString(),
  }));
}

export function deserializeIntervals(intervals: readonly SerializedInterval[]): Interval[] {
  return intervals.map((i) => ({ family: i.family, start: BigInt(i.start), end: BigInt(i.end) }));
}

/** Walks every address of the intervals lazily, in order. */
export function* walkIntervals(
  intervals: readonly Interval[],
): Generator<{ family: Family; address: string }> {
  for (const interval of intervals) {
    for (let value = interval.start; value <= interval.end; value++) {
      yield { family: interval.family, address: formatAddress(interval.family, value) };
    }
  }
}

// Blocks that are not on the public Internet: scanning them needs no confirmation. The
// documentation blocks (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are not
// here: nothing local owns them, so probes to them leave through the gateway like public ones.
const NON_PUBLIC_V4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/3',
];
const NON_PUBLIC_V6 = ['::/127', 'fc00::/7', 'fe80::/10', 'ff00::/8', '64:ff9b:1::/48'];

function blocks(family: Family, cidrs: readonly string[]): Interval[] {
  return mergeIntervals(
    cidrs.map((cidr) => {
      const [address, prefix] = ipaddr.parseCIDR(cidr);
      return cidrInterval(family, toBigInt(address), prefix);
    }),
  );
}

const NON_PUBLIC = [...blocks(4, NON_PUBLIC_V4), ...blocks(6, NON_PUBLIC_V6)];

/** The first public address in the interval, or undefined when it lies wholly in non-public space. */
export function firstPublicAddress(interval: Interval): string | undefined {
  const outside = subtractIntervals([interval], NON_PUBLIC);
  const first = outside[0];
  return first ? formatAddress(first.family, first.start) : undefined;
}
