import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWebSocketBridge, SESSION_STORAGE_KEY } from '../../renderer/api/ws-bridge.js';
import type { ConnectionState } from '../../renderer/api/create-api.js';

const globals = globalThis as { WebSocket?: unknown };

/** ws's client as a browser's: an `error` without a listener is not thrown. */
class BrowserLikeWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    this.on('error', () => {});
  }
}

describe('the page’s WebSocket bridge when the host cannot be reached (review 13, F1)', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const step of cleanup.splice(0)) step();
  });

  it('keeps trying and says "unreachable", never "stopped", when every connection is cut after its accept', async () => {
    // What a flood does to the page's reconnects: the port is open, each connection is accepted
    // and cut before the upgrade is answered.
    let accepts = 0;
    const server = net.createServer((socket) => {
      accepts += 1;
      socket.on('error', () => {}).destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => server.close());
    const { port } = server.address() as net.AddressInfo;
    globals.WebSocket = BrowserLikeWebSocket;
    cleanup.push(() => delete globals.WebSocket);

    // Read at each retry: the test's end makes the next one an hour away (the bridge has no close).
    const delays = [0];
    cleanup.push(() => (delays[0] = 3_600_000));
    const states: ConnectionState[] = [];
    const stored = new Map([[SESSION_STORAGE_KEY, 'a-session-secret']]);
    createWebSocketBridge(
      `ws://127.0.0.1:${port}/api`,
      (state) => states.push(state),
      {
        launchToken: null,
        storage: {
          getItem: (key) => stored.get(key) ?? null,
          setItem: (key, value) => void stored.set(key, value),
        },
      },
      delays,
    );
    while (accepts < 10) await new Promise((resolve) => setImmediate(resolve));
    // The bridge is still trying (it would have stopped after 4 before), says so honestly.
    expect(states).toContain('unreachable');
    expect(states).not.toContain('stopped');
    expect(states.at(-1)).toBe('unreachable');
  });
});
