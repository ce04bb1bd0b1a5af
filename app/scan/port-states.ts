import type { HostResult, PortState, PortStates, Protocol } from '../contract/scan.js';
import { emptyPortStateCounts, hiddenOfCounts } from '../contract/vocabulary.js';

/**
 * Every scanned port's state of one host, kept compactly while a result is assembled (by the
 * engine, the nmap importer, a merge) and turned into the contract's `portStates` lists.
 * Pure code: no Node API, so the renderer may use it too.
 */

/** Codes in the tables: 0 means "not scanned" (or not decided: a cancelled scan). */
const CODE: Record<PortState, number> = { open: 1, closed: 2, filtered: 3, 'open|filtered': 4 };
const STATE_OF: readonly (PortState | undefined)[] = [
  undefined,
  'open',
  'closed',
  'filtered',
  'open|filtered',
];
/** The order of the contract's lists (`open|filtered` last: it came after the others). */
const STATES: readonly PortState[] = ['open', 'closed', 'filtered', 'open|filtered'];
const PROTOCOLS: readonly Protocol[] = ['tcp', 'udp'];

/**
 * nmap's compact list of ascending distinct ports: `[1, 2, 3, 22, 80, 81]` → `"1-3,22,80-81"`,
 * as nmap writes `services=` in `<scaninfo>` and `ports=` in `<extrareasons>` (nmap's output.cc).
 */
