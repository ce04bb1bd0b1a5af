import type { Bridge } from '../../app/contract/bridge';
import { createApi, type Api } from './create-api';
import { consumeLaunchToken } from './launch-token';
import { apiSocketUrl, createWebSocketBridge, type ConnectionState } from './ws-bridge';

export type { Api, ConnectionState };
export { createApi };

function defaultBridge(onState: (s: ConnectionState) => void): Bridge {
  const preload = window.portAuditor;
  if (preload) {
    onState('open');
    return preload;
  }
  return createWebSocketBridge(apiSocketUrl(window.location), onState, {
    launchToken: consumeLaunchToken(),
    storage: window.sessionStorage,
  });
}

export const api: Api = createApi(defaultBridge);
