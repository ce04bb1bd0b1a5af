/// <reference types="vite/client" />
import type { Bridge } from '../app/contract/bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode, where the client uses a WebSocket. */
    portAuditor?: Bridge;
  }
}
