import net from 'node:net';
import type { ScanEvent, ScanResult } from '../../app/contract/index.js';
import { ScanManager } from '../../app/scan/manager.js';

/**
 * A small real network for report tests, on a loopback address of its own (127.77.x.y is this
 * PC, like 127.0.0.1, but no other test listens there): three well-known ports that the risk
 * rules rate (telnet, SMB, RDP), a high port whose service announces itself as SSH, and a closed
 * port. Everything is scanned for real by the engine.
 */
export interface ReportLab {
  address: string;
  ports: { telnet: number; smb: number; rdp: number; ssh: number; closed: number };
  portSpec: string;
  close(): Promise<void>;
}

async function listen(host: string, port: number, greet?: string): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    if (greet) socket.end(greet);
    else setTimeout(() => socket.destroy(), 200);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

export async function startReportLab(): Promise<ReportLab> {
  const address = `127.77.${process.pid % 250}.${10 + Math.floor(Math.random() * 200)}`;
  const servers: net.Server[] = [];
  try {
    servers.push(await listen(address, 23));
    servers.push(await listen(address, 445));
    servers.push(await listen(address, 3389));
    const ssh = await listen(address, 0, 'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
    servers.push(ssh);
    const probe = await listen(address, 0);
    const closed = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const ports = {
      telnet: 23,
      smb: 445,
      rdp: 3389,
      ssh: (ssh.address() as net.AddressInfo).port,
      closed,
    };
    return {
      address,
      ports,
      portSpec: [ports.telnet, ports.smb, ports.rdp, ports.ssh, ports.closed].join(','),
      async close() {
        await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
      },
    };
  } catch (error) {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    throw error;
  }
}

/** Runs one real scan to its end with the engine. */
export async function scanLab(targets: string, ports: string): Promise<ScanResult> {
  const manager = new ScanManager();
  try {
    return await new Promise<ScanResult>((resolve, reject) => {
      manager
        .start({ targets, ports, skipDiscovery: false, confirmed: false }, (event: ScanEvent) => {
          if (event.type === 'finished') resolve(event.result);
          if (event.type === 'failed') reject(new Error(event.error.message.en));
        })
        .catch(reject);
    });
  } finally {
    manager.cancelAll();
  }
}
