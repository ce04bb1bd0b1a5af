import { create } from 'zustand';
import { api } from '../api/client';
import { asAppError, connectionError } from '../api/errors';
import {
  applyScanEvent,
  buildRequest,
  isBusy,
  type ScanForm,
  type ScanSnapshot,
} from '../features/scan/model';
import type { LeftOutNetwork, LocalNetwork, ScanEvent } from '../../app/contract/scan';

export * from '../features/scan/model';

interface ScanState extends ScanForm, ScanSnapshot {
  scanId: string | null;
  /** Which custom field is empty when the user asked to scan; the UI says so without a round trip. */
  missing: { targets: boolean; ports: boolean };
  /**
   * Networks "local network" leaves out (VPN, virtual switches, networks without the default
   * gateway) that the user has not been shown yet: the choice dialog is open while set.
   */
  adapterChoice: {
    leftOut: LeftOutNetwork[];
    /** The networks scanned whatever the answer, to name them in the dialog. */
    localNetworks: LocalNetwork[];
    /** Adapters ticked when the dialog opens: those the user chose before and still present. */
    ticked: string[];
    confirmed: boolean;
  } | null;
  /** What the user answered in this session: the adapters shown, and those chosen. */
  adapters: { shown: string[]; chosen: string[] };
  setForm(patch: Partial<ScanForm>): void;
  /**
   * `confirmed` answers the app's `scan.confirmationRequired` (many or public addresses). A scan
   * of the local network first asks which left-out networks to add: for each adapter not shown
   * yet, and again while one is ticked (`adaptersAnswered` is the start that follows the answer).
   */
  start(confirmed?: boolean, adaptersAnswered?: boolean): Promise<void>;
  /**
   * Answers the choice dialog with the adapters ticked (replacing the earlier answer for those
   * shown), then starts the scan.
   */
  chooseAdapters(chosen: string[]): Promise<void>;
  closeAdapterChoice(): void;
  cancel(): Promise<void>;
  dismissError(): void;
}

/** Events that arrive before `scan.start` has answered with their scan id. */
let early: ScanEvent[] = [];

export const useScan = create<ScanState>()((set, get) => ({
  targetMode: 'this-pc',
  customTargets: '',
  portMode: 'top1000',
  customPorts: '',
  phase: 'idle',
  scanId: null,
  progress: null,
  hosts: {},
  result: null,
  error: null,
  missing: { targets: false, ports: false },
  adapterChoice: null,
  adapters: { shown: [], chosen: [] },

  setForm(patch) {
    const missing = { ...get().missing };
    if (patch.customTargets !== undefined || patch.targetMode !== undefined)
      missing.targets = false;
    if (patch.customPorts !== undefined || patch.portMode !== undefined) missing.ports = false;
    set({ ...patch, missing });
  },

  async start(confirmed = false, adaptersAnswered = false) {
    const state = get();
    if (isBusy(state.phase)) return;
    const base = buildRequest(state);
    const local = asksLocalNetwork(base.targets);
    const missing = { targets: base.targets === '', ports: base.ports === '' };
    if (missing.targets || missing.ports) {
      set({ missing });
      return;
    }
    let adapters: string[] | undefined;
    if (local) {
      // Previewed without the earlier choice: an adapter chosen then may be gone now (a VPN that
      // disconnected), and the preview must still answer with what is there to choose from.
      try {
        const { leftOut, localNetworks } = await api.call('scan.preview', base);
        const names = leftOut.map((n) => n.adapter);
        const ticked = state.adapters.chosen.filter((name) => names.includes(name));
        // Asked again while something is ticked, so a network chosen once (an employer's VPN)
        // can be unticked before the next scan instead of staying chosen for the session.
        const unasked = names.some((name) => !state.adapters.shown.includes(name));
        if (!adaptersAnswered && (ticked.length > 0 || unasked)) {
          set({ adapterChoice: { leftOut, localNetworks, ticked, confirmed }, missing });
          return;
        }
        adapters = ticked;
      } catch (error) {
        set({ phase: 'failed', progress: null, error: asAppError(error), missing });
        return;
      }
    }
    const request = {
      ...base,
      ...(confirmed ? { confirmed: true } : {}),
      ...(adapters ? { adapters } : {}),
    };
    early = [];
    set({
      phase: 'starting',
      scanId: null,
      progress: null,
      hosts: {},
      result: null,
      error: null,
      missing,
    });
    try {
      const { scanId } = await api.call('scan.start', request);
      if (get().phase !== 'starting' && get().phase !== 'cancelling') return;
      const cancelRequested = get().phase === 'cancelling';
      set({ scanId, phase: cancelRequested ? 'cancelling' : 'running' });
      const buffered = early.filter((e) => e.scanId === scanId);
      early = [];
      for (const event of buffered) set((s) => applyScanEvent(s, event));
      if (cancelRequested) await api.call('scan.cancel', { scanId });
    } catch (error) {
      early = [];
      set({ phase: 'failed', progress: null, error: asAppError(error) });
    }
  },

  async cancel() {
    const { phase, scanId } = get();
    if (phase === 'starting') {
      // The id is not known yet: start() sends the cancel as soon as it is.
      set({ phase: 'cancelling' });
      return;
    }
    if (phase !== 'running' || !scanId) return;
    set({ phase: 'cancelling' });
    try {
      const { cancelled } = await api.call('scan.cancel', { scanId });
      // Not cancelled means it had already ended; its `finished` event settles the state.
      if (!cancelled && get().phase === 'cancelling' && get().scanId === scanId) {
        set({ phase: 'running' });
      }
    } catch (error) {
      set({ error: asAppError(error) });
    }
  },

  async chooseAdapters(chosen) {
    const { adapterChoice, adapters } = get();
    if (!adapterChoice) return;
    const asked = adapterChoice.leftOut.map((n) => n.adapter);
    const shown = [...new Set([...adapters.shown, ...asked])];
    // The answer replaces the earlier one for the networks just shown (unticking one removes it).
    const kept = adapters.chosen.filter((name) => !asked.includes(name));
    set({
      adapterChoice: null,
      adapters: { shown, chosen: [...new Set([...kept, ...chosen])] },
    });
    await get().start(adapterChoice.confirmed, true);
  },

  closeAdapterChoice() {
    set({ adapterChoice: null });
  },

  dismissError() {
    set({ error: null });
  },
}));

/** Whether the targets name the local network (`local-network`, not excluded with `!`). */
function asksLocalNetwork(targets: string): boolean {
  return targets.split(/[\s,;]+/).some((token) => token.toLowerCase() === 'local-network');
}

api.on('scan.event', (event) => {
  const state = useScan.getState();
  if (state.scanId === null) {
    if (state.phase === 'starting' || state.phase === 'cancelling') early.push(event);
    return;
  }
  if (event.scanId !== state.scanId) return;
  useScan.setState((s) => applyScanEvent(s, event));
});

api.onConnection((connection) => {
  if (connection === 'open' || connection === 'connecting') return;
  const { phase } = useScan.getState();
  // The host stops a client's scans when its connection goes; waiting would spin forever.
  if (phase === 'running' || phase === 'cancelling') {
    useScan.setState({ phase: 'failed', progress: null, error: connectionError(connection) });
  }
});
