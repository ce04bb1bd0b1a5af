import type { FirewallRule } from '../contract/firewall.js';
import type {
  HostAssessment,
  ListenersResult,
  ProgramInfo,
  RiskAssessResult,
} from '../contract/risk.js';
import type { HostResult, Protocol } from '../contract/scan.js';
import { assessWith, matchListener, type LocalPortInfo } from './assess.js';
import { SEEN_OPEN_REASON, type RulesUndoneSince, type SeenOpen } from './firewall-verdicts.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { assessPort, RULES } from './rules.js';
import { bothLanguages } from '../text/catalogue.js';
import { compareSeverity } from '../contract/vocabulary.js';

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
 * This PC's listening sockets as read when a kept scan is reopened (app/system/listeners.ts), or
 * null when they could not be read.
 */
export type ListenersNow = ListenersResult | null;

/**
 * Whether two records of one socket's program say different things: both name a program and not
 * the same name and path (the pid may change on restart). An owner unknown on either side (hidden
 * from a process without the rights to see it, when the scan was made or now) says nothing against
 * the other, so a scan made without rights and reopened as administrator, or the reverse, is not
 * "another program" (review 13 final, F1).
 */
function programsContradict(a: ProgramInfo | undefined, b: ProgramInfo | undefined): boolean {
  if (!a || !b) return false;
  return a.name !== b.name || (a.path ?? null) !== (b.path ?? null);
}

/**
 * What this PC's sockets now say of a kept scan's port, when they say what its record `claim`
 * says (the same exposure, and a socket serving the port's address: bound to it exactly or to a
 * wildcard, matchListener, whose program does not contradict the record's: see
 * programsContradict); null otherwise. The answer is the sockets' own words (this PC's program as
 * the OS gives it now, or none when it hides it), never the record's: a record is a file's word,
 * so the verdict is the one a live scan would give now and never lower.
 */
export function confirmedClaim(
  address: string,
  port: number,
  protocol: Protocol,
  claim: LocalPortInfo,
  now: ListenersNow,
): LocalPortInfo | null {
  if (!now) return null;
  const seen = matchListener(address, port, protocol, now.listeners);
  if (seen.exposure === 'unknown' || seen.exposure !== claim.exposure) return null;
  return programsContradict(seen.program, claim.program) ? null : seen;
}

/**
 * Whether the owners of some of this PC's sockets were hidden from this process for lack of
 * rights that running it as administrator would give (`now` says so and this process is not
 * elevated): the only case the "run as administrator" advice is for. A read that failed is not.
 */
export function ownersHidden(now: ListenersNow): boolean {
  return now !== null && !now.complete && now.elevated !== true;
}

/**
 * The verdicts of a kept scan, worked out again by the knowledge base from its raw result
 * (`hosts`, whose `isLocal` the caller worked out again from this PC's addresses now) and Port
 * Auditor's `rules`: severities, services, reasons and advice never come from the stored
 * assessment, which lives in a file any program of the user can edit. Only what the app could not
 * see again is taken from it, as data: each of this PC's ports' exposure and program (the sockets
 * then), whether every program was known, and which device ports were seen open by an earlier
 * scan (their banner; the date is not kept).
 *
 * This PC's ports are rated as the live scan rated them when this PC's sockets `now` (read at
 * reopen) still say what the record says (confirmedClaim: same protocol, port, an address or
 * wildcard serving the port's, exposure, and programs that do not contradict: an owner unknown
 * then or now is no contradiction); then the sockets' words are used, so an edited record can
 * never lower a level (issue 13 attacker review F5). A port whose record they do not confirm
 * (its program stopped or moved, the sockets could not be read, the record was edited) gets the
 * verdict the port alone gives on this PC (exposure unknown, program unknown) and a reason saying
 * why (KEPT_CLAIM_UNCHECKED); one without a record, the port-alone verdict.
 * Records of this process's own (`own`: the scan was made or imported by it, so they never went
 * through the file) are believed as they are. Without a stored assessment (none was made, or it
 * no longer reads), the verdicts are still given, this PC's programs unknown. `undone`: the scan's
 * time window and the rules removed since, so a device port a removed rule hid from the scan stays
 * a finding (applyFirewallRules). `programsMissing: 'not-elevated'` only when `now` says owners
 * were hidden for lack of rights (ownersHidden), or for `own` as the live scan said. Throws nothing.
 */
export function reassessKept(
  hosts: readonly HostResult[],
  stored: RiskAssessResult | null,
  rules: readonly FirewallRule[],
  kb: KnowledgeBase,
  own?: OwnClaims,
  undone?: RulesUndoneSince,
  now: ListenersNow = null,
): RiskAssessResult {
  const claims = new Map<string, LocalPortInfo>();
  const seen = new Map<string, SeenOpen>();
  for (const host of stored?.hosts ?? []) {
    for (const p of host.ports) {
      const k = key(host.address, p.port, p.protocol);
      if (!own && p.exposure) {
        claims.set(k, { exposure: p.exposure, ...(p.program ? { program: p.program } : {}) });
      }
      if (!host.isLocal && p.reasons.some((r) => r.ruleId === SEEN_OPEN_REASON)) {
        seen.set(k, p.banner ? { banner: p.banner } : {});
      }
    }
  }
  const local = new Map<string, LocalPortInfo>();
  const unchecked = new Set<string>();
  if (own) {
    for (const [k, info] of own) local.set(k, info);
  } else {
    for (const host of hosts) {
      if (!host.isLocal) continue;
      for (const p of host.ports) {
        const k = key(host.address, p.port, p.protocol);
        if (p.state !== 'open') continue;
        const claim = claims.get(k);
        const confirmed = claim && confirmedClaim(host.address, p.port, p.protocol, claim, now);
        if (confirmed) {
          local.set(k, confirmed);
          continue;
        }
        // Unconfirmed, the port alone is the verdict, unless the sockets now make it worse (a
        // program in a user folder): removing or editing a record must never lower a level.
        const seenNow = now ? matchListener(host.address, p.port, p.protocol, now.listeners) : null;
        if (seenNow && seenNow.exposure !== 'unknown') {
          const base = {
            port: p.port,
            protocol: p.protocol,
            isLocal: true,
            ...(p.banner ? { banner: p.banner } : {}),
            ...(p.detected ? { detected: p.detected } : {}),
          };
          const alone = assessPort({ ...base, exposure: 'unknown' }, kb).severity;
          const socketsSay = assessPort({ ...base, ...seenNow }, kb).severity;
          if (compareSeverity(socketsSay, alone) < 0) {
            local.set(k, seenNow);
            continue;
          }
        }
        // A record that said nothing (exposure unknown, no program) is no record to doubt.
        if (claim && (claim.exposure !== 'unknown' || claim.program)) unchecked.add(k);
      }
    }
  }
  const result = assessWith(
    hosts,
    (address, port, protocol) => local.get(key(address, port, protocol)) ?? null,
    kb,
    own ? (stored?.programsComplete ?? true) : !ownersHidden(now),
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
 * for this PC's open port `port`/`protocol` at `address`: when `own` records one for that port,
 * or (without `own`) when `stored` records one or a known exposure (a record without a program,
 * its owner hidden then, is confirmed by sockets that may name it now). True only says it may
 * (a record the sockets now do not confirm is dropped, see reassessKept); false, that it names
 * none unless this PC's sockets now make the port worse than the port alone. Lets a caller tell
 * whether a host's verdicts lack a program without working out each port's verdict.
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
      if (p.exposure && (p.program || p.exposure !== 'unknown'))
        named.add(key(host.address, p.port, p.protocol));
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