export function compactPorts(ports: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < ports.length) {
    let j = i;
    while (j + 1 < ports.length && ports[j + 1] === ports[j]! + 1) j++;
    parts.push(i === j ? String(ports[i]) : `${ports[i]}-${ports[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * One item of a compact list as nmap writes it (output.cc prints ports with `%d`): a port 0-65535 in
 * plain decimal, no sign and no leading zero (`024` is not nmap's, as `portid="00443"` is not),
 * or an ascending range of two (`250-300`; `300-250` is not).
 */
const LIST_ITEM = /^(0|[1-9][0-9]{0,4})(?:-(0|[1-9][0-9]{0,4}))?$/;

/** Ports there are per protocol: a list naming more names some twice (`1-65535` a million times). */
const PORTS_PER_PROTOCOL = 65536;

/**
 * A compact list read item by item (`"1-21,023,80-81,300-250"`): the flat ranges of the items
 * nmap would write, in the list's order (`[1, 21, 80, 81]`), how many items it would not (`refused`:
 * a name, a sign, a leading zero, a descending range, a port over 65535, an empty item) and whether
 * its ranges name more than the 65,536 ports there are (`tooMany`; then `ranges` is empty). One step
 * per item, never one per port: nmap -p- writes `ports="1-22,24-65535"` for every host (review 13,
 * F3). Pure.
 */
export function readPortList(list: string): {
  ranges: number[];
  refused: number;
  tooMany: boolean;
} {
  const ranges: number[] = [];
  let refused = 0;
  let total = 0;
  for (const part of list.split(',')) {
    const match = LIST_ITEM.exec(part);
    const from = match ? Number(match[1]) : NaN;
    const to = match?.[2] === undefined ? from : Number(match[2]);
    if (!match || from > 65535 || to > 65535 || to < from) {
      refused++;
      continue;
    }
    total += to - from + 1;
    if (total > PORTS_PER_PROTOCOL) return { ranges: [], refused, tooMany: true };
    ranges.push(from, to);
  }
  return { ranges, refused, tooMany: false };
}

/**
 * The ranges of a compact list (`"1-21,23,80-81"`, ports 0-65535 as nmap writes them: readPortList),
 * flat and in the list's order: `[1, 21, 23, 23, 80, 81]`. Null when any item is not nmap's (a
 * name, a sign, a leading zero, a descending range, a port over 65535) or the list names more than
 * the 65,536 ports there are: a file's text is checked before any of it is used.
 */
export function parsePortList(list: string): number[] | null {
  const { ranges, refused, tooMany } = readPortList(list);
  return refused > 0 || tooMany ? null : ranges;
}

/**
 * Calls `each(port)` for every port of a compact list (parsePortList's lists), in its order.
 * Returns false, having called nothing, when `list` is not one. One call per port: for a reader
 * that needs each port (a test, a small list); the app's readers take the ranges.
 */
export function forEachListedPort(list: string, each: (port: number) => void): boolean {
  const ranges = parsePortList(list);
  if (!ranges) return false;
  for (let i = 0; i < ranges.length; i += 2) {
    for (let port = ranges[i]!; port <= ranges[i + 1]!; port++) each(port);
  }
  return true;
}

/** The number of ports flat ranges name, a port named twice counted twice. */
export function rangesLength(ranges: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < ranges.length; i += 2) total += ranges[i + 1]! - ranges[i]! + 1;
  return total;
}

/**
 * Flat ranges sorted, with overlapping and touching ones joined (`[5, 9, 1, 3, 4, 4]` →
 * `[1, 9]`): each port once, as compactRanges writes them.
 */
export function normaliseRanges(ranges: readonly number[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < ranges.length; i += 2) order.push(i);
  order.sort((a, b) => ranges[a]! - ranges[b]!);
  const out: number[] = [];
  for (const i of order) {
    const from = ranges[i]!;
    const to = ranges[i + 1]!;
    const last = out.length - 1;
    if (last > 0 && from <= out[last]! + 1) out[last] = Math.max(out[last]!, to);
    else out.push(from, to);
  }
  return out;
}

/** nmap's compact list of sorted, disjoint flat ranges: `[1, 3, 22, 22]` → `"1-3,22"`. */
export function compactRanges(ranges: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    const from = ranges[i]!;
    const to = ranges[i + 1]!;
    parts.push(from === to ? String(from) : `${from}-${to}`);
  }
  return parts.join(',');
}

/** The number of `sorted` (ascending) that are at least `value`'s index: a binary search. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many of `sorted` (ascending, distinct) lie in from..to. */
function countIn(sorted: readonly number[], from: number, to: number): number {
  return lowerBound(sorted, to + 1) - lowerBound(sorted, from);
}

/**
 * Sorted, disjoint flat ranges less some ports (`sorted`: ascending, distinct): `[1, 65535]` less
 * `[23]` → `[1, 22, 24, 65535]`. One step per range and per port taken out.
 */
export function subtractPorts(ranges: readonly number[], sorted: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    let from = ranges[i]!;
    const to = ranges[i + 1]!;
    for (let k = lowerBound(sorted, from); k < sorted.length && sorted[k]! <= to; k++) {
      if (sorted[k]! > from) out.push(from, sorted[k]! - 1);
      from = sorted[k]! + 1;
    }
    if (from <= to) out.push(from, to);
  }
  return out;
}

/** How many ports a compact list names (counted once each), or null when it is not one. */
export function countListedPorts(list: string): number | null {
  const ranges = parsePortList(list);
  return ranges ? rangesLength(normaliseRanges(ranges)) : null;
}

/** Past this many runs, a port set out of order waits to be folded in (PortStateTable.fold). */
const FOLD_FROM_RUNS = 64;

/**
 * One protocol's ports as runs of one state: sorted, disjoint, and never two touching runs of the
 * same state (so each run is one item of the compact list), in three parallel arrays.
 */
interface Runs {
  from: number[];
  to: number[];
  code: number[];
}

/**
 * The state of every port of one host, per protocol, as runs of ports in one state: a host nmap
 * scanned with -p- is two or three runs, not 65,536 ports, so reading its lists, setting a range
 * and writing the lists back cost a step per run (review 13, F3). Setting one port after the last
 * run (the engine's order, a file's `<port>` elements) adds to the end; anywhere else it splits
 * the run it falls in, or, past FOLD_FROM_RUNS runs, waits in a byte table folded in at the next
 * read or range (see `pending`).
 */
export class PortStateTable {
  private readonly runs: Partial<Record<Protocol, Runs>> = {};
  /**
   * Ports set one by one behind the last run (out of order: the engine's answers come in as they
   * arrive) once there are many runs, a byte each, folded into the runs in one pass when they are read or a range is set:
   * splitting a run per port would cost a copy of the runs each (65,536 ports in a random order
   * and alternating states: seconds).
   */
  private readonly pending: Partial<Record<Protocol, Uint8Array>> = {};

  /** Sets a port's state, replacing what was there. */
  set(protocol: Protocol, port: number, state: PortState): void {
    const runs = this.runs[protocol];
    const n = runs?.from.length ?? 0;
    // Few runs (a file's host: `1-22,24-65535` then port 23) are split at once, for little.
    if (runs && n > FOLD_FROM_RUNS && port <= runs.to[n - 1]!) {
      (this.pending[protocol] ??= new Uint8Array(65536))[port] = CODE[state];
      return;
    }
    this.assign(protocol, port, port, CODE[state], false);
  }

  /** Sets the state of ports `from`..`to` (inclusive), replacing what was there. */
  setRange(protocol: Protocol, from: number, to: number, state: PortState): void {
    this.assign(protocol, from, to, CODE[state], false);
  }

  /**
   * Sets a port's state unless it already has one that matters more to an audit (open, then
   * filtered, then closed): what two sightings of the same port (two `<host>` elements) make of it.
   */
  setWorst(protocol: Protocol, port: number, state: PortState): void {
    this.assign(protocol, port, port, CODE[state], true);
  }

  get(protocol: Protocol, port: number): PortState | undefined {
    this.fold(protocol);
    const runs = this.runs[protocol];
    if (!runs) return undefined;
    const i = lowerBound(runs.to, port);
    return i < runs.to.length && runs.from[i]! <= port ? STATE_OF[runs.code[i]!] : undefined;
  }

  /**
   * Reads the contract's lists in (a result's `portStates`), as setWorst would each of their
   * ports, all of one protocol's ranges at once (setRangeLists).
   */
  addLists(states: PortStates): void {
    for (const protocol of PROTOCOLS) {
      const lists: { state: PortState; ranges: readonly number[] }[] = [];
      for (const state of STATES) {
        const list = states[protocol]?.[state];
        const ranges = list ? parsePortList(list) : null;
        if (ranges) lists.push({ state, ranges });
      }
      if (lists.length > 0) this.setRangeLists(protocol, lists, true);
    }
  }

  /**
   * Sets the ports of several lists of ranges (flat, in any order, maybe overlapping: a file's
   * `ports=` lists), each list in one state: a port several lists name takes the state that matters
   * most (STATE_WEIGHT), laid over the ports set before (with `worst`, only where it matters more,
   * as setWorst). One sort of the ranges' ends and one pass over them and the runs: O(k log k + n)
   * for k ranges and n runs, whatever their order (review A4: `65535,1,65534,2,…` split a run per
   * range, a copy of the runs each, ~4 s per MB of file).
   */
  setRangeLists(
    protocol: Protocol,
    lists: readonly { state: PortState; ranges: readonly number[] }[],
    worst = false,
  ): void {
    this.fold(protocol);
    const top = runsOfLists(lists.map(({ state, ranges }) => ({ code: CODE[state], ranges })));
    const base = this.runs[protocol];
    this.runs[protocol] = base && base.from.length > 0 ? overlay(base, top, worst) : top;
  }

  /** The contract's `portStates`: per protocol and state, the compact list; undefined when empty. */
  lists(): PortStates | undefined {
    const out: PortStates = {};
    for (const protocol of PROTOCOLS) {
      this.fold(protocol);
      const runs = this.runs[protocol];
      if (!runs || runs.from.length === 0) continue;
      const byCode: string[][] = STATE_OF.map(() => []);
      for (let i = 0; i < runs.from.length; i++) {
        const from = runs.from[i]!;
        const to = runs.to[i]!;
        byCode[runs.code[i]!]!.push(from === to ? String(from) : `${from}-${to}`);
      }
      const lists: NonNullable<PortStates['tcp']> = {};
      for (const state of STATES) {
        const parts = byCode[CODE[state]]!;
        if (parts.length > 0) lists[state] = parts.join(',');
      }
      out[protocol] = lists;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  /**
   * Folds the ports set out of order into the runs: both laid out a byte per port, the pending
   * ones over the runs (set later), then read back as runs; one pass over the ports for any
   * number of them.
   */
  private fold(protocol: Protocol): void {
    const pending = this.pending[protocol];
    const runs = this.runs[protocol];
    if (!pending || !runs) return;
    delete this.pending[protocol];
    const last = runs.to[runs.to.length - 1]!;
    for (let i = 0; i < runs.from.length; i++) {
      const code = runs.code[i]!;
      for (let port = runs.from[i]!; port <= runs.to[i]!; port++) {
        if (pending[port] === 0) pending[port] = code;
      }
    }
    const folded: Runs = { from: [], to: [], code: [] };
    for (let port = 0; port <= last;) {
      const code = pending[port]!;
      let end = port;
      while (end < last && pending[end + 1] === code) end++;
      if (code !== 0) {
        folded.from.push(port);
        folded.to.push(end);
        folded.code.push(code);
      }
      port = end + 1;
    }
    this.runs[protocol] = folded;
  }

  /**
   * Gives ports `from`..`to` the state `code` (with `worst`, only those whose state matters less
   * or that have none), splitting and joining the runs it touches so they stay maximal.
   */
  private assign(protocol: Protocol, from: number, to: number, code: number, worst: boolean): void {
    this.fold(protocol);
    const runs = (this.runs[protocol] ??= { from: [], to: [], code: [] });
    const n = runs.from.length;
    // After the last run: the usual order of one port after another.
    if (n === 0 || from > runs.to[n - 1]!) {
      if (n > 0 && runs.to[n - 1] === from - 1 && runs.code[n - 1] === code) runs.to[n - 1] = to;
      else {
        runs.from.push(from);
        runs.to.push(to);
        runs.code.push(code);
      }
      return;
    }
    // The runs that overlap or touch from..to: i up to (not including) j.
    const i = lowerBound(runs.to, from - 1);
    const j = lowerBound(runs.from, to + 2);
    const pieces: number[] = [];
    const piece = (a: number, b: number, c: number) => {
      const last = pieces.length - 3;
      if (last >= 0 && pieces[last + 2] === c && pieces[last + 1] === a - 1) pieces[last + 1] = b;
      else pieces.push(a, b, c);
    };
    // The next port of from..to not yet given its state.
    let next = from;
    for (let k = i; k < j; k++) {
      const a = runs.from[k]!;
      const b = runs.to[k]!;
      const c = runs.code[k]!;
      if (a < from) piece(a, Math.min(b, from - 1), c);
      const lo = Math.max(a, from);
      const hi = Math.min(b, to);
      if (lo <= hi) {
        if (next < lo) piece(next, lo - 1, code);
        piece(lo, hi, worst && WEIGHT_OF_CODE[c]! >= WEIGHT_OF_CODE[code]! ? c : code);
        next = hi + 1;
      }
      if (b > to) {
        if (next <= to) piece(next, to, code);
        next = to + 1;
        piece(Math.max(a, to + 1), b, c);
      }
    }
    if (next <= to) piece(next, to, code);
    const count = pieces.length / 3;
    const froms: number[] = [];
    const tos: number[] = [];
    const codes: number[] = [];
    for (let k = 0; k < count; k++) {
      froms.push(pieces[3 * k]!);
      tos.push(pieces[3 * k + 1]!);
      codes.push(pieces[3 * k + 2]!);
    }
    runs.from.splice(i, j - i, ...froms);
    runs.to.splice(i, j - i, ...tos);
    runs.code.splice(i, j - i, ...codes);
  }
}

/** Adds run from..to of `code` to the end of `runs`, joined to the last one when they touch. */
function pushRun(runs: Runs, from: number, to: number, code: number): void {
  const last = runs.from.length - 1;
  if (last >= 0 && runs.code[last] === code && runs.to[last] === from - 1) runs.to[last] = to;
  else {
    runs.from.push(from);
    runs.to.push(to);
    runs.code.push(code);
  }
}

/**
 * The runs of the ports several lists of flat ranges name (any order, overlaps allowed), a port
 * named in several states taking the heaviest (WEIGHT_OF_CODE). Each range is two events, a start
 * and an end, packed in one integer (port << 4 | code << 1 | start) so one typed-array sort orders
 * them; a sweep then counts the ranges of each state covering each stretch. O(k log k).
 */
function runsOfLists(lists: readonly { code: number; ranges: readonly number[] }[]): Runs {
  let size = 0;
  for (const { ranges } of lists) size += ranges.length;
  const events = new Int32Array(size);
  let e = 0;
  for (const { code, ranges } of lists) {
    for (let i = 0; i < ranges.length; i += 2) {
      events[e++] = (ranges[i]! << 4) | (code << 1) | 1;
      events[e++] = ((ranges[i + 1]! + 1) << 4) | (code << 1);
    }
  }
  events.sort();
  const covering = [0, 0, 0, 0, 0];
  const out: Runs = { from: [], to: [], code: [] };
  let k = 0;
  while (k < events.length) {
    const port = events[k]! >> 4;
    for (; k < events.length && events[k]! >> 4 === port; k++) {
      covering[(events[k]! >> 1) & 7]! += events[k]! & 1 ? 1 : -1;
    }
    if (k === events.length) break;
    let code = 0;
    for (let c = 1; c < covering.length; c++) {
      if (covering[c]! > 0 && WEIGHT_OF_CODE[c]! > WEIGHT_OF_CODE[code]!) code = c;
    }
    if (code !== 0) pushRun(out, port, (events[k]! >> 4) - 1, code);
  }
  return out;
}

/**
 * `top`'s runs laid over `base`'s (both sorted and disjoint): where they overlap, `top`'s state,
 * or with `worst` the one that matters more. One pass over both.
 */
function overlay(base: Runs, top: Runs, worst: boolean): Runs {
  const out: Runs = { from: [], to: [], code: [] };
  const n = base.from.length;
  const m = top.from.length;
  let i = 0;
  let j = 0;
  // The first port not yet written.
  let next = 0;
  for (;;) {
    while (i < n && base.to[i]! < next) i++;
    while (j < m && top.to[j]! < next) j++;
    if (i === n && j === m) break;
    const a = i < n ? Math.max(base.from[i]!, next) : Number.POSITIVE_INFINITY;
    const b = j < m ? Math.max(top.from[j]!, next) : Number.POSITIVE_INFINITY;
    const from = Math.min(a, b);
    let to: number;
    let code: number;
    if (a === from && b === from) {
      to = Math.min(base.to[i]!, top.to[j]!);
      const under = base.code[i]!;
      const over = top.code[j]!;
      code = worst && WEIGHT_OF_CODE[under]! >= WEIGHT_OF_CODE[over]! ? under : over;
    } else if (a === from) {
      to = Math.min(base.to[i]!, b - 1);
      code = base.code[i]!;
    } else {
      to = Math.min(top.to[j]!, a - 1);
      code = top.code[j]!;
    }
    pushRun(out, from, to, code);
    next = to + 1;
  }
  return out;
}

/** What matters more to an audit: open, then maybe open (open|filtered), filtered, closed. */
export const STATE_WEIGHT: Record<PortState, number> = {
  open: 4,
  'open|filtered': 3,
  filtered: 2,
  closed: 1,
};
/** STATE_WEIGHT by a table's code (0, no state, weighs nothing). */
const WEIGHT_OF_CODE: readonly number[] = STATE_OF.map((state) =>
  state ? STATE_WEIGHT[state] : 0,
);

/**
 * Every scanned port's state of a host, `"tcp/80" → "open"`: from `portStates` when the result
 * has them (engine results and imports since report format 2), else only the listed ports (an
 * older result says no more: its `hidden` ports are counts, not ports). One entry per port (65,536
 * for a -p- host): for checking a result whole, not for the app's readers, which take the ranges.
 */
export function hostPortStates(host: HostResult): Map<string, PortState> {
  const out = new Map<string, PortState>();
  if (host.portStates) {
    for (const protocol of PROTOCOLS) {
      for (const state of STATES) {
        const list = host.portStates[protocol]?.[state];
        if (list) forEachListedPort(list, (port) => out.set(`${protocol}/${port}`, state));
      }
    }
  }
  for (const p of host.ports) out.set(`${p.protocol}/${p.port}`, p.state);
  return out;
}

/**
 * The `hidden` counts that go with `portStates`: per state, the ports of the lists that `ports`
 * does not list (`open|filtered` only when there are some: hiddenOfCounts).
 */
export function unlistedCounts(
  portStates: PortStates,
  ports: readonly { port: number; protocol: Protocol }[],
): HostResult['hidden'] {
  // Listed ports per protocol, sorted: each range of the lists is counted whole, less the listed
  // ports in it (a binary search), never port by port (65,536 per host with -p-: review 13, F3).
  const listed = new Map<Protocol, number[]>();
  for (const p of ports) {
    let sorted = listed.get(p.protocol);
    if (!sorted) listed.set(p.protocol, (sorted = []));
    sorted.push(p.port);
  }
  for (const [protocol, sorted] of listed) {
    listed.set(
      protocol,
      [...new Set(sorted)].sort((a, b) => a - b),
    );
  }
  const out = emptyPortStateCounts();
  for (const protocol of PROTOCOLS) {
    const mine = listed.get(protocol) ?? [];
    for (const state of STATES) {
      const list = portStates[protocol]?.[state];
      const ranges = list ? parsePortList(list) : null;
      if (!ranges) continue;
      for (let i = 0; i < ranges.length; i += 2) {
        const from = ranges[i]!;
        const to = ranges[i + 1]!;
        out[state] += to - from + 1 - countIn(mine, from, to);
      }
    }
  }
  return hiddenOfCounts(out);
}
