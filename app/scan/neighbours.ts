import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import ipaddr from 'ipaddr.js';

/**
 * The system neighbour table (ARP for IPv4, NDP for IPv6): a host whose link-layer address this PC
 * has just resolved exists, even if it drops every TCP probe. `confirmed` entries were answered
 * recently; `unconfirmed` ones (STALE/DELAY/PROBE) may still turn either way, so callers look again.
 */
export type NeighbourState = 'confirmed' | 'unconfirmed' | 'absent';

const CONFIRMED = new Set(['REACHABLE', 'PERMANENT', 'NOARP']);
const UNCONFIRMED = new Set(['STALE', 'DELAY', 'PROBE']);

function canonical(address: string): string {
  try {
    const parsed = ipaddr.parse(address.split('%')[0]!);
    return parsed.kind() === 'ipv6' ? (parsed as ipaddr.IPv6).toRFC5952String() : parsed.toString();
  } catch {
    return address;
  }
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
export function parseIpNeigh(text: string): Map<string, NeighbourState> {
  const table = new Map<string, NeighbourState>();
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
    table.set(canonical(fields[0]!), state);
  }
  return table;
}

/** Parses /proc/net/arp: flag 0x2 (ATF_COM) marks a resolved entry. */
export function parseProcArp(text: string): Map<string, NeighbourState> {
  const table = new Map<string, NeighbourState>();
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4) continue;
    const complete =
      (Number.parseInt(fields[2]!, 16) & 0x2) !== 0 && fields[3] !== '00:00:00:00:00:00';
    table.set(canonical(fields[0]!), complete ? 'confirmed' : 'absent');
  }
  return table;
}

/** Parses `arp -a` on Windows and macOS: an IPv4 address followed by a real MAC address. */
export function parseArpA(text: string): Map<string, NeighbourState> {
  const table = new Map<string, NeighbourState>();
  const pattern =
    /\(?(\d{1,3}(?:\.\d{1,3}){3})\)?\s+(?:at\s+)?([0-9a-fA-F]{1,2}(?:[:-][0-9a-fA-F]{1,2}){5})/g;
  for (const match of text.matchAll(pattern)) {
    const mac = match[2]!.toLowerCase().replace(/-/g, ':');
    if (/^(ff:){5}ff$/.test(mac) || /^(0{1,2}:){5}0{1,2}$/.test(mac) || /^01:00:5e/.test(mac))
      continue;
    table.set(canonical(match[1]!), 'confirmed');
  }
  return table;
}

async function readTable(): Promise<Map<string, NeighbourState>> {
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
  private latest: { startedAt: number; table: Promise<Map<string, NeighbourState>> } | undefined;

  async lookup(address: string, freshAfter = Date.now()): Promise<NeighbourState> {
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
    return table.get(canonical(address)) ?? 'absent';
  }
}
