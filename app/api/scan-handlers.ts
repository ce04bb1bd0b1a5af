import type { ScanService } from '../scan/service.js';
import type { Handlers } from './dispatcher.js';

export type { ScanService };

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
