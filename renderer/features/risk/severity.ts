import type { Severity } from '../../../app/contract/risk';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Colours readable in light and dark themes, from alarm red down to neutral grey. */
export const SEVERITY_COLORS: Record<Severity, { bg: string; fg: string }> = {
  critical: { bg: '#b71c1c', fg: '#ffffff' },
  // #e65100 gave 3.8:1 with white, under WCAG 2.1's 4.5:1 for the chip's small text.
  high: { bg: '#c2410c', fg: '#ffffff' },
  medium: { bg: '#f9a825', fg: '#1a1a1a' },
  low: { bg: '#1565c0', fg: '#ffffff' },
  info: { bg: '#757575', fg: '#ffffff' },
};

export function pick<T extends { fr: string; en: string }>(text: T, language: string): string {
  return language.startsWith('fr') ? text.fr : text.en;
}
