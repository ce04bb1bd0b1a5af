import i18next from 'i18next';
import { create } from 'zustand';
import { api } from '../api/client';
import { asAppError, connectionError } from '../api/errors';
import {
  applyScanEvent,
  buildRequest,
  CONFIRMATION_REQUIRED,
  formOfRequest,
  hostView,
  isBusy,
  type HostView,
  type ScanForm,
  type ScanSnapshot,
  withMorePorts,
} from '../features/scan/model';
import type { AppError } from '../../app/contract/errors';
import type { ScanDetails, ScanHostPorts, ScanPage } from '../../app/contract/history';
import { MAX_PORTS_PER_HOST_PAGE } from '../../app/contract/page-limits.js';
import type { LeftOutNetwork, LocalNetwork } from '../../app/contract/scan';
import { shownScanOfHash, withShownScan } from '../shell/route';

export * from '../features/scan/model';

/** Devices per page of results: a 5,000-host import is never drawn at once. */
export const HOSTS_PAGE = 50;
/** Silent or unprobed addresses listed by name; beyond, their count. */
const ADDRESSES_LISTED = 500;

/** A kept scan on screen: its details, one page of the hosts that answered, the others by name. */
export interface ShownScan {
  details: ScanDetails;
  /** The page's hosts, in the app's order (this PC, then worst verdict first). */
  hosts: HostView[];
  offset: number;
  /** Hosts that answered in the whole scan. */
  total: number;
  down: HostView[];
  unprobed: HostView[];
  /** Why the app could not keep it in the history (a damaged or read-only store), or null. */
  notice: AppError | null;
}

interface ScanState extends ScanForm, ScanSnapshot {
  /** The scan this page started last (running, or ended), chosen here before `scan.start`. */
  scanId: string | null;
  /** The kept scan shown when none runs; a refused start leaves it as it was. */
  shown: ShownScan | null;
  /** A page (or another scan) is being fetched. */
  loading: boolean;
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
    /** The fingerprint of the confirmation the user gave (see `start`). */
    confirmation?: string;
  } | null;
  /** What the user answered in this session: the adapters shown, and those chosen. */
  adapters: { shown: string[]; chosen: string[] };
  setForm(patch: Partial<ScanForm>): void;
  /**
   * `confirmed` answers the app's `scan.confirmationRequired` (many or public addresses) on show:
   * the request carries that refusal's fingerprint, so the app starts only what was shown (and
   * editing the form withdraws the question: see `setForm`). A scan
   * of the local network first asks which left-out networks to add: for each adapter not shown
   * yet, and again while one is ticked (`adaptersAnswered` is the start that follows the answer).
   */
  start(confirmed?: boolean, adaptersAnswered?: boolean, confirmation?: string): Promise<void>;
  /**
   * Answers the choice dialog with the adapters ticked (replacing the earlier answer for those
   * shown), then starts the scan.
   */
  chooseAdapters(chosen: string[]): Promise<void>;
  closeAdapterChoice(): void;
  cancel(): Promise<void>;
  dismissError(): void;
  /**
   * Shows the kept scan `scanId` from its first page (history, import, end of a scan). `gone`
   * replaces the app's error when that scan is not kept (see openLatest).
   */
  open(
    scanId: string,
    options?: { notice?: AppError | null; offset?: number; gone?: AppError },
  ): Promise<boolean>;
  /**
   * The next ports (at most MAX_PORTS_PER_HOST_PAGE) of the shown host at `address` that its page
   * left out (HostView.portsLeftOut), appended to its rows. Returns the first new port, or null
   * when nothing came (another scan or page on show meanwhile, or refused: `error` says why).
   */
  morePorts(address: string): Promise<ScanHostPorts['ports'][number] | null>;
  /** Another page of the scan on show. */
  showPage(offset: number): Promise<void>;
  /** The same page again, with the verdicts as the firewall is now (a rule changed). */
  reload(): Promise<void>;
  /**
   * At start, after a reload or a restart: shows the scan the page's address names (the one on
   * show before the reload, reopened from the history maybe), else the scan the app kept last.
   * A named scan no longer kept is said so, and the last one is shown instead.
   */
  openLatest(): Promise<void>;
}

