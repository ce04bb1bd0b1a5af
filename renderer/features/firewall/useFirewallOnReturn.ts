import { useEffect } from 'react';
import { useFirewall } from '../../stores/firewall';
import { useRisk } from '../../stores/risk';

/**
 * Reads the firewall again whenever the user comes back to the window (focus, or the tab shown
 * again): a rule may have been added or removed meanwhile with `port-auditor block`/`unblock`, by
 * another program or by a firewall reload. When the read shows a change, the verdicts on screen
 * are worked out again (chips, counts, Unblock). A read already running is not doubled, and a
 * failed read is not shown (the Rules page says why when opened).
 */
export function useFirewallOnReturn(): void {
  useEffect(() => {
    const reread = () => {
      if (document.visibilityState !== 'visible' || useFirewall.getState().loading) return;
      void useFirewall
        .getState()
        .load({ quiet: true })
        .then((changed) => {
          if (changed) void useRisk.getState().refresh();
        });
    };
    window.addEventListener('focus', reread);
    document.addEventListener('visibilitychange', reread);
    return () => {
      window.removeEventListener('focus', reread);
      document.removeEventListener('visibilitychange', reread);
    };
  }, []);
}
