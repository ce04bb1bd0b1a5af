import type { HostResult } from '../contract/scan.js';
import { hiddenCount } from '../contract/vocabulary.js';

/**
 * The "answers on every port" rule, one for the engine's live scans, imports (nmap XML, JSON
 * reports) and kept scans reopened: a host that answers open on (nearly) every probed port is a
 * firewall, proxy, tarpit or portspoof answering for all ports (a SYN-ACK to every SYN), not that
 * many services, and gets one grouped verdict (EVERY_PORT_SEVERITY, app/contract/risk.ts).
 * Pure code: no Node API.
 */

/** Fewer probed ports than this says nothing about "every" port (a 20-port scan of a busy server). */
export const EVERY_PORT_MIN_PROBED = 50;
/** The share of probed ports that must answer open, from 0 to 1. */
export const EVERY_PORT_OPEN_SHARE = 0.8;

/**
 * `{ open, probed }` when `open` of `probed` ports (counts, open ≤ probed) meet the rule: at least
 * `minProbed` probed and at least `share` of them open; otherwise undefined.
 */
export function everyPortVerdict(
  open: number,
  probed: number,
  minProbed = EVERY_PORT_MIN_PROBED,
  share = EVERY_PORT_OPEN_SHARE,
): { open: number; probed: number } | undefined {
  if (!(probed >= minProbed) || !(open >= probed * share) || open > probed) return undefined;
  return { open, probed };
}

/**
 * `host` with `answersEveryPort` worked out from its own ports when it does not say it (an nmap
 * file of `-p-` against a tarpit, a JSON report, a kept import): open ports listed or counted
 * hidden, of every port listed or counted hidden. The same host object when nothing changes.
 */
export function withEveryPortVerdict(host: HostResult): HostResult {
  if (host.answersEveryPort || host.status !== 'up') return host;
  let open = host.hidden.open;
  let probed =
    host.hidden.open +
    host.hidden.closed +
    host.hidden.filtered +
    hiddenCount(host.hidden, 'open|filtered');
  for (const p of host.ports) {
    probed += 1;
    if (p.state === 'open') open += 1;
  }
  const every = everyPortVerdict(open, probed);
  return every ? { ...host, answersEveryPort: every } : host;
}
