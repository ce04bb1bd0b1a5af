import { formatDateTime } from '../contract/datetime.js';
import type { FirewallRule } from '../contract/firewall.js';
import type {
  FirewallCoverage,
  HostAssessment,
  PortAssessment,
  RiskAssessResult,
  RiskReason,
} from '../contract/risk.js';
import type { HostResult, PortResult, Protocol } from '../contract/scan.js';
import { coverageReason, mitigates, ruleCovering } from '../firewall/coverage.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { assessPort, EXPOSURE_REASON } from './rules.js';
import { bothLanguages, textFor } from '../text/catalogue.js';
import { inBothLanguages } from '../text/per-language.js';
import { ruleCalled } from '../firewall/labels.js';
import { compareHostAssessments, emptyCounts, summariseHost, summariseHosts } from './summary.js';

/**
 * When and with what banner the app last saw a device's port open (this process only); without
 * `at` when only the fact is known (a kept scan's verdict worked out again).
 */
export interface SeenOpen {
  at?: string;
  banner?: string;
  /** The software identified on it then (an SSH version), which version-bound rules read. */
  detected?: PortResult['detected'];
}

export type SeenOpenLookup = (
  address: string,
  port: number,
  protocol: Protocol,
) => SeenOpen | undefined;

/** Reasons of ours start with this: they are taken out and put back whenever the rules change. */
const FIREWALL_REASON = 'firewall.';
export const SEEN_OPEN_REASON = 'history.seen-open';
/** A device port a rule since removed hid from the scan: taken out and put back like ours. */
export const HIDDEN_BY_REMOVED_REASON = `${FIREWALL_REASON}hidden-by-removed-rule`;

/**
 * Whether a device port's verdict is there although the scan saw the port filtered: a rule of
 * this PC hides it (`scan-blocked`) or hid it while the scan ran and was removed since.
 */
export function hiddenFromScan(port: PortAssessment): boolean {
  return (
    port.firewall?.effect === 'scan-blocked' ||
    port.reasons.some((r) => r.ruleId === HIDDEN_BY_REMOVED_REASON)
  );
}

/**
 * What tells which of this PC's removed rules were in force while a scan ran: the scan's start and
 * end (ISO 8601 timestamps, the scan's `startedAt`/`finishedAt`) and Port Auditor's removed rules
 * (state `removed`, `createdAt` when it was made, `updatedAt` when it was removed; ISO 8601, from
 * the journal). Rules in another state are ignored.
 */
export interface RulesUndoneSince {
  startedAt: string;
  finishedAt: string;
  removed: readonly FirewallRule[];
}

/**
 * The removed outbound rule that was in force during the scan (made before it ended, removed
 * after it began) and would hide this filtered device port from it, or null: the scan could not
 * see the port, so what it is now is unknown and it stays a finding. The oldest such rule is named.
 */
export function removedRuleHiding(
  undone: RulesUndoneSince | undefined,
  target: { address: string; port: number; protocol: Protocol },
): FirewallRule | null {
  if (!undone) return null;
  const start = Date.parse(undone.startedAt);
  const end = Date.parse(undone.finishedAt);
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  const during = undone.removed.filter(
    (r) =>
      r.state === 'removed' &&
      r.direction === 'out' &&
      Date.parse(r.createdAt) <= end &&
      Date.parse(r.updatedAt) >= start,
  );
  // As if still read in the firewall, so ruleCovering's scope and port matching decide alone.
  const coverage = ruleCovering(
    during.map((r) => ({ ...r, state: 'active' as const, present: true })),
    { ...target, isLocal: false, state: 'filtered' },
  );
  return coverage ? (during.find((r) => r.id === coverage.ruleId) ?? null) : null;
}

/**
 * A verdict with no Port Auditor rule on it: our reason gone, and the exposure sentences as the
 * listener alone decides them.
 */
function withoutCoverage(port: PortAssessment): PortAssessment {
  const { firewall: _firewall, ...rest } = port;
  return {
    ...rest,
    reasons: port.reasons
      .filter((r) => !r.ruleId.startsWith(FIREWALL_REASON))
      .map((r) => {
        const exposure = EXPOSURE_REASON[r.ruleId as keyof typeof EXPOSURE_REASON];
        return exposure ? { ...r, text: exposure.reachable } : r;
      }),
  };
}

/** The rule's sentence first (what the user must read first), the exposure said accordingly. */
function withCoverage(
  port: PortAssessment,
  coverage: FirewallCoverage,
  rules: readonly FirewallRule[],
): PortAssessment {
  const closed = mitigates(coverage.effect);
  const reasons: RiskReason[] = [
    {
      ruleId: `${FIREWALL_REASON}${coverage.effect}`,
      text: coverageReason(
        coverage,
        rules.find((r) => r.id === coverage.ruleId),
      ),
    },
    ...port.reasons.map((r) => {
      const exposure = EXPOSURE_REASON[r.ruleId as keyof typeof EXPOSURE_REASON];
      return exposure && closed ? { ...r, text: exposure.closed } : r;
    }),
  ];
  return { ...port, reasons, firewall: coverage };
}

