import { CLI_ONLY_METHODS, type HostKind } from '../contract/index.js';
import { ScanManager } from '../scan/manager.js';
import { resolveDataDir } from '../store/data-dir.js';
import { appHandlers } from './app-handlers.js';
import { ClientClosings } from './client-closings.js';
import { createDispatcher, validatesEvents, type Dispatch, type Handlers } from './dispatcher.js';
import { StoreHealth } from './store-health.js';
import { toAppError } from '../errors.js';
import { DEFAULT_LIMITS, ExportSlots, ImportSlots, ScanSlots, type Limits } from './limits.js';
import type { FilePicker } from './picked-import.js';
import { PrepareThreads } from './prepare-thread.js';
import { reportHandlers } from './report-handlers.js';
import { createAssessor, riskHandlers } from './risk-handlers.js';
import { ScanHistory } from './scan-history.js';
import { scanHandlers } from './scan-handlers.js';
import { firewallHandlers, lazyFirewallService } from './firewall-handlers.js';
import { lazyAppStore, settingsHandlers } from './settings-handlers.js';

export interface CoreOptions {
  host: HostKind;
  /** App data directory (SQLite store, firewall backups); defaults to the platform's. */
  dataDir?: string;
  /** Scan and message limits; DEFAULT_LIMITS where absent. */
  limits?: Partial<Limits>;
  /**
   * The host's own open dialog (Electron), for `report.importPicked`: the only source of paths the
   * app imports from for a page. Absent, the page sends files in pieces (AppInfo.filePicker false).
   */
  filePicker?: FilePicker;
  /** The TCP ports the host serves to the user (browser mode's page), named as Port Auditor's. */
  ownPorts?: () => readonly number[];
  /** The desktop app's own executable, whose listeners are named Port Auditor's (OwnPorts). */
  ownExecutable?: string;
}

export interface Core {
  dispatch: Dispatch;
  /** The limits in force, for hosts that enforce the per-connection message rate. */
  limits: Limits;
  /**
   * The host says a client (`CallContext.client`: a connection, a window) is gone: what the app
   * kept for it (a file transfer in progress) is let go; settles once it is. Never rejects.
   */
  clientClosed(client: string): Promise<void>;
  /** Whether `uploadId` is a file transfer `client` began and has not ended (MessageRate). */
  ownsUpload(client: string, uploadId: string): boolean;
  dispose(): Promise<void>;
}

/**
 * The application as every host sees it: one dispatcher over all handlers. Each domain contributes
 * its handlers here; hosts only move messages in and out.
 */
export function createCore(options: CoreOptions): Core {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const scans = new ScanManager();
  const firewall = lazyFirewallService(options.dataDir);
  const dataDir = () => options.dataDir ?? resolveDataDir();
  const store = lazyAppStore(dataDir);
  // One read of this PC's listeners serves a running scan's verdicts for a few seconds.
  const assessor = createAssessor({
    firewallRules: () => firewall.get().knownRules(),
    removedRules: () => firewall.get().removedOutboundRules(),
    listenersFreshMs: 5000,
    ...(options.ownPorts ? { ownPorts: options.ownPorts } : {}),
    ...(options.ownExecutable ? { ownExecutable: options.ownExecutable } : {}),
  });
  // Big kept scans are prepared off the host's thread (review A2), at most a few at once.
  const history = new ScanHistory(
    store,
    dataDir,
    assessor,
    undefined,
    limits.importHeapMb,
    undefined,
    new PrepareThreads(),
  );
  // A store damaged while the app runs is announced to every client once an operation meets it,
  // the store then opened again as at start (review 13: the same banner as a damaged store at
  // start, from then on, on every page).
  const health = new StoreHealth(() => {
    store.close();
    store.get();
    const problem = store.problem();
    return { readOnly: problem ? toAppError(problem) : null };
  }, validatesEvents());
  const clients = new ClientClosings();
  clients.on(async (client) => health.forget(client));
  // A client gone shows nothing: its scan may leave the history at the next sweep, and the
  // preparation it waited for stops unless another client waits for it too.
  clients.on(async (client) => history.forget(client));
  const report = reportHandlers(
    history,
    dataDir,
    options.filePicker,
    clients,
    new ImportSlots(limits),
    new ExportSlots(limits),
    limits.exportHeapMb,
  );
  const handlers: Handlers = {
    ...appHandlers(options.host, options.filePicker !== undefined),
    ...settingsHandlers(store),
    ...scanHandlers(scans, new ScanSlots(limits), history),
    ...riskHandlers(assessor),
    ...report.handlers,
    ...firewallHandlers(firewall),
  };
  // A page or a window never gets the CLI's own methods (CLI_ONLY_METHODS).
  const dispatch = createDispatcher(
    handlers,
    undefined,
    new Set(options.host === 'cli' ? [] : CLI_ONLY_METHODS),
  );
  return {
    async dispatch(raw, ctx) {
      const response = await dispatch(raw, health.watch(ctx));
      if (!response.ok) health.met(response.error);
      return response;
    },
    limits,
    clientClosed: (client) => clients.closed(client),
    ownsUpload: report.ownsUpload,
    async dispose() {
      scans.cancelAll();
      history.forget();
      firewall.close();
      store.close();
    },
  };
}
