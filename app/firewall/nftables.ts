import { readFile, writeFile } from 'node:fs/promises';
import ipaddr from 'ipaddr.js';
import type { FirewallCommand, LocalizedText } from '../contract/index.js';
import { AppFailure } from '../errors.js';
import {
  displayArgv,
  readBackRequest,
  runCommand,
  type BackendStatus,
  type FirewallBackend,
  type LiveRule,
  type Runner,
} from './backend.js';
import { systemProgram } from '../system/linux-paths.js';
import { isRuleName, type PlannedRule } from './request.js';

export const NFT_TABLE = 'port_auditor';
export const LOOPBACK_COMMENT = 'PortAuditor-loopback';
const FAMILY = 'inet';
const APPLY_ARGS = ['-j', '-e', '-a', '-f', '-'];

type NftObject = Record<string, unknown>;

/**
 * The table, both chains and the loopback exception, as `add` commands (idempotent for table and
 * chains). The input chain lets `lo` through first: Windows does not filter loopback either, so a
 * rule behaves the same on both systems and the wizard explains it the same way.
 */
export function baseObjects(withLoopbackRule: boolean): NftObject[] {
  const chain = (name: 'input' | 'output') => ({
    add: {
      chain: {
        family: FAMILY,
        table: NFT_TABLE,
        name,
        type: 'filter',
        hook: name,
        prio: -10,
        policy: 'accept',
      },
    },
  });
  const objects: NftObject[] = [
    { add: { table: { family: FAMILY, name: NFT_TABLE } } },
    chain('input'),
    chain('output'),
  ];
  if (withLoopbackRule) {
    objects.push({
      insert: {
        rule: {
          family: FAMILY,
          table: NFT_TABLE,
          chain: 'input',
          comment: LOOPBACK_COMMENT,
          expr: [
            { match: { op: '==', left: { meta: { key: 'iifname' } }, right: 'lo' } },
            { return: null },
          ],
        },
      },
    });
  }
  return objects;
}

function addressMatch(remote: string, field: 'saddr' | 'daddr'): NftObject {
  const [addr, len] = remote.includes('/')
    ? ipaddr.parseCIDR(remote)
    : [ipaddr.parse(remote), remote.includes(':') ? 128 : 32];
  const protocol = addr.kind() === 'ipv4' ? 'ip' : 'ip6';
  const full = addr.kind() === 'ipv4' ? 32 : 128;
  const right = len === full ? addr.toString() : { prefix: { addr: addr.toString(), len } };
  return { match: { op: '==', left: { payload: { protocol, field } }, right } };
}

/**
 * The rule objects for one request. Inbound: traffic to this machine's port, optionally only from
 * the remote scope. Outbound: traffic to a device's port, optionally only those devices. Several
 * remote addresses become one rule each, all sharing the generated comment, so remove() finds them.
 */
export function ruleObjects(rule: PlannedRule): NftObject[] {
  const chain = rule.direction === 'in' ? 'input' : 'output';
  const port =
    rule.portFrom === rule.portTo ? rule.portFrom : { range: [rule.portFrom, rule.portTo] };
  const portMatch = {
    match: {
      op: '==',
      left: { payload: { protocol: rule.protocol, field: 'dport' } },
      right: port,
    },
  };
  const scopes: (string | null)[] = rule.remote.length > 0 ? rule.remote : [null];
  return scopes.map((remote) => ({
    add: {
      rule: {
        family: FAMILY,
        table: NFT_TABLE,
        chain,
        comment: rule.name,
        expr: [
          portMatch,
          ...(remote ? [addressMatch(remote, rule.direction === 'in' ? 'saddr' : 'daddr')] : []),
          { drop: null },
        ],
      },
    },
  }));
}

interface ListedRule {
  chain: string;
  handle: number;
  comment?: string;
  /** Protocol, port and remote address of a rule shaped like ruleObjects(); null otherwise. */
  match?: { protocol: string; port: string; remote: string | null } | null;
}

