import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import ipaddr from 'ipaddr.js';
import type { LocalizedText } from '../contract/errors.js';
import { fail } from '../errors.js';
import { bothLanguages, textFor } from '../text/catalogue.js';
import type { Language } from '../contract/app.js';
import { formatIp, needsZone, parseIp, splitZone, toBigInt, type IpValue } from '../net/address.js';
import type { LeftOutNetwork, LocalNetwork } from '../contract/scan.js';
import { readAdapters, type NetworkAdapter } from '../system/adapters.js';
import {
  cidrInterval,
  intervalSize,
  intervalWithin,
  kindPieces,
  mergeIntervals,
  subtractIntervals,
  type Interval,
} from './addresses.js';

/** Above this many addresses a scan needs the explicit `confirmed` flag. */
export const CONFIRM_ABOVE_ADDRESSES = 65_536;
/** A hard ceiling: past it the request is refused even when confirmed. */
export const MAX_ADDRESSES = 1 << 24;
/** "local network" never scans more than a /22 per interface. */
export const LOCAL_NETWORK_MAX_PREFIX = 22;
const MAX_INTERVALS = 262_144;

export type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

export interface TargetSet {
  intervals: Interval[];
  /** Number of distinct addresses after exclusions. */
  count: number;
  /** Address → the host name the user typed that resolved to it. */
  hostnames: Record<string, string>;
  /** Zone (scope) for link-local IPv6 addresses of this PC, so they can be reached. */
  zones: Record<string, string>;
  /** Every address of this PC (loopback included), to mark hosts as local. */
  localAddresses: string[];
  notes: LocalizedText[];
  /**
   * Every reason the addresses need the user's confirmation, each once with its first address,
   * in the order of ConfirmationReason (absent when none does): `public` (on the Internet,
   * documentation blocks included), and, when not on a network this PC is directly connected
   * to, `shared` (carrier-grade NAT, RFC 6598), `nat64` (RFC 6052 / RFC 8215 prefixes) and
   * `benchmarking` (RFC 2544). This PC's own addresses never need it.
   */
  needsConfirmation?: { reason: ConfirmationReason; address: string }[];
  /** The subnets of this PC's interfaces: hosts in them are reached without a router. */
  connected: Interval[];
  /** Networks `local-network` left out (see localNetworks); empty when it was not asked for. */
  leftOut: LeftOutNetwork[];
  /** Networks `local-network` scans (see localNetworks); empty when it was not asked for. */
  localNetworks: LocalNetwork[];
}

/** Why addresses need the user's go-ahead, in the order messages list them. */
export type ConfirmationReason = 'public' | 'shared' | 'nat64' | 'benchmarking';
const REASON_ORDER: readonly ConfirmationReason[] = ['public', 'shared', 'nat64', 'benchmarking'];

export interface ParseTargetsOptions {
  interfaces?: Interfaces;
  resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
  /** Zones are interface names everywhere but on Windows, where they are interface numbers. */
  platform?: NodeJS.Platform;
  /**
   * This PC's adapters (kind, default gateway): read from the system when absent and the targets
   * ask for `local-network`; null when they could not be read (names alone then decide).
   */
  adapters?: NetworkAdapter[] | null;
  /**
   * Adapters the user chose to include in `local-network` among those it leaves out; undefined
   * when the user was not asked yet.
   */
  includeAdapters?: readonly string[];
}

/** Refuses `token`; `variant` picks the sentence (errors.json `scan.targets.invalid.<variant>`). */
function invalid(
  token: string,
  variant: string,
  text: Record<string, string | number> = {},
): never {
  fail('scan.targets.invalid', { token }, { variant, text });
}

const HOSTNAME =
  /^(?=.{1,253}\.?$)[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*\.?$/;

/** One address written as text (no zone): IPv4-mapped/compatible IPv6 come back as IPv4. */
function parseLiteral(text: string, token: string): IpValue {
  const parsed = parseIp(text);
  if (parsed) return parsed;
  if (text.includes(':')) {
    invalid(token, 'notIpv6', { text });
  }
  invalid(token, 'notIpv4', { text });
}

function parseCidr(token: string, text: string): Interval {
  const slash = text.indexOf('/');
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const base = parseLiteral(addressText, token);
  const writtenV6 = addressText.includes(':');
  const maxPrefix = writtenV6 ? 128 : 32;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) {
    invalid(token, 'prefix', { prefix: prefixText, max: maxPrefix });
  }
  let prefix = Number(prefixText);
  if (writtenV6 && base.family === 4) {
    // ::ffff:a.b.c.d/n is an IPv4 network only when the prefix keeps ::ffff: whole.
    if (prefix < 96) {
      invalid(token, 'mappedPrefix');
    }
    prefix -= 96;
  }
  return cidrInterval(base.family, base.value, prefix);
}

