import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReportInput, type PortState, type ScanResult } from '../../app/contract/index.js';
import { parseIp } from '../../app/net/address.js';
import { renderJson } from '../../app/report/json.js';
import { buildReportModel } from '../../app/report/model.js';
import { renderNmapXml } from '../../app/report/nmap-xml-export.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { serializeIntervals } from '../../app/scan/addresses.js';
import { ScanEngine, type ScanPlan } from '../../app/scan/engine.js';
import {
  compactPorts,
  forEachListedPort,
  hostPortStates,
  PortStateTable,
} from '../../app/scan/port-states.js';
import { SimProber, simNeighbours, VirtualClock, type SimAnswer } from './support/sim-network.js';

// Exports that lose nothing (issue 13): every scanned port's state survives the engine's result,
// the JSON report, our nmap XML and its import, and nmap 7.93's own `<extrareasons ports=…>`.

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

const DEVICE = '10.9.0.9';
const PORTS = range(1, 1052);
const OPEN = new Set([22, 80]);
/** 27 filtered ports, scattered: an ICMP-rejected range and odd ones among closed ports. */
const FILTERED = new Set([...range(1002, 1007), 1009, ...range(1011, 1025), 3, 77, 135, 139, 445]);

function expectedState(port: number): Exclude<PortState, 'open|filtered'> {
  return OPEN.has(port) ? 'open' : FILTERED.has(port) ? 'filtered' : 'closed';
}

async function engineScan(): Promise<ScanResult> {
  const { family, value } = parseIp(DEVICE)!;
  const plan: ScanPlan = {
    scanId: 'states',
    request: { targets: DEVICE, ports: '1-1052', skipDiscovery: true, confirmed: false },
    intervals: serializeIntervals([{ family, start: value, end: value }]),
    count: 1,
    hostnames: {},
    zones: {},
    localAddresses: ['127.0.0.1', '::1'],
    connected: [],
    ports: PORTS,
    notes: [],
    tuning: {},
  };
  const clock = new VirtualClock();
  const ANSWER: Record<Exclude<PortState, 'open|filtered'>, SimAnswer> = {
    open: { kind: 'open' },
    closed: { kind: 'closed' },
    filtered: { kind: 'silent' },
  };
  const answer = (port: number): SimAnswer => ANSWER[expectedState(port)];
  const prober = new SimProber(clock, { [DEVICE]: { rttMs: 0.3, answer } });
  const engine = new ScanEngine(plan, () => {}, {
    prober,
    clock,
    neighbours: simNeighbours(),
  });
  let result: ScanResult | undefined;
  void engine.run().then((r) => (result = r));
  await clock.runUntil(() => result !== undefined);
  return result!;
}

function everyState(scan: ScanResult): Map<string, PortState> {
  expect(scan.hosts).toHaveLength(1);
  return hostPortStates(scan.hosts[0]!);
}

const expected = new Map(PORTS.map((port) => [`tcp/${port}`, expectedState(port)]));

describe('every port’s state, from the engine to the exports and back', () => {
  it('the engine’s result names every port of a host with 1,023 closed and 27 filtered ones', async () => {
    const scan = await engineScan();
    const host = scan.hosts[0]!;
    expect(host.hidden).toEqual({ open: 0, closed: 1023, filtered: 27 });
    expect(host.ports.map((p) => p.port)).toEqual([22, 80]);
    expect(host.portStates?.tcp?.filtered).toBe('3,77,135,139,445,1002-1007,1009,1011-1025');
    expect(everyState(scan)).toEqual(expected);
  });

  it('JSON report → nmap XML → import keeps every port’s state', async () => {
    const scan = await engineScan();
    const json = JSON.parse(
      renderJson(buildReportModel({ scan, pcName: 'PC' }), { scan }, 'en'),
    ) as { version: number; scan: unknown };
    expect(json.version).toBe(4);
    const fromJson = ReportInput.parse({ scan: json.scan }).scan;
    expect(everyState(fromJson)).toEqual(expected);

    const xml = renderNmapXml(fromJson);
    expect(xml).toContain(
      '<extraports state="filtered" count="27">\n<extrareasons reason="no-response" count="27" proto="tcp" ports="3,77,135,139,445,1002-1007,1009,1011-1025"/>',
    );
    expect(xml).toMatch(
      /<extraports state="closed" count="1023">\n<extrareasons reason="conn-refused" count="1023" proto="tcp" ports="1-2,4-21,23-76,78-79,81-134,/,
    );
    const back = importNmapXml(xml).scan;
    expect(back.hosts[0]!.hidden).toEqual({ open: 0, closed: 1023, filtered: 27 });
    expect(everyState(back)).toEqual(expected);
    // All but where it came from: a file never says it is this app's engine run (review F4).
    const { source, ...rest } = back;
    expect(source?.kind).toBe('nmap');
    const { source: _ours, ...ours } = fromJson;
    void _ours;
    expect(rest).toEqual(ours);
  });
});

