import type { Bridge } from '../../app/contract/bridge.js';
import type {
  CloseCode as ContractCloseCode,
  EventEnvelope,
  RequestEnvelope,
  ResponseEnvelope,
  ServerMessage,
  WelcomeMessage,
} from '../../app/contract/envelope.js';
import { connectionError } from './errors.js';

import type { ConnectionState } from './create-api.js';

export type { ConnectionState };

interface Pending {
  message: RequestEnvelope;
  resolve(response: ResponseEnvelope): void;
}

/**
 * The contract's browser-mode close codes (app/contract/envelope.ts), restated because the
 * renderer imports only types from the contract; the type and a unit test keep them equal.
 */
export const CloseCode: typeof ContractCloseCode = {
  hostStopped: 4100,
  sessionRefused: 4401,
  tokenUsed: 4409,
  rateLimited: 4429,
};

/** Where the tab keeps its session secret: per tab, kept across reloads, gone with the tab. */
export const SESSION_STORAGE_KEY = 'port-auditor.session';

/**
 * Milliseconds before each reconnect attempt; the last one repeats for as long as the host cannot
 * be reached.
 */
export const RETRY_DELAYS_MS: readonly number[] = [500, 1000, 2000, 4000, 5000];
/**
 * Reconnect attempts that fail before the page says the host cannot be reached right now
 * (`unreachable`) instead of "reconnecting". It is not `stopped`: a page cannot tell a refused
 * connection (nothing listens: the host stopped) from one the host accepted and then cut (a flood
 * of connections from another program, review 13 F1) or from a timeout, so it keeps trying and
 * says "stopped" only when the host said so (its close code) or a new host on the port refused
 * the session.
 */
const ATTEMPTS_BEFORE_UNREACHABLE = 4;

export interface BridgeCredentials {
  /** The launch token from the address's fragment, presented once when the tab has no session. */
  launchToken: string | null;
  /** The tab's storage for the session secret (sessionStorage in the page). */
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * The browser-mode transport: the same Bridge the Electron preload offers, over the host's
 * WebSocket at /api. Each socket's first message is a `hello` with the tab's session secret, or
 * with the launch token when the tab has none yet; the host's `welcome` gives the secret to keep.
 * Requests made while the socket is down wait for it; requests in flight when it drops are
 * answered with an error saying why instead of hanging. A drop is retried, for as long as it
 * takes (`lost`, then `unreachable` after a few failed attempts); a host that said it stopped,
 * refuses this tab or cut it for flooding is final (`stopped`, `token-used`, `refused`,
 * `rate-limited`): the page says so. What the page says comes from the close code, never from the
 * close reason's text (a code too: CloseReason). `retryDelaysMs` replaces RETRY_DELAYS_MS (same
 * shape).
 */
export function createWebSocketBridge(
  url: string,
  onState: (state: ConnectionState) => void,
  credentials: BridgeCredentials,
  retryDelaysMs: readonly number[] = RETRY_DELAYS_MS,
): Bridge {
  const listeners = new Set<(message: EventEnvelope) => void>();
  const inFlight = new Map<number, Pending>();
  const queue: Pending[] = [];
  let socket: WebSocket | null = null;
  let welcomed = false;
  let everWelcomed = false;
  let failedAttempts = 0;
  let final: ConnectionState | null = null;
  let launchToken = credentials.launchToken;

  const fail = (pending: Pending, state: ConnectionState) =>
    pending.resolve({
      kind: 'response',
      id: pending.message.id,
      ok: false,
      error: connectionError(state),
    });

  const send = (pending: Pending) => {
    if (final) return fail(pending, final);
    if (socket && welcomed && socket.readyState === WebSocket.OPEN) {
      inFlight.set(pending.message.id, pending);
      socket.send(JSON.stringify(pending.message));
    } else {
      queue.push(pending);
    }
  };

  const finish = (state: ConnectionState) => {
    final = state;
    for (const pending of inFlight.values()) fail(pending, state);
    inFlight.clear();
    for (const pending of queue.splice(0)) fail(pending, state);
    onState(state);
  };

  const hello = (): { kind: 'hello'; token?: string; session?: string } | null => {
    // A launch token in hand is a launch address the user just opened (a restarted host's): it
    // wins over a secret kept from an earlier run, which that host would refuse.
    if (launchToken) return { kind: 'hello', token: launchToken };
    const session = credentials.storage.getItem(SESSION_STORAGE_KEY);
    if (session) return { kind: 'hello', session };
    return null;
  };

  const reconnectingState = (): ConnectionState => {
    if (failedAttempts >= ATTEMPTS_BEFORE_UNREACHABLE) return 'unreachable';
    return failedAttempts === 0 && !everWelcomed ? 'connecting' : 'lost';
  };

  const connect = () => {
    const greeting = hello();
    if (!greeting) return finish(everWelcomed ? 'stopped' : 'refused');
    onState(reconnectingState());
    const ws = new WebSocket(url);
    socket = ws;
    welcomed = false;
    ws.addEventListener('open', () => ws.send(JSON.stringify(greeting)));
    ws.addEventListener('message', (event: MessageEvent) => {
      let message: ServerMessage | WelcomeMessage;
      try {
        message = JSON.parse(String(event.data)) as ServerMessage | WelcomeMessage;
      } catch {
        return;
      }
      if (message.kind === 'welcome') {
        credentials.storage.setItem(SESSION_STORAGE_KEY, message.session);
        launchToken = null;
        welcomed = true;
        everWelcomed = true;
        failedAttempts = 0;
        onState('open');
        for (const pending of queue.splice(0)) send(pending);
      } else if (message.kind === 'response') {
        const pending = inFlight.get(message.id);
        if (pending) {
          inFlight.delete(message.id);
          pending.resolve(message);
        }
      } else if (message.kind === 'event') {
        for (const listener of listeners) listener(message);
      }
    });
    ws.addEventListener('close', (event: CloseEvent) => {
      if (socket !== ws) return;
      socket = null;
      const wasWelcomed = welcomed;
      welcomed = false;
      if (event.code === CloseCode.hostStopped) return finish('stopped');
      if (event.code === CloseCode.tokenUsed) return finish('token-used');
      // A flooding page was cut and its scans stopped (main/web/server.ts): reconnecting by
      // itself would only repeat what went wrong, so the page says what happened and to reload.
      if (event.code === CloseCode.rateLimited) return finish('rate-limited');
      if (event.code === CloseCode.sessionRefused) {
        // A session this tab held is refused only by a new host on the same port: the one that
        // gave it stopped.
        return finish(everWelcomed ? 'stopped' : 'refused');
      }
      if (!wasWelcomed) failedAttempts += 1;
      for (const pending of inFlight.values()) fail(pending, 'lost');
      inFlight.clear();
      // Queued requests would otherwise wait for a host that may never come back.
      for (const pending of queue.splice(0)) fail(pending, 'lost');
      onState(failedAttempts >= ATTEMPTS_BEFORE_UNREACHABLE ? 'unreachable' : 'lost');
      const delay = retryDelaysMs[Math.min(failedAttempts, retryDelaysMs.length - 1)] ?? 5000;
      setTimeout(connect, delay);
    });
  };

  connect();

  return {
    request(message) {
      return new Promise((resolve) => send({ message, resolve }));
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function apiSocketUrl(location: Location): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api`;
}
