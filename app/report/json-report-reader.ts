import { HostResult } from '../contract/scan.js';
import { fail } from '../errors.js';

/**
 * The most hosts a JSON report may hold, as an nmap XML import (MAX_HOSTS in nmap-xml-import.ts)
 * and `risk.assess` (RiskAssessRequest: 65,536) take them: a /16.
 */
export const MAX_JSON_REPORT_HOSTS = 65_536;

/** Longest object key kept to decide where a value goes; a longer one is no key of ours. */
const MAX_KEY_BYTES = 64;

/**
 * Top-level members of a JSON report (docs/report-json.md) that are never read back: the file's
 * own summary, flat findings and verdicts (reportInputFromFile drops the verdicts; the others are
 * derived from them), so they are only walked through, never held (issue 13 review A15: a 47 MB
 * report held whole, its findings and verdicts included, took 724 MB).
 */
const SKIPPED_TOP = new Set(['summary', 'findings', 'assessment']);

/**
 * A JSON report or a saved scan read without holding the file: `rest` is the document with each
 * host list empty (`scan.hosts` of a report or of `show ID --json`, `hosts` of a scan written by
 * `scan --json`), its summary, findings and verdicts left out (SKIPPED_TOP); `hosts` and
 * `scanHosts` are those lists' hosts, each already checked against the contract's HostResult
 * (whose parsed copy is kept, never the text); the caller knows from `rest` which list the
 * document's scan has.
 */
export interface ReadJsonReport {
  rest: Record<string, unknown>;
  /** Top-level `hosts` (a scan written by `scan --json`), checked. */
  hosts: HostResult[];
  /** `scan.hosts` (a JSON report, `show ID --json`), checked. */
  scanHosts: HostResult[];
}

/**
 * Why a JSON document could not be read: `syntax`, not one JSON document; `host`, a value the
 * contract refuses — a host of a list (`where` its dotted path and field), or the whole document
 * (`where` empty: a list, not an object).
 */
export class JsonReportError extends Error {
  constructor(
    readonly kind: 'syntax' | 'host',
    /** Dotted path of the value refused (`scan.hosts.12.address`), empty for the syntax. */
    readonly where: string,
    /** For `host`: whether the contract found a required field missing (zod's invalid_type). */
    readonly missing = false,
  ) {
    super(kind === 'syntax' ? 'not JSON' : `invalid value at ${where}`);
    this.name = 'JsonReportError';
  }
}

type Frame = {
  kind: 'object' | 'array';
  /** Dotted path of this container from the top (`scan`, `scan.hosts`). */
  path: string;
  /** For an object: the current member's key, or null before it is read. */
  key: string | null;
  /** What comes next: a key (object), a value, the ':' after a key, or ',' / the end. */
  next: 'key' | 'colon' | 'value' | 'comma' | 'first';
  index: number;
};

/**
 * Hears each checked host of a host list as it is read (`list`: which one, see ReadJsonReport),
 * in file order; given, the hosts are not kept in the result (its lists stay empty), so what is
 * held is one host at a time (issue 13, A15: the import thread writes them as rows).
 */
export type JsonHostSink = (list: 'hosts' | 'scanHosts', host: HostResult) => void;

/**
 * Reads a JSON report (or a scan written by `scan --json`, or `show ID --json`) from `pieces`,
 * the file's bytes in order, one host at a time: each host of a host list is parsed on its own
 * (JSON.parse of its bytes only) and checked against HostResult, so what is held is the checked
 * hosts and the document's small members, never the file's text nor its findings and verdicts
 * (SKIPPED_TOP, only walked through). Time is linear in the file's size.
 * Throws `report.nmap-too-many-hosts` (fr/en, the number and the limit Intl-formatted) as soon
 * as a host list passes MAX_JSON_REPORT_HOSTS, before more of the file is read; a JsonReportError
 * for bytes that are not one JSON document (`syntax`) or a host the contract refuses (`host`).
 * JSON's structural characters are ASCII, which no byte of a UTF-8 sequence is, so the bytes are
 * scanned as they are and only kept values are decoded (RFC 8259 §8.1). With `onHost`, each
 * checked host goes there instead of into the result's lists.
 */
