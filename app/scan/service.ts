import type { ScanEvent, ScanPreview, ScanRequest } from '../contract/index.js';

/** The narrow face of the scan engine that hosts use: a request in, a stream of events out. */
export interface ScanService {
  /**
   * Validates and expands the request (rejecting with an AppFailure), then scans in a worker under
   * `scanId` (a new UUID when absent), which it resolves with.
   */
  start(
    request: ScanRequest,
    onEvent: (event: ScanEvent) => void,
    scanId?: string,
  ): Promise<string>;
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
