import type { Bridge } from '../../app/contract/bridge';
import type {
  EventEnvelope,
  RequestEnvelope,
  ResponseEnvelope,
  ServerMessage,
} from '../../app/contract/envelope';
import { connectionLostError } from './errors';

import type { ConnectionState } from './create-api';

export type { ConnectionState };

interface Pending {
  message: RequestEnvelope;
  resolve(response: ResponseEnvelope): void;
}

const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 5000];

/**
 * The browser-mode transport: the same Bridge the Electron preload offers, over the host's
 * WebSocket at /api (authenticated by the session cookie of this origin). Requests made while the
 * socket is down wait for it; requests in flight when it drops are answered with a
 * `connection.lost` error instead of hanging, and the socket keeps reconnecting.
 */
export function createWebSocketBridge(
  url: string,
  onState: (state: ConnectionState) => void,
): Bridge {
  const listeners = new Set<(message: EventEnvelope) => void>();
  const inFlight = new Map<number, Pending>();
  const queue: Pending[] = [];
  let socket: WebSocket | null = null;
  let attempt = 0;

  const fail = (pending: Pending) =>
    pending.resolve({
      kind: 'response',
      id: pending.message.id,
      ok: false,
      error: connectionLostError(),
    });

  const send = (pending: Pending) => {
    if (socket && socket.readyState === WebSocket.OPEN) {
      inFlight.set(pending.message.id, pending);
      socket.send(JSON.stringify(pending.message));
    } else {
      queue.push(pending);
    }
  };

  const connect = () => {
    onState(attempt === 0 ? 'connecting' : 'lost');
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      attempt = 0;
      onState('open');
      for (const pending of queue.splice(0)) send(pending);
    });
    ws.addEventListener('message', (event: MessageEvent) => {
      let message: ServerMessage;
      try {
        message = JSON.parse(String(event.data)) as ServerMessage;
      } catch {
        return;
      }
      if (message.kind === 'response') {
        const pending = inFlight.get(message.id);
        if (pending) {
          inFlight.delete(message.id);
          pending.resolve(message);
        }
      } else if (message.kind === 'event') {
        for (const listener of listeners) listener(message);
      }
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      for (const pending of inFlight.values()) fail(pending);
      inFlight.clear();
      // Queued requests would otherwise wait for a host that may never come back.
      for (const pending of queue.splice(0)) fail(pending);
      onState('lost');
      const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)] ?? 5000;
      attempt += 1;
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
