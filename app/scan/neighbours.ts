import { readFile } from 'node:fs/promises';
import { canonicalIp, splitZone } from '../net/address.js';
import { isUnicastMac, normaliseMac } from '../net/mac.js';
import { runCommand, type CommandSpec } from '../system/command.js';
import { systemProgram } from '../system/linux-paths.js';
import { minimalWindowsEnv, powershellArgv, system32Program } from '../system/windows-paths.js';

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
  /**
   * How long ago (ms, in the whole seconds the kernel counts, rounded down) the entry's link-layer
   * address was last confirmed, when the table says (`ip -s neigh`'s `used U/C/T`: C seconds).
   */
  confirmedAgoMs?: number;
  /**
   * When (ms since the epoch) the address was last confirmed, worked out by NeighbourTable from
   * confirmedAgoMs and the start of its read; to the second (it may have been up to 1 s earlier).
   * A STALE entry confirmed since a scan started answered that scan's own ARP or NDP request.
   */
  confirmedAt?: number;
}

const ABSENT: NeighbourEntry = { state: 'absent' };

/** A neighbour table's MAC (any usual form) as HostResult keeps it; undefined if not unicast. */
export function deviceMac(text: string): string | undefined {
  const mac = normaliseMac(text);
  return mac && isUnicastMac(mac) ? mac : undefined;
}

const CONFIRMED = new Set(['REACHABLE', 'PERMANENT', 'NOARP']);
const UNCONFIRMED = new Set(['STALE', 'DELAY', 'PROBE']);

function canonical(address: string): string {
  return canonicalIp(splitZone(address).address) ?? address;
}

/** Runs one read of the table, resolving its stdout; rejects when it fails or exits non-zero. */
async function run(spec: CommandSpec): Promise<string> {
  const result = await runCommand(spec, 10_000);
  if (result.exitCode !== 0) throw new Error(`${spec.file} exited ${result.exitCode}`);
  return result.stdout;
}

/**
 * Parses `ip neigh show` (iproute2): `10.0.0.1 dev eth0 lladdr aa:bb:… REACHABLE`, and with `-s`
 * the ages in seconds `used U/C/T` (last used / confirmed / updated; ip(8), `ndm_confirmed`).
 */
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
    const mac = at >= 0 && fields[at + 1] ? deviceMac(fields[at + 1]!) : undefined;
    // iproute2 prints "used 0/0/0probes 4" with no space before "probes".
    const ages = /\bused (\d+)\/(\d+)\/(\d+)/.exec(line);
    const confirmedAgoMs = ages ? Number(ages[2]) * 1000 : undefined;
    keepLeastCertain(table, canonical(fields[0]!), {
      state,
      ...(mac && state !== 'absent' ? { mac } : {}),
      ...(confirmedAgoMs !== undefined && state !== 'absent' ? { confirmedAgoMs } : {}),
    });
  }
  return table;
}

const RANK: Record<NeighbourState, number> = { absent: 0, unconfirmed: 1, confirmed: 2 };

/**
 * Records an entry for an address that may already have one from another interface: the least
 * certain stands. The table is looked up by address alone, and the same address can be a
 * different machine on another link (a VM or WSL switch, a VPN, an IPv6 link-local address on
 * each link): one link's `REACHABLE` must not make a device that left another link look up. A
 * silent host then counts as not seen in the table, and its probes alone decide.
 */
function keepLeastCertain(
  table: Map<string, NeighbourEntry>,
  address: string,
  entry: NeighbourEntry,
): void {
  const previous = table.get(address);
  if (previous && RANK[previous.state] <= RANK[entry.state]) return;
  table.set(address, entry);
}

