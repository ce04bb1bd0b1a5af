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
 * Calls `each(port)` for every port of a compact list (`"1-21,23,80-81"`, ports 0-65535, plain
 * decimal numbers, each range ascending). Returns false, having called nothing, when `list` is
 * not such a list (a name, a sign, a descending range, a port over 65535) or names more than the
 * 65,536 ports there are (overlapping ranges: `1-65535` a million times would otherwise cost a
 * file's reader billions of calls): a file's text is checked before any of it is used.
 */
export function forEachListedPort(list: string, each: (port: number) => void): boolean {
  const ranges: [number, number][] = [];
  let total = 0;
  for (const part of list.split(',')) {
    const match = /^([0-9]{1,5})(?:-([0-9]{1,5}))?$/.exec(part);
    if (!match) return false;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from > 65535 || to > 65535 || to < from) return false;
    total += to - from + 1;
    if (total > 65536) return false;
    ranges.push([from, to]);
  }
  for (const [from, to] of ranges) for (let port = from; port <= to; port++) each(port);
  return true;
}

/** How many ports a compact list names (counted once each), or null when it is not one. */
export function countListedPorts(list: string): number | null {
  const seen = new Set<number>();
  return forEachListedPort(list, (port) => seen.add(port)) ? seen.size : null;
}

/**
 * The state of every port of one host, per protocol: one byte per port up to the highest one set
 * (at most 64 KiB), allocated only for a protocol that gets a port.
 */
export class PortStateTable {
  private readonly tables: Partial<Record<Protocol, Uint8Array>> = {};
  /** The lowest and highest port set per protocol, so reading the lists skips the empty ends. */
  private readonly bounds: Partial<Record<Protocol, [number, number]>> = {};

  /** Sets a port's state, replacing what was there. */
  set(protocol: Protocol, port: number, state: PortState): void {
    let table = this.tables[protocol];
    if (!table || port >= table.length) {
      // Grown by doubling up to the port's need: most hosts only get ports up to 1024, and an
      // import of 65,536 hosts would otherwise zero 4 GiB of tables.
      let size = table?.length ?? 1024;
      while (size <= port) size *= 2;
      const grown = new Uint8Array(Math.min(size, 65536));
      if (table) grown.set(table);
      table = this.tables[protocol] = grown;
    }
    table[port] = CODE[state];
    const bounds = this.bounds[protocol];
    if (!bounds) this.bounds[protocol] = [port, port];
    else if (port < bounds[0]) bounds[0] = port;
    else if (port > bounds[1]) bounds[1] = port;
  }

  /**
   * Sets a port's state unless it already has one that matters more to an audit (open, then
   * filtered, then closed): what two sightings of the same port (two `<host>` elements) make of it.
   */
  setWorst(protocol: Protocol, port: number, state: PortState): void {
    const current = this.get(protocol, port);
    if (current === undefined || WEIGHT[state] > WEIGHT[current]) this.set(protocol, port, state);
  }

  get(protocol: Protocol, port: number): PortState | undefined {
    return STATE_OF[this.tables[protocol]?.[port] ?? 0];
  }

  /** Reads the contract's lists in (a result's `portStates`), through `setWorst`. */
  addLists(states: PortStates): void {
    for (const protocol of PROTOCOLS) {
      for (const state of STATES) {
        const list = states[protocol]?.[state];
        if (list) forEachListedPort(list, (port) => this.setWorst(protocol, port, state));
      }
    }
  }

  /** The contract's `portStates`: per protocol and state, the compact list; undefined when empty. */
  lists(): PortStates | undefined {
    const out: PortStates = {};
    for (const protocol of PROTOCOLS) {
      const table = this.tables[protocol];
      const bounds = this.bounds[protocol];
      if (!table || !bounds) continue;
      const byState: Record<PortState, number[]> = {
        open: [],
        closed: [],
        filtered: [],
        'open|filtered': [],
      };
      for (let port = bounds[0]; port <= bounds[1]; port++) {
        const state = STATE_OF[table[port]!];
        if (state) byState[state].push(port);
      }
      const lists: NonNullable<PortStates['tcp']> = {};
      for (const state of STATES) {
        if (byState[state].length > 0) lists[state] = compactPorts(byState[state]);
      }
      if (Object.keys(lists).length > 0) out[protocol] = lists;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
}

/** What matters more to an audit: open, then maybe open (open|filtered), filtered, closed. */
export const STATE_WEIGHT: Record<PortState, number> = {
  open: 4,
  'open|filtered': 3,
  filtered: 2,
  closed: 1,
};
const WEIGHT = STATE_WEIGHT;

/**
 * Every scanned port's state of a host, `"tcp/80" → "open"`: from `portStates` when the result
 * has them (engine results and imports since report format 2), else only the listed ports (an
 * older result says no more: its `hidden` ports are counts, not ports).
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
  // Listed ports per protocol as numbers: a string key per port of the lists (65,536 per host
  // with -p-) was most of a large nmap import's time.
  const listed = new Map<Protocol, Set<number>>();
  for (const p of ports) {
    let set = listed.get(p.protocol);
    if (!set) listed.set(p.protocol, (set = new Set()));
    set.add(p.port);
  }
  const out = emptyPortStateCounts();
  for (const protocol of PROTOCOLS) {
    const mine = listed.get(protocol);
    for (const state of STATES) {
      const list = portStates[protocol]?.[state];
      if (list) {
        forEachListedPort(list, (port) => {
          if (!mine?.has(port)) out[state]++;
        });
      }
    }
  }
  return hiddenOfCounts(out);
}
