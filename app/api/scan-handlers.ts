import { Code, type ScanEnd } from '../contract/index.js';
import { AppFailure } from '../errors.js';
import type { ScanService } from '../scan/service.js';
import { scanCounts } from '../store/scans.js';
import type { Handlers } from './dispatcher.js';
import type { ScanSlots, Slot } from './limits.js';
import { LivePorts } from './live-ports.js';
import { LiveVerdicts } from './live-verdicts.js';
import { withMacVendor } from '../report/mac-vendor.js';
import type { ScanHistory } from './scan-history.js';

export type { ScanService };

function duplicate(scanId: string): AppFailure {
  return new AppFailure(Code['scan.duplicate-id'], { scanId });
}

/**
 * `scan.start` runs the scan under the id the client chose (refused when already used), takes a
 * slot of `slots` (per client and overall) and gives it back once the scan ended and was kept
 * (or refused). The engine's events go out as they come, with the app's verdicts every second;
 * the end is a summary (`ScanEnd`): the result is kept by `history` and asked for by id.
 */
export function scanHandlers(
  scans: ScanService,
  slots: ScanSlots,
  history: ScanHistory,
): Pick<
  Handlers,
  | 'scan.start'
  | 'scan.preview'
  | 'scan.cancel'
  | 'scan.list'
  | 'scan.get'
  | 'scan.hostPorts'
  | 'scan.latest'
> {
  /** Each running scan's slot, so a cancel can mark it stopping. */
  const running = new Map<string, Slot>();
  return {
    'scan.start': async ({ scanId, keep, ...request }, ctx) => {
      if (running.has(scanId) || history.taken(scanId)) throw duplicate(scanId);
      const release = slots.acquire(ctx.client ?? 'in-process');
      running.set(scanId, release);
      const done = () => {
        running.delete(scanId);
        release();
      };
      const ports = new LivePorts();
      const live = new LiveVerdicts(
        (hosts) => history.assess(hosts),
        (hosts, counts) => ctx.emit('scan.event', { type: 'verdicts', scanId, hosts, counts }),
      );
      try {
        await scans.start(
          request,
          (event) => {
            if (event.type === 'failed') {
              live.stop();
              done();
              ctx.emit('scan.event', event);
            } else if (event.type === 'finished') {
              live.stop();
              const { result } = event;
              void (async () => {
                const assessment = await history.assess(result.hosts);
                const entry = { kind: 'engine' as const, result, assessment };
                const outcome = keep ? history.keep(entry) : history.hold(entry);
                const end: ScanEnd = {
                  type: 'finished',
                  scanId,
                  cancelled: result.cancelled,
                  counts: scanCounts(result, assessment?.hosts),
                  kept: outcome.kept,
                  ...(outcome.kept ? {} : { notice: outcome.notice }),
                };
                done();
                ctx.emit('scan.event', end);
              })();
            } else {
              // Bounded as a page is: the live verdicts follow only what the page draws.
              const sent = ports.pass(event);
              if (sent === null) return;
              if (sent === event) live.see(event);
              // The page cannot look a maker up (a Node-only table): it comes with the MAC.
              ctx.emit('scan.event', sent.type === 'host' ? withMacVendor(sent) : sent);
            }
          },
          scanId,
        );
        return { scanId };
      } catch (error) {
        live.stop();
        done();
        throw error;
      }
    },
    'scan.preview': (request) => scans.preview(request),
    'scan.cancel': async ({ scanId }) => {
      const cancelled = scans.cancel(scanId);
      // Its slot is held until the engine has ended (nmap still running meanwhile): a refusal
      // until then says one is stopping (review 13, F8).
      if (cancelled) running.get(scanId)?.stopping();
      return { cancelled };
    },
    'scan.list': async ({ offset, limit }) => history.list(offset, limit),
    'scan.get': async (request, ctx) => {
      // A big kept scan is prepared in a thread meanwhile: this thread answers other requests.
      const page = await history.page(request, ctx.client ?? 'in-process');
      // Shown now: kept out of retention until this client moves on or goes.
      history.showing(ctx.client ?? 'in-process', request.scanId);
      return page;
    },
    'scan.hostPorts': async (request, ctx) =>
      history.hostPorts(request, ctx.client ?? 'in-process'),
    'scan.latest': async () => ({ scan: history.latest() }),
  };
}
