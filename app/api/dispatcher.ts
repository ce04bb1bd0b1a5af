import type { z } from 'zod';
import {
  Code,
  events,
  methods,
  RequestEnvelope,
  type EventName,
  type EventPayload,
  type MethodName,
  type MethodResult,
  type Methods,
  type ResponseEnvelope,
} from '../contract/index.js';
import { AppFailure, toAppError } from '../errors.js';

/** What a handler may do besides answering: push events to the client that called it. */
export interface CallContext {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /**
   * Which connection (browser-mode socket, Electron window) sent the request, for per-client
   * limits; absent for in-process callers, which count as one client.
   */
  client?: string;
}

/**
 * Whether pushed events are checked against the contract before they leave: in development and
 * test runs (anything but NODE_ENV=production), so a producer that drifts from `ScanEvent` fails
 * the tests at the emitter instead of confusing the UI. Run with NODE_ENV=production to skip the
 * cost (one zod parse per event).
 */
export function validatesEvents(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV !== 'production';
}

/**
 * `ctx` whose `emit` throws when a payload does not follow the contract's schema of its event,
 * naming the event and the first wrong field.
 */
export function checkedContext(ctx: CallContext): CallContext {
  return {
    ...ctx,
    emit(event, payload) {
      const parsed = events[event].safeParse(payload);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(
          `Event ${event} does not follow the contract: ${issue?.path.join('.') || '(payload)'} — ${issue?.message ?? ''}`,
        );
      }
      ctx.emit(event, payload);
    },
  };
}

export type Handlers = {
  [M in MethodName]: (
    params: z.infer<Methods[M]['params']>,
    ctx: CallContext,
  ) => Promise<MethodResult<M>>;
};

function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/**
 * The one place every host sends raw messages to. It validates the envelope and the params against
 * the contract before any handler runs, so a host stays a transport and nothing unvalidated reaches
 * app/. `notAllowed`: methods this host's clients may not call (CLI_ONLY_METHODS outside the CLI),
 * refused with `contract.not-allowed` before their params are parsed. Returns null only when the
 * message is not even an envelope with an id to answer.
 */
export function createDispatcher(
  handlers: Handlers,
  checkEvents: boolean = validatesEvents(),
  notAllowed: ReadonlySet<MethodName> = new Set(),
) {
  return async function dispatch(raw: unknown, callerCtx: CallContext): Promise<ResponseEnvelope> {
    const ctx = checkEvents ? checkedContext(callerCtx) : callerCtx;
    const envelope = RequestEnvelope.safeParse(raw);
    const id =
      typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'number'
        ? (raw as { id: number }).id
        : -1;
    const reject = (error: AppFailure): ResponseEnvelope => ({
      kind: 'response',
      id,
      ok: false,
      error: error.appError,
    });
    if (!envelope.success) {
      return reject(new AppFailure(Code['contract.malformed'], {}, { variant: 'contract' }));
    }
    const { method, params } = envelope.data;
    if (!isMethodName(method)) {
      return reject(new AppFailure(Code['contract.unknown-method'], { method }));
    }
    if (notAllowed.has(method)) {
      return reject(new AppFailure(Code['contract.not-allowed'], { method }));
    }
    const parsed = methods[method].params.safeParse(params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || '(params)';
      return reject(
        new AppFailure(
          Code['contract.invalid-params'],
          { method, path: where },
          { text: { detail: issue?.message ?? '' } },
        ),
      );
    }
    try {
      const handler = handlers[method] as (p: unknown, c: CallContext) => Promise<unknown>;
      const result = methods[method].result.parse(await handler(parsed.data, ctx));
      return { kind: 'response', id, ok: true, result };
    } catch (error) {
      return { kind: 'response', id, ok: false, error: toAppError(error) };
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;