/** A scan id as the contract's ScanId (app/contract/history.ts) accepts it: a UUID. */
const SCAN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the app answers for a scan id it does not keep (never kept, or removed by retention). */
const NOT_KEPT = new Set(['scan.not-found', 'scan.no-longer-kept']);

/**
 * Said when the scan the page's address names is not kept (retention removed it, or the address
 * was edited): `latest` when the app's last scan is shown instead.
 */
function shownScanGone(latest: boolean): AppError {
  const key = latest ? 'shownGone.latest' : 'shownGone.none';
  return {
    code: 'scan.not-found',
    // In both languages, as the app's own errors (AppErrorAlert shows the UI's one).
    message: {
      fr: i18next.getFixedT('fr', 'history')(key),
      en: i18next.getFixedT('en', 'history')(key),
    },
  };
}

/** A request number, so an older page arriving late never replaces a newer one. */
let pageRequest = 0;

/** Fetches what a shown scan is made of: its page of answering hosts, and the others by name. */
async function fetchShown(
  scanId: string,
  offset: number,
  notice: AppError | null,
): Promise<{ shown: ShownScan; page: ScanPage }> {
  const page = await api.call('scan.get', { scanId, offset, limit: HOSTS_PAGE, status: 'up' });
  const others = async (status: 'down' | 'unknown') =>
    page.scan.statusCounts[status] > 0
      ? (await api.call('scan.get', { scanId, limit: ADDRESSES_LISTED, status })).hosts
      : [];
  const [down, unprobed] = await Promise.all([others('down'), others('unknown')]);
  return {
    page,
    shown: {
      details: page.scan,
      hosts: page.hosts.map((h) => hostView(h, page.portsLeftOut?.[h.address])),
      offset: page.offset,
      total: page.total,
      down: down.map((h) => hostView(h)),
      unprobed: unprobed.map((h) => hostView(h)),
      notice,
    },
  };
}

/** Listeners told of more ports of a shown host (the risk store takes their verdicts). */
const hostPortsListeners = new Set<(more: ScanHostPorts) => void>();
export function onHostPorts(listener: (more: ScanHostPorts) => void): () => void {
  hostPortsListeners.add(listener);
  return () => hostPortsListeners.delete(listener);
}

/** Listeners told each time a kept scan's page is shown (the risk store takes its verdicts). */
const pageListeners = new Set<(page: ScanPage | null) => void>();
export function onScanPage(listener: (page: ScanPage | null) => void): () => void {
  pageListeners.add(listener);
  return () => pageListeners.delete(listener);
}