/** nmap octet ranges: `10.0.0.1-20`, `10.0.0-3.1-254`, `10.0.*.1`. */
function parseOctetRanges(token: string, text: string): Interval[] {
  const parts = text.split('.');
  if (parts.length !== 4) {
    invalid(token, 'fourParts');
  }
  const ranges = parts.map((part): [number, number] => {
    if (part === '*') return [0, 255];
    const m = /^(\d{1,3})(?:-(\d{1,3}))?$/.exec(part);
    const low = m ? Number(m[1]) : NaN;
    const high = m ? (m[2] === undefined ? low : Number(m[2])) : NaN;
    if (!m || low > 255 || high > 255) {
      invalid(token, 'octet', { part });
    }
    if (low > high) {
      invalid(token, 'octetReversed', { part, high, low });
    }
    return [low, high];
  });
  const count = ranges.reduce((n, [lo, hi]) => n * (hi - lo + 1), 1);
  if (count > MAX_ADDRESSES) tooMany(count);
  // Later octets that span 0-255 make longer contiguous runs: fewer intervals.
  let contiguousFrom = 3;
  while (
    contiguousFrom > 0 &&
    ranges[contiguousFrom]![0] === 0 &&
    ranges[contiguousFrom]![1] === 255
  ) {
    contiguousFrom--;
  }
  const intervals: Interval[] = [];
  const prefixRanges = ranges.slice(0, contiguousFrom);
  const [runLow, runHigh] = ranges[contiguousFrom]!;
  const runShift = BigInt(8 * (3 - contiguousFrom));
  const walk = (index: number, value: bigint): void => {
    if (index === prefixRanges.length) {
      const base = value << (8n * BigInt(4 - contiguousFrom));
      intervals.push({
        family: 4,
        start: base | (BigInt(runLow) << runShift),
        end: base | (BigInt(runHigh) << runShift) | ((1n << runShift) - 1n),
      });
      if (intervals.length > MAX_INTERVALS) {
        invalid(token, 'tooManyPieces');
      }
      return;
    }
    const [lo, hi] = prefixRanges[index]!;
    for (let octet = lo; octet <= hi; octet++) walk(index + 1, (value << 8n) | BigInt(octet));
  };
  walk(0, 0n);
  return intervals;
}

function tooMany(count: number | bigint): never {
  fail('scan.targets.tooMany', { count: Number(count) }, { text: { max: MAX_ADDRESSES } });
}

/**
 * Every address of this PC: loopback plus each interface address, link-local ones with their zone:
 * the interface name, or on Windows its number (`scopeid`), because libuv reads a Windows zone with
 * atoi and a name would become 0 (RFC 4007 §11 lets the zone be either; Windows only takes numbers).
 */
export function thisPcAddresses(
  interfaces: Interfaces,
  platform: NodeJS.Platform = process.platform,
): { address: string; zone?: string }[] {
  const found = new Map<string, string | undefined>([
    ['127.0.0.1', undefined],
    ['::1', undefined],
  ]);
  for (const [name, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      const parsed = parseIp(splitZone(info.address).address);
      if (!parsed) continue;
      const address = formatIp(parsed.family, parsed.value);
      if (found.has(address)) continue;
      const zone =
        platform === 'win32' && info.family === 'IPv6' && info.scopeid !== undefined
          ? String(info.scopeid)
          : name;
      found.set(address, needsZone(parsed.family, parsed.value) ? zone : undefined);
    }
  }
  return [...found].map(([address, zone]) => (zone ? { address, zone } : { address }));
}

/**
 * The subnet of every interface address of this PC (loopback excluded): a host in one of them is
 * reached directly on the link, with no router (and no router's NAT table) in between.
 */
