import type { FirewallRule } from '../contract/firewall.js';
import type { HostAssessment, RiskAssessResult } from '../contract/risk.js';
import type { HostResult, Protocol } from '../contract/scan.js';
import { assessWith, type LocalPortInfo } from './assess.js';
import { SEEN_OPEN_REASON, type SeenOpen } from './firewall-verdicts.js';
import type { KnowledgeBase } from './knowledge-base.js';

const key = (address: string, port: number, protocol: Protocol) => `${address}|${port}/${protocol}`;

/**
 * The verdicts of a kept scan, worked out again by the knowledge base from its raw result
 * (`hosts`) and Port Auditor's `rules`: severities, services, reasons and advice never come from
 * the stored assessment, which lives in a file any program of the user can edit. Only what the app
 * could not see again is taken from it, as data: each of this PC's ports' exposure and program
 * (the sockets then), whether every program was known, and which device ports were seen open by
 * an earlier scan (their banner; the date is not kept). Without a stored assessment (none was
 * made, or it no longer reads), the verdicts are still given, this PC's programs unknown. Throws
 * nothing.
 */
export function reassessKept(
  hosts: readonly HostResult[],
  stored: RiskAssessResult | null,
  rules: readonly FirewallRule[],
  kb: KnowledgeBase,
): RiskAssessResult {
  const local = new Map<string, LocalPortInfo>();
  const seen = new Map<string, SeenOpen>();
  for (const host of stored?.hosts ?? []) {
    for (const p of host.ports) {
      const k = key(host.address, p.port, p.protocol);
      if (host.isLocal && p.exposure) {
        local.set(k, { exposure: p.exposure, ...(p.program ? { program: p.program } : {}) });
      }
      if (!host.isLocal && p.reasons.some((r) => r.ruleId === SEEN_OPEN_REASON)) {
        seen.set(k, p.banner ? { banner: p.banner } : {});
      }
    }
  }
  return assessWith(
    hosts,
    (address, port, protocol) => local.get(key(address, port, protocol)) ?? null,
    kb,
    stored
      ? stored.programsComplete
      : !hosts.some((h) => h.isLocal && h.ports.some((p) => p.state === 'open')),
    rules,
    (address, port, protocol) => seen.get(key(address, port, protocol)),
  );
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
