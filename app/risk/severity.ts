import { SEVERITY_ORDER, type Severity } from '../contract/risk.js';

const BY_RANK: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export function worse(a: Severity, b: Severity): Severity {
  return SEVERITY_ORDER[a] <= SEVERITY_ORDER[b] ? a : b;
}

export function milder(a: Severity, b: Severity): Severity {
  return SEVERITY_ORDER[a] >= SEVERITY_ORDER[b] ? a : b;
}

/** Moves a severity by `steps` (positive = worse), staying within critical..info. */
export function shift(severity: Severity, steps: number): Severity {
  const rank = Math.min(4, Math.max(0, SEVERITY_ORDER[severity] - steps));
  return BY_RANK[rank] ?? severity;
}

export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_ORDER[a] - SEVERITY_ORDER[b];
}
