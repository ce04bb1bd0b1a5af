import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PortState, PortStates } from '../../app/contract/index.js';
import { PortStates as PortStatesSchema } from '../../app/contract/scan.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import {
  compactPorts,
  parsePortList,
  PortStateTable,
  readPortList,
  STATE_WEIGHT,
} from '../../app/scan/port-states.js';
import { seededRandom } from '../lab/random.js';
import { typeset } from './support/typography.js';
import { useOwnDataDir } from './support/own-data-dir.js';

useOwnDataDir('port-lists');

// Review findings A5, N6 and A4 of issue 13: an `<extrareasons ports=…>` list is read item by item
// as strictly as `portid` (a refused entry is left out and counted in the import's note as list
// entries, never dropped in silence; the list's valid ports keep their state), and a list in any
// order costs one sort and one pass, not a copy of the table per range.

const fixture = readFileSync(new URL('../fixtures/nmap/loopback-sT.xml', import.meta.url), 'utf8');
const LIST = 'ports="1-22,24-444,446-1024"';
const now = new Date('2026-11-30T12:00:00.000Z');

describe('a ports= list item nmap would not write (A5)', () => {
  it('is refused by the list readers: a leading zero, a descending range', () => {
    expect(parsePortList('1-22,024')).toBeNull();
    expect(parsePortList('300-250')).toBeNull();
    expect(parsePortList('0,10-20')).toEqual([0, 0, 10, 20]);
    expect(readPortList('1-22,024,300-250,080-81,25,0')).toEqual({
      ranges: [1, 22, 25, 25, 0, 0],
      refused: 3,
      tooMany: false,
    });
    // The contract's lists (a JSON report's portStates) are refused likewise.
    expect(PortStatesSchema.safeParse({ tcp: { closed: '1-22,024' } }).success).toBe(false);
    expect(PortStatesSchema.safeParse({ tcp: { closed: '0,1-22,24' } }).success).toBe(true);
  });

  it('is left out and counted as list entries in the import’s note, in French and English (N6)', () => {
    const odd = fixture.replace(LIST, 'ports="1-22,024-444,1024-446"');
    expect(odd).not.toBe(fixture);
    const { scan } = importNmapXml(odd, { now });
    expect(scan.notes).toContainEqual({
      fr: typeset(
        'Fichier nmap : 2 entrées d’une liste de ports n’étaient pas des numéros de port et ont été écartées',
      ),
      en: 'nmap file: 2 entries of a ports list were not port numbers and were left out',
    });
    // Not worded as ports: nothing says how many ports `024-444` stood for.
    expect(scan.notes.map((n) => n.en).join('\n')).not.toContain('ports ignored');
    const host = scan.hosts[0]!;
    // The list's valid part keeps its state; the ports the refused entries stood for are unknown,
    // so the host counts the closed ports the list names, not the 1,022 the file claimed.
    expect(host.portStates).toEqual({ tcp: { open: '23,445,34547', closed: '1-22' } });
    expect(host.hidden.closed).toBe(22);
    expect(host.ports.map((p) => p.port)).toEqual([23, 445, 34547]);
  });

  it('a leading zero alone ("024") is one entry left out', () => {
    const odd = fixture.replace(LIST, 'ports="1-22,024,25-444,446-1024"');
    const { scan } = importNmapXml(odd, { now });
    expect(scan.notes.map((n) => n.en)).toContainEqual(
      'nmap file: 1 entry of a ports list was not a port number and was left out',
    );
    expect(scan.hosts[0]!.portStates?.tcp?.closed).toBe('1-22,25-444,446-1024');
    // nmap's own list is read whole, with no note.
    const plain = importNmapXml(fixture, { now }).scan;
    expect(plain.notes.map((n) => n.en).join('\n')).not.toContain('ignored');
    expect(plain.hosts[0]!.portStates?.tcp?.closed).toBe('1-22,24-444,446-1024');
  });
});

/** `count` ports alternating closed and filtered, each state's list from both ends inwards. */
function crossedLists(count: number): { closed: string; filtered: string } {
  const order = (parity: number) => {
    const ports = Array.from({ length: count / 2 }, (_, i) => 2 * i + parity);
    const out: number[] = [];
    for (let lo = 0, hi = ports.length - 1; lo <= hi; lo++, hi--) {
      out.push(ports[hi]!);
      if (lo !== hi) out.push(ports[lo]!);
    }
    return out.join(',');
  };
  return { closed: order(0), filtered: order(1) };
}

