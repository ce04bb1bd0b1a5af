import {
  EVERY_PORT_SEVERITY,
  type HostAssessment,
  type PortAssessment,
  type RiskAssessResult,
  type Severity,
} from '../contract/risk.js';
import { countServices } from '../contract/devices.js';
import { deviceKey, mitigates } from '../firewall/coverage.js';
import { parseIp, splitZone } from '../net/address.js';
import { compareSeverity } from './severity.js';

export function emptyCounts(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

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

/** Numeric order (10.0.0.9 before 10.0.0.10), IPv4 before IPv6; text order for anything else. */
function compareAddresses(a: string, b: string): number {
  const pa = parseIp(splitZone(a.replace(/^\[|\]$/g, '')).address);
  const pb = parseIp(splitZone(b.replace(/^\[|\]$/g, '')).address);
  if (pa && pb) {
    if (pa.family !== pb.family) return pa.family - pb.family;
    return pa.value < pb.value ? -1 : pa.value > pb.value ? 1 : 0;
  }
  return a.localeCompare(b);
}

/** This PC first, then worst first, then by address. */
export function compareHostAssessments(
  a: Pick<HostAssessment, 'isLocal' | 'worst' | 'address'>,
  b: Pick<HostAssessment, 'isLocal' | 'worst' | 'address'>,
): number {
  if (a.isLocal !== b.isLocal) return a.isLocal ? -1 : 1;
  if (a.worst !== b.worst) {
    if (a.worst === null) return 1;
    if (b.worst === null) return -1;
    return compareSeverity(a.worst, b.worst);
  }
  return compareAddresses(a.address, b.address);
}

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
