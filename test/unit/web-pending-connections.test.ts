import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  chooseEviction,
  PendingConnections,
  type PendingStage,
} from '../../main/web/pending-connections.js';

const list = (...stages: PendingStage[]) => stages.map((stage, key) => ({ key, stage }));

describe('chooseEviction (review 13, A11 and F1)', () => {
  it('cuts an answered keep-alive socket first, then a silent one, then one being answered', () => {
    expect(chooseEviction(list('requesting', 'silent', 'answered', 'answered'), 9, false)).toBe(2);
    expect(chooseEviction(list('requesting', 'silent', 'silent'), 9, false)).toBe(1);
    expect(chooseEviction(list('requesting', 'requesting'), 9, false)).toBe(0);
  });

  it('never cuts a WebSocket awaiting its hello for a plain HTTP connection', () => {
    expect(chooseEviction(list('upgraded', 'upgraded', 'requesting'), 9, false)).toBe(2);
    expect(chooseEviction(list('upgraded', 'upgraded'), 9, false)).toBeUndefined();
  });

  it('cuts the oldest WebSocket awaiting its hello for a newer one', () => {
    expect(chooseEviction(list('answered', 'upgraded', 'upgraded'), 2, true)).toBe(1);
  });

  it('never cuts the newcomer', () => {
    expect(chooseEviction(list('answered', 'silent'), 0, false)).toBe(1);
    expect(chooseEviction(list('upgraded'), 0, true)).toBeUndefined();
  });
});

describe('PendingConnections', () => {
  const opened: net.Socket[] = [];
  afterEach(() => {
    for (const socket of opened.splice(0)) socket.destroy();
  });

  /** `count` connected server-side sockets of a real loopback server, and the server. */
  async function sockets(count: number): Promise<{ server: net.Server; accepted: net.Socket[] }> {
    const accepted: net.Socket[] = [];
    const server = net.createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    for (let i = 0; i < count; i++) {
      const client = net.connect(port, '127.0.0.1').on('error', () => {});
      opened.push(client);
    }
    while (accepted.length < count) await new Promise((resolve) => setImmediate(resolve));
    opened.push(...accepted);
    return { server, accepted };
  }

  it('keeps the page’s upgraded socket while answered request sockets flood in', async () => {
    const { server, accepted } = await sockets(8);
    try {
      const pending = new PendingConnections({ maxPending: 3, maxAwaitingHello: 2 });
      const [page, ...flood] = accepted as [net.Socket, ...net.Socket[]];
      pending.add(page);
      pending.requesting(page);
      pending.upgraded(page);
      for (const socket of flood) {
        pending.add(socket);
        pending.requesting(socket);
        pending.answered(socket);
      }
      // Trimmed once what the new sockets sent has been read: two check phases later.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(page.destroyed).toBe(false);
      // Three plain sockets kept (the newest), the page's besides them.
      expect(flood.filter((s) => !s.destroyed)).toEqual(flood.slice(-3));
      expect(pending.size).toBe(4);
      pending.admit(page);
      expect(pending.size).toBe(3);
    } finally {
      server.close();
    }
  });

  it('lets a socket accepted early in a burst be read before choosing whom to cut', async () => {
    const { server, accepted } = await sockets(8);
    try {
      const pending = new PendingConnections({ maxPending: 3, maxAwaitingHello: 2 });
      // One accept burst: the page's socket first, then a flood, none read yet.
      for (const socket of accepted) pending.add(socket);
      const [page, ...flood] = accepted as [net.Socket, ...net.Socket[]];
      // Then the poll phase reads them: the page's upgrade, the flood's requests.
      pending.requesting(page);
      pending.upgraded(page);
      for (const socket of flood) pending.requesting(socket);
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(page.destroyed).toBe(false);
      expect(flood.filter((s) => !s.destroyed)).toEqual(flood.slice(-3));
    } finally {
      server.close();
    }
  });
});
