import { formatDateTime } from '../contract/datetime.js';
import type { FirewallRule } from '../contract/firewall.js';
import type {
  FirewallCoverage,
  HostAssessment,
  PortAssessment,
  RiskAssessResult,
  RiskReason,
} from '../contract/risk.js';
import type { HostResult, Protocol } from '../contract/scan.js';
import { coverageReason, mitigates, ruleCovering } from '../firewall/coverage.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { assessPort, EXPOSURE_REASON } from './rules.js';
import { bothLanguages, textFor } from '../text/catalogue.js';
import { compareHostAssessments, emptyCounts, summariseHost, summariseHosts } from './summary.js';

/**
 * When and with what banner the app last saw a device's port open (this process only); without
 * `at` when only the fact is known (a kept scan's verdict worked out again).
 */
export interface SeenOpen {
  at?: string;
  banner?: string;
}

export type SeenOpenLookup = (
  address: string,
  port: number,
  protocol: Protocol,
) => SeenOpen | undefined;

/** Reasons of ours start with this: they are taken out and put back whenever the rules change. */
const FIREWALL_REASON = 'firewall.';
export const SEEN_OPEN_REASON = 'history.seen-open';

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
    { port, protocol, isLocal: false, ...(seen?.banner ? { banner: seen.banner } : {}) },
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

/**
 * Puts Port Auditor's rules on verdicts, replacing whatever rules they carried: each open port's
 * coverage (ruleCovering), the rule's sentence first among its reasons and the exposure sentence
 * kept true; and each device port the scan saw filtered because this PC's own outbound rule stops
 * the probe, as a finding at the severity its service has when open (from the banner of the last
 * time the app saw it open, `seenOpen`, or else from its port). Counts, worst severities, order
 * and `firewallRules` follow. Idempotent, so a report can apply the rules it carries to an
 * assessment made earlier and say nothing the rules do not. `scanHosts` gives the filtered ports;
 * hosts of the assessment without one there keep their ports.
 */
export function applyFirewallRules(
  scanHosts: readonly HostResult[],
  assessment: RiskAssessResult,
  rules: readonly FirewallRule[],
  kb: KnowledgeBase,
  seenOpen: SeenOpenLookup = () => undefined,
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
      if (port.firewall?.effect === 'scan-blocked') {
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
        if (coverage?.effect !== 'scan-blocked') continue;
        const base =
          earlier.get(`${p.port}/${p.protocol}`) ??
          hiddenPortVerdict(address, p.port, p.protocol, kb, seenOpen(address, p.port, p.protocol));
        ports.push(withCoverage(base, coverage, rules));
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
