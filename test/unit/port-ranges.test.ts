import { describe, expect, it } from 'vitest';
import type { PortState, PortStates, Protocol } from '../../app/contract/index.js';
import { renderNmapXml } from '../../app/report/nmap-xml-export.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import {
  compactPorts,
  compactRanges,
  countListedPorts,
  normaliseRanges,
  parsePortList,
  PortStateTable,
  STATE_WEIGHT,
  subtractPorts,
  unlistedCounts,
} from '../../app/scan/port-states.js';
import { everyPortAddress, everyPortOpenPort, generateEveryPortXml } from '../lab/nmap-xml.js';
import { seededRandom } from '../lab/random.js';

// Port lists as ranges (review 13, F3): nmap -p- names 65,535 ports per host in
// `ports="1-22,24-65535"`; reading, merging and writing them goes range by range, and every port
// keeps exactly the state it had when they were expanded one by one.

const STATES: readonly PortState[] = ['open', 'closed', 'filtered', 'open|filtered'];
const PROTOCOLS: readonly Protocol[] = ['tcp', 'udp'];

/** The reference: one slot per port, set one port at a time (what the table did before). */
class PerPortModel {
  private readonly states: Record<Protocol, (PortState | undefined)[]> = { tcp: [], udp: [] };

  set(protocol: Protocol, port: number, state: PortState, worst: boolean): void {
    const current = this.states[protocol][port];
    if (!worst || current === undefined || STATE_WEIGHT[state] > STATE_WEIGHT[current]) {
      this.states[protocol][port] = state;
    }
  }

  get(protocol: Protocol, port: number): PortState | undefined {
    return this.states[protocol][port];
  }