/** Parses /proc/net/arp: flag 0x2 (ATF_COM) marks a resolved entry. */
export function parseProcArp(text: string): Map<string, NeighbourEntry> {
  const table = new Map<string, NeighbourEntry>();
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4) continue;
    const complete =
      (Number.parseInt(fields[2]!, 16) & 0x2) !== 0 && fields[3] !== '00:00:00:00:00:00';
    const mac = complete ? deviceMac(fields[3]!) : undefined;
    keepLeastCertain(
      table,
      canonical(fields[0]!),
      complete ? { state: 'confirmed', ...(mac ? { mac } : {}) } : ABSENT,
    );
  }
  return table;
}

/**
 * Parses `arp -a`: an IPv4 address followed by a real MAC address. `arp -a` shows entries the
 * system still keeps but no longer knows to be reachable (Windows keeps Stale ones), and cannot
 * tell them apart: its entries are `unconfirmed` unless `state` says otherwise (macOS drops
 * entries after their timeout).
 */
export function parseArpA(
  text: string,
  state: NeighbourState = 'unconfirmed',
): Map<string, NeighbourEntry> {
  const table = new Map<string, NeighbourEntry>();
  const pattern =
    /\(?(\d{1,3}(?:\.\d{1,3}){3})\)?\s+(?:at\s+)?([0-9a-fA-F]{1,2}(?:[:-][0-9a-fA-F]{1,2}){5})/g;
  for (const match of text.matchAll(pattern)) {
    const mac = deviceMac(match[2]!);
    if (!mac) continue;
    keepLeastCertain(table, canonical(match[1]!), { state, mac });
  }
  return table;
}

/**
 * The Windows PowerShell 5.1 script reading the neighbour cache of both families with each entry's
 * state (NetTCPIP imported from $PSHOME by path, values cast so the JSON has one shape).
 */
export const WINDOWS_NEIGHBOURS_SCRIPT = [
  "$ErrorActionPreference = 'SilentlyContinue'",
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
  "Import-Module (Join-Path $PSHOME 'Modules\\NetTCPIP\\NetTCPIP.psd1')",
  '$out = @(NetTCPIP\\Get-NetNeighbor | ForEach-Object { [pscustomobject]@{ IPAddress = [string]$_.IPAddress; LinkLayerAddress = [string]$_.LinkLayerAddress; State = [string]$_.State } })',
  'ConvertTo-Json -InputObject $out -Compress -Depth 2',
].join('\n');

/**
 * NL_NEIGHBOR_STATE in its numeric order, for a State that comes back as a number.
 * Source: Microsoft, "NL_NEIGHBOR_STATE enumeration (nldef.h)" (RFC 4861 §7.3.2 states).
 */
const WINDOWS_STATES = [
  'Unreachable',
  'Incomplete',
  'Probe',
  'Delay',
  'Stale',
  'Reachable',
  'Permanent',
];

/**
 * Parses WINDOWS_NEIGHBOURS_SCRIPT's JSON (any of PowerShell 5.1's array shapes): Reachable and
 * Permanent entries are `confirmed`; Stale, Delay and Probe `unconfirmed` (a device that left the
 * Wi-Fi stays Stale for minutes); Unreachable and Incomplete `absent`, as are broadcast and
 * multicast entries (Permanent, but no device). Throws SyntaxError on output that is not JSON.
 */
export function parseNetNeighbor(json: string): Map<string, NeighbourEntry> {
  const table = new Map<string, NeighbourEntry>();
  const text = json.trim().replace(/^\uFEFF/, '');
  if (text === '') return table;
  let rows: unknown = JSON.parse(text);
  if (rows && typeof rows === 'object' && !Array.isArray(rows)) {
    const obj = rows as Record<string, unknown>;
    rows = Array.isArray(obj.value) && 'Count' in obj ? obj.value : [obj];
  }
  for (const row of Array.isArray(rows) ? (rows as Record<string, unknown>[]) : []) {
    if (typeof row?.IPAddress !== 'string') continue;
    const stateName =
      typeof row.State === 'number' ? WINDOWS_STATES[row.State] : String(row.State ?? '');
    const mac =
      typeof row.LinkLayerAddress === 'string' ? deviceMac(row.LinkLayerAddress) : undefined;
    let state: NeighbourState = 'absent';
    if (mac && (stateName === 'Reachable' || stateName === 'Permanent')) state = 'confirmed';
    else if (mac && (stateName === 'Stale' || stateName === 'Delay' || stateName === 'Probe'))
      state = 'unconfirmed';
    // An address may be listed on several interfaces: the least certain entry stands.
    keepLeastCertain(
      table,
      canonical(row.IPAddress),
      state === 'absent' ? ABSENT : { state, mac: mac! },
    );
  }
  return table;
}

