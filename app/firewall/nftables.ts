import { readFile, writeFile } from 'node:fs/promises';
import ipaddr from 'ipaddr.js';
import type { FirewallCommand } from '../contract/index.js';
import { AppFailure } from '../failure.js';
import { sentence, type Sentence } from '../text/sentence.js';
import {
  displayArgv,
  readBackRequest,
  runCommand,
  type BackendStatus,
  type FirewallBackend,
  type FirewallInspection,
  type LiveRule,
  type PortForward,
  type Runner,
} from './backend.js';
import { systemProgram } from '../system/linux-paths.js';
import { bootUnitEnabled, LINUX_HELPER } from './helper-install.js';
import { isRuleName, type PlannedRule } from './request.js';

export const NFT_TABLE = 'port_auditor';
export const LOOPBACK_COMMENT = 'PortAuditor-loopback';
export const REPLIES_COMMENT = 'PortAuditor-replies';
const FAMILY = 'inet';
const APPLY_ARGS = ['-j', '-e', '-a', '-f', '-'];

type NftObject = Record<string, unknown>;

/** Our chains: filter chains, so they only ever drop; anything else is left to the system. */
type OurChain = 'prerouting' | 'input' | 'forward' | 'output';

/**
 * Where each chain hooks. `prerouting` at priority -150 runs after connection tracking (-200) and
 * before destination NAT (dstnat, -100): it sees the port a device asked for, before a Docker or
 * libvirt port forward (DNAT) sends the connection to `forward` instead of `input`, or a `redirect`
 * changes the port. `input` at -10 sees the port after any such rewrite, `forward` at -10 the
 * connections a forward sends on to another machine. An inbound block drops in all three, so the
 * port is closed to other devices whatever the path. Source: nftables wiki, "Netfilter hooks" and
 * "Configuring chains" (standard priorities).
 */
const CHAINS: Record<OurChain, { hook: string; prio: number }> = {
  prerouting: { hook: 'prerouting', prio: -150 },
  input: { hook: 'input', prio: -10 },
  forward: { hook: 'forward', prio: -10 },
  output: { hook: 'output', prio: -10 },
};

/** The exceptions each of our chains starts with (see baseObjects). */
export type ChainException = { chain: OurChain; kind: 'loopback' | 'replies' };

export const EXCEPTIONS: readonly ChainException[] = (
  ['prerouting', 'input', 'forward', 'output'] as const
).flatMap((chain) => [
  { chain, kind: 'loopback' as const },
  { chain, kind: 'replies' as const },
]);

function exceptionRule({ chain, kind }: ChainException): NftObject {
  const expr =
    kind === 'loopback'
      ? {
          match: {
            op: '==',
            left: { meta: { key: chain === 'output' ? 'oifname' : 'iifname' } },
            right: 'lo',
          },
        }
      : { match: { op: '==', left: { ct: { key: 'direction' } }, right: 'reply' } };
  return {
    insert: {
      rule: {
        family: FAMILY,
        table: NFT_TABLE,
        chain,
        comment: kind === 'loopback' ? LOOPBACK_COMMENT : REPLIES_COMMENT,
        expr: [expr, { return: null }],
      },
    },
  };
}

/**
 * The table, the four chains and, in each chain missing them, the two exceptions every rule of
 * ours relies on, as `add` commands (idempotent for table and chains), the exceptions inserted
 * first in their chain:
 * - loopback (`lo`) is let through, in and out: Windows does not filter loopback either, so a rule
 *   behaves the same on both systems, and this PC's own connections to itself keep working;
 * - packets of the reply direction of a tracked connection (`ct direction reply`) are let
 *   through: the answers to the connections this PC opened from the blocked port (inbound), or
 *   this PC's answers to connections a device opened from that port (outbound). Everything else
 *   reaching a rule is dropped: new connections, the original direction of connections opened
 *   before the block (established, so they stop too), `related` ones (an FTP helper's data
 *   connection), untracked and invalid packets. Source: nft(8), "CT EXPRESSION" (direction).
 */
export function baseObjects(missing: readonly ChainException[] = EXCEPTIONS): NftObject[] {
  const objects: NftObject[] = [{ add: { table: { family: FAMILY, name: NFT_TABLE } } }];
  for (const [name, { hook, prio }] of Object.entries(CHAINS)) {
    objects.push({
      add: {
        chain: {
          family: FAMILY,
          table: NFT_TABLE,
          name,
          type: 'filter',
          hook,
          prio,
          policy: 'accept',
        },
      },
    });
  }
  for (const exception of missing) objects.push(exceptionRule(exception));
  return objects;
}