/** A device port the scan saw filtered, rated as its service would be when open. */
function hiddenPortVerdict(
  address: string,
  port: number,
  protocol: Protocol,
  kb: KnowledgeBase,
  seen: SeenOpen | undefined,
): PortAssessment {
  const verdict = assessPort(
    {
      port,
      protocol,
      isLocal: false,
      ...(seen?.banner ? { banner: seen.banner } : {}),
      ...(seen?.detected ? { detected: seen.detected } : {}),
    },
    kb,
  );
  if (!seen) return verdict;
  const reason: RiskReason = {
    ruleId: SEEN_OPEN_REASON,
    text: seen.at
      ? {
          fr: textFor('fr', 'messages')('firewall.seenOpenAt', {
            at: formatDateTime(seen.at, 'fr'),
          }),
          en: textFor('en', 'messages')('firewall.seenOpenAt', {
            at: formatDateTime(seen.at, 'en'),
          }),
        }
      : bothLanguages('messages:firewall.seenOpen'),
  };
  return { ...verdict, reasons: [...verdict.reasons, reason] };
}

/** The verdict of a port a removed rule hid from the scan: its sentence first. */
function withRemovedRule(port: PortAssessment, rule: FirewallRule): PortAssessment {
  return {
    ...port,
    reasons: [
      {
        ruleId: HIDDEN_BY_REMOVED_REASON,
        // The rule by its date and port, never its UUID name (review 15b).
        text: inBothLanguages('messages:firewall.seenFilteredByRemovedRule', (l) => ({
          name: ruleCalled(rule)[l],
        })),
      },
      ...port.reasons,
    ],
  };
}

/**
 * Puts Port Auditor's rules on verdicts, replacing whatever rules they carried: each open port's
 * coverage (ruleCovering), the rule's sentence first among its reasons and the exposure sentence
 * kept true; and each device port the scan saw filtered because this PC's own outbound rule stops
 * the probe, as a finding at the severity its service has when open (from the banner of the last
 * time the app saw it open, `seenOpen`, or else from its port). Counts, worst severities, order
 * and `firewallRules` follow. Idempotent, so a report can apply the rules it carries to an
 * assessment made earlier and say nothing the rules do not. `scanHosts` gives the filtered ports;
 * hosts of the assessment without one there keep their ports. `undone`: a filtered device port
 * that a rule removed since hid from the scan (removedRuleHiding) stays a finding at its open
 * severity, its reason naming that rule; without it such a port is dropped once its rule is gone.
 */
export function applyFirewallRules(
  scanHosts: readonly HostResult[],
  assessment: RiskAssessResult,
  rules: readonly FirewallRule[],
  kb: KnowledgeBase,
  seenOpen: SeenOpenLookup = () => undefined,
  undone?: RulesUndoneSince,
): RiskAssessResult {
  const scanned = new Map(scanHosts.map((h) => [h.address, h]));
  const assessed = new Map(assessment.hosts.map((h) => [h.address, h]));
  const addresses = [
    ...assessment.hosts.map((h) => h.address),
    ...scanHosts.filter((h) => !assessed.has(h.address)).map((h) => h.address),
  ];
  const hosts: HostAssessment[] = [];
  for (const address of addresses) {
    const scan = scanned.get(address);
    const before = assessed.get(address);
    const isLocal = before?.isLocal ?? scan?.isLocal ?? false;
    const earlier = new Map<string, PortAssessment>();
    const ports: PortAssessment[] = [];
    for (const port of before?.ports ?? []) {
      const base = withoutCoverage(port);
      if (hiddenFromScan(port)) {
        earlier.set(`${port.port}/${port.protocol}`, base);
        continue;
      }
      const coverage = ruleCovering(rules, { address, isLocal, ...port, state: 'open' });
      ports.push(coverage ? withCoverage(base, coverage, rules) : base);
    }
    if (scan && !isLocal && scan.status === 'up' && !scan.answersEveryPort) {
      for (const p of scan.ports) {
        if (p.state !== 'filtered') continue;
        const target = { address, isLocal, port: p.port, protocol: p.protocol };
        const coverage = ruleCovering(rules, { ...target, state: 'filtered' });
        const current = coverage?.effect === 'scan-blocked' ? coverage : null;
        const removed = current ? null : removedRuleHiding(undone, target);
        if (!current && !removed) continue;
        const base =
          earlier.get(`${p.port}/${p.protocol}`) ??
          hiddenPortVerdict(address, p.port, p.protocol, kb, seenOpen(address, p.port, p.protocol));
        if (current) ports.push(withCoverage(base, current, rules));
        else if (removed) ports.push(withRemovedRule(base, removed));
      }
    }
    if (!before && ports.length === 0) continue;
    const host: HostAssessment = before ?? {
      address,
      ...(scan?.hostname ? { hostname: scan.hostname } : {}),
      isLocal,
      ...(scan?.mac ? { mac: scan.mac } : {}),
      worst: null,
      counts: emptyCounts(),
      blocked: 0,
      ports: [],
    };
    hosts.push(summariseHost({ ...host, ports }));
  }
  hosts.sort(compareHostAssessments);
  return {
    ...assessment,
    hosts,
    ...summariseHosts(hosts),
    firewallRules: [...rules],
  };
}
