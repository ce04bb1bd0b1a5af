import { resolveDataDir } from '../store/data-dir.js';
import { FirewallService } from '../firewall/service.js';
import type { Handlers } from './dispatcher.js';

type FirewallMethods =
  | 'firewall.status'
  | 'firewall.preview'
  | 'firewall.block'
  | 'firewall.list'
  | 'firewall.notices'
  | 'firewall.remove'
  | 'firewall.removeAll'
  | 'firewall.reapply';

/**
 * The service opens its database on first use, so hosts and tests that never touch the firewall
 * never create a data directory. `dataDir` defaults to the platform's app data dir.
 */
export function lazyFirewallService(dataDir?: string) {
  let service: FirewallService | null = null;
  return {
    get(): FirewallService {
      service ??= new FirewallService({ dataDir: dataDir ?? resolveDataDir() });
      return service;
    },
    close(): void {
      service?.close();
      service = null;
    },
  };
}

export function firewallHandlers(
  firewall: ReturnType<typeof lazyFirewallService>,
): Pick<Handlers, FirewallMethods> {
  return {
    'firewall.status': async () => firewall.get().status(),
    'firewall.preview': async (request) => firewall.get().preview(request),
    'firewall.block': async (request) => firewall.get().block(request),
    'firewall.list': async () => firewall.get().list(),
    'firewall.notices': async ({ elevation }) => {
      const service = firewall.get();
      await service.init();
      return {
        notices: [
          ...(service.storeProblem ? [service.storeProblem.appError.message] : []),
          ...service.repairsMade(),
        ],
        elevation: elevation ? await service.elevationMode() : null,
      };
    },
    'firewall.remove': async ({ ids }) => firewall.get().remove(ids),
    'firewall.removeAll': async () => firewall.get().removeAll(),
    'firewall.reapply': async ({ ids }) => firewall.get().reapply(ids),
  };
}
