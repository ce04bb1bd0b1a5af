import type { Severity } from './risk.js';
import type {
  HostReason,
  HostResult,
  HostStatus,
  PortState,
  PortStates,
  Protocol,
} from './scan.js';
import { compareSeverity, emptySeverityCounts } from './vocabulary.js';

/**
 * One device per machine (issue 13): a scan lists addresses, a user thinks in machines. This PC's
 * addresses (loopback, its LAN address, IPv6 link-local…) are one device, "This PC"; an imported
 * file's addresses of the machine that made it, when that is not this PC (its loopback, and those
 * nmap said were itself: `reason` `scanner` or `reporter`), are one device, "the PC that ran nmap"
 * (review 13c attacker B3); two other addresses with the same MAC address (a device's IPv4 and
 * IPv6) are one device; any other address is a device of its own, since nothing says which
 * addresses share one.
 *
 * Pure code whose only run-time import is the vocabulary (severity order), so the app (reports,
 * CLI, risk counts) and the renderer (lint allows this module as it allows xml-bytes and datetime)
 * fold alike.
 */

/**
 * An address as a user reads and types it: with its zone when it has one (`fe80::1%veth-a`, RFC
 * 4007 §11), since the same link-local address can be a different device on each link and is
 * refused as a target without it. `address` stays the key (verdicts, rules, neighbour tables).
 */
export function zonedAddress(host: { address: string; zone?: string | undefined }): string {
  return host.zone ? `${host.address}%${host.zone}` : host.address;
}

/** What the fold reads of an address's result: HostResult, the renderer's HostView, a ReportHost. */
export interface FoldableHost {
  address: string;
  /** A link-local address's zone (HostResult.zone): shown, never part of a key. */
  zone?: string | undefined;
  isLocal: boolean;
  /** `aa:bb:cc:dd:ee:ff`, any case. */
  mac?: string;
  /** Why it is up (HostResult.reason): `scanner`/`reporter` name the file's own machine. */
  reason?: HostReason | undefined;
  status: HostStatus;
  ports: readonly { port: number; protocol: Protocol; state: PortState }[];
}

/**
 * A service of a device: an open port and the program listening on it, once, with the addresses
 * it was found open on. A port open on two addresses is one service unless two different programs
 * hold it (splitByProgram): program A on 127.0.0.1:8080 and program B on 127.0.0.5:8080 are two.
 */
export interface DeviceService {
  port: number;
  protocol: Protocol;
  /** In the device's address order. */
  addresses: string[];
  /** The program the verdicts name for these addresses, when they name one (this PC only). */
  program?: ServiceProgram;
}

/** A program as the verdicts name it (PortAssessment.program): its process id and name. */
export interface ServiceProgram {
  pid: number;
  name: string;
}

/**
 * What makes two programs one: the same process (pid) under the same name. Two processes of one
 * executable (two `node` servers) are two programs, each with its own verdict. Undefined: unknown.
 */
export function programKey(program: ServiceProgram | undefined): string | undefined {
  return program ? `${program.pid}\u0000${program.name}` : undefined;
}

/** The program listening on `port` at `address`, as the verdicts know it (programLookup). */
export type ProgramLookup = (
  address: string,
  port: number,
  protocol: Protocol,
) => ServiceProgram | undefined;

/** A ProgramLookup over the verdicts of some addresses (HostAssessment fits). */
export function programLookup(
  verdicts: Iterable<{
    address: string;
    ports: readonly { port: number; protocol: Protocol; program?: ServiceProgram | undefined }[];
  }>,
): ProgramLookup {
  const known = new Map<string, ServiceProgram>();
  for (const host of verdicts) {
    for (const p of host.ports) {
      if (p.program) known.set(`${host.address}|${p.protocol}/${p.port}`, p.program);
    }
  }
  return (address, port, protocol) => known.get(`${address}|${protocol}/${port}`);
}

