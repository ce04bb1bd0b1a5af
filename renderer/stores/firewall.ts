import { create } from 'zustand';
import type { AppError } from '../../app/contract/errors';
import type { FirewallRule, FirewallStatus } from '../../app/contract/firewall';
import type { LocalizedText } from '../../app/contract/errors';
import { api } from '../api/client';
import { asAppError } from '../api/errors';

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
  load(): Promise<void>;
  undo(ids: string[] | 'all'): Promise<void>;
  clearMessages(): void;
}

export const useFirewall = create<FirewallState>((set, get) => ({
  rules: [],
  verified: false,
  status: null,
  loading: false,
  busy: [],
  error: null,
  notice: null,
  async load() {
    set({ loading: true, error: null });
    try {
      const [list, status] = await Promise.all([
        api.call('firewall.list', {}),
        api.call('firewall.status', {}),
      ]);
      set({ rules: list.rules, verified: list.verified, status, loading: false });
    } catch (error) {
      set({ error: asAppError(error), loading: false });
    }
  },
  async undo(ids) {
    const targets = ids === 'all' ? get().rules.map((r) => r.id) : ids;
    set({ busy: targets, error: null, notice: null });
    try {
      const outcome =
        ids === 'all'
          ? await api.call('firewall.removeAll', {})
          : await api.call('firewall.remove', { ids });
      if (outcome.outcome === 'cancelled') {
        set({ notice: { severity: 'info', text: outcome.message } });
      } else if (outcome.unknown.length > 0) {
        set({
          notice: {
            severity: 'warning',
            text: {
              fr: 'Le pare-feu n’a pas pu être relu après l’annulation : les règles concernées sont notées « état inconnu » et seront vérifiées à la prochaine lecture.',
              en: 'The firewall could not be read back after the undo: the rules concerned are marked “unknown” and will be checked at the next read.',
            },
          },
        });
      } else if (outcome.stillPresent.length > 0) {
        set({
          notice: {
            severity: 'warning',
            text: {
              fr: `${outcome.stillPresent.length} règle(s) toujours présente(s) dans le pare-feu après l’annulation.`,
              en: `${outcome.stillPresent.length} rule(s) still present in the firewall after the undo.`,
            },
          },
        });
      } else {
        set({
          notice: {
            severity: 'success',
            text: {
              fr: `${outcome.removed.length} règle(s) retirée(s) et vérifiée(s) absente(s) du pare-feu.`,
              en: `${outcome.removed.length} rule(s) removed and verified gone from the firewall.`,
            },
          },
        });
      }
    } catch (error) {
      set({ error: asAppError(error) });
    } finally {
      set({ busy: [] });
      await get().load();
    }
  },
  clearMessages() {
    set({ error: null, notice: null });
  },
}));
