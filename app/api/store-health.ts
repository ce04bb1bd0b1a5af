import {
  events,
  type AppError,
  type EventName,
  type EventPayload,
  type StoreDamaged,
} from '../contract/index.js';
import { toAppError } from '../errors.js';
import type { CallContext } from './dispatcher.js';

/**
 * The store failures that may mean the file itself went bad or became read-only while the app ran
 * (app/store/failure.ts): met by an operation, they make the app open the store again to learn
 * whether it did. `store.locked` and `store.disk-full` pass once the other program or the full
 * disk is dealt with, and `store.oversized` is one value too big (SQLITE_TOOBIG), the operation's
 * own: those are said by the operation that met them only.
 */
const LASTING = new Set<string>([
  'store.malformed',
  'store.not-a-database',
  'store.inconsistent',
  'store.unavailable',
  'store.read-only',
]);

/**
 * The lasting failures that are the file's content as read (its header, its pages): announced even
 * when the store then opens again cleanly, since opening checks the schema only, and closing the
 * connection that met the damage may write its WAL back over an overwritten file's first pages
 * (seen in e2e store-read-only: a file overwritten with junk opened "cleanly" after the
 * checkpoint, its other pages still junk). An I/O error or a read-only file follows the reopening.
 */
const FILE_DAMAGE = new Set<string>([
  'store.malformed',
  'store.not-a-database',
  'store.inconsistent',
]);

/** Whether `error` is a lasting store failure (see LASTING). */
export function isLastingStoreFailure(error: AppError | undefined): error is AppError {
  return error !== undefined && LASTING.has(error.code);
}

/**
 * The app's store as a running app learns it (review 13, a store damaged after start): the first
 * operation whose answer, or whose scan's end, carries a lasting store failure makes it `damaged`,
 * once; the app then tells every client it has heard from (`store.damaged`), which shows the banner
 * it shows for a store damaged at start. `reopen` closes the store and opens it again as at start,
 * returning what opening it says now (its StoreFailure thrown, or its read-only notice), and only
 * that is announced, in the sentence said at start: a store that opens cleanly again after a
 * transient I/O error is not damaged, so nothing is announced and the failure stays the
 * operation's answer (review finding F3); damage of the file's content (FILE_DAMAGE) is announced
 * as met, since a clean opening does not prove the file sound.
 */
export class StoreHealth {
  private notice: StoreDamaged | null = null;
  private readonly clients = new Map<string, CallContext['emit']>();

  constructor(
    private readonly reopen: () => { readOnly: AppError | null },
    private readonly checkEvents: boolean,
  ) {}

  /** What was announced, or null while the store is as it was opened. */
  get damaged(): StoreDamaged | null {
    return this.notice;
  }

  /** `ctx` as the app answers through it: its client is told of damage; what it is sent, watched. */
  watch(ctx: CallContext): CallContext {
    this.clients.set(ctx.client ?? '', ctx.emit);
    return {
      ...ctx,
      emit: <E extends EventName>(event: E, payload: EventPayload<E>) => {
        ctx.emit(event, payload);
        if (event === 'scan.event') {
          const update = payload as EventPayload<'scan.event'>;
          if (update.type === 'finished') this.met(update.notice);
        }
      },
    };
  }

  /** The client is gone: nothing more is sent to it. */
  forget(client: string): void {
    this.clients.delete(client);
  }

  /**
   * An error the app answers with: a lasting store failure (LASTING) has the store opened again,
   * and what that opening reports — a lasting failure, or the read-only notice — is announced,
   * once; a clean opening announces the failure met only when it was the file's content
   * (FILE_DAMAGE), and a passing failure of it (`store.locked`) announces nothing.
   */
  met(error: AppError | undefined): void {
    if (this.notice || !isLastingStoreFailure(error)) return;
    let notice: StoreDamaged;
    try {
      const { readOnly } = this.reopen();
      if (readOnly) notice = { readOnly: true, error: readOnly };
      else if (FILE_DAMAGE.has(error.code)) notice = { readOnly: false, error };
      else return;
    } catch (failure) {
      const opened = toAppError(failure);
      if (!isLastingStoreFailure(opened)) return;
      notice = { readOnly: opened.code === 'store.read-only', error: opened };
    }
    if (this.checkEvents) events['store.damaged'].parse(notice);
    this.notice = notice;
    for (const emit of this.clients.values()) emit('store.damaged', notice);
  }
}
