import { create } from 'zustand';
import type { AppError } from '../../app/contract/errors';
import type { HostAssessment, RiskAssessResult } from '../../app/contract/risk';
import { api } from '../api/client';
import { onFirewallViewChange, useFirewall } from './firewall';
import { onHostPorts, onScanPage, useScan } from './scan';

export type RiskStatus = 'idle' | 'assessing' | 'ready' | 'failed';

interface RiskState {
  status: RiskStatus;
  /**
   * The verdicts on show: the page's hosts, with the counts of the whole scan (a kept scan), or
   * the hosts assessed so far (a running scan).
   */
  result: RiskAssessResult | null;
  byAddress: Record<string, HostAssessment>;
  error: AppError | null;
  /** `info` ports are hidden unless the user asks to see them. */
  showInfo: boolean;
  setShowInfo(show: boolean): void;
  /** Works the verdicts on show out again (a firewall rule changed): the page is asked again. */
  refresh(): Promise<void>;
  reset(): void;
}

/**
 * Verdicts are the app's: pushed while a scan runs (`verdicts` events of that scan), then given
 * with each page of the kept scan, with Port Auditor's rules as the app last read them.
 */
export const useRisk = create<RiskState>()((set) => ({
  status: 'idle',
  result: null,
  byAddress: {},
  error: null,
  showInfo: false,
  setShowInfo: (showInfo) => set({ showInfo }),
  async refresh() {
    await useScan.getState().reload();
  },
  reset() {
    set({ status: 'idle', result: null, byAddress: {}, error: null });
  },
}));

onScanPage((page) => {
  if (!page?.assessment) {
    useRisk.getState().reset();
    return;
  }
  const byAddress: Record<string, HostAssessment> = {};
  for (const host of page.assessment.hosts) byAddress[host.address] = host;
  useRisk.setState({ status: 'ready', result: page.assessment, byAddress, error: null });
});

// More ports of a shown host: their verdicts join the host's.
onHostPorts((more) => {
  const verdicts = more.verdicts;
  if (!verdicts) return;
  useRisk.setState((s) => {
    const had = s.byAddress[more.address];
    const host = had ? { ...had, ports: [...had.ports, ...verdicts.ports] } : verdicts;
    const byAddress = { ...s.byAddress, [more.address]: host };
    return {
      byAddress,
      ...(s.result
        ? { result: { ...s.result, hosts: s.result.hosts.map((h) => (h === had ? host : h)) } }
        : {}),
    };
  });
});

api.on('scan.event', (event) => {
  if (event.scanId !== useScan.getState().scanId) return;
  // The firewall read afresh at the end: a rule added or erased behind the app's back (from the
  // CLI, by a reboot) changes the kept scan's verdicts on show (onFirewallViewChange below).
  if (event.type === 'finished') void useFirewall.getState().load({ quiet: true });
  if (event.type !== 'verdicts') return;
  useRisk.setState((s) => {
    const byAddress = { ...s.byAddress };
    for (const host of event.hosts) byAddress[host.address] = host;
    return {
      byAddress,
      result: {
        hosts: Object.values(byAddress),
        counts: event.counts,
        blocked: 0,
        programsComplete: s.result?.programsComplete ?? true,
      },
    };
  });
});

// Whatever changed the app's view of the firewall (a block, an undo, a re-apply, the Rules page's
// refresh, a read finding rules vanished or new), the verdicts on screen follow.
onFirewallViewChange(() => void useRisk.getState().refresh());

useScan.subscribe((state, previous) => {
  if (state.phase === 'starting' && previous.phase !== 'starting') {
    useRisk.setState({ status: 'assessing', result: null, byAddress: {}, error: null });
    // Read now, so even the verdicts given while the scan runs know which rules are in place.
    void useFirewall.getState().load({ quiet: true });
    useFirewall.getState().tellResults(null);
  }
  // A refused start or a failed scan: the verdicts of the scan still on show come back with it.
  if (state.phase === 'failed' && previous.phase !== 'failed') {
    if (state.shown) void useScan.getState().reload();
    else useRisk.getState().reset();
  }
});
