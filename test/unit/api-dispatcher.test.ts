import { describe, expect, it } from 'vitest';
import { createDispatcher, validatesEvents, type Handlers } from '../../app/api/dispatcher.js';
import type { EventName, EventPayload } from '../../app/contract/index.js';

const failed = {
  type: 'failed',
  scanId: 's1',
  error: { code: 'internal', message: { fr: 'x', en: 'x' } },
} as const;

/** A dispatcher whose `scan.cancel` pushes `payload` as a scan event, and what reached the client. */
function emitting(payload: unknown, checkEvents: boolean) {
  const handlers = {
    'scan.cancel': async (_params, ctx) => {
      ctx.emit('scan.event', payload as EventPayload<'scan.event'>);
      return { cancelled: true };
    },
  } as Partial<Handlers> as Handlers;
  const received: unknown[] = [];
  const dispatch = createDispatcher(handlers, checkEvents);
  const call = () =>
    dispatch(
      { kind: 'request', id: 7, method: 'scan.cancel', params: { scanId: 's1' } },
      {
        emit<E extends EventName>(_event: E, sent: EventPayload<E>) {
          received.push(sent);
        },
      },
    );
  return { call, received };
}

describe('events checked against the contract', () => {
  it('lets an event that follows ScanEvent through', async () => {
    const { call, received } = emitting(failed, true);
    expect(await call()).toMatchObject({ id: 7, ok: true });
    expect(received).toEqual([failed]);
  });

  it('turns an event that does not into an error naming the event and the field', async () => {
    const { call, received } = emitting({ ...failed, scanId: 42 }, true);
    const reply = await call();
    expect(reply).toMatchObject({ id: 7, ok: false, error: { code: 'internal' } });
    expect(reply.ok ? '' : reply.error.message.en).toContain(
      'Event scan.event does not follow the contract: scanId',
    );
    expect(received).toEqual([]);
  });

  it('is on in development and tests, off in production', () => {
    expect(validatesEvents({})).toBe(true);
    expect(validatesEvents({ NODE_ENV: 'test' })).toBe(true);
    expect(validatesEvents({ NODE_ENV: 'production' })).toBe(false);
    const { call, received } = emitting({ ...failed, scanId: 42 }, false);
    return call().then((reply) => {
      expect(reply.ok).toBe(true);
      expect(received).toHaveLength(1);
    });
  });
});

describe('typed error codes', () => {
  it('a failure reported by another part of the app is thrown on with its own code', async () => {
    const { AppFailure, toAppError } = await import('../../app/errors.js');
    const reported = {
      code: 'firewall.some-code-of-a-newer-helper',
      message: { fr: 'Règle refusée.', en: 'Rule refused.' },
      params: { rule: 'PortAuditor-1' },
    };
    const relayed = AppFailure.relay(reported);
    expect(relayed).toBeInstanceOf(AppFailure);
    expect(relayed.message).toBe('Rule refused.');
    expect(toAppError(relayed)).toEqual(reported);
  });

  it('the contract lists each code once', async () => {
    const { ErrorCode } = await import('../../app/contract/index.js');
    expect(new Set(ErrorCode.options).size).toBe(ErrorCode.options.length);
    expect(ErrorCode.options).toContain('store.read-only');
  });
});