export function connectedNetworks(interfaces: Interfaces): Interval[] {
  const intervals: Interval[] = [];
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal) continue;
      const parsed = parseIp(splitZone(info.address).address);
      if (!parsed || !ipaddr.isValid(info.netmask)) continue;
      const prefix = ipaddr.parse(info.netmask).prefixLengthFromSubnetMask();
      if (prefix === null) continue;
      intervals.push(cidrInterval(parsed.family, parsed.value, prefix));
    }
  }
  return mergeIntervals(intervals);
}

/**
 * "The local network": the subnet of each IPv4 interface through which a default route leaves
 * (the network this PC is on), capped at /22 around the interface's address, without its broadcast
 * address (the last one, for subnets of four addresses or more: it names every device of the link
 * at once, and systems refuse a TCP connection to it — Linux: ENETUNREACH). Tunnels (VPN: someone
 * else's network), switches for this PC's own VMs and containers, and — when some adapter has a
 * default gateway — adapters without one are left out, each named in `leftOut`, unless the user
 * chose it in `include` (then a note says it is scanned at the user's request). With no default
 * gateway anywhere (an isolated LAN), every adapter that is neither a tunnel nor a virtual switch
 * counts. `scanned` names each network that is scanned, as CIDR (capped).
 */
export function localNetworks(
  interfaces: Interfaces,
  adapters: readonly NetworkAdapter[] | null = null,
  include: readonly string[] = [],
): {
  intervals: Interval[];
  notes: LocalizedText[];
  leftOut: LeftOutNetwork[];
  scanned: LocalNetwork[];
} {
  const intervals: Interval[] = [];
  const notes: LocalizedText[] = [];
  const leftOut: LeftOutNetwork[] = [];
  const scanned: LocalNetwork[] = [];
  const known = new Map((adapters ?? []).map((a) => [a.name, a]));
  // An adapter the system did not describe (the read failed, or Windows hides it) is not assumed
  // to be the network this PC is on: the user chooses.
  const adapterOf = (name: string): NetworkAdapter =>
    known.get(name) ?? { name, kind: 'unknown', gateway: false };
  const hasIpv4 = (name: string) =>
    (interfaces[name] ?? []).some((i) => i.family === 'IPv4' && !i.internal);
  const anyGateway = Object.keys(interfaces).some((name) => {
    const adapter = adapterOf(name);
    return adapter.gateway && adapter.kind === 'physical' && hasIpv4(name);
  });
  for (const [name, infos] of Object.entries(interfaces)) {
    const adapter = adapterOf(name);
    for (const info of infos ?? []) {
      if (info.family !== 'IPv4' || info.internal) continue;
      const address = ipaddr.IPv4.parse(info.address);
      const prefix = ipaddr.IPv4.parse(info.netmask).prefixLengthFromSubnetMask() ?? 32;
      const used = Math.max(prefix, LOCAL_NETWORK_MAX_PREFIX);
      const network = `${ipaddr.IPv4.networkAddressFromCIDR(`${info.address}/${used}`).toString()}/${used}`;
      const fullNetwork =
        used !== prefix
          ? `${ipaddr.IPv4.networkAddressFromCIDR(`${info.address}/${prefix}`).toString()}/${prefix}`
          : undefined;
      const reason: LeftOutNetwork['reason'] | null =
        adapter.kind === 'unknown'
          ? 'unverified'
          : adapter.kind !== 'physical'
            ? adapter.kind
            : anyGateway && !adapter.gateway
              ? 'no-gateway'
              : null;
      if (reason && !include.includes(name)) {
        leftOut.push({
          adapter: name,
          kind: adapter.kind,
          reason,
          network,
          ...(fullNetwork ? { fullNetwork } : {}),
          ...(adapter.description ? { description: adapter.description } : {}),
        });
        notes.push(LEFT_OUT_NOTE(reason, name, network));
        continue;
      }
      if (reason) notes.push(CHOSEN_NOTE(name, network));
      scanned.push({ adapter: name, network, ...(fullNetwork ? { fullNetwork } : {}) });
      const interval = cidrInterval(4, toBigInt(address), used);
      if (used <= 30) interval.end -= 1n;
      intervals.push(interval);
      if (used !== prefix) {
        notes.push(
          bothLanguages('messages:targets.localNetwork.narrowed', { name, prefix, used, network }),
        );
      }
    }
  }
  return { intervals, notes, leftOut, scanned };
}

