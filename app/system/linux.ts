import { readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { Listener, ListenersResult, ProgramInfo } from '../contract/risk.js';
import type { Protocol } from '../contract/scan.js';
import { isPortAuditorHost, parseCmdline, type Installation } from './own-instance.js';

/** One socket row of /proc/net/{tcp,tcp6,udp,udp6}. */
export interface ProcNetSocket {
  protocol: Protocol;
  address: string;
  port: number;
  /** Kernel socket state in hex, as printed (`0A` = TCP LISTEN, `07` = UDP unconnected). */
  state: string;
  inode: number;
}

const TCP_LISTEN = '0A';
const UDP_UNCONNECTED = '07';

/**
 * The kernel prints each 32-bit word of the address as a host-order integer, so on little-endian
 * machines (x86, ARM) the bytes of each word come reversed: `0100007F` is 127.0.0.1.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function wordBytes(hex: string): number[] {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return LITTLE_ENDIAN ? bytes.reverse() : bytes;
}

export function decodeProcAddress(hex: string): string {
  if (hex.length === 8) return wordBytes(hex).join('.');
  if (hex.length === 32) {
    const bytes = [0, 8, 16, 24].flatMap((i) => wordBytes(hex.slice(i, i + 8)));
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2)
      groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
    return compressIpv6(groups);
  }
  throw new Error(`unexpected address ${hex}`);
}

/** RFC 5952 form: the longest run of zero groups becomes `::`. */
function compressIpv6(groups: string[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  const head = groups.slice(0, bestStart).join(':');
  const tail = groups.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

/** Parses a /proc/net table; `protocol` is tcp for tcp/tcp6 and udp for udp/udp6. */
export function parseProcNet(text: string, protocol: Protocol): ProcNetSocket[] {
  const sockets: ProcNetSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const [addrHex, portHex] = (fields[1] ?? '').split(':');
    const state = fields[3] ?? '';
    const inode = Number(fields[9]);
    if (!addrHex || !portHex || !Number.isFinite(inode)) continue;
    sockets.push({
      protocol,
      address: decodeProcAddress(addrHex),
      port: parseInt(portHex, 16),
      state: state.toUpperCase(),
      inode,
    });
  }
  return sockets;
}

export function isListening(socket: ProcNetSocket): boolean {
  return socket.protocol === 'tcp' ? socket.state === TCP_LISTEN : socket.state === UDP_UNCONNECTED;
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/** Maps socket inodes to the first process (lowest PID) holding them, by reading every /proc/PID/fd. */
async function socketOwners(procRoot: string, wanted: Set<number>): Promise<Map<number, number>> {
  const owners = new Map<number, number>();
  const pids = (await readdir(procRoot))
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
  for (const pid of pids) {
    if (owners.size === wanted.size) break;
    let fds: string[];
    try {
      fds = await readdir(path.join(procRoot, String(pid), 'fd'));
    } catch {
      continue; // Exited, or another user's process without root.
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = await readlink(path.join(procRoot, String(pid), 'fd', fd));
      } catch {
        continue;
      }
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (!match) continue;
      const inode = Number(match[1]);
      if (wanted.has(inode) && !owners.has(inode)) owners.set(inode, pid);
    }
  }
  return owners;
}

async function programOf(procRoot: string, pid: number): Promise<ProgramInfo> {
  const comm = (await readOptional(path.join(procRoot, String(pid), 'comm')))?.trim();
  let exe: string | undefined;
  try {
    exe = await readlink(path.join(procRoot, String(pid), 'exe'));
  } catch {
    exe = undefined;
  }
  // The kernel appends " (deleted)" when the binary was replaced or removed since launch.
  const cleanExe = exe?.replace(/ \(deleted\)$/, '');
  const name = comm || (cleanExe ? path.basename(cleanExe) : `pid ${pid}`);
  return { pid, name, ...(cleanExe ? { path: cleanExe } : {}) };
}

/**
 * Whether process `pid` runs a Port Auditor host of `installation` (own-instance.ts), from its
 * /proc entries: `exe` (already read), `cmdline` and `cwd`. Any of them unreadable (the process
 * ended, another user's without root): not recognised.
 */
async function runsPortAuditor(
  procRoot: string,
  pid: number,
  exe: string | undefined,
  installation: Installation,
): Promise<boolean> {
  if (!exe) return false;
  const raw = await readOptional(path.join(procRoot, String(pid), 'cmdline'));
  if (raw === null) return false;
  let cwd: string | undefined;
  try {
    cwd = await readlink(path.join(procRoot, String(pid), 'cwd'));
  } catch {
    cwd = undefined;
  }
  return isPortAuditorHost({ exe, argv: parseCmdline(raw), ...(cwd ? { cwd } : {}) }, installation);
}

/**
 * Listening TCP sockets and bound UDP sockets of this Linux machine, with their programs, read
 * under `procRoot` (/proc; a recorded copy in tests). With `installation`, the owners running a
 * Port Auditor host of it are listed in `portAuditorHosts` (issue 15, F6).
 */
export async function readLinuxListeners(
  procRoot = '/proc',
  installation?: Installation,
): Promise<ListenersResult> {
  const tables: Array<[string, Protocol]> = [
    ['tcp', 'tcp'],
    ['tcp6', 'tcp'],
    ['udp', 'udp'],
    ['udp6', 'udp'],
  ];
  const sockets: ProcNetSocket[] = [];
  for (const [file, protocol] of tables) {
    const text = await readOptional(path.join(procRoot, 'net', file));
    if (text) sockets.push(...parseProcNet(text, protocol).filter(isListening));
  }
  const wanted = new Set(sockets.map((s) => s.inode).filter((inode) => inode > 0));
  const owners = await socketOwners(procRoot, wanted);
  const programs = new Map<number, ProgramInfo>();
  const hosts: number[] = [];
  for (const pid of new Set(owners.values())) {
    const program = await programOf(procRoot, pid);
    programs.set(pid, program);
    if (installation && (await runsPortAuditor(procRoot, pid, program.path, installation)))
      hosts.push(pid);
  }

  const listeners: Listener[] = sockets.map((s) => {
    const pid = owners.get(s.inode);
    const program = pid === undefined ? undefined : programs.get(pid);
    return {
      protocol: s.protocol,
      address: s.address,
      port: s.port,
      ...(program ? { program } : {}),
    };
  });
  return {
    platform: 'linux',
    listeners,
    complete: listeners.every((l) => l.program !== undefined),
    ...(installation ? { portAuditorHosts: hosts } : {}),
  };
}
