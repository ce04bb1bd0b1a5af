import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, type Bridge } from '../../app/contract/bridge.js';
import type { EventEnvelope } from '../../app/contract/envelope.js';

// The page gets exactly the contract's two operations, never ipcRenderer itself.
const bridge: Bridge = {
  request: (message) => ipcRenderer.invoke(IPC_REQUEST_CHANNEL, message),
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, message: EventEnvelope) => listener(message);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('portAuditor', bridge);
