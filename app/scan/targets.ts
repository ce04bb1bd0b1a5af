import { lookup } from 'node:dns/promises';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import ipaddr from 'ipaddr.js';
import type { LocalizedText } from '../contract/errors.js';
import { fail } from '../errors.js';
import {
  cidrInterval,
  firstPublicAddress,
  intervalSize,
  mergeIntervals,
  subtractIntervals,
  toBigInt,
  type Family,
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
  /** A public address in the set, if any (needs confirmation unless it belongs to this PC). */
  publicAddress?: string;
}

export interface ParseTargetsOptions {
  interfaces?: Interfaces;
  resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
}

function invalid(token: string, fr: string, en: string): never {
  fail(
    'scan.targets.invalid',
    {
      fr: `Cibles : « ${token} » n'est pas valide — ${fr}`,
      en: `Targets: "${token}" is not valid — ${en}`,
    },
    { token },
  );
}

const HOSTNAME =
  /^(?=.{1,253}\.?$)[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*\.?$/;

function parseIPv4Literal(text: string, token: string): bigint {
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) {
    invalid(
      token,
      `${text} n'est pas une adresse IPv4 (quatre nombres de 0 à 255 séparés par des points).`,
      `${text} is not an IPv4 address (four numbers from 0 to 255 separated by dots).`,
    );
  }
  return toBigInt(ipaddr.IPv4.parse(text));
}

function parseIPv6Literal(text: string, token: string): { value: bigint; zone?: string } {
  if (!ipaddr.IPv6.isValid(text)) {
    invalid(token, `${text} n'est pas une adresse IPv6.`, `${text} is not an IPv6 address.`);
  }
  const parsed = ipaddr.IPv6.parse(text);
  return { value: toBigInt(parsed), ...(parsed.zoneId ? { zone: parsed.zoneId } : {}) };
}

function parseCidr(token: string, text: string): Interval {
  const slash = text.indexOf('/');
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const family: Family = addressText.includes(':') ? 6 : 4;
  const maxPrefix = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) {
    invalid(
      token,
      `le préfixe /${prefixText} doit être un nombre de 0 à ${maxPrefix}.`,
      `the prefix /${prefixText} must be a number from 0 to ${maxPrefix}.`,
    );
  }
  const base =
    family === 4
      ? parseIPv4Literal(addressText, token)
      : parseIPv6Literal(addressText, token).value;
  return cidrInterval(family, base, Number(prefixText));
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
      fr: `Cibles : ${count.toString()} adresses, c'est trop ; le maximum est ${MAX_ADDRESSES} (un /8).`,
      en: `Targets: ${count.toString()} addresses is too many; the maximum is ${MAX_ADDRESSES} (a /8).`,
    },
    { count: Number(count) },
  );
}

/** Every address of this PC: loopback plus each interface address (link-local ones with their zone). */
export function thisPcAddresses(interfaces: Interfaces): { address: string; zone?: string }[] {
  const found = new Map<string, string | undefined>([
    ['127.0.0.1', undefined],
    ['::1', undefined],
  ]);
  for (const [name, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      const address = info.address.split('%')[0]!;
      const linkLocal = info.family === 'IPv6' && address.toLowerCase().startsWith('fe80:');
      if (!found.has(address)) found.set(address, linkLocal ? name : undefined);
    }
  }
  return [...found].map(([address, zone]) => (zone ? { address, zone } : { address }));
}

/** Each up, non-loopback IPv4 interface's subnet, capped at /22 around the interface's address. */
export function localNetworks(interfaces: Interfaces): {
  intervals: Interval[];
  notes: LocalizedText[];
} {
  const intervals: Interval[] = [];
  const notes: LocalizedText[] = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.family !== 'IPv4' || info.internal) continue;
      const address = ipaddr.IPv4.parse(info.address);
      const prefix = ipaddr.IPv4.parse(info.netmask).prefixLengthFromSubnetMask() ?? 32;
      const used = Math.max(prefix, LOCAL_NETWORK_MAX_PREFIX);
      const interval = cidrInterval(4, toBigInt(address), used);
      intervals.push(interval);
      if (used !== prefix) {
        const network = ipaddr.IPv4.networkAddressFromCIDR(`${info.address}/${used}`).toString();
        notes.push({
          fr: `Réseau local : l'interface ${name} est sur un /${prefix} ; seul le /${used} qui l'entoure (${network}/${used}) est analysé.`,
          en: `Local network: interface ${name} is on a /${prefix}; only the /${used} around it (${network}/${used}) is scanned.`,
        });
      }
    }
  }
  return { intervals, notes };
}

async function defaultResolve(hostname: string): Promise<{ address: string; family: number }[]> {
  return lookup(hostname, { all: true, verbatim: true });
}

/**
 * Parses the user's target text (addresses, CIDR, ranges, host names, `this-pc`, `local-network`,
 * `!token` to exclude), resolving host names. Throws an AppFailure naming the offending token.
 */