/**
 * The rows one port of one device makes (issue 13, review F2/F3): `items` (the port on each of the
 * device's addresses, in their order) split by their program's key (`keyOf`, undefined when not
 * known). When at most one program is known they are one row: the same program, or addresses
 * whose owner is unknown that may well be that one program's (a socket on 0.0.0.0 is seen on
 * every address). When several different programs are known, one row each, in the order they
 * first come, and the addresses of unknown owner one row of their own, since nothing says which
 * program they are. Never returns an empty row.
 */
export function splitByProgram<T>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
): T[][] {
  const rows = new Map<string | undefined, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const row = rows.get(key);
    if (row) row.push(item);
    else rows.set(key, [item]);
  }
  const known = [...rows.keys()].filter((key) => key !== undefined);
  if (known.length <= 1) return items.length > 0 ? [[...items]] : [];
  return [...rows.values()];
}

export interface Device<H extends FoldableHost> {
  /**
   * `this-pc`, `file-pc` (FILE_PC_KEY), `mac:aa:bb:cc:dd:ee:ff`, or the address of a device known
   * by one address.
   */
  key: string;
  isLocal: boolean;
  /** Its addresses worth showing, the one to name it by first (see `foldDevices`). */
  hosts: H[];
  /**
   * This PC's (or the file's machine's) loopback and link-local addresses with nothing listed: no
   * card of their own, only named as more addresses of the device.
   */
  folded: H[];
  /** Each open port once, with the addresses it is open on. */
  services: DeviceService[];
}

/** The device key of the machine that made an imported file, when it is not this PC. */
export const FILE_PC_KEY = 'file-pc';

/**
 * Whether an address is one of the machine that made an imported file, that machine not being
 * this PC: its `reason` is `scanner` (nmap's own address, `localhost-response`, or its loopback)
 * or `reporter` (a JSON report's loopback), as the import worked them out (fileHostReason in
 * app/report/nmap-xml-import.ts). A loopback packet never leaves its host (RFC 1122 §3.2.1.3)
 * and nmap answers `localhost-response` only for its own interfaces: all one machine.
 */
export function isFilePc(host: Pick<FoldableHost, 'isLocal' | 'reason'>): boolean {
  return !host.isLocal && (host.reason === 'scanner' || host.reason === 'reporter');
}

/** The key of the device an address belongs to, given the MAC addresses two addresses share. */
export function deviceKeyOf(
  host: Pick<FoldableHost, 'address' | 'isLocal' | 'mac' | 'reason'>,
  sharedMacs: ReadonlySet<string> = new Set(),
): string {
  if (host.isLocal) return 'this-pc';
  if (isFilePc(host)) return FILE_PC_KEY;
  const mac = host.mac?.toLowerCase();
  return mac && sharedMacs.has(mac) ? `mac:${mac}` : host.address;
}

/** The MAC addresses that two or more addresses (not this PC's) share. */
export function sharedMacs(hosts: readonly Pick<FoldableHost, 'isLocal' | 'mac'>[]): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const host of hosts) {
    const mac = host.mac?.toLowerCase();
    if (!mac || host.isLocal) continue;
    if (seen.has(mac)) shared.add(mac);
    seen.add(mac);
  }
  return shared;
}

/** 127.0.0.0/8, ::1, fe80::/10 (zone or not), ::ffff:127.x: addresses only this PC or its link see. */
export function isLoopbackOrLinkLocal(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (/^127\./.test(a) || /^::ffff:127\./.test(a) || a === '::1') return true;
  if (/^169\.254\./.test(a)) return true;
  return /^fe[89ab][0-9a-f]?:/.test(a);
}

/**
 * The order of a device's addresses: the ones with open ports first, then an address other
 * devices reach (LAN, IPv4 first) before loopback and link-local ones, then the input's order.
 */
function addressRank(host: FoldableHost): number {
  const open = host.ports.some((p) => p.state === 'open') ? 0 : 4;
  const reach = isLoopbackOrLinkLocal(host.address) ? 2 : 0;
  const family = host.address.includes(':') ? 1 : 0;
  return open + reach + family;
}