/**
 * `ip|ip6 saddr|daddr <remote>` of the packet, or with `original`, of the connection's original
 * direction (`ct original ip saddr …`: the device that opened it, before any NAT).
 */
function addressMatch(remote: string, field: 'saddr' | 'daddr', original = false): NftObject {
  const [addr, len] = remote.includes('/')
    ? ipaddr.parseCIDR(remote)
    : [ipaddr.parse(remote), remote.includes(':') ? 128 : 32];
  const protocol = addr.kind() === 'ipv4' ? 'ip' : 'ip6';
  const full = addr.kind() === 'ipv4' ? 32 : 128;
  const right = len === full ? addr.toString() : { prefix: { addr: addr.toString(), len } };
  const left = original
    ? { ct: { key: `${protocol} ${field}`, dir: 'original' } }
    : { payload: { protocol, field } };
  return { match: { op: '==', left, right } };
}

/**
 * In prerouting, only packets addressed to this PC (`fib daddr type local`): traffic this PC
 * routes (containers, VMs, machines behind it) going to that port on another device is not its to
 * block. Broadcast and multicast to this PC are not `local` but are delivered through `input`,
 * which drops them. Source: nft(8), "FIB EXPRESSIONS".
 */
const TO_THIS_PC = {
  match: { op: '==', left: { fib: { result: 'type', flags: ['daddr'] } }, right: 'local' },
};

/**
 * In prerouting, packets from outside (loopback returned first, see baseObjects) whose source is
 * an address this PC answers for: one of its own (`local`), a broadcast address of its networks
 * (`broadcast`, also 0.0.0.0/8), an IPv6 subnet-router anycast address it holds when it forwards
 * (`anycast`, RFC 4291 §2.6.1), or a multicast group (`multicast`). This PC never receives such a
 * packet as a source from the network: it is forged. IPv6 has no check for it on a PC that
 * forwards, nor IPv4 on a bridge port with br_netfilter; connection tracking would record it as a
 * connection this PC opened, and the device's packets to the port would then pass as its
 * "replies" (with an anycast source, the service's answer then comes from its unicast address and
 * the exchange goes on from there). Only toward a unicast destination (`fib daddr type` neither
 * broadcast nor multicast): a reply can only come back from a unicast device, and a DHCP client's
 * request (0.0.0.0:68 to 255.255.255.255) must reach a DHCP server on this PC whatever is blocked.
 * Source: nft(8), "FIB EXPRESSIONS"; kernel `inet_addr_type` for what each type covers.
 */
const FROM_THIS_PC = [
  {
    match: {
      op: '==',
      left: { fib: { result: 'type', flags: ['saddr'] } },
      right: { set: ['local', 'broadcast', 'anycast', 'multicast'] },
    },
  },
  {
    match: {
      op: '!=',
      left: { fib: { result: 'type', flags: ['daddr'] } },
      right: { set: ['broadcast', 'multicast'] },
    },
  },
];

/**
 * `ct status dnat`: the connection's destination was rewritten (a DNAT or a redirect). Its
 * `ct original proto-dst` is then the port the device asked for, whatever address it sent to.
 */
const DNATED = { match: { op: 'in', left: { ct: { key: 'status' } }, right: 'dnat' } };

/** `ct state new`: the packet is about to create a connection-tracking entry. */
const NEW_CONNECTION = { match: { op: 'in', left: { ct: { key: 'state' } }, right: 'new' } };

/** A TCP packet that is not a bare SYN (`tcp flags & (syn | ack) != syn`). */
const NOT_A_SYN = {
  match: {
    op: '!=',
    left: { '&': [{ payload: { protocol: 'tcp', field: 'flags' } }, ['syn', 'ack']] },
    right: 'syn',
  },
};

