import {
  EVERY_PORT_SEVERITY,
  type HostAssessment,
  type PortAssessment,
  type RiskAssessResult,
} from '../contract/risk.js';
import { countServices } from '../contract/devices.js';
import { deviceKey, mitigates } from '../firewall/coverage.js';
import {
  compareHostsByRisk,
  compareSeverity,
  emptySeverityCounts,
} from '../contract/vocabulary.js';

export const emptyCounts = emptySeverityCounts;

/** Worst first; ports whose risk a Port Auditor rule mitigates after the ones still exposed. */
function comparePorts(a: PortAssessment, b: PortAssessment): number {
  const closed = (p: PortAssessment) => (mitigates(p.firewall?.effect) ? 1 : 0);
  return (
    closed(a) - closed(b) ||
    compareSeverity(a.severity, b.severity) ||
    a.port - b.port ||
    a.protocol.localeCompare(b.protocol)
  );
}

/** This PC first, then worst first, then by address: the vocabulary's one host order. */
export const compareHostAssessments: (
  a: Pick<HostAssessment, 'isLocal' | 'worst' | 'address'>,
  b: Pick<HostAssessment, 'isLocal' | 'worst' | 'address'>,
) => number = compareHostsByRisk;

/**
 * A host's ports in order, with its counts, worst severity and mitigated ports worked out from
 * them; a host answering on every port counts once, at EVERY_PORT_SEVERITY.
 */
export function summariseHost(host: HostAssessment): HostAssessment {
  const ports = [...host.ports].sort(comparePorts);
  const counts = emptyCounts();
  if (host.answersEveryPort) {
    // Not a hundred services but one device answering for all ports: one verdict.
    counts[EVERY_PORT_SEVERITY] = 1;
    return { ...host, ports, counts, worst: EVERY_PORT_SEVERITY, blocked: 0 };
  }
  let blocked = 0;
  for (const p of ports) {
    if (mitigates(p.firewall?.effect)) blocked += 1;
    else counts[p.severity] += 1;
  }
  const worst = ports.find((p) => !mitigates(p.firewall?.effect))?.severity ?? null;
  return { ...host, ports, counts, worst, blocked };
}

/**
 * Totals over hosts, once per device and service (app/contract/devices.ts): this PC's 3389 seen on
 * its LAN address and on 127.0.0.1 is one critical service, not two; mitigated ports likewise once
 * per device and port (one rule on 3389 is one port blocked).
 */
export function summariseHosts(
  hosts: readonly HostAssessment[],
): Pick<RiskAssessResult, 'counts' | 'blocked'> {
  const counts = countServices(
    hosts.map((host) => ({
      ...host,
      ports: host.ports.map((p) => ({ ...p, mitigated: mitigates(p.firewall?.effect) })),
    })),
  );
  const blocked = new Set<string>();
  for (const host of hosts) {
    if (host.answersEveryPort) continue;
    for (const p of host.ports) {
      if (mitigates(p.firewall?.effect)) blocked.add(`${deviceKey(host)}|${p.port}/${p.protocol}`);
    }
  }
  return { counts, blocked: blocked.size };
}