const CHOSEN_NOTE = (name: string, network: string): LocalizedText =>
  bothLanguages('messages:targets.localNetwork.chosen', { name, network });

const LEFT_OUT_NOTE = (
  reason: LeftOutNetwork['reason'],
  name: string,
  network: string,
): LocalizedText =>
  bothLanguages(`messages:targets.localNetwork.leftOut.${reason}`, { name, network });

function hasExternalIpv4(interfaces: Interfaces, name: string): boolean {
  return (interfaces[name] ?? []).some((i) => i.family === 'IPv4' && !i.internal);
}

/**
 * Refuses adapters the user chose that this PC does not have (any more: a VPN that disconnected,
 * a typo after --include-adapter), naming those it has. Throws `scan.targets.unknownAdapter`.
 */
function unknownAdapters(unknown: readonly string[], interfaces: Interfaces): never {
  const names = Object.keys(interfaces).filter((name) => hasExternalIpv4(interfaces, name));
  const list = names.length > 0 ? names.join(', ') : '—';
  fail(
    'scan.targets.unknownAdapter',
    { adapters: unknown.join(','), available: names.join(',') },
    { text: { adapters: unknown.join(', '), count: unknown.length, list } },
  );
}

async function defaultResolve(hostname: string): Promise<{ address: string; family: number }[]> {
  return lookup(hostname, { all: true, verbatim: true });
}

/** An interface of this PC that has a link-local IPv6 address, to write examples with. */
function exampleZone(interfaces: Interfaces, platform: NodeJS.Platform): string {
  for (const [name, infos] of Object.entries(interfaces)) {
    const info = (infos ?? []).find(
      (i) => !i.internal && i.family === 'IPv6' && i.address.toLowerCase().startsWith('fe80:'),
    );
    if (info) return platform === 'win32' ? String(info.scopeid ?? name) : name;
  }
  return platform === 'win32' ? '12' : 'eth0';
}

/**
 * Checks the zone of a link-local address (RFC 4007 §11) against this PC's interfaces: a name
 * (`eth0`, `br-lan`, `veth-a`) everywhere but on Windows, where Node reads the zone as the
 * interface number (`fe80::1%12`).
 */
function checkZone(
  zone: string,
  token: string,
  interfaces: Interfaces,
  platform: NodeJS.Platform,
): void {
  const names = Object.keys(interfaces);
  if (platform === 'win32') {
    const numbers = new Set(
      Object.values(interfaces).flatMap((infos) =>
        // Only a link-local address's scope id names an interface: others carry 0 ("no zone").
        (infos ?? [])
          .filter(
            (i) => i.family === 'IPv6' && /^fe[89ab]/i.test(i.address) && (i.scopeid ?? 0) > 0,
          )
          .map((i) => String(i.scopeid)),
      ),
    );
    if (/^[1-9]\d*$/.test(zone) && numbers.has(zone)) return;
    if (numbers.size === 0) invalid(token, 'windowsZoneNone');
    invalid(token, 'windowsZone', { numbers: [...numbers].join(', ') });
  }
  if (names.includes(zone)) return;
  invalid(token, 'unknownZone', { zone, names: names.join(', ') });
}

function isUnspecified(interval: Interval): boolean {
  return interval.start === 0n && interval.end === 0n;
}

/**
 * Parses the user's target text (addresses, CIDR, ranges, host names, `this-pc`, `local-network`,
 * `!token` to exclude), resolving host names. Addresses are canonicalised by app/net/address.ts:
 * IPv4-mapped and IPv4-compatible IPv6 are their IPv4 address. A link-local IPv6 address must carry
 * its zone (`fe80::1%eth0`, RFC 4007 §11); `0.0.0.0` and `::` are refused (they name no device).
 * Throws an AppFailure naming the offending token.
 */