/**
 * The rule objects for one request, each a drop that relies on its chain's exceptions (see
 * baseObjects). Inbound: packets from other devices (optionally only from the remote scope)
 * - to this PC's port, in prerouting (the port asked for, to this PC's addresses) and input (the
 *   port after any redirect or forward);
 * - of a connection whose destination a DNAT or redirect rewrote and whose original port was the
 *   blocked one (`ct status dnat ct original proto-dst P`), in forward and input: a port forward
 *   without an address match also takes packets a device sends to a made-up address routed
 *   through this PC, which prerouting lets pass (not addressed to this PC);
 * - forged "from this PC's port" (`fib saddr type { local, broadcast, anycast, multicast }`,
 *   source port P, toward the scope), in prerouting (see FROM_THIS_PC).
 * Outbound: this PC's packets to a device's port (optionally only those devices). Several remote
 * addresses become one rule each per chain, all sharing the generated comment, so remove() finds
 * them.
 *
 * A TCP rule also gets a guard on the other side (output for inbound, input for outbound): a
 * packet from the blocked port that would open a connection-tracking entry without being a SYN is
 * dropped. Such an entry only exists when conntrack picked a connection up mid-stream
 * (nf_conntrack_tcp_loose, on by default) after forgetting it: a forged RST, an expiry. It would
 * be recorded the wrong way round, as opened from the blocked port's side, and the device's
 * packets would then pass as its "replies" (the exception every chain starts with). This PC's own
 * new connections from that local port start with a SYN and are left alone. UDP has no such
 * marker: see docs/firewall-rules.md, "Not covered". Sources: nft(8), "CT EXPRESSION", "FIB
 * EXPRESSIONS" and "TCP HEADER EXPRESSION"; kernel Documentation/networking/nf_conntrack-sysctl.rst
 * (nf_conntrack_tcp_loose).
 */
export function ruleObjects(rule: PlannedRule): NftObject[] {
  const port =
    rule.portFrom === rule.portTo ? rule.portFrom : { range: [rule.portFrom, rule.portTo] };
  const portMatch = (field: 'dport' | 'sport') => ({
    match: { op: '==', left: { payload: { protocol: rule.protocol, field } }, right: port },
  });
  const scopes: (string | null)[] = rule.remote.length > 0 ? rule.remote : [null];
  const object = (chain: OurChain, expr: NftObject[]): NftObject => ({
    add: { rule: { family: FAMILY, table: NFT_TABLE, chain, comment: rule.name, expr } },
  });
  const each = (chain: OurChain, expr: (remote: string | null) => NftObject[]) =>
    scopes.map((remote) => object(chain, expr(remote)));
  const scoped = (remote: string | null, field: 'saddr' | 'daddr', original = false) =>
    remote ? [addressMatch(remote, field, original)] : [];
  // The guard sees the same packets from the other end: the remote is their destination
  // (inbound rule, packets leaving) or their source (outbound rule, packets arriving).
  const guard = (chain: OurChain, field: 'saddr' | 'daddr') =>
    rule.protocol === 'tcp'
      ? each(chain, (remote) => [
          NEW_CONNECTION,
          portMatch('sport'),
          ...scoped(remote, field),
          NOT_A_SYN,
          { drop: null },
        ])
      : [];
  if (rule.direction === 'out') {
    return [
      ...each('output', (remote) => [
        portMatch('dport'),
        ...scoped(remote, 'daddr'),
        { drop: null },
      ]),
      ...guard('input', 'saddr'),
    ];
  }
  const forwarded = (remote: string | null) => [
    DNATED,
    { match: { op: '==', left: { meta: { key: 'l4proto' } }, right: rule.protocol } },
    { match: { op: '==', left: { ct: { key: 'proto-dst', dir: 'original' } }, right: port } },
    ...scoped(remote, 'saddr', true),
    { drop: null },
  ];
  return [
    ...each('prerouting', (remote) => [
      TO_THIS_PC,
      portMatch('dport'),
      ...scoped(remote, 'saddr'),
      { drop: null },
    ]),
    ...each('input', (remote) => [portMatch('dport'), ...scoped(remote, 'saddr'), { drop: null }]),
    ...each('input', forwarded),
    ...each('forward', forwarded),
    ...each('prerouting', (remote) => [
      ...FROM_THIS_PC,
      portMatch('sport'),
      ...scoped(remote, 'daddr'),
      { drop: null },
    ]),
    ...guard('output', 'daddr'),
  ];
}

interface ListedRule {
  chain: string;
  handle: number;
  comment?: string;
  /**
   * Protocol, port and remote address of a rule shaped like ruleObjects(); `guard` for the
   * mid-stream pick-up guard and the forged-source drop (their port is the source port);
   * `forwarded` for the drop by the connection's original port; null for any other shape.
   */
  match?: {
    protocol: string;
    port: string;
    remote: string | null;
    guard?: true;
    forwarded?: true;
  } | null;
}

