import type { FirewallRule, ListenersResult } from '../contract/index.js';
import { assessHosts } from '../risk/assess.js';
import type { SeenOpen } from '../risk/firewall-verdicts.js';
import { knowledgeBase } from '../risk/knowledge-base.js';
import { listListeners } from '../system/listeners.js';
import type { Handlers } from './dispatcher.js';

export interface RiskHandlerOptions {
  /** Where this PC's listeners come from; the real OS by default. */
  listeners?: () => Promise<ListenersResult>;
  /**
   * Port Auditor's firewall rules as last read from the firewall, so verdicts show the ports they
   * block (only rules read there block anything); none by default.
   */
  firewallRules?: () => readonly FirewallRule[];
}

/** Enough for every port of a few /22 networks; the oldest sightings go first. */
const SEEN_OPEN_MAX = 100_000;

export function riskHandlers(
  options: RiskHandlerOptions = {},
): Pick<Handlers, 'risk.assess' | 'system.listeners'> {
  const readListeners = options.listeners ?? (() => listListeners());
  // Devices' ports seen open by earlier scans of this process: a port our own outbound rule later
  // hides is rated from what it said when it was still visible (its banner).
  const seenOpen = new Map<string, SeenOpen>();
  const key = (address: string, port: number, protocol: string) => `${address}|${port}/${protocol}`;
  return {
    'risk.assess': async ({ hosts }) => {
      const needsPrograms = hosts.some((h) => h.isLocal && h.ports.some((p) => p.state === 'open'));
      let listeners: ListenersResult['listeners'] = [];
      let complete = true;
      if (needsPrograms) {
        try {
          const result = await readListeners();
          listeners = result.listeners;
          complete = result.complete;
        } catch {
          // Verdicts are still worth showing without programs; the UI says programs are missing.
          complete = false;
        }
      }
      const rules = options.firewallRules?.() ?? [];
      const result = assessHosts(
        hosts,
        listeners,
        knowledgeBase(),
        complete,
        rules,
        (a, p, proto) => seenOpen.get(key(a, p, proto)),
      );
      const now = new Date().toISOString();
      for (const host of hosts) {
        if (host.isLocal) continue;
        for (const p of host.ports) {
          if (p.state !== 'open') continue;
          const k = key(host.address, p.port, p.protocol);
          seenOpen.delete(k);
          seenOpen.set(k, { at: now, ...(p.banner ? { banner: p.banner } : {}) });
        }
      }
      while (seenOpen.size > SEEN_OPEN_MAX) {
        seenOpen.delete(seenOpen.keys().next().value as string);
      }
      return result;
    },
    'system.listeners': async () => readListeners(),
  };
}