export async function parseTargets(
  text: string,
  options: ParseTargetsOptions = {},
): Promise<TargetSet> {
  const interfaces = options.interfaces ?? networkInterfaces();
  const platform = options.platform ?? process.platform;
  const resolve = options.resolve ?? defaultResolve;
  const tokens = text
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (tokens.length === 0) {
    fail('scan.targets.empty');
  }
  const include: Interval[] = [];
  const exclude: Interval[] = [];
  const hostnames: Record<string, string> = {};
  const zones: Record<string, string> = {};
  const notes: LocalizedText[] = [];
  const local = thisPcAddresses(interfaces, platform);
  const leftOut: LeftOutNetwork[] = [];
  const scannedNetworks: LocalNetwork[] = [];
  let adapters: NetworkAdapter[] | null | undefined;
  let includeCount = 0n;

  for (const original of tokens) {
    const excluded = original.startsWith('!');
    const token = excluded ? original.slice(1) : original;
    if (token === '') invalid(original, 'nothingAfterBang');
    const target = excluded ? exclude : include;
    const lower = token.toLowerCase();
    const before = target.length;
    let zoned = false;
    if (lower === 'this-pc') {
      for (const { address, zone } of local) {
        const { family, value } = parseIp(address)!;
        target.push({ family, start: value, end: value });
        if (zone && !excluded) zones[address] = zone;
      }
      zoned = true;
    } else if (lower === 'local-network') {
      if (adapters === undefined)
        adapters =
          options.adapters !== undefined
            ? options.adapters
            : await readAdapters(Object.keys(interfaces), platform);
      const networks = localNetworks(interfaces, adapters, options.includeAdapters ?? []);
      // Only adapters with an IPv4 address other than loopback can add a network (lo adds none).
      const unknown = (options.includeAdapters ?? []).filter(
        (name) => !hasExternalIpv4(interfaces, name),
      );
      if (unknown.length > 0) unknownAdapters(unknown, interfaces);
      if (!excluded) {
        leftOut.push(...networks.leftOut);
        scannedNetworks.push(...networks.scanned);
      }
      const waitsForChoice = networks.leftOut.length > 0 && options.includeAdapters === undefined;
      if (networks.intervals.length === 0 && !waitsForChoice) {
        const leftOutNames = networks.leftOut.map((n) => n.adapter).join(', ');
        fail(
          'scan.targets.noLocalNetwork',
          { token: original },
          { variant: leftOutNames ? 'allLeftOut' : 'none', text: { leftOut: leftOutNames } },
        );
      }
      target.push(...networks.intervals);
      if (!excluded) notes.push(...networks.notes);
    } else if (token.includes('%')) {
      // The zone is split off first: interface names may contain dashes (br-lan, veth-a).
      const { address, zone = '' } = splitZone(token);
      if (zone === '') invalid(original, 'nothingAfterPercent');
      if (/[/-]/.test(address)) {
        invalid(original, 'zoneOnRange');
      }
      const { family, value } = parseLiteral(address, original);
      if (!needsZone(family, value)) {
        invalid(original, 'zoneNotLinkLocal');
      }
      checkZone(zone, original, interfaces, platform);
      target.push({ family, start: value, end: value });
      if (!excluded) zones[formatIp(family, value)] = zone;
      zoned = true;
    } else if (token.includes('/')) {
      target.push(parseCidr(original, token));
    } else if (token.includes(':')) {
      const dash = token.indexOf('-');
      if (dash >= 0) {
        const start = parseLiteral(token.slice(0, dash), original);
        const end = parseLiteral(token.slice(dash + 1), original);
        if (start.family !== end.family) {
          invalid(original, 'mixedFamilies');
        }
        if (start.value > end.value) {
          invalid(original, 'reversed');
        }
        target.push({ family: start.family, start: start.value, end: end.value });
      } else {
        const { family, value } = parseLiteral(token, original);
        target.push({ family, start: value, end: value });
      }
    } else if (/^[\d.*-]+$/.test(token) && token.includes('.')) {
      const full = /^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)$/.exec(token);
      if (full) {
        const start = parseLiteral(full[1]!, original).value;
        const end = parseLiteral(full[2]!, original).value;
        if (start > end) invalid(original, 'reversed');
        target.push({ family: 4, start, end });
      } else {
        target.push(...parseOctetRanges(original, token));
      }
    } else if (/^[\d]+$/.test(token)) {
      invalid(original, 'bareNumber');
    } else if (HOSTNAME.test(token)) {
      let answers: { address: string; family: number }[];
      try {
        answers = await resolve(token);
      } catch {
        answers = [];
      }
      const found: { address: string; parsed: IpValue; zone?: string }[] = [];
      const unusable: string[] = [];
      for (const answer of answers) {
        const { address, zone } = splitZone(answer.address);
        const parsed = parseIp(address);
        if (!parsed) continue;
        if (parsed.value === 0n) {
          // Hosts files that block a name map it to 0.0.0.0 or :: next to, or instead of, a real
          // address: that answer names no device.
          unusable.push(address);
          if (!excluded) {
            notes.push(bothLanguages('messages:targets.blockedAnswer', { token, address }));
          }
          continue;
        }
        if (needsZone(parsed.family, parsed.value) && !zone) {
          unusable.push(address);
          if (!excluded) {
            notes.push(bothLanguages('messages:targets.linkLocalAnswer', { token, address }));
          }
          continue;
        }
        found.push({
          address: formatIp(parsed.family, parsed.value),
          parsed,
          ...(zone ? { zone } : {}),
        });
      }
      if (found.length === 0 && unusable.length > 0) {
        fail(
          'scan.targets.unresolved',
          { token: original },
          { variant: 'unusable', text: { name: token, unusable: unusable.join(', ') } },
        );
      }
      if (found.length === 0) {
        fail(
          'scan.targets.unresolved',
          { token: original },
          { variant: 'notFound', text: { name: token } },
        );
      }
      for (const { address, parsed, zone } of found) {
        target.push({ family: parsed.family, start: parsed.value, end: parsed.value });
        if (!excluded) {
          hostnames[address] ??= token;
          if (zone) zones[address] ??= zone;
        }
      }
      zoned = true;
    } else {
      invalid(original, 'unrecognised');
    }
    if (!excluded) {
      for (const interval of target.slice(before)) {
        if (isUnspecified(interval)) {
          invalid(original, 'unspecified');
        }
        if (!zoned && interval.family === 6 && intervalWithin(interval, LINK_LOCAL)) {
          const example = `${formatIp(6, interval.start)}%${exampleZone(interfaces, platform)}`;
          invalid(original, 'linkLocalNoZone', { example });
        }
        includeCount += intervalSize(interval);
      }
      if (includeCount > BigInt(MAX_ADDRESSES) * 4n) tooMany(includeCount);
    }
  }

  const intervals = subtractIntervals(mergeIntervals(include), mergeIntervals(exclude));
  const count = intervals.reduce((n, interval) => n + intervalSize(interval), 0n);
  // Nothing yet, but the user has networks to choose from: the choice comes first.
  const waitsForChoice = leftOut.length > 0 && options.includeAdapters === undefined;
  if (count === 0n && !waitsForChoice) {
    fail('scan.targets.allExcluded');
  }
  if (count > BigInt(MAX_ADDRESSES)) tooMany(count);

  const localSet = new Set(local.map((l) => l.address));
  const connected = connectedNetworks(interfaces);
  const needsConfirmation = needingConfirmation(intervals, localSet, connected);
  return {
    intervals,
    count: Number(count),
    hostnames,
    zones,
    localAddresses: [...localSet],
    notes,
    connected,
    leftOut,
    localNetworks: scannedNetworks,
    ...(needsConfirmation ? { needsConfirmation } : {}),
  };
}