/**
 * Folds the addresses of a scan into devices, in the order of their first address in `hosts`
 * (sort the hosts first). Down addresses stay devices of their own (nothing to fold), except
 * that this PC's addresses are always This PC. A device whose every address was folded away
 * still keeps one to be named by. `programOf` names who listens on each open port (programLookup
 * over the verdicts): a port two different programs hold on two addresses is two services, one
 * per program (splitByProgram); without it (no verdicts yet) a port is one service.
 */
export function foldDevices<H extends FoldableHost>(
  hosts: readonly H[],
  programOf: ProgramLookup = () => undefined,
): Device<H>[] {
  const shared = sharedMacs(hosts);
  const byKey = new Map<string, H[]>();
  for (const host of hosts) {
    const key = host.status === 'down' && !host.isLocal ? host.address : deviceKeyOf(host, shared);
    const members = byKey.get(key);
    if (members) members.push(host);
    else byKey.set(key, [host]);
  }
  const devices: Device<H>[] = [];
  for (const [key, members] of byKey) {
    const ordered = members
      .map((host, index) => ({ host, index }))
      .sort((a, b) => addressRank(a.host) - addressRank(b.host) || a.index - b.index)
      .map((x) => x.host);
    const isLocal = key === 'this-pc';
    const empty = (h: H) => h.ports.length === 0 && isLoopbackOrLinkLocal(h.address);
    // The file's machine, like this PC, has loopback addresses with nothing to show.
    let shown = isLocal || key === FILE_PC_KEY ? ordered.filter((h) => !empty(h)) : ordered;
    if (shown.length === 0) shown = ordered.slice(0, 1);
    const folded = ordered.filter((h) => !shown.includes(h));
    const openOn = new Map<string, { port: number; protocol: Protocol; at: H[] }>();
    for (const host of ordered) {
      for (const p of host.ports) {
        if (p.state !== 'open') continue;
        const id = `${p.protocol}/${p.port}`;
        const service = openOn.get(id);
        if (service) service.at.push(host);
        else openOn.set(id, { port: p.port, protocol: p.protocol, at: [host] });
      }
    }
    const services: DeviceService[] = [];
    for (const { port, protocol, at } of openOn.values()) {
      const program = (h: H) => programOf(h.address, port, protocol);
      for (const row of splitByProgram(at, (h) => programKey(program(h)))) {
        const named = row.map(program).find((p) => p !== undefined);
        services.push({
          port,
          protocol,
          addresses: row.map((h) => h.address),
          ...(named ? { program: named } : {}),
        });
      }
    }
    devices.push({
      key,
      isLocal,
      hosts: shown,
      folded,
      // A stable sort: the rows of one port stay in the order splitByProgram gave them.
      services: services.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol)),
    });
  }
  return devices;
}

/** How a device card is titled and which addresses it lists under its title. */
export interface DeviceHeading {
  /** Titled "This PC" (the UI's words), whichever of its addresses carries the open ports. */
  thisPc: boolean;
  /**
   * Why its several addresses are one device, when it is not this PC and lists some: `mac` (they
   * share a MAC address), `file-pc` (the machine that made the imported file: isFilePc).
   */
  foldedBy?: 'mac' | 'file-pc';
  /**
   * The address a device other than this PC is titled by: its first one (see `foldDevices`), with
   * its zone (`zonedAddress`).
   */
  address: string;
  /**
   * The addresses to list under the title: all of This PC's, even one (the title names none);
   * all of a device of several addresses; none for a device known by its one address. Each with
   * its zone (`zonedAddress`).
   */
  addresses: string[];
}

/**
 * The heading of a folded device: This PC is "This PC" even when only 127.0.0.1 has open ports (a
 * service listening on loopback only), with its addresses listed; another device is named by its
 * first address, with the others listed when it has several.
 */