/**
 * Runs `work` counting the array elements `Array.prototype.splice` moves or inserts (the tail
 * after `start`, plus the items added): the copy per range that made an out-of-order list
 * quadratic. The real splice runs; the count is the only addition.
 */
function splicedElements(work: () => void): number {
  const original = Array.prototype.splice;
  let moved = 0;
  Array.prototype.splice = function (this: unknown[], ...args: unknown[]) {
    const start = Number(args[0] ?? 0);
    const from = start < 0 ? Math.max(0, this.length + start) : Math.min(start, this.length);
    moved += this.length - from + Math.max(0, args.length - 2);
    return original.apply(this, args as Parameters<typeof original>);
  } as typeof original;
  try {
    work();
  } finally {
    Array.prototype.splice = original;
  }
  return moved;
}

describe('a ports= list out of order (A4)', () => {
  it('is read with work linear in its length, every port in its state', () => {
    const PORTS = 65_536;
    const { closed, filtered } = crossedLists(PORTS);
    const xml = fixture
      .replace(
        /<extraports state="closed" count="1022">[\s\S]*?<\/extraports>/,
        `<extraports state="closed" count="${PORTS / 2}">\n<extrareasons reason="conn-refused" count="${PORTS / 2}" proto="tcp" ports="${closed}"/>\n</extraports>\n` +
          `<extraports state="filtered" count="${PORTS / 2}">\n<extrareasons reason="no-response" count="${PORTS / 2}" proto="tcp" ports="${filtered}"/>\n</extraports>`,
      )
      .replace(/<port protocol="tcp" portid="(23|445|34547)">[\s\S]*?<\/port>\n/g, '');
    expect(xml.length).toBeGreaterThan(350_000);
    let host: ReturnType<typeof importNmapXml>['scan']['hosts'][number] | undefined;
    const moved = splicedElements(() => {
      host = importNmapXml(xml, { now }).scan.hosts[0];
    });
    // Before the fix: ~n²/4 elements copied (10^9 for these 65,536 ranges); now none per range.
    expect(moved).toBeLessThan(4 * PORTS);
    expect(host!.hidden).toEqual({ open: 0, closed: PORTS / 2, filtered: PORTS / 2 });
    const even = Array.from({ length: PORTS / 2 }, (_, i) => 2 * i);
    expect(host!.portStates).toEqual({
      tcp: { closed: compactPorts(even), filtered: compactPorts(even.map((p) => p + 1)) },
    });
  });

  it('sets the same states as one port at a time would, overlaps taking the heaviest', () => {
    const STATES: readonly PortState[] = ['open', 'closed', 'filtered', 'open|filtered'];
    const random = seededRandom(1313);
    const pick = (n: number) => Math.floor(random() * n);
    for (let round = 0; round < 200; round++) {
      const span = round % 25 === 0 ? 65536 : 60;
      const table = new PortStateTable();
      const model: (PortState | undefined)[] = [];
      // Some ports set before, replaced where a list names them.
      for (let k = 0; k < 5; k++) {
        const from = pick(span);
        const to = Math.min(span - 1, from + pick(20));
        const state = STATES[pick(4)]!;
        table.setRange('tcp', from, to, state);
        for (let p = from; p <= to; p++) model[p] = state;
      }
      const lists: { state: PortState; ranges: number[] }[] = [];
      const named: (PortState | undefined)[] = [];
      for (let l = 0; l < 1 + pick(5); l++) {
        const state = STATES[pick(4)]!;
        const ranges: number[] = [];
        for (let r = 0; r < pick(8); r++) {
          const from = pick(span);
          const to = Math.min(span - 1, from + pick(15));
          ranges.push(from, to);
          for (let p = from; p <= to; p++) {
            const seen = named[p];
            if (seen === undefined || STATE_WEIGHT[state] > STATE_WEIGHT[seen]) named[p] = state;
          }
        }
        lists.push({ state, ranges });
      }
      table.setRangeLists('tcp', lists);
      named.forEach((state, p) => {
        if (state) model[p] = state;
      });
      const expected: NonNullable<PortStates['tcp']> = {};
      for (const state of STATES) {
        const ports: number[] = [];
        model.forEach((s, p) => {
          if (s === state) ports.push(p);
        });
        if (ports.length > 0) expected[state] = compactPorts(ports);
      }
      expect(table.lists()?.tcp ?? {}, `round ${round}`).toEqual(expected);
    }
  });
});
