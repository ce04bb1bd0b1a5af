// Type-only import with .js so the unit tests (NodeNext resolution) can load this pure module too.
import type { Severity } from '../../../app/contract/risk.js';

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

type Worst = (address: string) => Severity | null | undefined;

/** Hosts with no verdict yet (or no open port) rank after every severity. */
function rank(severity: Severity | null | undefined): number {
  return severity ? SEVERITIES.indexOf(severity) : SEVERITIES.length;
}

/**
 * The results order the issue promises: this PC first, then the host with the worst verdict
 * first; `fallback` (address order) keeps hosts of equal rank stable while verdicts arrive.
 */
export function compareHostsByRisk<H extends { address: string; isLocal: boolean }>(
  worstOf: Worst,
  fallback: (a: H, b: H) => number,
): (a: H, b: H) => number {
  return (a, b) => {
    if (a.isLocal !== b.isLocal) return a.isLocal ? -1 : 1;
    return rank(worstOf(a.address)) - rank(worstOf(b.address)) || fallback(a, b);
  };
}
