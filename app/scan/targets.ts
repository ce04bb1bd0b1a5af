import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import ipaddr from 'ipaddr.js';
import type { LocalizedText } from '../contract/errors.js';
import { fail } from '../errors.js';
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

function invalid(token: string, fr: string, en: string): never {
  fail(
    'scan.targets.invalid',
    {
      fr: `Cibles : « ${token} » n’est pas valide — ${fr}`,
      en: `Targets: "${token}" is not valid — ${en}`,
    },
    { token },
  );
}

const HOSTNAME =
  /^(?=.{1,253}\.?$)[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*\.?$/;

/** One address written as text (no zone): IPv4-mapped/compatible IPv6 come back as IPv4. */
function parseLiteral(text: string, token: string): IpValue {
  const parsed = parseIp(text);
  if (parsed) return parsed;
  if (text.includes(':')) {
    invalid(token, `${text} n'est pas une adresse IPv6.`, `${text} is not an IPv6 address.`);
  }
  invalid(
    token,
    `${text} n'est pas une adresse IPv4 (quatre nombres de 0 à 255 séparés par des points).`,
    `${text} is not an IPv4 address (four numbers from 0 to 255 separated by dots).`,
  );
}

function parseCidr(token: string, text: string): Interval {
  const slash = text.indexOf('/');
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const base = parseLiteral(addressText, token);
  const writtenV6 = addressText.includes(':');
  const maxPrefix = writtenV6 ? 128 : 32;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) {
    invalid(
      token,
      `le préfixe /${prefixText} doit être un nombre de 0 à ${maxPrefix}.`,
      `the prefix /${prefixText} must be a number from 0 to ${maxPrefix}.`,
    );
  }
  let prefix = Number(prefixText);
  if (writtenV6 && base.family === 4) {
    // ::ffff:a.b.c.d/n is an IPv4 network only when the prefix keeps ::ffff: whole.
    if (prefix < 96) {
      invalid(
        token,
        `un réseau IPv4 écrit en IPv6 (::ffff:a.b.c.d) a un préfixe de 96 à 128 ; écrivez-le en IPv4.`,
        `an IPv4 network written as IPv6 (::ffff:a.b.c.d) has a prefix from 96 to 128; write it as IPv4.`,
      );
    }
    prefix -= 96;
  }
  return cidrInterval(base.family, base.value, prefix);
}

/** nmap octet ranges: `10.0.0.1-20`, `10.0.0-3.1-254`, `10.0.*.1`. */
function parseOctetRanges(token: string, text: string): Interval[] {
  const parts = text.split('.');
  if (parts.length !== 4) {
    invalid(
      token,
      'une adresse IPv4 a quatre parties séparées par des points.',
      'an IPv4 address has four parts separated by dots.',
    );
  }
  const ranges = parts.map((part): [number, number] => {
    if (part === '*') return [0, 255];
    const m = /^(\d{1,3})(?:-(\d{1,3}))?$/.exec(part);
    const low = m ? Number(m[1]) : NaN;
    const high = m ? (m[2] === undefined ? low : Number(m[2])) : NaN;
    if (!m || low > 255 || high > 255) {
      invalid(
        token,
        `« ${part} » doit être un nombre de 0 à 255 ou une plage comme 1-254.`,
        `"${part}" must be a number from 0 to 255 or a range such as 1-254.`,
      );
    }
    if (low > high) {
      invalid(
        token,
        `la plage ${part} est à l'envers ; écrivez ${high}-${low}.`,
        `the range ${part} is reversed; write ${high}-${low}.`,
      );
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
        invalid(
          token,
          'cette plage produit trop de morceaux disjoints ; utilisez une notation CIDR.',
          'this range produces too many separate pieces; use CIDR notation.',
        );
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
  fail(
    'scan.targets.tooMany',
    {
      fr: `Cibles : ${count.toString()} adresses, c’est trop ; le maximum est ${MAX_ADDRESSES} (un /8).`,
      en: `Targets: ${count.toString()} addresses is too many; the maximum is ${MAX_ADDRESSES} (a /8).`,
    },
    { count: Number(count) },
  );
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
        notes.push(LEFT_OUT_NOTE[reason](name, network));
        continue;
      }
      if (reason) notes.push(CHOSEN_NOTE(name, network));
      scanned.push({ adapter: name, network, ...(fullNetwork ? { fullNetwork } : {}) });
      const interval = cidrInterval(4, toBigInt(address), used);
      if (used <= 30) interval.end -= 1n;
      intervals.push(interval);
      if (used !== prefix) {
        notes.push({
          fr: `Réseau local : l’interface ${name} est sur un /${prefix} ; seul le /${used} qui l’entoure (${network}) est analysé.`,
          en: `Local network: interface ${name} is on a /${prefix}; only the /${used} around it (${network}) is scanned.`,
        });
      }
    }
  }
  return { intervals, notes, leftOut, scanned };
}

