import type { ListenersResult } from '../contract/index.js';
import { assessHosts } from '../risk/assess.js';
import { knowledgeBase } from '../risk/knowledge-base.js';
import { listListeners } from '../system/listeners.js';
import type { Handlers } from './dispatcher.js';

export interface RiskHandlerOptions {
  /** Where this PC's listeners come from; the real OS by default. */
  listeners?: () => Promise<ListenersResult>;
}

export function riskHandlers(
  options: RiskHandlerOptions = {},
): Pick<Handlers, 'risk.assess' | 'system.listeners'> {
  const readListeners = options.listeners ?? (() => listListeners());
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
      return assessHosts(hosts, listeners, knowledgeBase(), complete);
    },
    'system.listeners': async () => readListeners(),
  };
}