  lists(): PortStates | undefined {
    const out: PortStates = {};
    for (const protocol of PROTOCOLS) {
      const lists: NonNullable<PortStates['tcp']> = {};
      for (const state of STATES) {
        const ports: number[] = [];
        this.states[protocol].forEach((s, port) => {
          if (s === state) ports.push(port);
        });
        if (ports.length > 0) lists[state] = compactPorts(ports);
      }
      if (Object.keys(lists).length > 0) out[protocol] = lists;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
}

describe('flat port ranges', () => {
  it('are read from a compact list range by range, and refused as before', () => {
    expect(parsePortList('1-22,24-65535')).toEqual([1, 22, 24, 65535]);
    expect(parsePortList('0,5-5,80-81')).toEqual([0, 0, 5, 5, 80, 81]);
    for (const bad of ['', '5-3', '65536', '1,,2', '-1', '1-2-3', ' 1', '1e3', '0-65535,1']) {
      expect(parsePortList(bad), bad).toBeNull();
    }
    expect(countListedPorts('1-10,5-12,20')).toBe(13);
    expect(countListedPorts('0-65535')).toBe(65536);
  });

  it('are sorted, joined, written and have ports taken out', () => {
    expect(normaliseRanges([50, 60, 1, 3, 4, 4, 10, 20, 15, 30])).toEqual([1, 4, 10, 30, 50, 60]);
    expect(compactRanges([1, 4, 10, 10, 50, 60])).toBe('1-4,10,50-60');
    expect(subtractPorts([1, 65535], [23])).toEqual([1, 22, 24, 65535]);
    expect(subtractPorts([1, 3, 5, 5, 7, 9], [1, 5, 8, 9, 100])).toEqual([2, 3, 7, 7]);
    expect(subtractPorts([1, 3], [])).toEqual([1, 3]);
  });

  it('count the unlisted ports of each state without naming them one by one', () => {
    expect(
      unlistedCounts({ tcp: { open: '23', closed: '1-22,24-65535' }, udp: { closed: '1-10' } }, [
        { port: 23, protocol: 'tcp' },
        { port: 5, protocol: 'udp' },
        { port: 5, protocol: 'udp' },
      ]),
    ).toEqual({ open: 0, closed: 65534 + 9, filtered: 0 });
  });
});

describe('a table of runs', () => {
  it('gives every port the state the per-port table gave it, whatever the order of the writes', () => {
    const random = seededRandom(20_261_202);
    const pick = (n: number) => Math.floor(random() * n);
    for (let round = 0; round < 100; round++) {
      const table = new PortStateTable();
      const model = new PerPortModel();
      // A small port space so runs touch, split and join often; sometimes the whole space.
      const span = round % 20 === 0 ? 65536 : 40;
      for (let step = 0; step < 60; step++) {
        const protocol = PROTOCOLS[pick(2)]!;
        const state = STATES[pick(4)]!;
        const from = pick(span);
        const kind = pick(4);
        if (kind === 0) {
          table.set(protocol, from, state);
          model.set(protocol, from, state, false);
        } else if (kind === 1) {
          table.setWorst(protocol, from, state);
          model.set(protocol, from, state, true);
        } else if (kind === 2) {
          const to = Math.min(span - 1, from + pick(span === 40 ? 12 : 3000));
          table.setRange(protocol, from, to, state);
          for (let port = from; port <= to; port++) model.set(protocol, port, state, false);
        } else {
          // addLists: the other's lists read in, the state that matters most kept.
          const other = new PerPortModel();
          for (let k = 0; k < 4; k++) {
            const a = pick(span);
            const b = Math.min(span - 1, a + pick(10));
            for (let port = a; port <= b; port++)
              other.set(protocol, port, STATES[pick(4)]!, false);
          }
          const lists = other.lists();
          if (lists) {
            table.addLists(lists);
            for (const p of PROTOCOLS) {
              for (const s of STATES) {
                const list = lists[p]?.[s];
                const ranges = list ? parsePortList(list)! : [];
                for (let i = 0; i < ranges.length; i += 2) {
                  for (let port = ranges[i]!; port <= ranges[i + 1]!; port++) {
                    model.set(p, port, s, true);
                  }
                }
              }
            }
          }
        }
        // The reference's lists walk every port: after each step only in the small space.
        if (span === 40 || step === 59) {
          expect(table.lists(), `round ${round}, step ${step}`).toEqual(model.lists());
        }
      }
      for (let k = 0; k < 50; k++) {
        const protocol = PROTOCOLS[pick(2)]!;
        const port = pick(span);
        expect(table.get(protocol, port)).toBe(model.get(protocol, port));
      }
    }
  });

  it('folds in the ports set out of order among many runs, as the engine sets them', () => {
    const random = seededRandom(65_536);
    const pick = (n: number) => Math.floor(random() * n);
    const table = new PortStateTable();
    const model = new PerPortModel();
    const ports = Array.from({ length: 3000 }, (_, i) => i);
    for (let i = ports.length - 1; i > 0; i--) {
      const j = pick(i + 1);
      [ports[i], ports[j]] = [ports[j]!, ports[i]!];
    }
    ports.forEach((port, i) => {
      const state = STATES[pick(3)]!;
      table.set('tcp', port, state);
      model.set('tcp', port, state, false);
      // Now and then a range, a worst-of or a read between them: each sees every earlier set.
      if (i % 97 === 0) {
        const from = pick(3000);
        const to = Math.min(2999, from + pick(40));
        table.setRange('tcp', from, to, 'filtered');
        for (let p = from; p <= to; p++) model.set('tcp', p, 'filtered', false);
      } else if (i % 89 === 0) {
        table.setWorst('tcp', port, 'open|filtered');
        model.set('tcp', port, 'open|filtered', true);
      } else if (i % 83 === 0) {
        const probe = pick(3000);
        expect(table.get('tcp', probe)).toBe(model.get('tcp', probe));
      }
    });
    expect(table.lists()).toEqual(model.lists());
    // And set again out of order after the lists were read.
    for (const port of ports.slice(0, 500)) {
      table.set('tcp', port, 'closed');
      model.set('tcp', port, 'closed', false);
    }
    expect(table.lists()).toEqual(model.lists());
  });

  it('keeps a -p- host as the few runs nmap wrote', () => {
    const table = new PortStateTable();
    table.setRange('tcp', 1, 22, 'closed');
    table.setRange('tcp', 24, 65535, 'closed');
    table.set('tcp', 23, 'open');
    expect(table.lists()).toEqual({ tcp: { open: '23', closed: '1-22,24-65535' } });
    table.set('tcp', 23, 'closed');
    expect(table.lists()).toEqual({ tcp: { closed: '1-65535' } });
  });
});

describe('a 2,000-host nmap -p- file', () => {
  // Before the lists were read as ranges, this file took over a minute to import and three to
  // export (65,535 ports per host, one at a time): the project's 20 s test timeout bounds the
  // work; the assertions are on every port's state.
  const HOSTS = 2000;
  const closedOf = (open: number) => compactRanges(subtractPorts([1, 65535], [open]));

  it('imports and exports every port’s state, in nmap’s own lists', () => {
    const xml = generateEveryPortXml(HOSTS);
    const { scan } = importNmapXml(xml);
    expect(scan.hosts).toHaveLength(HOSTS);
    scan.hosts.forEach((host, i) => {
      const open = everyPortOpenPort(i);
      expect(host.address).toBe(everyPortAddress(i));
      expect(host.ports.map((p) => [p.port, p.state])).toEqual([[open, 'open']]);
      expect(host.hidden).toEqual({ open: 0, closed: 65534, filtered: 0 });
      expect(host.portStates).toEqual({ tcp: { open: String(open), closed: closedOf(open) } });
    });
    expect(scan.hosts[0]!.portStates?.tcp?.closed).toBe('2-65535');
    expect(scan.hosts[1]!.portStates?.tcp?.closed).toBe('1-65534');

    const out = renderNmapXml(scan);
    // A SYN scan (the file's scaninfo): its closed ports are nmap's `reset`, as read (review 13 N5).
    const reasons = [
      ...out.matchAll(/<extrareasons reason="reset" count="(\d+)" proto="tcp" ports="([^"]*)"\/>/g),
    ];
    expect(reasons).toHaveLength(HOSTS);
    reasons.forEach((match, i) => {
      expect(match[1]).toBe('65534');
      expect(match[2]).toBe(closedOf(everyPortOpenPort(i)));
    });
    const back = importNmapXml(out).scan;
    expect(back.hosts.map((h) => [h.address, h.portStates, h.hidden])).toEqual(
      scan.hosts.map((h) => [h.address, h.portStates, h.hidden]),
    );
  });

  it('merges a host given twice range by range', () => {
    const one = generateEveryPortXml(1);
    const host = one.match(/<host [\s\S]*<\/host>/)![0];
    // The same address seen again with port 2 open (and 1 closed): both open in the merge.
    const again = host
      .replace('ports="2-65535"', 'ports="1,3-65535"')
      .replace('portid="1"', 'portid="2"');
    const twice = one.replace('</host>', `</host>\n${again}`);
    const merged = importNmapXml(twice).scan.hosts[0]!;
    expect(merged.portStates).toEqual({ tcp: { open: '1-2', closed: '3-65535' } });
    expect(merged.hidden).toEqual({ open: 0, closed: 65533, filtered: 0 });
  });
});