export async function parseTargets(
  text: string,
  options: ParseTargetsOptions = {},
): Promise<TargetSet> {
  const interfaces = options.interfaces ?? networkInterfaces();
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
  const local = thisPcAddresses(interfaces);
  let includeCount = 0n;

  for (const original of tokens) {
    const excluded = original.startsWith('!');
    const token = excluded ? original.slice(1) : original;
    if (token === '') invalid(original, 'rien ne suit « ! ».', 'nothing follows "!".');
    const target = excluded ? exclude : include;
    const lower = token.toLowerCase();
    const before = target.length;
    if (lower === 'this-pc') {
      for (const { address, zone } of local) {
        const isV6 = address.includes(':');
        target.push({ family: isV6 ? 6 : 4, start: toBigInt(ipaddr.parse(address)), end: 0n });
        target[target.length - 1]!.end = target[target.length - 1]!.start;
        if (zone && !excluded) zones[address] = zone;
      }
    } else if (lower === 'local-network') {
      const networks = localNetworks(interfaces);
      if (networks.intervals.length === 0) {
        fail(
          'scan.targets.noLocalNetwork',
          {
            fr: 'Cibles : « local-network » — aucune interface réseau IPv4 active (hors boucle locale) sur ce PC.',
            en: 'Targets: "local-network" — this PC has no active IPv4 network interface (other than loopback).',
          },
          { token: original },
        );
      }
      target.push(...networks.intervals);
      if (!excluded) notes.push(...networks.notes);
    } else if (token.includes('/')) {
      target.push(parseCidr(original, token));
    } else if (token.includes(':')) {
      const dash = token.indexOf('-');
      if (dash >= 0) {
        const start = parseIPv6Literal(token.slice(0, dash), original).value;
        const end = parseIPv6Literal(token.slice(dash + 1), original).value;
        if (start > end) {
          invalid(original, "la plage est à l'envers.", 'the range is reversed.');
        }
        target.push({ family: 6, start, end });
      } else {
        const { value, zone } = parseIPv6Literal(token, original);
        target.push({ family: 6, start: value, end: value });
        if (zone && !excluded) {
          const address = token.split('%')[0]!;
          zones[ipaddr.IPv6.parse(address).toRFC5952String()] = zone;
        }
      }
    } else if (/^[\d.*-]+$/.test(token) && token.includes('.')) {
      const full = /^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)$/.exec(token);
      if (full) {
        const start = parseIPv4Literal(full[1]!, original);
        const end = parseIPv4Literal(full[2]!, original);
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
      if (answers.length === 0) {
        fail(
          'scan.targets.unresolved',
          {
            fr: `Cibles : le nom « ${token} » ne correspond à aucune adresse (introuvable dans le DNS).`,
            en: `Targets: the name "${token}" does not resolve to any address (not found in DNS).`,
          },
          { token: original },
        );
      }
      for (const answer of answers) {
        const parsed = ipaddr.parse(answer.address.split('%')[0]!);
        const value = toBigInt(parsed);
        target.push({ family: parsed.kind() === 'ipv4' ? 4 : 6, start: value, end: value });
        if (!excluded) {
          const address =
            parsed.kind() === 'ipv4'
              ? parsed.toString()
              : (parsed as ipaddr.IPv6).toRFC5952String();
          hostnames[address] ??= token;
        }
      }
    } else {
      invalid(
        original,
        "ce n'est ni une adresse IP, ni une plage, ni un nom d'hôte.",
        'it is neither an IP address, nor a range, nor a host name.',
      );
    }
    if (!excluded) {
      for (const interval of target.slice(before)) includeCount += intervalSize(interval);
      if (includeCount > BigInt(MAX_ADDRESSES) * 4n) tooMany(includeCount);
    }
  }

  const intervals = subtractIntervals(mergeIntervals(include), mergeIntervals(exclude));
  const count = intervals.reduce((n, interval) => n + intervalSize(interval), 0n);
  if (count === 0n) {
    fail('scan.targets.allExcluded', {
      fr: 'Cibles : toutes les adresses ont été exclues, il ne reste rien à analyser.',
      en: 'Targets: every address was excluded; nothing is left to scan.',
    });
  }
  if (count > BigInt(MAX_ADDRESSES)) tooMany(count);

  const localSet = new Set(local.map((l) => l.address));
  let publicAddress: string | undefined;
  for (const interval of intervals) {
    const candidate = firstPublicAddress(interval);
    if (candidate === undefined) continue;
    if (interval.start === interval.end && localSet.has(candidate)) continue;
    publicAddress = candidate;
    break;
  }
  return {
    intervals,
    count: Number(count),
    hostnames,
    zones,
    localAddresses: [...localSet],
    notes,
    ...(publicAddress !== undefined ? { publicAddress } : {}),
  };
}

/** Refuses a scan that needs the user's confirmation and lacks it. */
export function requireConfirmation(targets: TargetSet, confirmed: boolean): void {
  if (confirmed) return;
  if (targets.count > CONFIRM_ABOVE_ADDRESSES) {
    fail(
      'scan.confirmationRequired',
      {
        fr: `Cette analyse porte sur ${targets.count} adresses (plus de ${CONFIRM_ABOVE_ADDRESSES}) : confirmez-la pour la lancer.`,
        en: `This scan covers ${targets.count} addresses (more than ${CONFIRM_ABOVE_ADDRESSES}): confirm it to start.`,
      },
      { reason: 'count', count: targets.count },
    );
  }
  if (targets.publicAddress !== undefined) {
    fail(
      'scan.confirmationRequired',
      {
        fr: `L'adresse ${targets.publicAddress} est publique (sur Internet) : n'analysez que des machines que vous êtes autorisé à tester, et confirmez pour lancer l'analyse.`,
        en: `The address ${targets.publicAddress} is public (on the Internet): only scan machines you are allowed to test, and confirm to start the scan.`,
      },
      { reason: 'public', address: targets.publicAddress },
    );
  }
}
