import { create } from 'zustand';
import type { AppError } from '../../app/contract/errors';
import type { FirewallRule, FirewallStatus } from '../../app/contract/firewall';
import type { LocalizedText } from '../../app/contract/errors';
import { api } from '../api/client';
import { asAppError } from '../api/errors';
import { inBothLanguages } from '../i18n/both';

/** How an undo ended, for the place that asked (the results word it with the port concerned). */
export type UndoResult = 'removed' | 'cancelled' | 'still-present' | 'unknown' | 'failed';

/** What an "Unblock" from the results did, said above the results (the verdict may go away). */
export interface ResultsNotice {
  result: Exclude<UndoResult, 'failed'>;
  port: number;
  protocol: string;
  address: string;
}

interface FirewallState {
  rules: FirewallRule[];
  /** False when the list comes from the journal alone (the firewall could not be read). */
  verified: boolean;
  status: FirewallStatus | null;
  loading: boolean;
  /** Ids being undone, so their buttons show progress and cannot be pressed twice. */
  busy: string[];
  error: AppError | null;
  /** The last undo's message (cancelled prompt, rule still present) shown above the list. */
  notice: { severity: 'info' | 'warning' | 'success'; text: LocalizedText } | null;
  /**
   * What the rules looked like at the last read (ids, states, presence, content), null before the
   * first: when it changes, everything shown about the firewall elsewhere is worked out again.
   */
  view: string | null;
  /**
   * Reads the rules and the status. Resolves true when the app's view of the firewall changed (a
   * rule added, removed, vanished or back); listeners of onFirewallViewChange hear of it. `quiet`:
   * a read in the background for a caller that works the verdicts out itself: nobody is told, and
   * a failure is not shown (the caller goes on with what it has).
   */
  load(options?: { quiet?: boolean }): Promise<boolean>;
  undo(ids: string[] | 'all'): Promise<UndoResult>;
  /**
   * Puts back rules the firewall lost (present: false), with their names. Resolves false when the
   * request failed (the error is in `error`), true otherwise (`notice` says what came back).
   */
  reapply(ids: string[]): Promise<boolean>;
  clearMessages(): void;
  resultsNotice: ResultsNotice | null;
  tellResults(notice: ResultsNotice | null): void;
}

/** The part of the rules that decides what the results say about a port. */
function viewOf(rules: readonly FirewallRule[]): string {
  return JSON.stringify(
    rules.map((r) => [
      r.id,
      r.state,
      r.present,
      r.protocol,
      r.portFrom,
      r.portTo,
      r.direction,
      r.remote,
    ]),
  );
}

const viewListeners = new Set<() => void>();

/**
 * Calls `listener` whenever a read of the firewall shows it changed (the results' verdicts are
 * worked out again then: renderer/stores/risk.ts). Returns the unsubscribe.
 */
export function onFirewallViewChange(listener: () => void): () => void {
  viewListeners.add(listener);
  return () => viewListeners.delete(listener);
}

export const useFirewall = create<FirewallState>((set, get) => ({
  rules: [],
  verified: false,
  status: null,
  loading: false,
  busy: [],
  error: null,
  notice: null,
  view: null,
  resultsNotice: null,
  tellResults(resultsNotice) {
    set({ resultsNotice });
  },
  async load(options = {}) {
    set({ loading: true });
    try {
      // The status first: its read settles what the list then reports (vanished rules).
      const status = await api.call('firewall.status', {});
      const list = await api.call('firewall.list', {});
      const view = viewOf(list.rules);
      const changed = view !== get().view;
      set({ rules: list.rules, verified: list.verified, status, loading: false, view });
      if (changed && !options.quiet) for (const listener of viewListeners) listener();
      return changed;
    } catch (error) {
      set(options.quiet ? { loading: false } : { error: asAppError(error), loading: false });
      return false;
    }
  },
  async undo(ids) {
    const targets = ids === 'all' ? get().rules.map((r) => r.id) : ids;
    set({ busy: targets, error: null, notice: null });
    let result: UndoResult = 'failed';
    try {
      const outcome =
        ids === 'all'
          ? await api.call('firewall.removeAll', {})
          : await api.call('firewall.remove', { ids });
      if (outcome.outcome === 'cancelled') {
        result = 'cancelled';
        set({ notice: { severity: 'info', text: outcome.message } });
      } else if (outcome.unknown.length > 0) {
        result = 'unknown';
        set({
          notice: {
            severity: 'warning',
            text: inBothLanguages('firewall:rules.notice.unreadAfterUndo'),
          },
        });
      } else if (outcome.stillPresent.length > 0) {
        result = 'still-present';
        set({
          notice: {
            severity: 'warning',
            text: inBothLanguages('firewall:rules.notice.stillPresent', {
              count: outcome.stillPresent.length,
            }),
          },
        });
      } else {
        result = 'removed';
        set({
          notice: {
            severity: 'success',
            text: inBothLanguages('firewall:rules.notice.removed', {
              count: outcome.removed.length,
            }),
          },
        });
      }
    } catch (error) {
      set({ error: asAppError(error) });
    } finally {
      set({ busy: [] });
      // The list is read again (the verdicts follow), and an error above stays shown until the
      // user closes it.
      await get().load();
    }
    return result;
  },
  async reapply(ids) {
    set({ busy: ids, error: null, notice: null });
    let ok = true;
    try {
      const outcome = await api.call('firewall.reapply', { ids });
      if (outcome.outcome === 'cancelled') {
        set({ notice: { severity: 'info', text: outcome.message } });
      } else if (outcome.stillMissing.length > 0) {
        set({
          notice: {
            severity: 'warning',
            text: inBothLanguages('firewall:rules.notice.reapplyMissing'),
          },
        });
      } else {
        set({
          notice: {
            severity: 'success',
            text: inBothLanguages('firewall:rules.notice.reapplied'),
          },
        });
      }
    } catch (error) {
      ok = false;
      set({ error: asAppError(error) });
    } finally {
      set({ busy: [] });
      await get().load();
    }
    return ok;
  },
  clearMessages() {
    set({ error: null, notice: null });
  },
}));
