import type { ScanEvent, ScanPreview, ScanRequest } from '../contract/index.js';
import type { Handlers } from './dispatcher.js';

/** The narrow face of the scan engine that hosts use: a request in, a stream of events out. */
export interface ScanService {
  /** Validates and expands the request (rejecting with an AppFailure), then scans in a worker. */
  start(request: ScanRequest, onEvent: (event: ScanEvent) => void): Promise<string>;
  /**
   * Expands the request's targets without scanning: how many addresses, and which networks
   * `local-network` leaves out unless chosen. Rejects with an AppFailure on invalid targets.
   */
  preview(request: ScanRequest): Promise<ScanPreview>;
  /** Stops a running scan; its `finished` event still arrives, with what was found. */
  cancel(scanId: string): boolean;
  /** Cancels every scan, e.g. when the host shuts down or its client goes away. */
  cancelAll(): void;
}

export function scanHandlers(
  scans: ScanService,
): Pick<Handlers, 'scan.start' | 'scan.preview' | 'scan.cancel'> {
  return {
    'scan.start': async (request, ctx) => ({
      scanId: await scans.start(request, (event) => ctx.emit('scan.event', event)),
    }),
    'scan.preview': (request) => scans.preview(request),
    'scan.cancel': async ({ scanId }) => ({ cancelled: scans.cancel(scanId) }),
  };
}
