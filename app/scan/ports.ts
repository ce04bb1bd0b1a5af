import ranked from '../../assets/data/ports-ranked.json' with { type: 'json' };
import { fail } from '../errors.js';

/** The ranked list behind `top100` / `top1000` (see assets/data/ports-ranked.json for its sources). */
export const rankedPorts: readonly number[] = ranked.ports;

const NAMED_SETS: Record<string, number> = { top100: 100, top1000: 1000 };

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
 * sets `top100` / `top1000`, and the `T:` prefix. Comma and space separated. Returns the sorted
 * distinct ports; throws an AppFailure naming the offending token (the `-p` grammar of nmap's
 * reference guide, "Port Specification and Scan Order").
 */
export function parsePorts(spec: string): number[] {
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
  const selected = new Uint8Array(65536);
  let protocol: 'tcp' | 'udp' = 'tcp';
  for (const original of tokens) {
    let token = original;
    const prefix = /^([TtUu]):(.*)$/.exec(token);
    if (prefix) {
      protocol = prefix[1]!.toUpperCase() === 'U' ? 'udp' : 'tcp';
      token = prefix[2]!;
      if (token === '') continue;
    }
    if (protocol === 'udp') {
      fail('scan.ports.udpUnsupported', { token: original });
    }
    const named = NAMED_SETS[token.toLowerCase()];
    if (named !== undefined) {
      for (const port of rankedPorts.slice(0, named)) selected[port] = 1;
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
    selected.fill(1, low, high + 1);
  }
  const ports: number[] = [];
  for (let port = 1; port <= 65535; port++) if (selected[port] === 1) ports.push(port);
  return ports;
}
