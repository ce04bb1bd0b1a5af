import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { canonicalIp, splitZone } from '../net/address.js';

/**
 * The system neighbour table (ARP for IPv4, NDP for IPv6): a host whose link-layer address this PC
 * has just resolved exists, even if it drops every TCP probe. `confirmed` entries were answered
 * recently; `unconfirmed` ones (STALE/DELAY/PROBE) may still turn either way, so callers look again.
 */
export type NeighbourState = 'confirmed' | 'unconfirmed' | 'absent';

/** One address in the table, with its link-layer (MAC) address when the table holds one. */
export interface NeighbourEntry {
  state: NeighbourState;
  /** Lower-case, colon-separated (`aa:bb:cc:dd:ee:ff`), so reports can look up the vendor. */
  mac?: string;
}

const ABSENT: NeighbourEntry = { state: 'absent' };

/** `AA-BB-CC-D-E-F` (Windows), `aa:b:c:d:e:f` (macOS) → `aa:bb:cc:0d:0e:0f`; undefined if not unicast. */
export function normaliseMac(text: string): string | undefined {
  const parts = text.toLowerCase().split(/[:-]/);
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-f]{1,2}$/.test(p))) return undefined;
  const mac = parts.map((p) => p.padStart(2, '0')).join(':');
  // Broadcast, all-zero (incomplete) and multicast (low bit of the first byte) are not devices.
  if (mac === 'ff:ff:ff:ff:ff:ff' || mac === '00:00:00:00:00:00') return undefined;
  if ((Number.parseInt(parts[0]!, 16) & 1) === 1) return undefined;
  return mac;
}

const CONFIRMED = new Set(['REACHABLE', 'PERMANENT', 'NOARP']);
const UNCONFIRMED = new Set(['STALE', 'DELAY', 'PROBE']);

function canonical(address: string): string {
  return canonicalIp(splitZone(address).address) ?? address;
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: 5000, maxBuffer: 32 * 1024 * 1024, windowsHide: true },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

/** Parses `ip neigh show` (iproute2): `10.0.0.1 dev eth0 lladdr aa:bb:… REACHABLE`. */
export function parseIpNeigh(text: string): Map<string, NeighbourEntry> {
  const table = new Map<string, NeighbourEntry>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 2 || fields[0] === '') continue;
    const hasLinkAddress = fields.includes('lladdr');
    const states = fields.filter((f) => /^[A-Z]+$/.test(f));
    let state: NeighbourState = 'absent';
    if (hasLinkAddress || states.includes('NOARP') || states.includes('PERMANENT')) {
      if (states.some((s) => CONFIRMED.has(s))) state = 'confirmed';
      else if (states.some((s) => UNCONFIRMED.has(s))) state = 'unconfirmed';
    }
    const at = fields.indexOf('lladdr');
    const mac = at >= 0 && fields[at + 1] ? normaliseMac(fields[at + 1]!) : undefined;
    table.set(canonical(fields[0]!), mac && state !== 'absent' ? { state, mac } : { state });
  }
  return table;
}

/** Parses /proc/net/arp: flag 0x2 (ATF_COM) marks a resolved entry. */
export function parseProcArp(text: string): Map<string, NeighbourEntry> {
  const table = new Map<string, NeighbourEntry>();
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4) continue;
    const complete =
      (Number.parseInt(fields[2]!, 16) & 0x2) !== 0 && fields[3] !== '00:00:00:00:00:00';
    const mac = complete ? normaliseMac(fields[3]!) : undefined;
    table.set(
      canonical(fields[0]!),
      complete ? { state: 'confirmed', ...(mac ? { mac } : {}) } : ABSENT,
    );
  }
  return table;
}

/** Parses `arp -a` on Windows and macOS: an IPv4 address followed by a real MAC address. */
export function parseArpA(text: string): Map<string, NeighbourEntry> {
  const table = new Map<string, NeighbourEntry>();
  const pattern =
    /\(?(\d{1,3}(?:\.\d{1,3}){3})\)?\s+(?:at\s+)?([0-9a-fA-F]{1,2}(?:[:-][0-9a-fA-F]{1,2}){5})/g;
  for (const match of text.matchAll(pattern)) {
    const mac = normaliseMac(match[2]!);
    if (!mac) continue;
    table.set(canonical(match[1]!), { state: 'confirmed', mac });
  }
  return table;
}

async function readTable(): Promise<Map<string, NeighbourEntry>> {
  if (process.platform === 'linux') {
    try {
      return parseIpNeigh(await run('ip', ['neigh', 'show']));
    } catch {
      try {
        return parseProcArp(await readFile('/proc/net/arp', 'utf8'));
      } catch {
        return new Map();
      }
    }
  }
  try {
    return parseArpA(await run('arp', process.platform === 'win32' ? ['-a'] : ['-an']));
  } catch {
    return new Map();
  }
}

/**
 * Reads the table once for many hosts: a lookup is answered from a read that started after
 * `freshAfter` (the end of that host's probes), so an entry resolved by those probes is seen.
 */
export class NeighbourTable {
  private latest: { startedAt: number; table: Promise<Map<string, NeighbourEntry>> } | undefined;

  async lookup(address: string, freshAfter = Date.now()): Promise<NeighbourEntry> {
    if (!this.latest || this.latest.startedAt < freshAfter) {
      // At most ten reads a second: a host finishing just after a read began waits for the next one.
      const startAt = Math.max(Date.now(), (this.latest?.startedAt ?? 0) + 100);
      const delay = startAt - Date.now();
      this.latest = {
        startedAt: startAt,
        table: new Promise<void>((resolve) => setTimeout(resolve, delay)).then(readTable),
      };
    }
    const table = await this.latest.table;
    return table.get(canonical(address)) ?? ABSENT;
  }
}
