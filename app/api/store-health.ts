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
 * The store failures that mean the file itself went bad or became read-only while the app ran
 * (app/store/failure.ts): announced for good. `store.locked` and `store.disk-full` pass once the
 * other program or the full disk is dealt with, and are said by the operation that met them only.
 */
const LASTING = new Set<string>([
  'store.malformed',
  'store.not-a-database',
  'store.inconsistent',
  'store.oversized',
  'store.unavailable',
  'store.read-only',
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
 * returning what opening it says now (its StoreFailure thrown, or its read-only notice), so the
 * banner carries the same sentence as at start; the failure met is used when it opens cleanly.
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

  /** An error the app answers with: the first lasting store failure is announced. */
  met(error: AppError | undefined): void {
    if (this.notice || !isLastingStoreFailure(error)) return;
    let notice: StoreDamaged;
    try {
      const { readOnly } = this.reopen();
      notice = readOnly ? { readOnly: true, error: readOnly } : { readOnly: false, error };
    } catch (failure) {
      const opened = toAppError(failure);
      notice = isLastingStoreFailure(opened)
        ? { readOnly: opened.code === 'store.read-only', error: opened }
        : { readOnly: false, error };
    }
    if (this.checkEvents) events['store.damaged'].parse(notice);
    this.notice = notice;
    for (const emit of this.clients.values()) emit('store.damaged', notice);
  }
}