export function deviceHeading(
  device: Pick<Device<FoldableHost>, 'isLocal' | 'hosts' | 'folded'> & { key?: string },
): DeviceHeading {
  const members = [...device.hosts, ...device.folded];
  const addresses = members.map(zonedAddress);
  const listed = device.isLocal || addresses.length > 1;
  // Said only when it is so: an edited kept scan could hold one address twice, no MAC (B4).
  const foldedBy =
    device.isLocal || !listed
      ? undefined
      : device.key === FILE_PC_KEY || members.every(isFilePc)
        ? ('file-pc' as const)
        : members[0]?.mac &&
            members.every((m) => m.mac?.toLowerCase() === members[0]!.mac!.toLowerCase())
          ? ('mac' as const)
          : undefined;
  return {
    thisPc: device.isLocal,
    address: addresses[0] ?? '',
    addresses: listed ? addresses : [],
    ...(foldedBy ? { foldedBy } : {}),
  };
}

/** What service counting reads of an address's verdicts (HostAssessment fits). */
export interface CountableHost {
  address: string;
  isLocal: boolean;
  mac?: string;
  /** See FoldableHost.reason (HostAssessment.reason). */
  reason?: HostReason | undefined;
  answersEveryPort?: unknown;
  /** The address's one verdict when it answers on every port (EVERY_PORT_SEVERITY). */
  worst: Severity | null;
  ports: readonly {
    port: number;
    protocol: Protocol;
    severity: Severity;
    mitigated?: boolean;
    /** Who listens (PortAssessment.program): different programs on one port are two services. */
    program?: ServiceProgram | undefined;
  }[];
}

/**
 * Open ports per severity counted once per device and service, the units foldDevices makes rows
 * of (a port and its program: splitByProgram): This PC's 3389 seen on 10.0.0.5
 * and 127.0.0.1 is one critical service (so is the telnet of the PC that ran nmap on its 127.0.0.1
 * and ::1), at the worst severity any of its addresses got; ports
 * `mitigated` (a Port Auditor rule closes them to other devices) are left out; an address
 * answering on every port counts once, at its `worst`.
 */
export function countServices(hosts: readonly CountableHost[]): Record<Severity, number> {
  const shared = sharedMacs(hosts);
  const counts = emptySeverityCounts();
  const byPort = new Map<string, CountableHost['ports'][number][]>();
  for (const host of hosts) {
    const device = deviceKeyOf(host, shared);
    if (host.answersEveryPort) {
      if (host.worst) counts[host.worst] += 1;
      continue;
    }
    for (const p of host.ports) {
      const key = `${device}|${p.port}/${p.protocol}`;
      const seen = byPort.get(key);
      if (seen) seen.push(p);
      else byPort.set(key, [p]);
    }
  }
  // The rows foldDevices gives (one per program), each at its worst unmitigated verdict.
  for (const ports of byPort.values()) {
    for (const row of splitByProgram(ports, (p) => programKey(p.program))) {
      let worst: Severity | undefined;
      for (const p of row) {
        if (!p.mitigated && (!worst || compareSeverity(p.severity, worst) < 0)) worst = p.severity;
      }
      if (worst) counts[worst] += 1;
    }
  }
  return counts;
}

/**
 * The slice `[start, end)` of a list whose consecutive entries may belong to one device
 * (`deviceOf[i]`: the device of entry i, equal for neighbours of one device) that a page at
 * `offset` of `limit` entries shows, so no device is cut across two pages: a page starts at its
 * first device that begins at or after `offset`, and ends with the whole of the device that
 * begins last before `offset + limit`. Pages at 0, limit, 2·limit… then cover every entry once.
 */
export function devicePageBounds(
  deviceOf: readonly number[],
  offset: number,
  limit: number,
): [number, number] {
  const n = deviceOf.length;
  const continues = (i: number) => i > 0 && i < n && deviceOf[i] === deviceOf[i - 1];
  let start = Math.min(offset, n);
  while (continues(start)) start++;
  let end = Math.min(offset + limit, n);
  while (continues(end)) end++;
  return [start, Math.max(start, end)];
}

