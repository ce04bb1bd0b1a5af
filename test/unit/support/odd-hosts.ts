import type { HostResult } from '../../../app/contract/index.js';

/** A device answering open on ports 1-100, flagged as answering on every port (a tarpit). */
export function tarpitHost(address: string): HostResult {
  return {
    address,
    family: 'ipv4',
    isLocal: false,
    status: 'up',
    reason: 'syn-ack',
    ports: Array.from({ length: 100 }, (_, i) => ({
      port: i + 1,
      protocol: 'tcp' as const,
      state: 'open' as const,
      reason: 'syn-ack' as const,
    })),
    hidden: { open: 0, closed: 0, filtered: 0 },
    answersEveryPort: { open: 100, probed: 100 },
  };
}

/** An address this PC could not send probes to (no route), with the given explanation. */
export function unprobedHost(address: string, message: { fr: string; en: string }): HostResult {
  return {
    address,
    family: 'ipv4',
    isLocal: false,
    status: 'unknown',
    reason: 'local-error',
    ports: [],
    hidden: { open: 0, closed: 0, filtered: 0 },
    localError: { code: 'ENETUNREACH', message },
  };
}