/** Reads back the expressions ruleObjects() writes: dport match, optional address match, drop. */
function readMatch(expr: unknown): ListedRule['match'] {
  if (!Array.isArray(expr)) return null;
  let protocol: string | null = null;
  let port: string | null = null;
  let remote: string | null = null;
  let drops = false;
  for (const item of expr as Record<string, unknown>[]) {
    if (item && 'drop' in item) {
      drops = true;
      continue;
    }
    const match = item?.match as
      { left?: { payload?: { protocol?: unknown; field?: unknown } }; right?: unknown } | undefined;
    const payload = match?.left?.payload;
    if (!payload) return null;
    const right = match.right as
      number | string | { range?: unknown[]; prefix?: { addr?: unknown; len?: unknown } };
    if (payload.field === 'dport' && typeof payload.protocol === 'string') {
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
  return drops && protocol && port ? { protocol, port, remote } : null;
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

function nftFailure(action: string, stderr: string, code: number): AppFailure {
  const detail = stderr.trim().split('\n')[0]?.slice(0, 200) ?? '';
  return new AppFailure(
    'firewall.command-failed',
    {
      fr: `nftables a refusé l’opération (${action}, code ${code}) : ${detail}`,
      en: `nftables refused the operation (${action}, exit ${code}): ${detail}`,
    },
    { action, code },
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
 * Our rules by generated name. One request with several remote addresses is one nft rule per
 * address: they are merged back into one request, which is null when the parts disagree.
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
  return [...byName].map(([name, { handles, parts }]) => {
    const first = parts[0]?.match;
    const same = parts.every(
      (p) =>
        p.match &&
        first &&
        p.chain === parts[0]?.chain &&
        p.match.protocol === first.protocol &&
        p.match.port === first.port &&
        (p.match.remote === null) === (first.remote === null),
    );
    const direction =
      parts[0]?.chain === 'input' ? 'in' : parts[0]?.chain === 'output' ? 'out' : '';
    const details =
      same && first
        ? readBackRequest({
            protocol: first.protocol,
            port: first.port,
            direction,
            remote: parts.map((p) => p.match?.remote).filter((a): a is string => !!a),
          })
        : null;
    return { name, ref: handles.join(','), enabled: true, details };
  });
}

export class NftablesBackend implements FirewallBackend {
  readonly kind = 'nftables' as const;
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
    const warnings: LocalizedText[] = [];
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
      warnings.push({
        fr: 'La commande nft (nftables) est introuvable : installez le paquet nftables pour bloquer des ports.',
        en: 'The nft command (nftables) was not found: install the nftables package to block ports.',
      });
    }
    const firewalld = foreignTables.includes('firewalld');
    if (
      firewalld ||
      (await this.run([systemProgram('systemctl'), 'is-active', '--quiet', 'firewalld'])).code === 0
    ) {
      warnings.push({
        fr: 'firewalld gère aussi ce pare-feu : Port Auditor ne modifie pas sa configuration, et un rechargement de firewalld peut effacer les règles de Port Auditor.',
        en: 'firewalld also manages this firewall: Port Auditor does not edit its configuration, and a firewalld reload may erase Port Auditor’s rules.',
      });
    }
    if (await ufwEnabled()) {
      warnings.push({
        fr: 'ufw est actif : Port Auditor ne modifie pas sa configuration ; ses règles s’ajoutent à celles d’ufw.',
        en: 'ufw is active: Port Auditor does not edit its configuration; its rules add to ufw’s.',
      });
    }
    warnings.push({
      fr: 'Les règles nftables disparaissent au redémarrage : rebloquez après un redémarrage ou enregistrez-les dans /etc/nftables.conf.',
      en: 'nftables rules vanish on reboot: block again after a restart or save them in /etc/nftables.conf.',
    });
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
    const stdin = JSON.stringify({ nftables: [...baseObjects(true), ...ruleObjects(rule)] });
    const argv = [this.nft, ...APPLY_ARGS];
    return [{ argv, stdin, display: `${displayArgv(['nft', ...APPLY_ARGS])} <<< '${stdin}'` }];
  }

  async block(rule: PlannedRule): Promise<{ ref: string }> {
    const existing = await this.tableRules();
    const hasLoopback = existing?.some((r) => r.comment === LOOPBACK_COMMENT) ?? false;
    const out = await this.apply(
      [...baseObjects(!hasLoopback), ...ruleObjects(rule)],
      `block ${rule.name}`,
    );
    const handles = parseEchoedHandles(out);
    return { ref: handles.slice(hasLoopback ? 0 : 1).join(',') };
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

  async backup(path: string): Promise<void> {
    const result = await this.run([this.nft, 'list', 'ruleset']);
    if (result.code !== 0) throw nftFailure('list ruleset', result.stderr, result.code);
    // Exclusive create: never follows a link planted at that name, never overwrites a backup.
    await writeFile(path, result.stdout, { mode: 0o600, flag: 'wx' });
  }
}
