import type { ScanService } from '../scan/service.js';
import type { Handlers } from './dispatcher.js';
import type { ScanSlots } from './limits.js';

export type { ScanService };

/**
 * `scan.start` takes a slot of `slots` (per client and overall) before the scan starts and gives it
 * back with the scan's `finished` or `failed` event, or at once when the start is refused.
 */
export function scanHandlers(
  scans: ScanService,
  slots: ScanSlots,
): Pick<Handlers, 'scan.start' | 'scan.preview' | 'scan.cancel'> {
  return {
    'scan.start': async (request, ctx) => {
      const release = slots.acquire(ctx.client ?? 'in-process');
      try {
        const scanId = await scans.start(request, (event) => {
          if (event.type === 'finished' || event.type === 'failed') release();
          ctx.emit('scan.event', event);
        });
        return { scanId };
      } catch (error) {
        release();
        throw error;
      }
    },
    'scan.preview': (request) => scans.preview(request),
    'scan.cancel': async ({ scanId }) => ({ cancelled: scans.cancel(scanId) }),
  };
}
