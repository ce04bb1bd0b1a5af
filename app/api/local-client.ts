import type {
  EventName,
  EventPayload,
  MethodName,
  MethodParams,
  MethodResult,
} from '../contract/index.js';
import { AppFailure } from '../errors.js';
import { createCore, type Core, type CoreOptions } from './core.js';

/** Receives the events a call pushes (a scan's progress, hosts, ports, end). */
export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * The app for a host that runs in the same process (the CLI): the same contract the Electron
 * window and the browser page use — every request validated, every event checked — without a
 * transport. Failures are thrown as AppFailure, with the code and words the app gave.
 */
export interface LocalClient {
  /** Calls `method`; `onEvent` receives the events pushed for this call. */
  call<M extends MethodName>(
    method: M,
    params: MethodParams<M>,
    onEvent?: EventListener,
  ): Promise<MethodResult<M>>;
  /** Stops running scans and closes the app's stores; the next call opens them again. */
  dispose(): Promise<void>;
}

/**
 * A LocalClient over a core created on first call (so `--help` opens no database), counting as
 * one client for the scan limits.
 */
export function localClient(options: CoreOptions, client = 'in-process'): LocalClient {
  let core: Core | null = null;
  let nextId = 1;
  return {
    async call(method, params, onEvent) {
      core ??= createCore(options);
      const response = await core.dispatch(
        { kind: 'request', id: nextId++, method, params },
        { client, emit: onEvent ?? (() => undefined) },
      );
      if (!response.ok) throw AppFailure.relay(response.error);
      // The dispatcher validated the params and the handler's result is typed by the contract.
      return response.result as MethodResult<typeof method>;
    },
    async dispose() {
      const open = core;
      core = null;
      await open?.dispose();
    },
  };
}
