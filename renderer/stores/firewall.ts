import { create } from 'zustand';
import type { AppError } from '../../app/contract/errors';
import type { FirewallRule, FirewallStatus } from '../../app/contract/firewall';
import type { LocalizedText } from '../../app/contract/errors';
import { api } from '../api/client';
import { asAppError } from '../api/errors';
import { useRisk } from './risk';

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
  /** Puts back rules the firewall lost (present: false), with their names. */
  reapply(ids: string[]): Promise<void>;
  clearMessages(): void;
}

/** Verdicts show which ports the rules block: after any change, they are worked out again. */
function refreshVerdicts(): void {
  void useRisk.getState().refresh();
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
    set({ loading: true });
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
              fr:
                outcome.stillPresent.length === 1
                  ? 'Une règle est toujours présente dans le pare-feu après le déblocage.'
                  : `${outcome.stillPresent.length} règles sont toujours présentes dans le pare-feu après le déblocage.`,
              en:
                outcome.stillPresent.length === 1
                  ? 'One rule is still present in the firewall after the unblock.'
                  : `${outcome.stillPresent.length} rules are still present in the firewall after the unblock.`,
            },
          },
        });
      } else {
        set({
          notice: {
            severity: 'success',
            text: {
              fr:
                outcome.removed.length === 1
                  ? 'Règle retirée ; relue, elle n’est plus dans le pare-feu.'
                  : `${outcome.removed.length} règles retirées ; relues, elles ne sont plus dans le pare-feu.`,
              en:
                outcome.removed.length === 1
                  ? 'Rule removed; read back, it is no longer in the firewall.'
                  : `${outcome.removed.length} rules removed; read back, they are no longer in the firewall.`,
            },
          },
        });
      }
    } catch (error) {
      set({ error: asAppError(error) });
    } finally {
      set({ busy: [] });
      // The list is read again, and an error above stays shown until the user closes it.
      await get().load();
      refreshVerdicts();
    }
  },
  async reapply(ids) {
    set({ busy: ids, error: null, notice: null });
    try {
      const outcome = await api.call('firewall.reapply', { ids });
      if (outcome.outcome === 'cancelled') {
        set({ notice: { severity: 'info', text: outcome.message } });
      } else if (outcome.stillMissing.length > 0) {
        set({
          notice: {
            severity: 'warning',
            text: {
              fr: 'Certaines règles n’ont pas pu être remises dans le pare-feu : voir la liste.',
              en: 'Some rules could not be put back in the firewall: see the list.',
            },
          },
        });
      } else {
        set({
          notice: {
            severity: 'success',
            text: {
              fr: 'Règles remises dans le pare-feu et relues.',
              en: 'Rules put back in the firewall and read back.',
            },
          },
        });
      }
    } catch (error) {
      set({ error: asAppError(error) });
    } finally {
      set({ busy: [] });
      await get().load();
      refreshVerdicts();
    }
  },
  clearMessages() {
    set({ error: null, notice: null });
  },
}));
