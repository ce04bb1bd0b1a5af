import ipaddr from 'ipaddr.js';
import type { FirewallRule } from '../contract/firewall.js';
import type { FirewallCoverage } from '../contract/risk.js';

/** A scanned open port: this PC's (`isLocal`) or a device's. */
export interface CoveredTarget {
  address: string;
  isLocal: boolean;
  port: number;
  protocol: 'tcp' | 'udp';
}

function inScope(address: string, remote: readonly string[]): boolean {
  if (remote.length === 0) return true;
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.process(address.replace(/%.*$/, ''));
  } catch {
    return false;
  }
  return remote.some((scope) => {
    try {
      const [net, len] = scope.includes('/')
        ? ipaddr.parseCIDR(scope)
        : [ipaddr.parse(scope), scope.includes(':') ? 128 : 32];
      return net.kind() === addr.kind() && addr.match(net, len);
    } catch {
      return false;
    }
  });
}

/**
 * The Port Auditor rule that acts on an open port, and what it does there, or null:
 * - `blocked`: an inbound rule for every remote address on this PC's port — other devices can no
 *   longer open a connection to it, so its risk is mitigated;
 * - `partial`: an inbound rule limited to some addresses — the others still reach the port;
 * - `this-pc-only`: an outbound rule toward the device's port — this PC no longer connects to it,
 *   but the port stays open on the device for everyone else (its risk is unchanged).
 * Rules the firewall no longer holds (`present: false`) act on nothing; rules not read back
 * (`present: null`) are taken at the journal's word, as the Rules page shows them.
 */
export function ruleCovering(
  rules: readonly FirewallRule[],
  target: CoveredTarget,
): FirewallCoverage | null {
  let best: FirewallCoverage | null = null;
  for (const rule of rules) {
    if (rule.state !== 'active' || rule.present === false) continue;
    if (rule.protocol !== target.protocol) continue;
    if (target.port < rule.portFrom || target.port > rule.portTo) continue;
    if (rule.direction === 'in' && target.isLocal) {
      const effect = rule.remote.length === 0 ? 'blocked' : 'partial';
      if (effect === 'blocked') return { ruleId: rule.id, name: rule.name, effect };
      best ??= { ruleId: rule.id, name: rule.name, effect };
    } else if (
      rule.direction === 'out' &&
      !target.isLocal &&
      inScope(target.address, rule.remote)
    ) {
      best ??= { ruleId: rule.id, name: rule.name, effect: 'this-pc-only' };
    }
  }
  return best;
}
