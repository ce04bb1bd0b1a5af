import type { Bridge } from '../../app/contract/bridge';
import { createApi, type Api } from './create-api';
import { apiSocketUrl, createWebSocketBridge, type ConnectionState } from './ws-bridge';

export type { Api, ConnectionState };
export { createApi };

function defaultBridge(onState: (s: ConnectionState) => void): Bridge {
  const preload = window.portAuditor;
  if (preload) {
    onState('open');
    return preload;
  }
  return createWebSocketBridge(apiSocketUrl(window.location), onState);
}

export const api: Api = createApi(defaultBridge);
