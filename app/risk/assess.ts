import {
  EVERY_PORT_SEVERITY,
  type Exposure,
  type HostAssessment,
  type Listener,
  type PortAssessment,
  type ProgramInfo,
  type RiskAssessResult,
  type Severity,
} from '../contract/risk.js';
import type { HostResult, Protocol } from '../contract/scan.js';
import type { FirewallRule } from '../contract/firewall.js';
import { ruleCovering } from '../firewall/coverage.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { kindOfValue, parseIp, splitZone, type IpValue } from '../net/address.js';
import { assessPort } from './rules.js';
import { compareSeverity } from './severity.js';

/** An address without brackets or zone, IPv4-mapped IPv6 folded into IPv4 (app/net/address.ts). */
function parseAddress(text: string): IpValue | null {
  return parseIp(splitZone(text.replace(/^\[|\]$/g, '')).address);
}

function isWildcard(addr: IpValue): boolean {
  return kindOfValue(addr.family, addr.value) === 'unspecified';
}

function isLoopback(addr: IpValue): boolean {
  return kindOfValue(addr.family, addr.value) === 'loopback';
}

export interface LocalPortInfo {
  exposure: Exposure;
  program?: ProgramInfo;
}

/**
 * Ties a port seen open on one of this PC's addresses to the sockets behind it. Exposure looks at
 * every socket on that port: one wildcard bind makes it reachable from the network even if the
 * scan happened to hit it through 127.0.0.1.
 */
export function matchListener(
  address: string,
  port: number,
  protocol: Protocol,
  listeners: readonly Listener[],
): LocalPortInfo {
  const target = parseAddress(address);
  const candidates = listeners
    .filter((l) => l.port === port && l.protocol === protocol)
    .map((l) => ({ listener: l, addr: parseAddress(l.address) }))
    .filter((c): c is { listener: Listener; addr: IpValue } => c.addr !== null);
  if (candidates.length === 0) return { exposure: 'unknown' };

  let exposure: Exposure;
  if (candidates.some((c) => isWildcard(c.addr))) exposure = 'all-interfaces';
  else if (candidates.every((c) => isLoopback(c.addr))) exposure = 'loopback-only';
  else exposure = 'specific-interface';

  const serves = (c: { addr: IpValue }) => {
    if (!target) return false;
    if (isWildcard(c.addr)) {
      // An IPv6 wildcard socket also accepts IPv4 unless it is v6-only, which we cannot see.
      return c.addr.family === target.family || c.addr.family === 6;
    }
    return c.addr.family === target.family && c.addr.value === target.value;
  };
  const owner =
    candidates.find((c) => serves(c) && c.listener.program) ??
    candidates.find((c) => c.listener.program);
  return owner?.listener.program ? { exposure, program: owner.listener.program } : { exposure };
}

function emptyCounts(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

/** Worst first; a port a Port Auditor rule blocks (risk mitigated) after the ones still open. */
function comparePorts(a: PortAssessment, b: PortAssessment): number {
  const blocked = (p: PortAssessment) => (p.firewall?.effect === 'blocked' ? 1 : 0);
  return (
    blocked(a) - blocked(b) ||
    compareSeverity(a.severity, b.severity) ||
    a.port - b.port ||
    a.protocol.localeCompare(b.protocol)
  );
}

function compareHosts(a: HostAssessment, b: HostAssessment): number {
  if (a.isLocal !== b.isLocal) return a.isLocal ? -1 : 1;
  if (a.worst !== b.worst) {
    if (a.worst === null) return 1;
    if (b.worst === null) return -1;
    return compareSeverity(a.worst, b.worst);
  }
  return compareAddresses(a.address, b.address);
}

function compareAddresses(a: string, b: string): number {
  const pa = parseAddress(a);
  const pb = parseAddress(b);
  if (pa && pb) {
    if (pa.family !== pb.family) return pa.family - pb.family;
    return pa.value < pb.value ? -1 : pa.value > pb.value ? 1 : 0;
  }
  return a.localeCompare(b);
}

/**
 * Turns scan results into verdicts: open ports only, worst first within a host, this PC's
 * addresses first, then hosts by their worst port. `listeners` are this PC's sockets (may be
 * empty when they could not be read); they only matter for hosts marked `isLocal`. `rules` are
 * Port Auditor's firewall rules: a port one of them blocks carries it (see ruleCovering), and when
 * it is closed to every other device its severity counts as mitigated, out of the counts.
 */
export function assessHosts(
  hosts: readonly HostResult[],
  listeners: readonly Listener[],
  kb: KnowledgeBase,
  programsComplete = true,
  rules: readonly FirewallRule[] = [],
): RiskAssessResult {
  const total = emptyCounts();
  let blockedTotal = 0;
  const assessed = hosts.map((host): HostAssessment => {
    const counts = emptyCounts();
    let blocked = 0;
    const ports = host.ports
      .filter((p) => p.state === 'open')
      .map((p) => {
        const local = host.isLocal
          ? matchListener(host.address, p.port, p.protocol, listeners)
          : null;
        const verdict = assessPort(
          {
            port: p.port,
            protocol: p.protocol,
            isLocal: host.isLocal,
            ...(p.banner ? { banner: p.banner } : {}),
            ...(local ? { exposure: local.exposure } : {}),
            ...(local?.program ? { program: local.program } : {}),
          },
          kb,
        );
        const firewall = ruleCovering(rules, { ...host, port: p.port, protocol: p.protocol });
        return firewall ? { ...verdict, firewall } : verdict;
      })
      .sort(comparePorts);
    if (host.answersEveryPort) {
      // Not a hundred services but one device answering for all ports: one verdict.
      counts[EVERY_PORT_SEVERITY] = 1;
      total[EVERY_PORT_SEVERITY] += 1;
      return {
        address: host.address,
        ...(host.hostname ? { hostname: host.hostname } : {}),
        isLocal: host.isLocal,
        worst: EVERY_PORT_SEVERITY,
        counts,
        blocked: 0,
        ports,
        answersEveryPort: host.answersEveryPort,
      };
    }
    for (const p of ports) {
      if (p.firewall?.effect === 'blocked') {
        blocked += 1;
        continue;
      }
      counts[p.severity] += 1;
      total[p.severity] += 1;
    }
    blockedTotal += blocked;
    return {
      address: host.address,
      ...(host.hostname ? { hostname: host.hostname } : {}),
      isLocal: host.isLocal,
      worst: ports.find((p) => p.firewall?.effect !== 'blocked')?.severity ?? null,
      counts,
      blocked,
      ports,
    };
  });
  return {
    hosts: assessed.sort(compareHosts),
    counts: total,
    blocked: blockedTotal,
    programsComplete,
  };
}
