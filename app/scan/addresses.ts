import { formatIp, SPECIAL_INTERVALS, type AddressKind } from '../net/address.js';

export { toBigInt } from '../net/address.js';

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

/** Dotted decimal for IPv4, RFC 5952 text for IPv6 (see app/net/address.ts). */
export const formatAddress: (family: Family, value: bigint) => string = formatIp;

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

/** True when `inner` lies wholly inside `outer`. */
export function intervalWithin(inner: Interval, outer: Interval): boolean {
  return inner.family === outer.family && inner.start >= outer.start && inner.end <= outer.end;
}

/**
 * Splits an interval by address kind (app/net/address.ts SPECIAL_RANGES, first match wins;
 * whatever no special range claims is `public`), in no particular order.
 */
export function kindPieces(interval: Interval): { kind: AddressKind; interval: Interval }[] {
  const pieces: { kind: AddressKind; interval: Interval }[] = [];
  let rest: Interval[] = [interval];
  for (const range of SPECIAL_INTERVALS) {
    if (range.family !== interval.family || rest.length === 0) continue;
    const cut: Interval = { family: range.family, start: range.value, end: range.end };
    for (const piece of rest) {
      const start = piece.start > cut.start ? piece.start : cut.start;
      const end = piece.end < cut.end ? piece.end : cut.end;
      if (start <= end)
        pieces.push({ kind: range.kind, interval: { family: piece.family, start, end } });
    }
    rest = subtractIntervals(rest, [cut]);
  }
  for (const piece of rest) pieces.push({ kind: 'public', interval: piece });
  return pieces;
}
