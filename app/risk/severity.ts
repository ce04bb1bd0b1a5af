import type { Severity } from '../contract/risk.js';
import { SEVERITIES, SEVERITY_ORDER } from '../contract/vocabulary.js';

export function worse(a: Severity, b: Severity): Severity {
  return SEVERITY_ORDER[a] <= SEVERITY_ORDER[b] ? a : b;
}

export function milder(a: Severity, b: Severity): Severity {
  return SEVERITY_ORDER[a] >= SEVERITY_ORDER[b] ? a : b;
}

/** Moves a severity by `steps` (positive = worse), staying within critical..info. */
export function shift(severity: Severity, steps: number): Severity {
  const rank = Math.min(SEVERITIES.length - 1, Math.max(0, SEVERITY_ORDER[severity] - steps));
  return SEVERITIES[rank] ?? severity;
}
