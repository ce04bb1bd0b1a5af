import type { Bridge } from '../../app/contract/bridge.js';
import type {
  EventName,
  EventPayload,
  MethodName,
  MethodParams,
  MethodResult,
} from '../../app/contract/methods.js';
import { ApiError, asAppError } from './errors.js';

/**
 * `lost`: the transport dropped and the client is reconnecting; `unreachable`: several attempts
 * failed and it keeps trying (the host may have stopped, or be too busy with other connections:
 * a page cannot tell). The others are final, nothing is retried: `stopped`, the host shut down (or restarted, so this page's session is gone);
 * `token-used`, the launch token had already been redeemed by another client; `refused`, the page
 * has neither a launch token nor a session (opened without the printed address); `rate-limited`,
 * the host closed this page's connection because it sent too many messages too fast (its scans
 * stopped with it): a reload starts afresh with the tab's session.
 */
export type ConnectionState =
  | 'connecting'
  | 'open'
  | 'lost'
  | 'unreachable'
  | 'stopped'
  | 'token-used'
  | 'refused'
  | 'rate-limited';

export interface Api {
  /** Sends one request; resolves with its typed result or rejects with an ApiError. */
  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  /** Listens to one pushed event; returns the function that stops listening. */
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
  /** The transport's state; the Electron bridge is always open. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  readonly connection: ConnectionState;
}

/**
 * The one way the UI talks to the app. It never knows the transport: the Electron preload's
 * bridge when there is one, the browser-mode WebSocket otherwise. Payloads are trusted as typed:
 * the host validated them against the contract before sending.
 */
export function createApi(makeBridge: (onState: (s: ConnectionState) => void) => Bridge): Api {
  let connection: ConnectionState = 'connecting';
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const bridge = makeBridge((state) => {
    connection = state;
    for (const listener of connectionListeners) listener(state);
  });
  let nextId = 1;

  return {
    async call(method, params) {
      const id = nextId++;
      let response;
      try {
        response = await bridge.request({ kind: 'request', id, method, params });
      } catch (error) {
        throw new ApiError(asAppError(error));
      }
      if (!response.ok) throw new ApiError(response.error);
      return response.result as MethodResult<typeof method>;
    },
    on(event, handler) {
      return bridge.onEvent((message) => {
        if (message.event === event) handler(message.payload as EventPayload<typeof event>);
      });
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    get connection() {
      return connection;
    },
  };
}
