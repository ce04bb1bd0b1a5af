import type { HostKind } from '../contract/index.js';
import { ScanManager } from '../scan/manager.js';
import { appHandlers } from './app-handlers.js';
import { createDispatcher, type Dispatch, type Handlers } from './dispatcher.js';
import { riskHandlers } from './risk-handlers.js';
import { scanHandlers } from './scan-handlers.js';

export interface CoreOptions {
  host: HostKind;
}

export interface Core {
  dispatch: Dispatch;
  dispose(): Promise<void>;
}

/**
 * The application as every host sees it: one dispatcher over all handlers. Each domain contributes
 * its handlers here; hosts only move messages in and out.
 */
export function createCore(options: CoreOptions): Core {
  const scans = new ScanManager();
  const handlers: Handlers = {
    ...appHandlers(options.host),
    ...scanHandlers(scans),
    ...riskHandlers(),
  };
  return {
    dispatch: createDispatcher(handlers),
    async dispose() {
      scans.cancelAll();
    },
  };
}