const CHOSEN_NOTE = (name: string, network: string): LocalizedText => ({
  fr: `Réseau local : ${name} (${network}) est analysé à votre demande.`,
  en: `Local network: ${name} (${network}) is scanned because you chose it.`,
});

const LEFT_OUT_NOTE: Record<
  LeftOutNetwork['reason'],
  (name: string, network: string) => LocalizedText
> = {
  vpn: (name, network) => ({
    fr: `Réseau local : ${name} (${network}) est un VPN — le réseau de quelqu’un d’autre, à travers un tunnel ; il n’est pas analysé.`,
    en: `Local network: ${name} (${network}) is a VPN — someone else's network, through a tunnel; it is not scanned.`,
  }),
  virtual: (name, network) => ({
    fr: `Réseau local : ${name} (${network}) est un commutateur virtuel de ce PC (machines virtuelles, conteneurs) ; il n’est pas analysé.`,
    en: `Local network: ${name} (${network}) is a virtual switch of this PC (virtual machines, containers); it is not scanned.`,
  }),
  software: (name, network) => ({
    fr: `Réseau local : ${name} (${network}) est un adaptateur logiciel (souvent un VPN ou un logiciel de sécurité) ; il n’est pas analysé.`,
    en: `Local network: ${name} (${network}) is a software adapter (often a VPN or a security product); it is not scanned.`,
  }),
  unverified: (name, network) => ({
    fr: `Réseau local : le type de ${name} (${network}) n’a pas pu être lu ; il n’est pas analysé.`,
    en: `Local network: the kind of ${name} (${network}) could not be read; it is not scanned.`,
  }),
  'no-gateway': (name, network) => ({
    fr: `Réseau local : ${name} (${network}) n’a pas de passerelle par défaut (ce n’est pas le réseau par lequel ce PC sort) ; il n’est pas analysé.`,
    en: `Local network: ${name} (${network}) has no default gateway (it is not the network this PC goes out through); it is not scanned.`,
  }),
};

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
    {
      fr: `Réseau local : ce PC n’a pas d’interface ${unknown.map((n) => `« ${n} »`).join(', ')} avec une adresse IPv4 (hors boucle locale). Interfaces IPv4 actives : ${list}.`,
      en: `Local network: this PC has no interface ${unknown.map((n) => `"${n}"`).join(', ')} with an IPv4 address (other than loopback). Active IPv4 interfaces: ${list}.`,
    },
    { adapters: unknown.join(','), available: names.join(',') },
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
    invalid(
      token,
      `sous Windows, la zone après « % » est le numéro d’une interface de ce PC (${[...numbers].join(', ') || 'aucune'}).`,
      `on Windows, the zone after "%" is the number of one of this PC's interfaces (${[...numbers].join(', ') || 'none'}).`,
    );
  }
  if (names.includes(zone)) return;
  invalid(
    token,
    `« ${zone} » n’est pas une interface de ce PC (interfaces : ${names.join(', ')}).`,
    `"${zone}" is not an interface of this PC (interfaces: ${names.join(', ')}).`,
  );
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
    fail('scan.targets.empty', {
      fr: 'Cibles : la liste est vide. Exemple : this-pc, 192.168.1.0/24 ou routeur.local.',
      en: 'Targets: the list is empty. Example: this-pc, 192.168.1.0/24 or router.local.',
    });
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
    if (token === '') invalid(original, 'rien ne suit « ! ».', 'nothing follows "!".');
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
        fail(
          'scan.targets.noLocalNetwork',
          networks.leftOut.length > 0
            ? {
                fr: `Cibles : « local-network » — aucun réseau choisi ; ce PC n’a que des réseaux laissés de côté (${networks.leftOut.map((n) => n.adapter).join(', ')}).`,
                en: `Targets: "local-network" — no network chosen; this PC only has networks that are left out (${networks.leftOut.map((n) => n.adapter).join(', ')}).`,
              }
            : {
                fr: 'Cibles : « local-network » — aucune interface réseau IPv4 active (hors boucle locale) sur ce PC.',
                en: 'Targets: "local-network" — this PC has no active IPv4 network interface (other than loopback).',
              },
          { token: original },
        );
      }
      target.push(...networks.intervals);
      if (!excluded) notes.push(...networks.notes);
    } else if (token.includes('%')) {
      // The zone is split off first: interface names may contain dashes (br-lan, veth-a).
      const { address, zone = '' } = splitZone(token);
      if (zone === '') invalid(original, 'rien ne suit « % ».', 'nothing follows "%".');
      if (/[/-]/.test(address)) {
        invalid(
          original,
          'une zone (%interface) accompagne une seule adresse, pas une plage ni un réseau.',
          'a zone (%interface) goes with one address, not a range or a network.',
        );
      }
      const { family, value } = parseLiteral(address, original);
      if (!needsZone(family, value)) {
        invalid(
          original,
          'une zone (%interface) ne sert qu’aux adresses IPv6 locales au lien (fe80::/10) ; retirez-la.',
          'a zone (%interface) only applies to link-local IPv6 addresses (fe80::/10); remove it.',
        );
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
          invalid(
            original,
            'les deux bouts de la plage doivent être de la même famille (IPv4 ou IPv6).',
            'both ends of the range must be of the same family (IPv4 or IPv6).',
          );
        }
        if (start.value > end.value) {
          invalid(original, "la plage est à l'envers.", 'the range is reversed.');
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
        if (start > end) invalid(original, "la plage est à l'envers.", 'the range is reversed.');
        target.push({ family: 4, start, end });
      } else {
        target.push(...parseOctetRanges(original, token));
      }
    } else if (/^[\d]+$/.test(token)) {
      invalid(
        original,
        "un nombre seul n'est pas une adresse ; écrivez par exemple 192.168.1.10.",
        'a bare number is not an address; write for example 192.168.1.10.',
      );
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
            notes.push({
              fr: `Cibles : « ${token} » donne aussi ${address}, qui ne désigne aucun appareil (souvent un nom bloqué par le fichier hosts) ; cette adresse n’est pas analysée.`,
              en: `Targets: "${token}" also gives ${address}, which names no device (often a name blocked by the hosts file); that address is not scanned.`,
            });
          }
          continue;
        }
        if (needsZone(parsed.family, parsed.value) && !zone) {
          unusable.push(address);
          if (!excluded) {
            notes.push({
              fr: `Cibles : « ${token} » donne aussi ${address}, une adresse locale au lien sans interface ; elle n’est pas analysée.`,
              en: `Targets: "${token}" also gives ${address}, a link-local address without an interface; it is not scanned.`,
            });
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
          {
            fr: `Cibles : le nom « ${token} » ne donne que ${unusable.join(', ')}, aucune adresse analysable (0.0.0.0 et :: ne désignent aucun appareil ; une adresse fe80:: a besoin de son interface, par exemple fe80::1%eth0).`,
            en: `Targets: the name "${token}" only gives ${unusable.join(', ')}, no address that can be scanned (0.0.0.0 and :: name no device; an fe80:: address needs its interface, for example fe80::1%eth0).`,
          },
          { token: original },
        );
      }
      if (found.length === 0) {
        fail(
          'scan.targets.unresolved',
          {
            fr: `Cibles : le nom « ${token} » ne correspond à aucune adresse (introuvable dans le DNS).`,
            en: `Targets: the name "${token}" does not resolve to any address (not found in DNS).`,
          },
          { token: original },
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
      invalid(
        original,
        "ce n'est ni une adresse IP, ni une plage, ni un nom d'hôte.",
        'it is neither an IP address, nor a range, nor a host name.',
      );
    }
    if (!excluded) {
      for (const interval of target.slice(before)) {
        if (isUnspecified(interval)) {
          invalid(
            original,
            "0.0.0.0 et :: ne désignent aucun appareil (c'est « toutes les adresses » ou « aucune ») ; pour analyser ce PC, écrivez this-pc ou 127.0.0.1.",
            '0.0.0.0 and :: name no device (they mean "every address" or "none"); to scan this PC, write this-pc or 127.0.0.1.',
          );
        }
        if (!zoned && interval.family === 6 && intervalWithin(interval, LINK_LOCAL)) {
          const example = `${formatIp(6, interval.start)}%${exampleZone(interfaces, platform)}`;
          invalid(
            original,
            `une adresse IPv6 locale au lien (fe80::) ne veut rien dire sans son interface ; écrivez-la avec sa zone, par exemple ${example}.`,
            `a link-local IPv6 address (fe80::) means nothing without its interface; write it with its zone, for example ${example}.`,
          );
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
    fail('scan.targets.allExcluded', {
      fr: 'Cibles : toutes les adresses ont été exclues, il ne reste rien à analyser.',
      en: 'Targets: every address was excluded; nothing is left to scan.',
    });
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

/** What makes each reason's addresses need a go-ahead, one sentence each (joined when several apply). */
const CONFIRM_TEXT: Record<ConfirmationReason, (address: string) => LocalizedText> = {
  public: (address) => ({
    fr: `L’adresse ${address} est publique (sur Internet).`,
    en: `The address ${address} is public (on the Internet).`,
  }),
  shared: (address) => ({
    fr: `L’adresse ${address} est dans l’espace partagé des fournisseurs d’accès (100.64.0.0/10, NAT « carrier-grade ») : ce sont d’autres abonnés de votre fournisseur, joints par votre passerelle, pas votre réseau local.`,
    en: `The address ${address} is in the providers' shared address space (100.64.0.0/10, carrier-grade NAT): these are other subscribers of your Internet provider, reached through your gateway, not your local network.`,
  }),
  nat64: (address) => ({
    fr: `L’adresse ${address} est dans un préfixe NAT64 (64:ff9b::/96 ou 64:ff9b:1::/48) : elle désigne une machine IPv4 jointe par la passerelle NAT64 de votre fournisseur, pas votre réseau local.`,
    en: `The address ${address} is in a NAT64 prefix (64:ff9b::/96 or 64:ff9b:1::/48): it stands for an IPv4 host reached through your provider's NAT64 gateway, not your local network.`,
  }),
  benchmarking: (address) => ({
    fr: `L’adresse ${address} est dans l’espace réservé aux bancs de mesure (198.18.0.0/15, RFC 2544) : aucun réseau de ce PC ne la contient, elle est jointe par votre passerelle, pas sur votre réseau local.`,
    en: `The address ${address} is in the space set aside for network benchmarking (198.18.0.0/15, RFC 2544): no network of this PC contains it, so it is reached through your gateway, not on your local network.`,
  }),
};

const FR_NUMBER = new Intl.NumberFormat('fr-FR');
const EN_NUMBER = new Intl.NumberFormat('en-US');

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
      {
        fr: `Réseau local : ces réseaux ne sont pas analysés sauf si vous les choisissez : ${names}.`,
        en: `Local network: these networks are not scanned unless you choose them: ${names}.`,
      },
      { reason: 'adapters', reasons: 'adapters', count: targets.leftOut.length },
    );
  }
  const tooMany = targets.count > CONFIRM_ABOVE_ADDRESSES;
  const needed = targets.needsConfirmation ?? [];
  if (!tooMany && needed.length === 0) return;
  const reasons = [...(tooMany ? ['count'] : []), ...needed.map((n) => n.reason)];
  const fingerprint = confirmationFingerprint(targets.intervals, reasons);
  if (confirmed && (confirmation === undefined || confirmation === fingerprint)) return;
  const fr: string[] = [];
  const en: string[] = [];
  if (confirmed) {
    fr.push('Les cibles ne sont plus celles que vous avez confirmées.');
    en.push('The targets are no longer the ones you confirmed.');
  }
  if (tooMany) {
    fr.push(
      `Cette analyse porte sur ${FR_NUMBER.format(targets.count)} adresses (plus de ${FR_NUMBER.format(CONFIRM_ABOVE_ADDRESSES)}).`,
    );
    en.push(
      `This scan covers ${EN_NUMBER.format(targets.count)} addresses (more than ${EN_NUMBER.format(CONFIRM_ABOVE_ADDRESSES)}).`,
    );
  }
  for (const { reason, address } of needed) {
    const text = CONFIRM_TEXT[reason](address);
    fr.push(text.fr);
    en.push(text.en);
  }
  if (needed.length > 0) {
    fr.push(
      'N’analysez que des machines que vous êtes autorisé à tester, et confirmez pour lancer l’analyse.',
    );
    en.push('Only scan machines you are allowed to test, and confirm to start the scan.');
  } else {
    fr.push('Confirmez-la pour la lancer.');
    en.push('Confirm it to start.');
  }
  fail(
    'scan.confirmationRequired',
    { fr: fr.join(' '), en: en.join(' ') },
    {
      reason: reasons[0]!,
      reasons: reasons.join(','),
      ...(needed[0] ? { address: needed[0].address } : {}),
      ...(tooMany ? { count: targets.count } : {}),
      confirmation: fingerprint,
    },
  );
}
