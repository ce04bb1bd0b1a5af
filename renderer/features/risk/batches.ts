// Type-only imports with .js so the unit tests (NodeNext resolution) can load this pure module too.
import type { HostAssessment, RiskAssessResult, Severity } from '../../../app/contract/risk.js';
import type { HostResult } from '../../../app/contract/scan.js';
import { countServices } from '../../../app/contract/devices.js';

/** Below the hosts' 256 KiB message limit, with room for the envelope and non-ASCII names. */
export const MAX_BATCH_CHARS = 160_000;

/** Splits hosts into requests small enough for the transport; one host is never split. */
export function batchHosts(
  hosts: readonly HostResult[],
  maxChars = MAX_BATCH_CHARS,
): HostResult[][] {
  const batches: HostResult[][] = [];
  let current: HostResult[] = [];
  let size = 0;
  for (const host of hosts) {
    const hostSize = JSON.stringify(host).length + 1;
    if (current.length > 0 && size + hostSize > maxChars) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(host);
    size += hostSize;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** The same order the app uses within one answer: this PC first, then worst severity, then address. */
export function compareAssessedHosts(a: HostAssessment, b: HostAssessment): number {
  if (a.isLocal !== b.isLocal) return a.isLocal ? -1 : 1;
  const ra = a.worst === null ? 5 : RANK[a.worst];
  const rb = b.worst === null ? 5 : RANK[b.worst];
  return ra - rb || a.address.localeCompare(b.address, 'en', { numeric: true });
}

/**
 * Ports a Port Auditor rule closes to every other device (`blocked`, or seen through loopback),
 * once per device and port: this PC's addresses may come back in different batches, yet they are
 * one device (as app/risk/summary.ts counts within one answer).
 */
function blockedPorts(hosts: readonly HostAssessment[]): number {
  const keys = new Set<string>();
  for (const host of hosts) {
    if (host.answersEveryPort) continue;
    for (const p of host.ports) {
      const effect = p.firewall?.effect;
      if (effect !== 'blocked' && effect !== 'loopback') continue;
      keys.add(`${host.isLocal ? 'this-pc' : host.address}|${p.port}/${p.protocol}`);
    }
  }
  return keys.size;
}

export function mergeResults(results: readonly RiskAssessResult[]): RiskAssessResult {
  if (results.length === 1 && results[0]) return results[0];
  const hosts = results.flatMap((r) => r.hosts).sort(compareAssessedHosts);
  // Once per device and service, as the app counts one batch: this PC's addresses may fall in
  // different batches.
  const counts = countServices(
    hosts.map((host) => ({
      ...host,
      ports: host.ports.map((p) => ({
        ...p,
        mitigated: p.firewall?.effect === 'blocked' || p.firewall?.effect === 'loopback',
      })),
    })),
  );
  const rules = results.at(-1)?.firewallRules;
  return {
    hosts,
    counts,
    blocked: blockedPorts(hosts),
    programsComplete: results.every((r) => r.programsComplete),
    // Every batch read the same rules unless the firewall was read in between: the last is newest.
    ...(rules ? { firewallRules: rules } : {}),
  };
}