/** The port of a match's right-hand side: `8080` or `8000-8010`; null for anything else. */
function portValue(right: unknown): string | null {
  if (typeof right === 'number') return String(right);
  const range = (right as { range?: unknown[] } | null)?.range;
  return typeof right === 'object' && Array.isArray(range) ? range.map(String).join('-') : null;
}

/** An address or prefix of a match's right-hand side; null for anything else. */
function addressValue(right: unknown): string | null {
  if (typeof right === 'string') return right;
  const prefix = (right as { prefix?: { addr?: unknown; len?: unknown } } | null)?.prefix;
  return prefix ? `${String(prefix.addr)}/${String(prefix.len)}` : null;
}

/** The right-hand side of a fib type match ruleObjects() writes: `local` or a set of types. */
function isAddressTypeMatch(right: unknown): boolean {
  const types = ['local', 'broadcast', 'anycast', 'multicast'];
  if (typeof right === 'string') return types.includes(right);
  const set = (right as { set?: unknown } | null)?.set;
  return Array.isArray(set) && set.length > 0 && set.every((t) => types.includes(t as string));
}

/**
 * Reads back the expressions ruleObjects() writes: `fib daddr type local` (prerouting), dport
 * match, optional address match, drop; for a guard, `ct state new`, sport match, optional address
 * match, the not-a-SYN flags match, drop; for the forged-source drop, `fib saddr type { local,
 * broadcast, anycast, multicast }` (`local` alone in rules written by earlier versions), `fib daddr type != { broadcast,
 * multicast }`, sport match, optional address match, drop; for the forwarded drop, `ct status dnat`,
 * `meta l4proto`, `ct original proto-dst`, optional `ct original ip[6] saddr`, drop. Rules of
 * earlier versions had a connection-state match instead of the fib one: still read.
 */
function readMatch(expr: unknown): ListedRule['match'] {
  if (!Array.isArray(expr)) return null;
  let protocol: string | null = null;
  let port: string | null = null;
  let remote: string | null = null;
  let guard = false;
  let forwarded = false;
  let drops = false;
  for (const item of expr as Record<string, unknown>[]) {
    if (item && 'drop' in item) {
      drops = true;
      continue;
    }
    const match = item?.match as
      | {
          left?: {
            payload?: { protocol?: unknown; field?: unknown };
            ct?: { key?: unknown; dir?: unknown };
            meta?: { key?: unknown };
            fib?: unknown;
            '&'?: unknown;
          };
          right?: unknown;
        }
      | undefined;
    const ct = match?.left?.ct;
    if (ct?.dir === 'original' && ct.key === 'proto-dst') {
      port = portValue(match?.right);
      if (port === null) return null;
      forwarded = true;
      continue;
    }
    if (ct?.dir === 'original' && (ct.key === 'ip saddr' || ct.key === 'ip6 saddr')) {
      remote = addressValue(match?.right);
      if (remote === null) return null;
      continue;
    }
    if (match?.left?.meta?.key === 'l4proto' && typeof match.right === 'string') {
      protocol = match.right;
      continue;
    }
    // Connection state and direction, DNAT status, "addressed to" or "from" this PC.
    if (ct) continue;
    if (match?.left?.fib && isAddressTypeMatch(match.right)) continue;
    if (match?.left?.['&'] && JSON.stringify(match) === JSON.stringify(NOT_A_SYN.match)) continue;
    const payload = match?.left?.payload;
    if (!payload) return null;
    const right = match.right as
      number | string | { range?: unknown[]; prefix?: { addr?: unknown; len?: unknown } };
    if (
      (payload.field === 'dport' || payload.field === 'sport') &&
      typeof payload.protocol === 'string'
    ) {
      guard = payload.field === 'sport';
      protocol = payload.protocol;
      if (typeof right === 'number') port = String(right);
      else if (typeof right === 'object' && Array.isArray(right.range))
        port = right.range.map(String).join('-');
      else return null;
    } else if (payload.field === 'saddr' || payload.field === 'daddr') {
      if (typeof right === 'string') remote = right;
      else if (typeof right === 'object' && right.prefix)
        remote = `${String(right.prefix.addr)}/${String(right.prefix.len)}`;
      else return null;
    } else {
      return null;
    }
  }
  if (!drops || !protocol || !port) return null;
  if (guard) return { protocol, port, remote, guard: true };
  return forwarded ? { protocol, port, remote, forwarded: true } : { protocol, port, remote };
}