/** The state a port had on an address, from its compact per-state lists (HostResult.portStates). */
export function stateInPortStates(
  portStates: PortStates | undefined,
  port: number,
  protocol: Protocol,
): PortState | undefined {
  const lists = portStates?.[protocol];
  if (!lists) return undefined;
  for (const state of ['open', 'closed', 'filtered', 'open|filtered'] as const) {
    const list = lists[state];
    if (!list) continue;
    for (const item of list.split(',')) {
      const [from, to = from] = item.split('-').map(Number);
      if (from !== undefined && to !== undefined && port >= from && port <= to) return state;
    }
  }
  return undefined;
}

/**
 * The unlisted-port counts of a device of several addresses, as its card (page) and its section
 * (PDF) give them, so that listed + unlisted = the ports scanned on one address: its first
 * address's unlisted ports (`first.hidden`; the other addresses' closed ports are the same ports
 * seen again), less each port the device lists from another address only (`listed`: 631 open on
 * 127.0.0.1 alone is unlisted, closed, on the LAN address), taken from the state it had on the
 * first address (`first.portStates`; closed when that is unknown, as on a host that refused it).
 */
export function deviceHidden(
  first: {
    hidden: HostResult['hidden'];
    ports: readonly { port: number; protocol: Protocol }[];
    portStates?: PortStates | undefined;
  },
  listed: Iterable<{ port: number; protocol: Protocol }>,
): HostResult['hidden'] {
  const hidden = { ...first.hidden };
  const key = (p: { port: number; protocol: Protocol }) => `${p.protocol}/${p.port}`;
  const own = new Set(first.ports.map(key));
  for (const port of listed) {
    if (own.has(key(port))) continue;
    own.add(key(port));
    const state = stateInPortStates(first.portStates, port.port, port.protocol) ?? 'closed';
    const count = hidden[state] ?? 0;
    if (count > 0) hidden[state] = count - 1;
  }
  return hidden;
}

/**
 * Whether a MAC address is locally administered: its U/L bit (0x02 of the first octet, IEEE
 * 802-2014 §8.2.2) is set, so software chose it rather than a maker's IEEE-registered block.
 * Phones (Android 10+, iOS 14+) and Windows 10+ pick such a random "private" address per network;
 * virtual machines and containers too. It names no manufacturer. `mac` is any form normaliseMac
 * reads (`aa:bb:…`, `AA-BB-…`, `a:b:…`, `aabb.ccdd.eeff`, `AABBCCDDEEFF`); false for text that
 * does not start with a hexadecimal octet.
 */
export function isLocallyAdministeredMac(mac: string): boolean {
  const first =
    /^\s*([0-9a-f]{1,2})(?=[:-])/i.exec(mac)?.[1] ?? /^\s*([0-9a-f]{2})/i.exec(mac)?.[1];
  return first !== undefined && (Number.parseInt(first, 16) & 0x02) !== 0;
}

/**
 * Who made a device, as its MAC address tells: `vendor` when the IEEE registered its first three
 * bytes (the OUI) to a maker (`name`, the registry's first line), `private` when the address is
 * locally administered (isLocallyAdministeredMac: randomised for privacy, no maker to name),
 * `unknown` when the OUI is in no registry the app has.
 */
export type MacMaker = { kind: 'vendor'; name: string } | { kind: 'private' } | { kind: 'unknown' };

/**
 * The maker of a host's MAC address from what the app gave with it: `macVendor` is the one OUI
 * lookup's answer (app/report/mac-vendor.ts `macMaker`, HostResult.macVendor); without one, a
 * locally administered address is `private`, any other `unknown`. Null when there is no MAC.
 */
export function macMakerOf(host: {
  mac?: string | undefined;
  macVendor?: string | undefined;
}): MacMaker | null {
  if (!host.mac) return null;
  if (isLocallyAdministeredMac(host.mac)) return { kind: 'private' };
  return host.macVendor ? { kind: 'vendor', name: host.macVendor } : { kind: 'unknown' };
}
