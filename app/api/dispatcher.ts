import type { z } from 'zod';
import {
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
 * app/. Returns null only when the message is not even an envelope with an id to answer.
 */
export function createDispatcher(handlers: Handlers) {
  return async function dispatch(raw: unknown, ctx: CallContext): Promise<ResponseEnvelope> {
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
      return reject(
        new AppFailure('contract.malformed', {
          fr: 'Message refusé : il ne respecte pas le contrat de l’application.',
          en: 'Message refused: it does not follow the application contract.',
        }),
      );
    }
    const { method, params } = envelope.data;
    if (!isMethodName(method)) {
      return reject(
        new AppFailure(
          'contract.unknown-method',
          { fr: `Méthode inconnue : ${method}`, en: `Unknown method: ${method}` },
          { method },
        ),
      );
    }
    const parsed = methods[method].params.safeParse(params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || '(params)';
      return reject(
        new AppFailure(
          'contract.invalid-params',
          {
            fr: `Paramètres refusés pour ${method} : ${where} — ${issue?.message ?? ''}`,
            en: `Parameters refused for ${method}: ${where} — ${issue?.message ?? ''}`,
          },
          { method, path: where },
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
