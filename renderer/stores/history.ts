import { create } from 'zustand';
import type { AppError } from '../../app/contract/errors';
import type { ScanRecord } from '../../app/contract/history';
import { api } from '../api/client';
import { asAppError } from '../api/errors';
import { useScan } from './scan';

/** Rows per page of the history. */
export const HISTORY_PAGE = 50;

interface HistoryState {
  rows: ScanRecord[];
  total: number;
  /** Kept scans left out because their row no longer reads (see ScanListResult). */
  unreadable: number;
  offset: number;
  loading: boolean;
  /**
   * Whether a list arrived once: until then the page says it is loading, never "no scan yet"
   * (review 13 N1: with a large last scan being opened, the first list takes seconds).
   */
  loaded: boolean;
  error: AppError | null;
  load(offset?: number): Promise<void>;
}

/** The kept scans and imports, newest first, as the app lists them (`scan.list`). */
export const useHistory = create<HistoryState>()((set, get) => ({
  rows: [],
  total: 0,
  unreadable: 0,
  offset: 0,
  loading: false,
  loaded: false,
  error: null,
  async load(offset = get().offset) {
    set({ loading: true });
    try {
      const { scans, total, unreadable } = await api.call('scan.list', {
        offset,
        limit: HISTORY_PAGE,
      });
      set({
        rows: scans,
        total,
        unreadable: unreadable ?? 0,
        offset,
        loading: false,
        loaded: true,
        error: null,
      });
    } catch (error) {
      set({ loading: false, error: asAppError(error) });
    }
  },
}));

// A scan that ends or an import joins the history: a History page open meanwhile shows it.
useScan.subscribe((state, previous) => {
  if (state.shown && state.shown.details.scanId !== previous.shown?.details.scanId) {
    void useHistory.getState().load(0);
  }
});
