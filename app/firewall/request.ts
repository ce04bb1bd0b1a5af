import { z } from 'zod';
import type { BlockRequest, BlockRequestInput } from '../contract/index.js';
import { capped, escapedArgument, escapedControls } from '../contract/outside-words.js';
import { AppFailure, type MessageOptions } from '../failure.js';
import { canonicalNetwork, kindOfValue, parseIp, splitZone } from '../net/address.js';
import { newRuleId } from './rule-id.js';

export const RULE_PREFIX = 'PortAuditor-';
export const MAX_REMOTES = 16;

/** A rule the app is about to create: the validated request plus its generated, never user-typed, name. */
export interface PlannedRule extends BlockRequest {
  id: string;
  name: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Only ASCII digits, at most five, one optional dash: refuses `1e3`, `-1`, `٨٠`, `80; …`. */
const PORT_TEXT = /^([0-9]{1,5})(?:-([0-9]{1,5}))?$/;

/**
 * The refusal of each field: which sentence of errors.json `firewall.invalid-*` and the value it
 * quotes (a remote list's one bad entry, not the whole list). Written by the app where shown.
 */
const messages = {
  protocol: (value: string): MessageOptions => ({ text: { value } }),
  port: (value: string): MessageOptions => ({ variant: 'number', text: { value } }),
  portOrder: (value: string): MessageOptions => ({ variant: 'order', text: { value } }),
  direction: (value: string): MessageOptions => ({ text: { value } }),
  remote: (value: string): MessageOptions => ({ variant: 'address', text: { value } }),
  remoteCount: (): MessageOptions => ({ variant: 'count', text: { max: MAX_REMOTES } }),
};

/** Code points of a refused value a message or its params show. */
const SHOWN_MAX = 60;

/**
 * The refused value as a sentence quotes it: the user's own words on one line, a line feed or an
 * escape written `\n` or `\u001b`, its quotes as typed, capped (escapedArgument, as
 * the CLI's other errors quote an argument; issue 15, N7), so neither control characters nor
 * megabytes reach a message.
 */
function shown(value: unknown): string {
  return escapedArgument(typeof value === 'string' ? value : String(value), SHOWN_MAX);
}

/** The refused value as the failure's params carry it: escaped and capped, its quotes as typed. */
function paramValue(value: unknown): string {
  return escapedControls(capped(typeof value === 'string' ? value : String(value), SHOWN_MAX));
}

function refuse(
  field: 'protocol' | 'direction' | 'port' | 'remote',
  sentence: MessageOptions,
  value: unknown,
): never {
  throw new AppFailure(`firewall.invalid-${field}`, { field, value: paramValue(value) }, sentence);
}

const Schema = z.object({
  protocol: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(['tcp', 'udp'], { error: 'protocol' })),
  port: z.union([z.number(), z.string()]).transform((v, ctx) => {
    const text = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : 'x') : v;
    const match = PORT_TEXT.exec(text);
    const from = match ? Number(match[1]) : NaN;
    const to = match?.[2] !== undefined ? Number(match[2]) : from;
    if (!match || from < 1 || from > 65535 || to < 1 || to > 65535) {
      ctx.addIssue({ code: 'custom', message: 'port' });
      return z.NEVER;
    }
    if (from > to) {
      ctx.addIssue({ code: 'custom', message: 'portOrder' });
      return z.NEVER;
    }
    return { from, to };
  }),
  direction: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(['in', 'out'], { error: 'direction' })),
  remote: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parts = (v ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p.length > 0);
      if (parts.length > MAX_REMOTES) {
        ctx.addIssue({ code: 'custom', message: 'remoteCount' });
        return z.NEVER;
      }
      const out: string[] = [];
      for (const part of parts) {
        const canonical = canonicalNetwork(withoutLinkLocalZone(part));
        if (canonical === null) {
          ctx.addIssue({ code: 'custom', message: 'remote', params: { part } });
          return z.NEVER;
        }
        if (!out.includes(canonical)) out.push(canonical);
      }
      return out;
    }),
});

/**
 * A link-local IPv6 address with its zone (`fe80::1%lan0`, as the results name a device) without
 * the zone; anything else unchanged. A rule's remote address takes none (nft `ip6 saddr`, netsh
 * `remoteip`), and dropping it blocks that address on every link, never less than asked. Only a
 * zone shaped like an interface name or number (RFC 4007 §11) is dropped.
 */
