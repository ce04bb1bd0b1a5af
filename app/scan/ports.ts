import ranked from '../../assets/data/ports-ranked.json' with { type: 'json' };
import { fail } from '../errors.js';
import { COMMON_UDP_PORTS } from './udp/services.js';
import { COMMON_UDP_SET } from '../contract/port-spec.js';

/** The ranked list behind `top100` / `top1000` (see assets/data/ports-ranked.json for its sources). */
export const rankedPorts: readonly number[] = ranked.ports;

const NAMED_SETS: Record<string, number> = { top100: 100, top1000: 1000 };

/**
 * The named set "common UDP services" (app/scan/udp/services.ts): UDP ports whatever prefix is in
 * force, so `T:22,80,common-udp` reads as nmap's `T:22,80,U:7,17,…` (its name lives in the
 * contract, app/contract/port-spec.ts, which the page reads too).
 */
export { COMMON_UDP_SET };

/** The ports a spec asks for, per protocol, each sorted and distinct. */
export interface PortSpec {
  tcp: number[];
  udp: number[];
}

/** Refuses `token`; `variant` picks the sentence (errors.json `scan.ports.invalid.<variant>`). */
function badToken(
  token: string,
  variant: string,
  text: Record<string, string | number> = {},
): never {
  fail('scan.ports.invalid', { token }, { variant, text });
}

function parsePortNumber(text: string, token: string): number {
  if (!/^\d+$/.test(text)) {
    badToken(token, 'expected');
  }
  const value = Number(text);
  if (value < 1 || value > 65535) {
    badToken(token, 'outOfRange', { text });
  }
  return value;
}

/**
 * A dash with spaces beside it (`1 - 1024`, `20 -25`, `20- 25`): spaces also separate ports here,
 * so such text would read as other ports than the user meant (`1 - 1024` as "1, every port,
 * 1024"). nmap refuses `1 - 1024` and `20- 25` (error #486) and joins `20 -25`; this parser
 * refuses all three alike, naming the text and how to write it. Spaces beside a comma are only
 * separators and change nothing.
 */
const SPACED_DASH = /[^\s,]*(?:\s+-\s*|\s*-\s+)[^\s,]*/;

/**
 * Parses an nmap-style port spec: `22,80,443`, `1-1024`, `-` (1-65535), `-100`, `60000-`, the named
 * sets `top100` / `top1000` (TCP) and `common-udp` (UDP), and the `T:` / `U:` prefixes, which hold
 * until the next one (`U:53,161,T:80`: UDP 53 and 161, TCP 80). Comma and space separated. Ports
 * before any prefix are TCP (our engine's default scan is TCP connect). Returns the sorted distinct
 * ports per protocol; throws an AppFailure naming the offending token (the `-p` grammar of nmap's
 * reference guide, "Port Specification and Scan Order").
 */
export function parsePortSpec(spec: string): PortSpec {
  const spaced = SPACED_DASH.exec(spec.replace(/\s*,\s*/g, ',').trim());
  if (spaced) {
    const token = spaced[0].trim();
    const [before = '', after = ''] = token.split(/\s*-\s*/);
    const joined = `${before}-${after}`;
    // Only the range is offered: the other readings ("1,-1024", "20,-25") puzzled more than they
    // helped, and were not even what the text could mean with a single space.
    badToken(token, 'spacedDash', { joined });
  }
  const tokens = spec
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (tokens.length === 0) {
    fail('scan.ports.empty');
  }
  const selected = { tcp: new Uint8Array(65536), udp: new Uint8Array(65536) };
  let protocol: 'tcp' | 'udp' = 'tcp';
  for (const original of tokens) {
    let token = original;
    const prefix = /^([TtUu]):(.*)$/.exec(token);
    if (prefix) {
      protocol = prefix[1]!.toUpperCase() === 'U' ? 'udp' : 'tcp';
      token = prefix[2]!;
      if (token === '') continue;
    }
    if (token.toLowerCase() === COMMON_UDP_SET) {
      for (const port of COMMON_UDP_PORTS) selected.udp[port] = 1;
      continue;
    }
    const named = NAMED_SETS[token.toLowerCase()];
    if (named !== undefined) {
      for (const port of rankedPorts.slice(0, named)) selected[protocol][port] = 1;
      continue;
    }
    let low: number;
    let high: number;
    if (token === '-') {
      low = 1;
      high = 65535;
    } else if (token.includes('-')) {
      const parts = token.split('-');
      if (parts.length !== 2) {
        badToken(original, 'rangeForm');
      }
      low = parts[0] === '' ? 1 : parsePortNumber(parts[0]!, original);
      high = parts[1] === '' ? 65535 : parsePortNumber(parts[1]!, original);
      if (low > high) {
        badToken(original, 'reversed', { low, high });
      }
    } else {
      low = high = parsePortNumber(token, original);
    }
    selected[protocol].fill(1, low, high + 1);
  }
  const list = (table: Uint8Array): number[] => {
    const ports: number[] = [];
    for (let port = 1; port <= 65535; port++) if (table[port] === 1) ports.push(port);
    return ports;
  };
  const out = { tcp: list(selected.tcp), udp: list(selected.udp) };
  // Only prefixes (`U:`, `T:,U:`): no port at all.
  if (out.tcp.length === 0 && out.udp.length === 0) fail('scan.ports.empty');
  return out;
}

/** The TCP ports of a spec (see {@link parsePortSpec}), for callers that only probe TCP. */
export function parsePorts(spec: string): number[] {
  return parsePortSpec(spec).tcp;
}