/** Rules of our table from `nft -j list table` output; anything else in the JSON is ignored. */
export function parseNftRules(json: string): ListedRule[] {
  const doc = JSON.parse(json) as { nftables?: NftObject[] };
  const rules: ListedRule[] = [];
  for (const item of doc.nftables ?? []) {
    const rule = item.rule as Record<string, unknown> | undefined;
    if (!rule || rule.table !== NFT_TABLE || rule.family !== FAMILY) continue;
    if (typeof rule.handle !== 'number' || typeof rule.chain !== 'string') continue;
    rules.push({
      chain: rule.chain,
      handle: rule.handle,
      ...(typeof rule.comment === 'string' ? { comment: rule.comment } : {}),
      ...(rule.expr !== undefined ? { match: readMatch(rule.expr) } : {}),
    });
  }
  return rules;
}

/** Handles of the rules nft echoed back (`-e -a`) after an add. */
export function parseEchoedHandles(json: string): number[] {
  if (!json.trim()) return [];
  const doc = JSON.parse(json) as { nftables?: NftObject[] };
  const handles: number[] = [];
  for (const item of doc.nftables ?? []) {
    const added = (item.add ?? item.insert) as { rule?: { handle?: unknown } } | undefined;
    if (added?.rule && typeof added.rule.handle === 'number') handles.push(added.rule.handle);
  }
  return handles;
}

type Expr = Record<string, unknown>;

/** The `tcp|udp dport` match of a rule, as `8080` or `8000-8010`; null when there is none. */
function dportOf(expr: Expr[]): { protocol: 'tcp' | 'udp'; port: string } | null {
  for (const item of expr) {
    const match = item.match as { left?: { payload?: Expr }; right?: unknown } | undefined;
    const payload = match?.left?.payload;
    if (payload?.field !== 'dport') continue;
    const protocol = payload.protocol;
    if (protocol !== 'tcp' && protocol !== 'udp') continue;
    const right = match?.right as number | { range?: unknown[] } | undefined;
    if (typeof right === 'number') return { protocol, port: String(right) };
    if (right && Array.isArray(right.range))
      return { protocol, port: right.range.map(String).join('-') };
  }
  return null;
}

function portOf(value: unknown): string {
  if (typeof value === 'number') return String(value);
  const range = (value as { range?: unknown[] } | undefined)?.range;
  return Array.isArray(range) ? range.map(String).join('-') : '';
}

/**
 * Port forwards and bypasses in a whole ruleset (`nft -j list ruleset`): every rule with a `dnat`
 * or `redirect` statement and a port match, and netdev/ingress chains whose rules `fwd` or `dup`
 * packets elsewhere (they run before the IP hooks, so no filter rule sees those packets).
 */
export function parseInspection(json: string): FirewallInspection {
  const doc = JSON.parse(json || '{}') as { nftables?: NftObject[] };
  const items = doc.nftables ?? [];
  const ingress = new Set(
    items
      .map(
        (i) =>
          i.chain as { family?: string; table?: string; name?: string; hook?: string } | undefined,
      )
      .filter((c) => c?.hook === 'ingress')
      .map((c) => `${c?.family}/${c?.table}/${c?.name}`),
  );
  const forwards: PortForward[] = [];
  const bypasses = new Set<string>();
  for (const item of items) {
    const rule = item.rule as
      { family?: string; table?: string; chain?: string; expr?: unknown } | undefined;
    if (!rule || !Array.isArray(rule.expr)) continue;
    const expr = rule.expr as Expr[];
    const key = `${rule.family}/${rule.table}/${rule.chain}`;
    if (ingress.has(key) && expr.some((e) => 'fwd' in e || 'dup' in e)) {
      bypasses.add(`${rule.table}/${rule.chain}`);
    }
    const dport = dportOf(expr);
    if (!dport) continue;
    for (const e of expr) {
      const dnat = e.dnat as { addr?: unknown; port?: unknown } | undefined;
      const redirect = e.redirect as { port?: unknown } | null | undefined;
      if (dnat) {
        const addr = typeof dnat.addr === 'string' ? dnat.addr : '';
        const port = portOf(dnat.port);
        const host = addr.includes(':') ? `[${addr}]` : addr;
        forwards.push({ ...dport, kind: 'dnat', to: port ? `${host}:${port}` : host });
      } else if ('redirect' in e) {
        const port = portOf(redirect?.port);
        forwards.push({ ...dport, kind: 'redirect', to: `:${port || dport.port}` });
      }
    }
  }
  return { forwards, bypasses: [...bypasses] };
}