function withoutLinkLocalZone(text: string): string {
  const { address, zone } = splitZone(text);
  if (zone === undefined || !/^[A-Za-z0-9_.-]{1,64}$/.test(zone) || address.includes('/')) {
    return text;
  }
  const ip = parseIp(address);
  return ip && ip.family === 6 && kindOfValue(ip.family, ip.value) === 'link-local'
    ? address
    : text;
}

/**
 * The only way a request becomes a rule: every field checked against a closed set of shapes. Runs
 * in the app and again in the elevated helper, which trusts nothing it reads from a file.
 */
export function validateBlockRequest(
  input: BlockRequestInput | Record<string, unknown>,
): BlockRequest {
  const raw = input as Record<string, unknown>;
  const parsed = Schema.safeParse({
    protocol: typeof raw.protocol === 'string' ? raw.protocol : '',
    port: typeof raw.port === 'number' || typeof raw.port === 'string' ? raw.port : '',
    direction:
      raw.direction === undefined ? 'in' : typeof raw.direction === 'string' ? raw.direction : '',
    remote:
      raw.remote === undefined || raw.remote === null
        ? undefined
        : typeof raw.remote === 'string'
          ? raw.remote
          : '\u0000',
  });
  if (parsed.success) {
    const { protocol, port, direction, remote } = parsed.data;
    return { protocol, portFrom: port.from, portTo: port.to, direction, remote };
  }
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? 'port');
  const key = issue?.message ?? 'port';
  const value = raw[field];
  switch (key) {
    case 'protocol':
      return refuse('protocol', messages.protocol(shown(value)), value);
    case 'direction':
      return refuse('direction', messages.direction(shown(value)), value);
    case 'portOrder':
      return refuse('port', messages.portOrder(shown(value)), value);
    case 'remoteCount':
      return refuse('remote', messages.remoteCount(), value);
    case 'remote': {
      const part = (issue as { params?: { part?: string } } | undefined)?.params?.part ?? value;
      return refuse('remote', messages.remote(shown(part)), value);
    }
    default:
      if (field === 'protocol') return refuse('protocol', messages.protocol(shown(value)), value);
      if (field === 'direction')
        return refuse('direction', messages.direction(shown(value)), value);
      if (field === 'remote') return refuse('remote', messages.remote(shown(value)), value);
      return refuse('port', messages.port(shown(value)), value);
  }
}

/** Re-checks a complete rule (as read from a request file): request fields and the generated name. */
export function validatePlannedRule(raw: unknown): PlannedRule {
  const obj = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const id = typeof obj.id === 'string' ? obj.id : '';
  if (!UUID.test(id) || obj.name !== `${RULE_PREFIX}${id}`) {
    throw new AppFailure('firewall.invalid-name');
  }
  const port =
    obj.portFrom === obj.portTo ? obj.portFrom : `${String(obj.portFrom)}-${String(obj.portTo)}`;
  const request = validateBlockRequest({
    protocol: obj.protocol,
    port: typeof port === 'number' ? port : String(port),
    direction: obj.direction,
    remote: Array.isArray(obj.remote) ? obj.remote.map(String).join(',') : undefined,
  });
  return { ...request, id, name: `${RULE_PREFIX}${id}` };
}

/** What a rule blocks, whatever else it carries (name, id, state). */
export type RuleScope = Pick<
  BlockRequest,
  'protocol' | 'portFrom' | 'portTo' | 'direction' | 'remote'
>;

/** Whether two requests (or rules) block the same thing (remote scopes compared as sets). */
export function sameRequest(a: RuleScope, b: RuleScope): boolean {
  return (
    a.protocol === b.protocol &&
    a.portFrom === b.portFrom &&
    a.portTo === b.portTo &&
    a.direction === b.direction &&
    [...a.remote].sort().join(',') === [...b.remote].sort().join(',')
  );
}

/** A rule id the app generates (a lowercase UUID), as a preview reserves it. */
export function isRuleId(id: string): boolean {
  return UUID.test(id);
}

export function isRuleName(name: string): boolean {
  return name.startsWith(RULE_PREFIX) && UUID.test(name.slice(RULE_PREFIX.length));
}

export function planRule(request: BlockRequest, id: string = newRuleId()): PlannedRule {
  return { ...request, id, name: `${RULE_PREFIX}${id}` };
}

export function portText(rule: Pick<BlockRequest, 'portFrom' | 'portTo'>): string {
  return rule.portFrom === rule.portTo ? String(rule.portFrom) : `${rule.portFrom}-${rule.portTo}`;
}