const LINK_LOCAL: Interval = cidrInterval(6, 0xfe80n << 112n, 10);

/**
 * Every reason the addresses need the user's go-ahead, each with its first address. `public`:
 * nothing local owns the address (documentation blocks included), so probes leave through the
 * gateway. Carrier-grade NAT (100.64.0.0/10, RFC 6598), NAT64 (64:ff9b::/96 RFC 6052,
 * 64:ff9b:1::/48 RFC 8215) and benchmarking space (198.18.0.0/15, RFC 2544) need it unless on a
 * network this PC is directly connected to: beyond, they are other subscribers of the provider,
 * IPv4 hosts behind its NAT64 gateway, or a lab behind the gateway, not the user's own network.
 * Kinds come from app/net/address.ts (IANA special-purpose address registries, RFC 6890). This
 * PC's own addresses never need it.
 */
function needingConfirmation(
  intervals: readonly Interval[],
  localSet: ReadonlySet<string>,
  connected: readonly Interval[],
): TargetSet['needsConfirmation'] {
  const first = new Map<ConfirmationReason, Interval>();
  for (const interval of intervals) {
    for (const { kind, interval: piece } of kindPieces(interval)) {
      let reason: ConfirmationReason;
      let rest: Interval[] = [piece];
      if (kind === 'public' || kind === 'documentation') reason = 'public';
      else if (kind === 'shared' || kind === 'nat64' || kind === 'benchmarking') {
        // Only the part beyond this PC's own networks needs it, and the message names an address of it.
        rest = subtractIntervals([piece], mergeIntervals([...connected]));
        if (rest.length === 0) continue;
        reason = kind;
      } else continue;
      for (const part of rest) {
        if (part.start === part.end && localSet.has(formatIp(part.family, part.start))) continue;
        const earlier = first.get(reason);
        const before =
          earlier &&
          (earlier.family < part.family ||
            (earlier.family === part.family && earlier.start < part.start));
        if (!before) first.set(reason, part);
      }
    }
  }
  const list = REASON_ORDER.flatMap((reason) => {
    const interval = first.get(reason);
    return interval ? [{ reason, address: formatIp(interval.family, interval.start) }] : [];
  });
  return list.length > 0 ? list : undefined;
}

