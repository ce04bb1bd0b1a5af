import { create } from 'zustand';
import type { AppError } from '../../app/contract/errors';
import type { HostAssessment, RiskAssessResult } from '../../app/contract/risk';
import type { HostResult } from '../../app/contract/scan';
import { api } from '../api/client';
import { asAppError } from '../api/errors';
import { onFirewallViewChange, useFirewall } from './firewall';
import { useScan, type HostView } from './scan';
import { batchHosts, mergeResults } from '../features/risk/batches';

export type RiskStatus = 'idle' | 'assessing' | 'ready' | 'failed';

interface RiskState {
  status: RiskStatus;
  result: RiskAssessResult | null;
  byAddress: Record<string, HostAssessment>;
  error: AppError | null;
  /** `info` ports are hidden unless the user asks to see them. */
  showInfo: boolean;
  setShowInfo(show: boolean): void;
  assess(hosts: readonly HostView[]): Promise<void>;
  /** Works the verdicts out again for the hosts on screen (a firewall rule changed). */
  refresh(): Promise<void>;
  reset(): void;
}

/**
 * Only what the verdicts need (keeps the request small): open ports of hosts that answered, and a
 * device's filtered ports, which this PC's own outbound rule may be what hides (they are few: the
 * scan lists a state only when it is a minority).
 */
export function toAssessRequest(hosts: readonly HostView[]): HostResult[] {
  return hosts
    .filter((h) => h.status === 'up')
    .map((h) => ({
      address: h.address,
      family: h.family,
      isLocal: h.isLocal,
      status: h.status,
      reason: h.reason,
      ...(h.hostname ? { hostname: h.hostname } : {}),
      ports: h.ports.filter((p) => p.state === 'open' || (p.state === 'filtered' && !h.isLocal)),
      hidden: h.hidden ?? { open: 0, closed: 0, filtered: 0 },
      ...(h.answersEveryPort ? { answersEveryPort: h.answersEveryPort } : {}),
    }));
}

/** A request number, so an older answer arriving late never replaces a newer one. */
let sequence = 0;

export const useRisk = create<RiskState>()((set) => ({
  status: 'idle',
  result: null,
  byAddress: {},
  error: null,
  showInfo: false,
  setShowInfo: (showInfo) => set({ showInfo }),
  async assess(hosts) {
    const request = toAssessRequest(hosts);
    const mine = ++sequence;
    set({ status: 'assessing', error: null });
    try {
      const answers: RiskAssessResult[] = [];
      // Sequential: each batch reads this PC's listeners; in parallel they would compete for it.
      for (const batch of batchHosts(request)) {
        answers.push(await api.call('risk.assess', { hosts: batch }));
        if (mine !== sequence) return;
      }
      const result = mergeResults(answers);
      const byAddress: Record<string, HostAssessment> = {};
      for (const host of result.hosts) byAddress[host.address] = host;
      set({ status: 'ready', result, byAddress });
    } catch (error) {
      if (mine !== sequence) return;
      set({ status: 'failed', error: asAppError(error) });
    }
  },
  async refresh() {
    const scan = useScan.getState();
    if (scan.phase !== 'finished' || useRisk.getState().status === 'idle') return;
    await useRisk.getState().assess(Object.values(scan.hosts));
  },
  reset() {
    sequence++;
    set({ status: 'idle', result: null, byAddress: {}, error: null });
  },
}));

/** While a scan runs, verdicts follow the ports as they appear, at most a few times a second. */
const PROGRESSIVE_DELAY_MS = 600;
let timer: ReturnType<typeof setTimeout> | undefined;
let assessedKey = '';

function openPortKey(hosts: Record<string, HostView>): string {
  return Object.values(hosts)
    .flatMap((h) => [
      ...h.ports
        .filter((p) => p.state === 'open')
        .map((p) => `${h.address}/${p.protocol}/${p.port}`),
      // A host found to answer on every port gets its verdicts grouped: worth a new request.
      ...(h.answersEveryPort ? [`${h.address}/every-port`] : []),
    ])
    .sort()
    .join(',');
}

/**
 * The verdicts of a finished scan, once the firewall was read afresh: a rule added or erased
 * behind the app's back (from the CLI, by a reboot) is seen as it is now, never as it was.
 */
async function assessFinished(hosts: readonly HostView[]): Promise<void> {
  await useFirewall.getState().load({ quiet: true });
  await useRisk.getState().assess(hosts);
}

// Whatever changed the app's view of the firewall (a block, an undo, a re-apply, the Rules page's
// refresh, a read finding rules vanished or new), the verdicts on screen follow.
onFirewallViewChange(() => void useRisk.getState().refresh());

useScan.subscribe((state, previous) => {
  if (state.phase === 'starting' && previous.phase !== 'starting') {
    clearTimeout(timer);
    timer = undefined;
    assessedKey = '';
    useRisk.getState().reset();
    // Read now, so even the verdicts given while the scan runs know which rules are in place.
    void useFirewall.getState().load({ quiet: true });
    useFirewall.getState().tellResults(null);
    return;
  }
  // An imported nmap file replaces a finished scan with another finished one: same phase, new id.
  if (
    state.phase === 'finished' &&
    (previous.phase !== 'finished' || state.scanId !== previous.scanId)
  ) {
    clearTimeout(timer);
    timer = undefined;
    void assessFinished(Object.values(state.hosts));
    return;
  }
  if (
    (state.phase === 'running' || state.phase === 'cancelling') &&
    state.hosts !== previous.hosts
  ) {
    // Throttled, not debounced: a steady stream of ports must not postpone verdicts forever.
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      const now = useScan.getState();
      if (now.phase !== 'running' && now.phase !== 'cancelling') return;
      // Host and progress events change `hosts` too; only new open ports are worth a request.
      const key = openPortKey(now.hosts);
      if (key === assessedKey) return;
      assessedKey = key;
      void useRisk.getState().assess(Object.values(now.hosts));
    }, PROGRESSIVE_DELAY_MS);
  }
});