/**
 * Reads this PC's neighbour table: `ip neigh` (or /proc/net/arp) on Linux, Get-NetNeighbor on
 * Windows (arp -a when PowerShell cannot run), `arp -an` on macOS; every program by absolute
 * path. An empty table when none can be read.
 */
export async function readNeighbourTable(
  platform: NodeJS.Platform = process.platform,
): Promise<Map<string, NeighbourEntry>> {
  if (platform === 'linux') {
    try {
      return parseIpNeigh(await run({ file: systemProgram('ip'), args: ['-s', 'neigh', 'show'] }));
    } catch {
      try {
        return parseProcArp(await readFile('/proc/net/arp', 'utf8'));
      } catch {
        return new Map();
      }
    }
  }
  if (platform === 'win32') {
    try {
      const [file, ...args] = powershellArgv(WINDOWS_NEIGHBOURS_SCRIPT);
      return parseNetNeighbor(await run({ file: file as string, args, env: minimalWindowsEnv() }));
    } catch {
      try {
        return parseArpA(
          await run({ file: system32Program('ARP.EXE'), args: ['-a'], env: minimalWindowsEnv() }),
        );
      } catch {
        return new Map();
      }
    }
  }
  try {
    return parseArpA(await run({ file: '/usr/sbin/arp', args: ['-an'] }), 'confirmed');
  } catch {
    return new Map();
  }
}

/** Reads never start closer together than this (at most ten a second). */
const MIN_GAP_MS = 100;

/**
 * Reads the table once for many hosts: a lookup is answered from a read that started after
 * `freshAfter` (the end of that host's probes), so an entry resolved by those probes is seen.
 * Reads never overlap (on Windows one takes a PowerShell start): a lookup that needs a newer read
 * than the one running waits for the next, which serves every lookup queued meanwhile.
 */
export class NeighbourTable {
  private latest:
    { startedAt: number | null; table: Promise<Map<string, NeighbourEntry>> } | undefined;

  /** `read` reads the whole table once (readNeighbourTable by default). */
  constructor(
    private readonly read: () => Promise<Map<string, NeighbourEntry>> = () => readNeighbourTable(),
  ) {}

  async lookup(address: string, freshAfter = Date.now()): Promise<NeighbourEntry> {
    const latest = this.latest;
    // A read not started yet will start after now, so it is fresh for every lookup.
    const fresh = latest && (latest.startedAt === null || latest.startedAt >= freshAfter);
    if (!fresh) {
      const next: { startedAt: number | null; table: Promise<Map<string, NeighbourEntry>> } = {
        startedAt: null,
        table: Promise.resolve(new Map()),
      };
      const previousStart = latest?.startedAt ?? -Infinity;
      const previous = latest?.table.then(
        () => undefined,
        () => undefined,
      );
      next.table = (previous ?? Promise.resolve())
        .then(() => {
          const delay = previousStart + MIN_GAP_MS - Date.now();
          return delay > 0 ? new Promise<void>((resolve) => setTimeout(resolve, delay)) : undefined;
        })
        .then(() => {
          next.startedAt = Date.now();
          return this.read();
        })
        .catch(() => new Map<string, NeighbourEntry>());
      this.latest = next;
    }
    const read = this.latest!;
    const entry = (await read.table).get(canonical(address)) ?? ABSENT;
    if (entry.confirmedAgoMs === undefined || read.startedAt === null) return entry;
    return { ...entry, confirmedAt: read.startedAt - entry.confirmedAgoMs };
  }
}
