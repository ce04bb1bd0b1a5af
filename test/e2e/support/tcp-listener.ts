import net from 'node:net';

export interface Listener {
  port: number;
  close(): Promise<void>;
}

/** A TCP port of the test's own on 127.0.0.1 (a random free one), accepting and closing. */
export function listenOnLoopback(): Promise<Listener> {
  return listenOn(0, '127.0.0.1');
}

/** TCP `port` (0: a random free one) on `host` (an IP literal), accepting and closing. */
export async function listenOn(port: number, host: string): Promise<Listener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