function nftFailure(action: string, stderr: string, code: number): AppFailure {
  const detail = stderr.trim().split('\n')[0]?.slice(0, 200) ?? '';
  return new AppFailure(
    'firewall.command-failed',
    { action, code },
    { variant: 'nft', text: { detail } },
  );
}

async function ufwEnabled(): Promise<boolean> {
  try {
    const text = await readFile('/etc/ufw/ufw.conf', 'utf8');
    return /^\s*ENABLED\s*=\s*yes\s*$/m.test(text);
  } catch {
    return false;
  }
}

/**
 * Our rules by generated name. One request is one nft rule per remote address and per chain
 * (prerouting and input for inbound): they are merged back into one request, null when the parts
 * disagree. The request is read from the input or output parts (prerouting repeats them).
 */
export function liveRules(rules: ListedRule[]): LiveRule[] {
  const byName = new Map<string, { handles: number[]; parts: ListedRule[] }>();
  for (const r of rules) {
    if (!r.comment || !isRuleName(r.comment)) continue;
    const entry = byName.get(r.comment) ?? { handles: [], parts: [] };
    entry.handles.push(r.handle);
    entry.parts.push(r);
    byName.set(r.comment, entry);
  }
  return [...byName].map(([name, { handles, parts: listed }]) => {
    // The guards and the forwarded drops say nothing the port drops do not (same port, same
    // scope): the request is read from the port drops, and a rule of an earlier version without
    // them reads the same.
    const all = listed.filter((p) => !p.match?.guard && !p.match?.forwarded);
    const inbound = all.every((p) => p.chain === 'input' || p.chain === 'prerouting');
    const outbound = all.every((p) => p.chain === 'output');
    const parts = all.filter((p) => p.chain === (inbound ? 'input' : 'output'));
    const first = parts[0]?.match;
    const same = all.every(
      (p) =>
        p.match &&
        first &&
        p.match.protocol === first.protocol &&
        p.match.port === first.port &&
        (p.match.remote === null) === (first.remote === null),
    );
    const direction = inbound ? 'in' : outbound ? 'out' : '';
    const details =
      same && first
        ? readBackRequest({
            protocol: first.protocol,
            port: first.port,
            direction,
            remote: parts.map((p) => p.match?.remote).filter((a): a is string => !!a),
          })
        : null;
    const forwards = inbound && details ? listed.some((p) => p.match?.forwarded) : undefined;
    return {
      name,
      ref: handles.join(','),
      enabled: true,
      details,
      ...(forwards === undefined ? {} : { forwards }),
    };
  });
}

export class NftablesBackend implements FirewallBackend {
  readonly kind = 'nftables' as const;
  readonly readsContent = true;
  /** @param nft the nft program (an absolute path found in the system folders by default). */
  constructor(
    private readonly run: Runner = runCommand,
    private readonly nft: string = systemProgram('nft'),
  ) {}

  private async apply(objects: NftObject[], action: string): Promise<string> {
    const result = await this.run([this.nft, ...APPLY_ARGS], {
      stdin: JSON.stringify({ nftables: objects }),
    });
    if (result.code !== 0) throw nftFailure(action, result.stderr, result.code);
    return result.stdout;
  }

  /** Our table's rules, null when the table does not exist; throws when nft cannot be read. */
  private async tableRules(): Promise<ListedRule[] | null> {
    const tables = await this.run([this.nft, '-j', 'list', 'tables']);
    if (tables.code !== 0) throw nftFailure('list tables', tables.stderr, tables.code);
    const doc = JSON.parse(tables.stdout || '{}') as { nftables?: NftObject[] };
    const exists = (doc.nftables ?? []).some((item) => {
      const t = item.table as { family?: string; name?: string } | undefined;
      return t?.family === FAMILY && t.name === NFT_TABLE;
    });
    if (!exists) return null;
    const listed = await this.run([this.nft, '-j', 'list', 'table', FAMILY, NFT_TABLE]);
    if (listed.code !== 0) throw nftFailure('list table', listed.stderr, listed.code);
    return parseNftRules(listed.stdout);
  }

