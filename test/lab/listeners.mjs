// Runs inside a lab namespace: listens on every given TCP port (dual-stack, or on `host` only) and,
// for ports with a banner, sends it as soon as a client connects (as SSH or SMTP do); ports marked
// `reset` accept and reset the connection at once (SO_LINGER {1, 0} then close). Prints READY
// when all listen.
// Usage: node listeners.mjs '[{"port":22,"banner":"SSH-2.0-Lab"},{"port":80},{"port":7001,"reset":true}]'
import net from 'node:net';

const specs = JSON.parse(process.argv[2] ?? '[]');
const servers = [];
for (const { port, banner, host, reset } of specs) {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    if (reset) {
      socket.resetAndDestroy();
      return;
    }
    if (banner) socket.write(`${banner}\r\n`);
    socket.setTimeout(5000, () => socket.destroy());
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    const where = host ? { port, host } : { port, host: '::', ipv6Only: false };
    server.listen({ ...where, backlog: 1024 }, resolve);
  });
  servers.push(server);
}
process.stdout.write('READY\n');
const stop = () => {
  for (const server of servers) server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