export async function readJsonReport(
  pieces: AsyncIterable<Buffer>,
  onHost?: JsonHostSink,
): Promise<ReadJsonReport> {
  const result: ReadJsonReport = { rest: {}, hosts: [], scanHosts: [] };
  let scanRest: Record<string, unknown> = {};
  // Hosts of the list being read past the limit: tallied, not kept, so the refusal says how many.
  let over = 0;
  const stack: Frame[] = [];
  let topDone = false;
  // A string being walked (key, skipped or kept value) and its escape state.
  let inString = false;
  let escaped = false;
  // The key being read (bytes), or null when the string is not a key.
  let keyBytes: number[] | null = null;
  let keyTooLong = false;
  // A value being kept (captured) or walked through (skipped): its nesting depth and where.
  let mode: 'structure' | 'capture' | 'skip' = 'structure';
  let depth = 0;
  let scalar = false;
  let captured: Buffer[] = [];
  let capturePath = '';
  const syntax = (): never => {
    throw new JsonReportError('syntax', '');
  };

  const pathOf = (frame: Frame): string =>
    frame.kind === 'object'
      ? `${frame.path ? `${frame.path}.` : ''}${frame.key ?? ''}`
      : `${frame.path}.${frame.index}`;

  /** What becomes of a value at `path` inside `parent`: walked into, kept whole, or skipped. */
  const fate = (parent: Frame | undefined, path: string): 'descend' | 'capture' | 'skip' => {
    if (!parent) return 'descend';
    if (path === 'scan' || path === 'hosts' || path === 'scan.hosts') return 'descend';
    if (parent.path === '' && SKIPPED_TOP.has(parent.key ?? '')) return 'skip';
    return 'capture';
  };

  const keep = (path: string, text: string): void => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      syntax();
    }
    const dot = path.lastIndexOf('.');
    const parent = dot < 0 ? '' : path.slice(0, dot);
    if (parent === 'hosts' || parent === 'scan.hosts') {
      const list = parent === 'hosts' ? result.hosts : result.scanHosts;
      const parsed = HostResult.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const missing = issue?.code === 'invalid_type' && /undefined/.test(issue.message);
        throw new JsonReportError('host', [path, ...(issue?.path ?? [])].join('.'), missing);
      }
      if (onHost) onHost(parent === 'hosts' ? 'hosts' : 'scanHosts', parsed.data);
      else list.push(parsed.data);
    } else if (parent === 'scan') {
      put(scanRest, path.slice(dot + 1), value);
    } else if (parent === '') {
      put(result.rest, path, value);
    }
  };

  /** A value at `path` in the top frame begins at byte `at` of `piece` (not whitespace). */
  const beginValue = (piece: Buffer, at: number): number => {
    const parent = stack.at(-1);
    const byte = piece[at] as number;
    if (parent) parent.next = 'comma';
    else if (topDone) syntax();
    const path = parent ? pathOf(parent) : '';
    const what = fate(parent, path);
    if (what === 'descend' && (byte === 0x7b || byte === 0x5b)) {
      // A member given twice is the last one, as JSON.parse takes it.
      if (path === 'scan') scanRest = {};
      if (path === 'hosts') {
        result.hosts = [];
        put(result.rest, 'hosts', []);
      }
      if (path === 'scan.hosts') result.scanHosts = [];
      stack.push({
        kind: byte === 0x7b ? 'object' : 'array',
        path,
        key: null,
        next: 'first',
        index: 0,
      });
      if (path === 'hosts' || path === 'scan.hosts') {
        if (byte !== 0x5b) syntax();
      }
      return at + 1;
    }
    if (!parent) syntax();
    // A host past the limit is walked through, only tallied (the refusal names the count).
    const pastLimit = parent?.kind === 'array' && parent.index >= MAX_JSON_REPORT_HOSTS;
    mode = what === 'skip' || pastLimit ? 'skip' : 'capture';
    if (pastLimit) over = parent.index + 1;
    capturePath = path;
    depth = 0;
    scalar = byte !== 0x7b && byte !== 0x5b && byte !== 0x22;
    captured = [];
    return at;
  };

  const endValue = (piece: Buffer, start: number, end: number): void => {
    if (mode === 'capture') {
      captured.push(piece.subarray(start, end));
      keep(capturePath, Buffer.concat(captured).toString('utf8'));
    }
    captured = [];
    mode = 'structure';
  };

  const closeContainer = (byte: number): void => {
    const frame = stack.pop() ?? syntax();
    if ((byte === 0x7d) !== (frame.kind === 'object')) syntax();
    if (frame.next === 'key' || frame.next === 'colon' || frame.next === 'value') syntax();
    if (over > 0) tooManyHosts(over);
    if (frame.path === 'scan') put(result.rest, 'scan', { ...scanRest, hosts: [] });
    if (stack.length === 0) topDone = true;
  };

  for await (const piece of pieces) {
    let start = 0;
    let i = 0;
    while (i < piece.length) {
      const byte = piece[i] as number;
      if (mode !== 'structure') {
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === 0x5c) escaped = true;
          else if (byte === 0x22) {
            inString = false;
            if (depth === 0) {
              endValue(piece, start, i + 1);
              start = i + 1;
            }
          }
          i++;
          continue;
        }
        if (scalar) {
          // A number, true, false or null ends at the first delimiter, which is not its own.
          if (byte === 0x2c || byte === 0x7d || byte === 0x5d || byte <= 0x20) {
            endValue(piece, start, i);
            continue;
          }
          i++;
          continue;
        }
        if (byte === 0x22) inString = true;
        else if (byte === 0x7b || byte === 0x5b) depth++;
        else if (byte === 0x7d || byte === 0x5d) {
          depth--;
          if (depth === 0) {
            endValue(piece, start, i + 1);
            start = i + 1;
          }
        }
        i++;
        continue;
      }
      // Structure: between values.
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === 0x5c) escaped = true;
        else if (byte === 0x22) {
          inString = false;
          const frame = stack.at(-1) as Frame;
          const key = Buffer.from(keyBytes ?? []).toString('utf8');
          // A key with a dot (or too long to be ours) is none of ours: never taken for a path.
          frame.key = keyTooLong || key.includes('.') || key.includes('\\') ? '\u0000' : key;
          frame.next = 'colon';
          keyBytes = null;
          i++;
          continue;
        }
        if (keyBytes) {
          if (keyBytes.length < MAX_KEY_BYTES) keyBytes.push(byte);
          else keyTooLong = true;
        }
        i++;
        continue;
      }
      if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) {
        i++;
        continue;
      }
      const frame = stack.at(-1);
      if (!frame) {
        if (topDone) syntax();
        // A list is JSON, but no scan (as its whole was refused when read with JSON.parse).
        if (byte === 0x5b) throw new JsonReportError('host', '');
        if (byte !== 0x7b) syntax();
        i = beginValue(piece, i);
        continue;
      }
      if (byte === 0x7d || byte === 0x5d) {
        if (frame.next === 'first' || frame.next === 'comma') {
          closeContainer(byte);
          i++;
          continue;
        }
        syntax();
      }
      if (frame.next === 'comma') {
        if (byte !== 0x2c) syntax();
        if (frame.kind === 'array') frame.index++;
        frame.next = frame.kind === 'object' ? 'key' : 'value';
        i++;
        continue;
      }
      if (frame.kind === 'object' && (frame.next === 'key' || frame.next === 'first')) {
        if (byte !== 0x22) syntax();
        inString = true;
        escaped = false;
        keyBytes = [];
        keyTooLong = false;
        i++;
        continue;
      }
      if (frame.next === 'colon') {
        if (byte !== 0x3a) syntax();
        frame.next = 'value';
        i++;
        continue;
      }
      // A value: in an array (first or after a comma) or after an object's colon.
      start = i;
      i = beginValue(piece, i);
      if (mode !== 'structure') {
        start = i;
        if (!scalar && piece[i] === 0x22) {
          inString = true;
          depth = 0;
          i++;
        } else if (!scalar) {
          depth = 1;
          i++;
        }
      }
    }
    if (mode !== 'structure' && mode === 'capture') captured.push(piece.subarray(start));
  }
  if (mode !== 'structure' || inString || stack.length > 0 || !topDone) syntax();
  return result;
}

/** Sets `key` of `target` as an own property, even `__proto__` (as JSON.parse does). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Refuses a host list over the limit, in the words of other imports over it (fr/en, Intl). */
function tooManyHosts(hosts: number): never {
  fail('report.nmap-too-many-hosts', { hosts, limit: MAX_JSON_REPORT_HOSTS });
}
