import type { FirewallRule, ListenersResult } from '../contract/index.js';
import { assessHosts } from '../risk/assess.js';
import { knowledgeBase } from '../risk/knowledge-base.js';
import { listListeners } from '../system/listeners.js';
import type { Handlers } from './dispatcher.js';

export interface RiskHandlerOptions {
  /** Where this PC's listeners come from; the real OS by default. */
  listeners?: () => Promise<ListenersResult>;
  /** Port Auditor's firewall rules, so verdicts show the ports they block; none by default. */
  firewallRules?: () => readonly FirewallRule[];
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
      const rules = options.firewallRules?.() ?? [];
      return assessHosts(hosts, listeners, knowledgeBase(), complete, rules);
    },
    'system.listeners': async () => readListeners(),
  };
}