export const useScan = create<ScanState>()((set, get) => ({
  targetMode: 'this-pc',
  customTargets: '',
  portMode: 'top1000',
  customPorts: '',
  udp: false,
  phase: 'idle',
  scanId: null,
  progress: null,
  hosts: {},
  shown: null,
  loading: false,
  error: null,
  missing: { targets: false, ports: false },
  adapterChoice: null,
  adapters: { shown: [], chosen: [] },

  setForm(patch) {
    const { error } = get();
    const missing = { ...get().missing };
    if (patch.customTargets !== undefined || patch.targetMode !== undefined)
      missing.targets = false;
    if (patch.customPorts !== undefined || patch.portMode !== undefined) missing.ports = false;
    // The app's error about a field no longer applies once that field is edited: it stops being
    // marked invalid (the next "Analyser maintenant" asks the app again).
    const code = error?.code ?? '';
    const edited =
      (code.startsWith('scan.targets.') && patch.customTargets !== undefined) ||
      (code.startsWith('scan.ports.') && patch.customPorts !== undefined) ||
      // A question about other targets: "I confirm" must never answer for what it did not show.
      code === CONFIRMATION_REQUIRED;
    set({ ...patch, missing, ...(edited ? { error: null } : {}) });
  },

  async start(confirmed = false, adaptersAnswered = false, given?: string) {
    const state = get();
    if (isBusy(state.phase)) return;
    const shown =
      state.error?.code === CONFIRMATION_REQUIRED ? state.error.params?.confirmation : undefined;
    // No question on show: nothing to confirm (a stale button), so the app asks again.
    const confirmation = given ?? (typeof shown === 'string' ? shown : undefined);
    if (confirmed && confirmation === undefined) confirmed = false;
    const base = buildRequest(state);
    const local = asksLocalNetwork(base.targets);
    const missing = { targets: base.targets === '', ports: base.ports === '' };
    if (missing.targets || missing.ports) {
      // What is missing replaces any earlier message (about another value, or a question about
      // other targets): nothing was asked of the app this time.
      set({ missing, error: null });
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
          set({
            adapterChoice: {
              leftOut,
              localNetworks,
              ticked,
              confirmed,
              ...(confirmed && confirmation ? { confirmation } : {}),
            },
            missing,
          });
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
      ...(confirmed ? { confirmed: true, confirmation } : {}),
      ...(adapters ? { adapters } : {}),
    };
    // The id is ours: every event of this scan is recognised from the first, even before the
    // app answers.
    const scanId = crypto.randomUUID();
    set({ phase: 'starting', scanId, progress: null, hosts: {}, error: null, missing });
    try {
      await api.call('scan.start', { ...request, scanId });
      if (get().scanId !== scanId) return;
      const { phase } = get();
      if (phase === 'starting') set({ phase: 'running' });
      if (phase === 'cancelling') await api.call('scan.cancel', { scanId });
    } catch (error) {
      if (get().scanId !== scanId) return;
      // Refused (bad ports, too many scans…): the results on show stay as they were.
      set({ phase: 'failed', progress: null, hosts: {}, error: asAppError(error) });
    }
  },

  async cancel() {
    const { phase, scanId } = get();
    if (phase === 'starting') {
      // Not started yet: start() sends the cancel as soon as the app has taken it.
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
    await get().start(adapterChoice.confirmed, true, adapterChoice.confirmation);
  },

  closeAdapterChoice() {
    set({ adapterChoice: null });
  },

  dismissError() {
    set({ error: null });
  },

  async open(scanId, options = {}) {
    const mine = ++pageRequest;
    set({ loading: true });
    try {
      const { shown, page } = await fetchShown(scanId, options.offset ?? 0, options.notice ?? null);
      if (mine !== pageRequest) return false;
      // Another scan of the app on show (reopened, or the last one after a reload): the form is
      // set to what it covered. An import's settings are nmap's, which the form cannot hold: its
      // summary line says what it covered.
      const state = get();
      const another = state.shown?.details.scanId !== scanId && !isBusy(state.phase);
      // What was said about the values the form held goes with them.
      const form =
        another && shown.details.kind === 'engine'
          ? {
              ...formOfRequest(shown.details.request),
              missing: { targets: false, ports: false },
              ...(/^scan\.(targets|ports)\./.test(state.error?.code ?? '') ||
              state.error?.code === CONFIRMATION_REQUIRED
                ? { error: null }
                : {}),
            }
          : {};
      // The error on show (a refused start) stays: a page arriving later does not answer it.
      set({ shown, loading: false, ...form });
      for (const listener of pageListeners) listener(page);
      return true;
    } catch (error) {
      if (mine !== pageRequest) return false;
      const failure = asAppError(error);
      set({
        loading: false,
        error: options.gone && NOT_KEPT.has(failure.code) ? options.gone : failure,
      });
      return false;
    }
  },

  async morePorts(address) {
    const { shown } = get();
    const host = shown?.hosts.find((h) => h.address === address);
    if (!shown || !host?.portsLeftOut) return null;
    const scanId = shown.details.scanId;
    const mine = pageRequest;
    try {
      const more = await api.call('scan.hostPorts', {
        scanId,
        address,
        offset: host.ports.length,
        limit: MAX_PORTS_PER_HOST_PAGE,
      });
      const now = get().shown;
      // Another page or scan on show meanwhile: these rows belong to none of its cards.
      if (mine !== pageRequest || now?.details.scanId !== scanId) return null;
      const current = now.hosts.find((h) => h.address === address);
      if (!current || current.ports.length !== more.offset) return null;
      set({
        shown: {
          ...now,
          hosts: now.hosts.map((h) => (h === current ? withMorePorts(h, more) : h)),
        },
      });
      for (const listener of hostPortsListeners) listener(more);
      return more.ports[0] ?? null;
    } catch (error) {
      set({ error: asAppError(error) });
      return null;
    }
  },

  async showPage(offset) {
    const { shown } = get();
    if (!shown) return;
    await get().open(shown.details.scanId, { notice: shown.notice, offset });
  },

  async reload() {
    const { shown } = get();
    if (!shown || isBusy(get().phase)) return;
    await get().open(shown.details.scanId, { notice: shown.notice, offset: shown.offset });
  },

  async openLatest() {
    if (get().shown || get().phase !== 'idle') return;
    const named = shownScanOfHash(window.location.hash);
    let gone = false;
    if (named !== null) {
      if (SCAN_ID.test(named)) {
        const marker = shownScanGone(false);
        const opened = await get().open(named.toLowerCase(), { gone: marker });
        if (opened) {
          if (get().phase === 'idle') set({ phase: 'finished' });
          return;
        }
        // Another failure (the connection, a damaged store) is on show as it is.
        if (get().error !== marker) return;
      }
      gone = true;
    }
    try {
      const { scan } = await api.call('scan.latest', {});
      if (gone && !get().shown && get().phase === 'idle') set({ error: shownScanGone(!!scan) });
      if (scan && !get().shown && get().phase === 'idle') {
        const opened = await get().open(scan.scanId);
        // Unless the user started a scan (or met an error) meanwhile.
        if (opened && get().phase === 'idle') set({ phase: 'finished' });
      }
    } catch {
      // No history to show (a damaged store says so where it matters: at the next scan's end).
      if (gone && !get().shown) set({ error: shownScanGone(false) });
    }
    // The address names no scan it cannot show.
    if (gone && !get().shown) replaceHash(withShownScan(window.location.hash, null));
  },
}));

/** Whether the targets name the local network (`local-network`, not excluded with `!`). */
function asksLocalNetwork(targets: string): boolean {
  return targets.split(/[\s,;]+/).some((token) => token.toLowerCase() === 'local-network');
}

/** Rewrites the address without a history entry (what is shown is not a place to go back to). */
function replaceHash(hash: string): void {
  if (window.location.hash !== hash) window.history.replaceState(window.history.state, '', hash);
}

// The scan on show is named in the page's address, so a reload shows it again (openLatest).
useScan.subscribe((state, previous) => {
  const scanId = state.shown?.details.scanId;
  if (scanId && scanId !== previous.shown?.details.scanId) {
    replaceHash(withShownScan(window.location.hash, scanId));
  }
});

// Back and forward bring back an address written while another scan was on show: it names the
// one on show again, or a reload would show the older one.
window.addEventListener('popstate', () => {
  const scanId = useScan.getState().shown?.details.scanId;
  if (scanId) replaceHash(withShownScan(window.location.hash, scanId));
});

api.on('scan.event', (event) => {
  const state = useScan.getState();
  if (event.scanId !== state.scanId) return;
  if (event.type !== 'finished') {
    useScan.setState((s) => applyScanEvent(s, event));
    return;
  }
  // The live cards stay until the kept scan's first page is there to replace them.
  void useScan
    .getState()
    .open(event.scanId, { notice: event.notice ?? null })
    .then(() => {
      if (useScan.getState().scanId === event.scanId) {
        useScan.setState((s) => ({ ...applyScanEvent(s, event), hosts: {} }));
      }
    });
});

api.onConnection((connection) => {
  if (connection === 'open') {
    // After a reload or a restart of the app: the last kept scan, as it was left.
    void useScan.getState().openLatest();
    return;
  }
  if (connection === 'connecting') return;
  const { phase } = useScan.getState();
  // The host stops a client's scans when its connection goes; waiting would spin forever.
  if (phase === 'running' || phase === 'cancelling') {
    useScan.setState({ phase: 'failed', progress: null, error: connectionError(connection) });
  }
});

if (api.connection === 'open') void useScan.getState().openLatest();
