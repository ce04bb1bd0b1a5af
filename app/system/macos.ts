import type { Listener, ListenersResult, ProgramInfo } from '../contract/risk.js';
import type { Protocol } from '../contract/scan.js';
import type { CommandSpec } from './command.js';

/** TCP listeners and every UDP socket, numeric, one field per line (`-F`), so nothing is localized. */
export function macosListenersCommand(): CommandSpec {
  return { file: 'lsof', args: ['-nP', '-iTCP', '-sTCP:LISTEN', '-iUDP', '-F', 'pcftPnT'] };
}

/** `ps` prints each executable's full path in the `comm` column on macOS. */
export function macosPathsCommand(pids: readonly number[]): CommandSpec {
  return { file: 'ps', args: ['-o', 'pid=,comm=', '-p', pids.join(',')] };
}

/** Splits lsof's `name` field ("127.0.0.1:631", "*:5353", "[::1]:8080") into address and port. */
function splitName(name: string): { address: string; port: number } | null {
  if (name.includes('->')) return null; // A connected socket, not a listener.
  const match = /^(.*):(\d+)$/.exec(name);
  if (!match) return null;
  const host = (match[1] ?? '').replace(/^\[|\]$/g, '');
  const port = Number(match[2]);
  if (port > 65535) return null;
  const address = host;
  return { address, port };
}

interface PendingFile {
  protocol?: Protocol;
  name?: string;
  state?: string;
  ipv6?: boolean;
}

/**
 * Parses `lsof -F pcftPnT` output: a `p` line starts a process, `c` names it, each `f` starts one of
 * its files, followed by its `t` (IPv4/IPv6), `P` (protocol), `n` (addresses) and `T` (TCP state) lines.
 */
export function parseLsof(stdout: string): Listener[] {
  const listeners: Listener[] = [];
  let program: ProgramInfo | undefined;
  let file: PendingFile | undefined;
  const flush = () => {
    if (!file?.protocol || !file.name) return;
    if (file.protocol === 'tcp' && file.state && file.state !== 'LISTEN') return;
    const parts = splitName(file.name);
    if (!parts) return;
    // lsof prints a wildcard as "*" for both families; keep the family so exposure stays exact.
    const address = parts.address === '*' ? (file.ipv6 ? '::' : '0.0.0.0') : parts.address;
    listeners.push({
      protocol: file.protocol,
      address,
      port: parts.port,
      ...(program ? { program } : {}),
    });
  };
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!line) continue;
    const tag = line[0];
    const value = line.slice(1);
    switch (tag) {
      case 'p':
        flush();
        file = undefined;
        program = { pid: Number(value), name: '' };
        break;
      case 'c':
        if (program) program.name = value;
        break;
      case 'f':
        flush();
        file = {};
        break;
      case 'P':
        file ??= {};
        if (/^tcp$/i.test(value)) file.protocol = 'tcp';
        else if (/^udp$/i.test(value)) file.protocol = 'udp';
        break;
      case 'n':
        file ??= {};
        file.name = value;
        file.ipv6 ??= value.startsWith('[');
        break;
      case 't':
        file ??= {};
        if (value === 'IPv6' || value === 'IPv4') file.ipv6 = value === 'IPv6';
        break;
      case 'T':
        if (file && value.startsWith('ST=')) file.state = value.slice(3);
        break;
      default:
        break;
    }
  }
  flush();
  return listeners;
}

/** Parses `ps -o pid=,comm=` into PID → executable path. */
export function parsePsPaths(stdout: string): Map<number, string> {
  const paths = new Map<number, string>();
  for (const line of stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(\/.*\S)\s*$/.exec(line);
    if (match) paths.set(Number(match[1]), match[2] ?? '');
  }
  return paths;
}

export function withPaths(listeners: Listener[], paths: Map<number, string>): ListenersResult {
  const withPath = listeners.map((l) => {
    const path = l.program ? paths.get(l.program.pid) : undefined;
    return path && l.program ? { ...l, program: { ...l.program, path } } : l;
  });
  return {
    platform: 'darwin',
    listeners: withPath,
    complete: withPath.every((l) => l.program !== undefined),
  };
}