  async status(): Promise<BackendStatus> {
    const elevated = process.getuid?.() === 0;
    const version = await this.run([this.nft, '--version']);
    const available = version.code === 0;
    const warnings: Sentence[] = [];
    let canRead = false;
    let foreignTables: string[] = [];
    if (available) {
      const tables = await this.run([this.nft, '-j', 'list', 'tables']);
      canRead = tables.code === 0;
      if (canRead) {
        const doc = JSON.parse(tables.stdout || '{}') as { nftables?: NftObject[] };
        foreignTables = (doc.nftables ?? [])
          .map((item) => (item.table as { name?: string } | undefined)?.name ?? '')
          .filter((n) => n && n !== NFT_TABLE);
      }
    } else {
      warnings.push(sentence('messages:firewall.nftMissing'));
    }
    const firewalld = foreignTables.includes('firewalld');
    if (
      firewalld ||
      (await this.run([systemProgram('systemctl'), 'is-active', '--quiet', 'firewalld'])).code === 0
    ) {
      warnings.push(sentence('messages:firewall.firewalld'));
    }
    if (await ufwEnabled()) {
      warnings.push(sentence('messages:firewall.ufw'));
    }
    if (!bootUnitEnabled()) {
      warnings.push(sentence('messages:firewall.bootUnit', { unit: LINUX_HELPER.unit }));
    }
    return {
      available,
      elevated,
      canRead,
      serviceRunning: null,
      profiles: [
        { name: 'nftables', enabled: available, active: available, localRulesApplied: null },
      ],
      warnings,
    };
  }

  preview(rule: PlannedRule): FirewallCommand[] {
    const objects = { nftables: [...baseObjects(), ...ruleObjects(rule)] };
    const argv = [this.nft, ...APPLY_ARGS];
    return [
      {
        argv,
        stdin: JSON.stringify(objects),
        display: `${displayArgv(['nft', ...APPLY_ARGS])} <<'EOF'\n${JSON.stringify(objects, null, 2)}\nEOF`,
      },
    ];
  }

  async block(rule: PlannedRule): Promise<{ ref: string }> {
    const [one] = await this.blockAll([rule]);
    return one ?? { ref: '' };
  }

  /** One listing and one `nft -f` transaction for all the rules (nft adds all or none). */
  async blockAll(rules: readonly PlannedRule[]): Promise<{ ref: string }[]> {
    const existing = (await this.tableRules()) ?? [];
    const missing = EXCEPTIONS.filter(
      ({ chain, kind }) =>
        !existing.some(
          (r) =>
            r.chain === chain &&
            r.comment === (kind === 'loopback' ? LOOPBACK_COMMENT : REPLIES_COMMENT),
        ),
    );
    const objects = rules.map((rule) => ruleObjects(rule));
    const out = await this.apply(
      [...baseObjects(missing), ...objects.flat()],
      rules.length === 1 ? `block ${rules[0]?.name}` : `block ${rules.length} rules`,
    );
    const handles = parseEchoedHandles(out).slice(missing.length);
    let at = 0;
    return objects.map((o) => {
      const ref = handles.slice(at, at + o.length).join(',');
      at += o.length;
      return { ref };
    });
  }

  async remove(name: string): Promise<void> {
    if (!isRuleName(name)) throw new Error(`not a generated rule name: ${name}`);
    const rules = (await this.tableRules()) ?? [];
    const mine = rules.filter((r) => r.comment === name);
    if (mine.length === 0) return;
    await this.apply(
      mine.map((r) => ({
        delete: { rule: { family: FAMILY, table: NFT_TABLE, chain: r.chain, handle: r.handle } },
      })),
      `remove ${name}`,
    );
  }

  async list(): Promise<LiveRule[] | null> {
    let rules: ListedRule[] | null;
    try {
      rules = await this.tableRules();
    } catch {
      return null;
    }
    return liveRules(rules ?? []);
  }

  async inspect(): Promise<FirewallInspection | null> {
    const result = await this.run([this.nft, '-j', 'list', 'ruleset']);
    if (result.code !== 0) return null;
    try {
      return parseInspection(result.stdout);
    } catch {
      return null;
    }
  }

  async backup(path: string): Promise<void> {
    const result = await this.run([this.nft, 'list', 'ruleset']);
    if (result.code !== 0) throw nftFailure('list ruleset', result.stderr, result.code);
    // Exclusive create: never follows a link planted at that name, never overwrites a backup.
    await writeFile(path, result.stdout, { mode: 0o600, flag: 'wx' });
  }
}
