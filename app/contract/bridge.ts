import type { EventEnvelope, RequestEnvelope, ResponseEnvelope } from './envelope.js';

/**
 * What the Electron preload exposes as `window.portAuditor` (contextBridge). The browser-mode client
 * offers the same two operations over a WebSocket at `/api`, so the renderer's client can take
 * either without knowing which.
 */
export interface Bridge {
  request(message: RequestEnvelope): Promise<ResponseEnvelope>;
  onEvent(listener: (message: EventEnvelope) => void): () => void;
}

/** IPC channel names shared by the preload and the Electron main process. */
export const IPC_REQUEST_CHANNEL = 'port-auditor:request';
export const IPC_EVENT_CHANNEL = 'port-auditor:event';
