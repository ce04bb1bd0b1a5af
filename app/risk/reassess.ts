import type { FirewallRule } from '../contract/firewall.js';
import type { HostAssessment, RiskAssessResult } from '../contract/risk.js';
import type { HostResult, Protocol } from '../contract/scan.js';
import { assessWith, type LocalPortInfo } from './assess.js';
import { SEEN_OPEN_REASON, type RulesUndoneSince, type SeenOpen } from './firewall-verdicts.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { assessPort, RULES } from './rules.js';
import { compareSeverity } from '../contract/vocabulary.js';
import { bothLanguages } from '../text/catalogue.js';

const key = (address: string, port: number, protocol: Protocol) => `${address}|${port}/${protocol}`;

/** Rule id of the reason given when a kept scan's record of a listener is not believed. */
export const KEPT_CLAIM_UNCHECKED = 'kept.listener-unchecked';

const UNCHECKED_REASON = bothLanguages('messages:kept.listenerUnchecked');

/**
 * This PC's ports' exposure and program as the process that made the scan saw them (key
 * `address|port/protocol`): believed as they are, unlike those read back from the store.
 */
export type OwnClaims = ReadonlyMap<string, LocalPortInfo>;

/** The key of OwnClaims for one port. */
export const claimKey = key;

/**
 * The verdicts of a kept scan, worked out again by the knowledge base from its raw result
 * (`hosts`, whose `isLocal` the caller worked out again from this PC's addresses now) and Port
 * Auditor's `rules`: severities, services, reasons and advice never come from the stored
 * assessment, which lives in a file any program of the user can edit. Only what the app could not
 * see again is taken from it, as data: each of this PC's ports' exposure and program (the sockets
 * then), whether every program was known, and which device ports were seen open by an earlier
 * scan (their banner; the date is not kept).
 *
 * An exposure/program record is read only for a host that is this PC now, and, unless it is this
 * process's own (`own`: the scan was made or imported by it, so the record never went through the
 * file), it may raise a port's severity but never lower it below what the port alone gives on this
 * PC (exposure unknown, program unknown): such a port gets the port-alone verdict and a reason
 * saying why (KEPT_CLAIM_UNCHECKED). Not recomputed, because the sockets it describes are those of
 * the scan's time, gone since; not refused outright, because a record that makes a port worse
 * (a program in a user folder) is the record a forger would remove, not add (issue 13 attacker
 * review F5: a `loopback-only` edited in turned telnet from Critical to Low). Without a stored
 * assessment (none was made, or it no longer reads), the verdicts are still given, this PC's
 * programs unknown. `undone`: the scan's time window and the rules removed since, so a device
 * port a removed rule hid from the scan stays a finding (applyFirewallRules). Throws nothing.
 */
export function reassessKept(
  hosts: readonly HostResult[],
  stored: RiskAssessResult | null,
  rules: readonly FirewallRule[],
  kb: KnowledgeBase,
  own?: OwnClaims,
  undone?: RulesUndoneSince,
): RiskAssessResult {
  const local = new Map<string, LocalPortInfo>();
  const seen = new Map<string, SeenOpen>();
  for (const host of stored?.hosts ?? []) {
    for (const p of host.ports) {
      const k = key(host.address, p.port, p.protocol);
      if (!own && p.exposure) {
        local.set(k, { exposure: p.exposure, ...(p.program ? { program: p.program } : {}) });
      }
      if (!host.isLocal && p.reasons.some((r) => r.ruleId === SEEN_OPEN_REASON)) {
        seen.set(k, p.banner ? { banner: p.banner } : {});
      }
    }
  }
  const unchecked = new Set<string>();
  if (own) {
    for (const [k, info] of own) local.set(k, info);
  } else {
    for (const host of hosts) {
      if (!host.isLocal) continue;
      for (const p of host.ports) {
        const k = key(host.address, p.port, p.protocol);
        const claim = local.get(k);
        if (p.state !== 'open' || !claim) continue;
        const base = {
          port: p.port,
          protocol: p.protocol,
          isLocal: true,
          ...(p.banner ? { banner: p.banner } : {}),
        };
        const alone = assessPort({ ...base, exposure: 'unknown' }, kb).severity;
        const claimed = assessPort({ ...base, ...claim }, kb).severity;
        if (compareSeverity(claimed, alone) > 0) {
          local.delete(k);
          unchecked.add(k);
        }
      }
    }
  }
  const result = assessWith(
    hosts,
    (address, port, protocol) => local.get(key(address, port, protocol)) ?? null,
    kb,
    stored
      ? stored.programsComplete
      : !hosts.some((h) => h.isLocal && h.ports.some((p) => p.state === 'open')),
    rules,
    (address, port, protocol) => seen.get(key(address, port, protocol)),
    undefined,
    undone,
  );
  if (unchecked.size === 0) return result;
  return {
    ...result,
    hosts: result.hosts.map((host) => ({
      ...host,
      ports: host.ports.map((p) =>
        unchecked.has(key(host.address, p.port, p.protocol))
          ? {
              ...p,
              reasons: p.reasons.map((r) =>
                r.ruleId === RULES.programUnknown
                  ? { ruleId: KEPT_CLAIM_UNCHECKED, text: UNCHECKED_REASON }
                  : r,
              ),
            }
          : p,
      ),
    })),
  };
}

/**
 * Whether reassessKept, given the same `stored` verdicts and `own` claims, might name a program
 * for this PC's open port `port`/`protocol` at `address`: only when `own` (when given; else
 * `stored`) records one for that port. False means its verdict has no program for certain; true
 * only that it may (a stored record it does not believe is dropped, see reassessKept). Lets a
 * caller tell whether a host's verdicts lack a program without working out each port's verdict.
 */
export function mayNameProgram(
  stored: RiskAssessResult | null,
  own?: OwnClaims,
): (address: string, port: number, protocol: Protocol) => boolean {
  if (own)
    return (address, port, protocol) =>
      own.get(key(address, port, protocol))?.program !== undefined;
  const named = new Set<string>();
  for (const host of stored?.hosts ?? []) {
    for (const p of host.ports) {
      if (p.exposure && p.program) named.add(key(host.address, p.port, p.protocol));
    }
  }
  return (address, port, protocol) => named.has(key(address, port, protocol));
}

/**
 * What reassessKept reads back of a host's verdicts, and so all a kept scan keeps of them: this
 * PC's ports with their exposure and program, and devices' ports seen open by an earlier scan;
 * null when the host has none (most devices). The rest is worked out again on load, so keeping it
 * would only cost room (a 65,000-host import's verdicts were 100 MB of JSON).
 */
export function keptPart(verdict: HostAssessment): HostAssessment | null {
  const ports = verdict.ports.filter((p) =>
    verdict.isLocal
      ? p.exposure !== undefined
      : p.reasons.some((r) => r.ruleId === SEEN_OPEN_REASON),
  );
  return ports.length > 0 ? { ...verdict, ports } : null;
}