/** What nmap 7.93 writes for `nmap -sT -sU -p T:1-30,U:53,161 -oX -` (trimmed). */
const NMAP_TCP_UDP = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<nmaprun scanner="nmap" args="nmap -sT -sU -p T:1-30,U:53,161 -oX - 10.9.0.9" start="1796056402" version="7.93" xmloutputversion="1.05">
<scaninfo type="connect" protocol="tcp" numservices="30" services="1-30"/>
<scaninfo type="udp" protocol="udp" numservices="2" services="53,161"/>
<host starttime="1796056402" endtime="1796056402"><status state="up" reason="syn-ack" reason_ttl="0"/>
<address addr="10.9.0.9" addrtype="ipv4"/>
<hostnames>
</hostnames>
<ports><extraports state="closed" count="28">
<extrareasons reason="port-unreach" count="1" proto="udp" ports="161"/>
<extrareasons reason="conn-refused" count="27" proto="tcp" ports="1-21,24-29"/>
</extraports>
<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="ssh" method="table" conf="3"/></port>
<port protocol="tcp" portid="23"><state state="filtered" reason="no-response" reason_ttl="0"/></port>
<port protocol="tcp" portid="30"><state state="open" reason="syn-ack" reason_ttl="0"/></port>
<port protocol="udp" portid="53"><state state="open|filtered" reason="no-response" reason_ttl="0"/></port>
</ports>
</host>
<runstats><finished time="1796056402" elapsed="0.17" exit="success"/><hosts up="1" down="0" total="1"/>
</runstats>
</nmaprun>
`;

describe('nmap XML `<extrareasons ports=…>`', () => {
  it('gives each protocol’s ports their state, listed and unlisted', () => {
    const host = importNmapXml(NMAP_TCP_UDP).scan.hosts[0]!;
    expect(host.portStates).toEqual({
      tcp: { open: '22,30', closed: '1-21,24-29', filtered: '23' },
      udp: { closed: '161', 'open|filtered': '53' },
    });
    expect(host.hidden).toEqual({ open: 0, closed: 28, filtered: 0 });
    // Written back as nmap does: one <extrareasons> per protocol, with its ports.
    const again = importNmapXml(renderNmapXml(importNmapXml(NMAP_TCP_UDP).scan)).scan.hosts[0]!;
    expect(hostPortStates(again)).toEqual(hostPortStates(host));
  });

  it('is left out when the file only counts the unlisted ports (older nmap) or the lists do not add up', () => {
    const counted = NMAP_TCP_UDP.replace(' proto="udp" ports="161"', ' proto="udp"');
    expect(importNmapXml(counted).scan.hosts[0]!.portStates).toBeUndefined();
    expect(importNmapXml(counted).scan.hosts[0]!.hidden.closed).toBe(28);
    const short = NMAP_TCP_UDP.replace('ports="1-21,24-29"', 'ports="1-21,24-28"');
    expect(importNmapXml(short).scan.hosts[0]!.portStates).toBeUndefined();
    const hostile = NMAP_TCP_UDP.replace('ports="1-21,24-29"', 'ports="1-65535,1-65535"');
    expect(importNmapXml(hostile).scan.hosts[0]!.portStates).toBeUndefined();
    // A list naming more ports than its element counts, once its refused entries are left out.
    const over = NMAP_TCP_UDP.replace('ports="1-21,24-29"', 'ports="1-21,24-40,x"');
    expect(importNmapXml(over).scan.hosts[0]!.portStates).toBeUndefined();
  });

  it('merges the same address in two <host> elements port by port', () => {
    const second = NMAP_TCP_UDP.match(/<host [\s\S]*<\/host>/)![0]
      .replace('count="28"', 'count="27"')
      .replace(
        'count="27" proto="tcp" ports="1-21,24-29"',
        'count="26" proto="tcp" ports="1-20,24-29"',
      )
      .replace(
        '<port protocol="tcp" portid="22">',
        '<port protocol="tcp" portid="21"><state state="open" reason="syn-ack" reason_ttl="0"/></port><port protocol="tcp" portid="22">',
      );
    const twice = NMAP_TCP_UDP.replace('</host>', `</host>\n${second}`);
    const host = importNmapXml(twice).scan.hosts[0]!;
    expect(host.portStates?.tcp).toEqual({
      open: '21-22,30',
      closed: '1-20,24-29',
      filtered: '23',
    });
    expect(host.hidden).toEqual({ open: 0, closed: 27, filtered: 0 });
  });
});

describe('compact port lists', () => {
  it('write and read nmap’s form', () => {
    expect(compactPorts([0, 1, 2, 5, 65535])).toBe('0-2,5,65535');
    const seen: number[] = [];
    expect(forEachListedPort('0-2,5,65535', (p) => seen.push(p))).toBe(true);
    expect(seen).toEqual([0, 1, 2, 5, 65535]);
    for (const bad of ['', '5-3', '65536', '1,,2', '-1', '1-2-3', ' 1', '1e3']) {
      expect(
        forEachListedPort(bad, () => {}),
        bad,
      ).toBe(false);
    }
  });

  it('a table keeps the state that matters most when a port is seen twice', () => {
    const table = new PortStateTable();
    table.setWorst('tcp', 80, 'closed');
    table.setWorst('tcp', 80, 'open');
    table.setWorst('tcp', 80, 'filtered');
    table.setWorst('udp', 53, 'filtered');
    expect(table.lists()).toEqual({ tcp: { open: '80' }, udp: { filtered: '53' } });
  });
});

describe('the loopback fixture of real nmap 7.93', () => {
  it('names its 1,022 closed ports', () => {
    const xml = readFileSync(new URL('../fixtures/nmap/loopback-sT.xml', import.meta.url), 'utf8');
    const host = importNmapXml(xml).scan.hosts[0]!;
    expect(host.portStates?.tcp).toEqual({
      open: '23,445,34547',
      closed: '1-22,24-444,446-1024',
    });
  });
});
