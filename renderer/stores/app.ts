import { create } from 'zustand';
import type { AppInfo } from '../../app/contract/app';
import type { AppError } from '../../app/contract/errors';
import { api, type ConnectionState } from '../api/client';
import { asAppError } from '../api/errors';

interface AppState {
  info: AppInfo | null;
  infoError: AppError | null;
  connection: ConnectionState;
  /** True once the transport has been open at least once, so a first slow connect is not "lost". */
  everConnected: boolean;
  loadInfo(): Promise<void>;
}

export const useApp = create<AppState>()((set) => ({
  info: null,
  infoError: null,
  connection: api.connection,
  everConnected: api.connection === 'open',
  async loadInfo() {
    try {
      set({ info: await api.call('app.info', {}), infoError: null });
    } catch (error) {
      set({ infoError: asAppError(error) });
    }
  },
}));

api.onConnection((connection) => {
  const before = useApp.getState().connection;
  const wasLost = before === 'lost' || before === 'unreachable';
  useApp.setState((s) => ({
    connection,
    everConnected: s.everConnected || connection === 'open',
  }));
  // After a reconnect the host may have restarted: read its info again.
  if (connection === 'open' && (wasLost || !useApp.getState().info))
    void useApp.getState().loadInfo();
});

// The Electron bridge is open from the start, before the listener above existed.
if (api.connection === 'open') void useApp.getState().loadInfo();
