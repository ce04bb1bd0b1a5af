import { afterAll, describe, expect, test } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCore } from '../../app/api/core.js';
import type { Bridge } from '../../app/contract/bridge.js';
import type { EventEnvelope } from '../../app/contract/envelope.js';
import type { ScanUpdate } from '../../app/contract/history.js';
import { createApi } from '../../renderer/api/create-api.js';
import { ApiError } from '../../renderer/api/errors.js';
import { applyScanEvent, type ScanSnapshot } from '../../renderer/features/scan/model.js';

/**
 * The renderer's client over the real app core, joined the way the Electron host joins them
 * (requests to `dispatch`, emitted events back to the page), so method names, params and
 * results are checked against the real contract and handlers.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), `pa-renderer-api-${process.pid}-`));
const core = createCore({ host: 'web', dataDir });
const listeners = new Set<(message: EventEnvelope) => void>();
const bridge: Bridge = {
  request: (message) =>
    core.dispatch(message, {
      emit: (event, payload) => {
        for (const listener of listeners) listener({ kind: 'event', event, payload });
      },
    }),
  onEvent(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
const states: string[] = [];
const api = createApi((onState) => {
  onState('open');
  return bridge;
});
api.onConnection((s) => states.push(s));

afterAll(async () => {
  await core.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('renderer client over the real core', () => {
  test('a call resolves with the typed result', async () => {
    const info = await api.call('app.info', {});
    expect(info.name).toBe('Port Auditor');
    expect(['fr', 'en']).toContain(info.systemLanguage);
    expect(api.connection).toBe('open');
  });

  test('a refused call rejects with the app error in both languages', async () => {
    const error = await api
      .call('scan.start', { scanId: randomUUID(), targets: '10.77.250.0/40', ports: 'top1000' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const appError = (error as ApiError).appError;
    expect(appError.code).toMatch(/^scan\.targets\./);
    expect(appError.message.fr).not.toBe(appError.message.en);
    expect(appError.message.fr.length).toBeGreaterThan(0);
  });

  test('a scan of 127.0.0.1 streams events that the screen model turns into an open port', async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      let state: ScanSnapshot = {
        phase: 'starting',
        progress: null,
        hosts: {},
        error: null,
      };
      let kept = false;
      const done = new Promise<void>((resolve) => {
        const off = api.on('scan.event', (event: ScanUpdate) => {
          state = applyScanEvent(state, event);
          if (event.type === 'finished') kept = event.kept && !event.cancelled;
          if (event.type === 'finished' || event.type === 'failed') {
            off();
            resolve();
          }
        });
      });
      const chosen = randomUUID();
      const { scanId } = await api.call('scan.start', {
        scanId: chosen,
        targets: '127.0.0.1',
        ports: `${port}`,
      });
      expect(scanId).toBe(chosen);
      await done;
      expect(state.phase).toBe('finished');
      expect(kept).toBe(true);
      expect(state.hosts['127.0.0.1']?.ports).toContainEqual(
        expect.objectContaining({ port, protocol: 'tcp', state: 'open', reason: 'syn-ack' }),
      );
      // The kept scan, asked for by the id the page chose.
      const page = await api.call('scan.get', { scanId });
      expect(page.hosts.map((h) => h.address)).toEqual(['127.0.0.1']);
      expect(page.assessment?.hosts[0]?.ports.map((p) => p.port)).toEqual([port]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('events of other names are not delivered to a listener', async () => {
    const seen: unknown[] = [];
    const off = api.on('scan.event', (event) => seen.push(event));
    for (const listener of listeners)
      listener({ kind: 'event', event: 'other.event', payload: {} });
    off();
    expect(seen).toEqual([]);
  });
});
