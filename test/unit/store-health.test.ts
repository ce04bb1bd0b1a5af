import { describe, expect, it } from 'vitest';
import { StoreHealth } from '../../app/api/store-health.js';
import type { CallContext } from '../../app/api/dispatcher.js';
import type { AppError, EventName } from '../../app/contract/index.js';
import { StoreFailure } from '../../app/store/failure.js';

const FILE = '/home/rene/.local/share/port-auditor/port-auditor.sqlite';
const malformed = new StoreFailure('malformed', FILE, 'database disk image is malformed');
const importFailed: AppError = {
  code: 'store.not-a-database',
  message: { fr: 'bureau.xml n’a pas été importé…', en: 'bureau.xml was not imported…' },
  params: { file: FILE },
};

/** A client of the app: what it is sent, by event. */
function client(name: string) {
  const seen: { event: EventName; payload: unknown }[] = [];
  const ctx: CallContext = {
    client: name,
    emit: (event, payload) => seen.push({ event, payload }),
  };
  return { ctx, seen };
}

describe('a store damaged after start is announced to every client, once (review 13)', () => {
  it('the first lasting store failure met is pushed to each client as the store says it when opened again', () => {
    let reopened = 0;
    const health = new StoreHealth(() => {
      reopened++;
      throw malformed;
    }, true);
    const page = client('web-1');
    const window = client('web-2');
    health.watch(page.ctx);
    health.watch(window.ctx);
    // Transient failures are the operation's own to say.
    health.met({ code: 'store.locked', message: { fr: 'verrouillée', en: 'locked' } });
    health.met({ code: 'scan.not-found', message: { fr: 'x', en: 'x' } });
    expect(health.damaged).toBeNull();
    expect(page.seen).toEqual([]);

    health.met(importFailed);
    expect(reopened).toBe(1);
    const notice = { readOnly: false, error: malformed.appError };
    expect(page.seen).toEqual([{ event: 'store.damaged', payload: notice }]);
    expect(window.seen).toEqual([{ event: 'store.damaged', payload: notice }]);
    expect(health.damaged?.error.message.fr).toContain(FILE);
    // Once: a second failure is not announced again.
    health.met(importFailed);
    expect(reopened).toBe(1);
    expect(page.seen).toHaveLength(1);
  });

  it('a scan whose end says it was not kept for a lasting failure announces what reopening says; a client gone hears nothing', () => {
    const health = new StoreHealth(() => {
      throw malformed;
    }, true);
    const page = client('web-1');
    const gone = client('web-2');
    const watched = health.watch(page.ctx);
    health.watch(gone.ctx);
    health.forget('web-2');
    watched.emit('scan.event', {
      type: 'finished',
      scanId: 's1',
      cancelled: false,
      counts: { addresses: 1, hosts: 1, hostsUp: 1, devicesUp: 1, openPorts: 0 },
      kept: false,
      notice: importFailed,
    });
    expect(page.seen.map((s) => s.event)).toEqual(['scan.event', 'store.damaged']);
    expect(page.seen[1]?.payload).toEqual({ readOnly: false, error: malformed.appError });
    expect(gone.seen).toEqual([]);
  });

  it('damage of the file met by an import thread is announced even when the store opens again cleanly (a checkpoint may have rewritten its first pages)', () => {
    const health = new StoreHealth(() => ({ readOnly: null }), true);
    const page = client('web-1');
    health.watch(page.ctx);
    health.met(importFailed);
    expect(page.seen).toEqual([
      { event: 'store.damaged', payload: { readOnly: false, error: importFailed } },
    ]);
  });

  it.each([
    [
      'a transient I/O error',
      { code: 'store.unavailable', message: { fr: 'E/S', en: 'I/O' }, params: { file: FILE } },
    ],
  ] satisfies [string, AppError][])(
    '%s met while the store opens again cleanly announces nothing, on no page (review F3)',
    (_what, error) => {
      let reopened = 0;
      const health = new StoreHealth(() => {
        reopened++;
        return { readOnly: null };
      }, true);
      const page = client('web-1');
      const watched = health.watch(page.ctx);
      health.met(error);
      watched.emit('scan.event', {
        type: 'finished',
        scanId: 's1',
        cancelled: false,
        counts: { addresses: 1, hosts: 1, hostsUp: 1, devicesUp: 1, openPorts: 0 },
        kept: false,
        notice: error,
      });
      expect(reopened).toBe(2);
      expect(page.seen.map((s) => s.event)).toEqual(['scan.event']);
      expect(health.damaged).toBeNull();
    },
  );

  it('one value too big (store.oversized) is the operation’s own: the store is not opened again', () => {
    let reopened = 0;
    const health = new StoreHealth(() => {
      reopened++;
      throw malformed;
    }, true);
    const page = client('web-1');
    health.watch(page.ctx);
    health.met({ code: 'store.oversized', message: { fr: 'trop grand', en: 'too big' } });
    expect(reopened).toBe(0);
    expect(page.seen).toEqual([]);
    expect(health.damaged).toBeNull();
  });

  it('a reopening that fails only for now (store.locked) announces nothing', () => {
    const health = new StoreHealth(() => {
      throw new StoreFailure('locked', FILE);
    }, true);
    const page = client('web-1');
    health.watch(page.ctx);
    health.met(importFailed);
    expect(page.seen).toEqual([]);
  });

  it('a store that opens again read-only is announced as read-only', () => {
    const readOnly = new StoreFailure('read-only', FILE).appError;
    const health = new StoreHealth(() => ({ readOnly }), true);
    const page = client('web-1');
    health.watch(page.ctx);
    health.met({ ...readOnly, message: { fr: 'écriture refusée', en: 'write refused' } });
    expect(page.seen).toEqual([
      { event: 'store.damaged', payload: { readOnly: true, error: readOnly } },
    ]);
  });
});