/**
 * What a confirmation stands for: the addresses (after names were resolved) and every reason
 * shown. A request confirmed with another fingerprint is asked again: the user confirmed
 * something else (targets edited after the question, a name that now resolves elsewhere).
 */
function confirmationFingerprint(
  intervals: readonly Interval[],
  reasons: readonly string[],
): string {
  const hash = createHash('sha256');
  for (const i of intervals)
    hash.update(`${i.family}:${i.start.toString(16)}-${i.end.toString(16)};`);
  hash.update(reasons.join(','));
  return hash.digest('hex').slice(0, 32);
}

/**
 * Refuses a scan that needs the user's confirmation and lacks it: first the choice of networks
 * `local-network` left out (when `adaptersAnswered` is false), then a count above
 * CONFIRM_ABOVE_ADDRESSES and addresses that need it (see needingConfirmation), all named in one
 * message. `confirmed` without `confirmation` is a go-ahead given in advance (the CLI's --yes);
 * with `confirmation`, it holds only if that is the fingerprint of what is asked now (the
 * `confirmation` param of the refusal the user answered). Throws `scan.confirmationRequired`
 * with params `reason` (the first of `reasons`: `adapters`, `count`, `public`, `shared`,
 * `nat64`, `benchmarking`), `reasons` (comma-separated), `address` (the first address needing
 * it, if any), `count` (with `count` or `adapters`) and `confirmation` (the fingerprint).
 */
export function requireConfirmation(
  targets: TargetSet,
  confirmed: boolean,
  adaptersAnswered = true,
  confirmation?: string,
): void {
  if (!adaptersAnswered && targets.leftOut.length > 0) {
    const names = targets.leftOut.map((n) => `${n.adapter} (${n.network})`).join(', ');
    fail(
      'scan.confirmationRequired',
      { reason: 'adapters', reasons: 'adapters', count: targets.leftOut.length },
      { variant: 'adapters', text: { names } },
    );
  }
  const tooMany = targets.count > CONFIRM_ABOVE_ADDRESSES;
  const needed = targets.needsConfirmation ?? [];
  if (!tooMany && needed.length === 0) return;
  const reasons = [...(tooMany ? ['count'] : []), ...needed.map((n) => n.reason)];
  const fingerprint = confirmationFingerprint(targets.intervals, reasons);
  if (confirmed && (confirmation === undefined || confirmation === fingerprint)) return;
  // One message made of several catalogue sentences, each reason that applies in turn.
  const sentences: [string, Record<string, string | number>?][] = [
    ...(confirmed ? [['changed'] as [string]] : []),
    ...(tooMany
      ? [
          ['count', { count: targets.count, limit: CONFIRM_ABOVE_ADDRESSES }] as [
            string,
            Record<string, number>,
          ],
        ]
      : []),
    ...needed.map(({ reason, address }): [string, Record<string, string>] => [reason, { address }]),
    [needed.length > 0 ? 'authorised' : 'confirm'],
  ];
  const written = (language: Language): string => {
    const t = textFor(language, 'errors');
    return sentences
      .map(([key, params]) => t(`scan.confirmationRequired.${key}`, params ?? {}))
      .join(' ');
  };
  fail(
    'scan.confirmationRequired',
    { fr: written('fr'), en: written('en') },
    {
      reason: reasons[0]!,
      reasons: reasons.join(','),
      ...(needed[0] ? { address: needed[0].address } : {}),
      ...(tooMany ? { count: targets.count } : {}),
      confirmation: fingerprint,
    },
  );
}
