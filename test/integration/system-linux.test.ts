import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Handlers } from '../../app/api/dispatcher.js';
import { riskHandlers } from '../../app/api/risk-handlers.js';
import type { RiskAssessResult } from '../../app/contract/index.js';
import { listListeners } from '../../app/system/listeners.js';
import { readLinuxListeners } from '../../app/system/linux.js';

/** Listens on TCP and UDP in a separate node process and reports its ports on stdout. */
const CHILD = `
const net = require('node:net');
const dgram = require('node:dgram');
const tcp = net.createServer().listen(0, '0.0.0.0', () => {
  const udp = dgram.createSocket('udp4');
  udp.bind(0, '127.0.0.1', () => {
    process.stdout.write(JSON.stringify({ tcp: tcp.address().port, udp: udp.address().port }) + '\\n');
  });
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

function ipv6Available(): boolean {
  try {
    return readFileSync('/proc/net/if_inet6', 'utf8').includes('lo');
  } catch {
    return false;
  }
}

describe.runIf(process.platform === 'linux')('this PC listeners on Linux (/proc, for real)', () => {
  const tcp4 = net.createServer();
  const tcp6 = net.createServer();
  const udp4 = dgram.createSocket('udp4');
  const udp6 = dgram.createSocket({ type: 'udp6', ipv6Only: true });
  const hasV6 = ipv6Available();
  let child: ChildProcess;
  let childPorts: { tcp: number; udp: number };
  const ownComm = readFileSync('/proc/self/comm', 'utf8').trim();

  beforeAll(async () => {
    tcp4.listen(0, '127.0.0.1');
    await once(tcp4, 'listening');
    udp4.bind(0, '0.0.0.0');
    await once(udp4, 'listening');
    if (hasV6) {
      tcp6.listen(0, '::1');
      await once(tcp6, 'listening');
      udp6.bind(0, '::');
      await once(udp6, 'listening');
    }
    child = spawn(process.execPath, ['-e', CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    childPorts = JSON.parse(line.toString()) as { tcp: number; udp: number };
  });

  afterAll(async () => {
    child?.stdin?.end();
    child?.kill();
    tcp4.close();
    udp4.close();
    if (hasV6) {
      tcp6.close();
      udp6.close();
    }
  });

  const portOf = (s: net.Server | dgram.Socket) =>
    'address' in s && typeof s.address === 'function' ? (s.address() as net.AddressInfo).port : 0;

  it('finds its own TCP and UDP sockets with its PID and program name', async () => {
    const { listeners } = await readLinuxListeners();
    const tcp = listeners.find((l) => l.protocol === 'tcp' && l.port === portOf(tcp4));
    expect(tcp).toMatchObject({
      address: '127.0.0.1',
      program: { pid: process.pid, name: ownComm },
    });
    expect(tcp?.program?.path).toBe(process.execPath);
    const udp = listeners.find((l) => l.protocol === 'udp' && l.port === portOf(udp4));
    expect(udp).toMatchObject({ address: '0.0.0.0', program: { pid: process.pid, name: ownComm } });
    if (hasV6) {
      expect(listeners.find((l) => l.protocol === 'tcp' && l.port === portOf(tcp6))).toMatchObject({
        address: '::1',
        program: { pid: process.pid },
      });
      expect(listeners.find((l) => l.protocol === 'udp' && l.port === portOf(udp6))).toMatchObject({
        address: '::',
        program: { pid: process.pid },
      });
    }
  });

  it("finds a child process's TCP and UDP sockets with the child's PID and the name node", async () => {
    const { listeners, platform } = await listListeners();
    expect(platform).toBe('linux');
    const tcp = listeners.find((l) => l.protocol === 'tcp' && l.port === childPorts.tcp);
    expect(tcp).toEqual({
      protocol: 'tcp',
      address: '0.0.0.0',
      port: childPorts.tcp,
      program: { pid: child.pid, name: 'node', path: process.execPath },
    });
    const udp = listeners.find((l) => l.protocol === 'udp' && l.port === childPorts.udp);
    expect(udp).toMatchObject({ address: '127.0.0.1', program: { pid: child.pid, name: 'node' } });
  });

  it('no longer lists a socket once it is closed', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    expect(
      (await readLinuxListeners()).listeners.some((l) => l.port === port && l.protocol === 'tcp'),
    ).toBe(true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(
      (await readLinuxListeners()).listeners.some((l) => l.port === port && l.protocol === 'tcp'),
    ).toBe(false);
  });

  it('risk.assess ties an open port of this PC to its program and exposure', async () => {
    const dispatch = createDispatcher(riskHandlers() as unknown as Handlers);
    const ctx = { emit: () => undefined };
    const host = (address: string, ports: Array<{ port: number; protocol: 'tcp' | 'udp' }>) => ({
      address,
      family: 'ipv4' as const,
      isLocal: true,
      status: 'up' as const,
      reason: 'localhost' as const,
      ports: ports.map((p) => ({ ...p, state: 'open' as const, reason: 'syn-ack' as const })),
      hidden: { open: 0, closed: 0, filtered: 0 },
    });
    const response = await dispatch(
      {
        kind: 'request',
        id: 1,
        method: 'risk.assess',
        params: {
          hosts: [
            host('127.0.0.1', [
              { port: childPorts.tcp, protocol: 'tcp' },
              { port: portOf(tcp4), protocol: 'tcp' },
            ]),
          ],
        },
      },
      ctx,
    );
    expect(response.ok).toBe(true);
    const result = (response as { result: RiskAssessResult }).result;
    const ports = result.hosts[0]!.ports;
    const childPort = ports.find((p) => p.port === childPorts.tcp)!;
    expect(childPort.program).toMatchObject({ pid: child.pid, name: 'node' });
    expect(childPort.exposure).toBe('all-interfaces');
    const ownPort = ports.find((p) => p.port === portOf(tcp4))!;
    expect(ownPort.exposure).toBe('loopback-only');
    expect(ownPort.program?.pid).toBe(process.pid);
    expect(ownPort.reasons.map((r) => r.ruleId)).toContain('exposure.loopback-only');

    const listed = await dispatch(
      { kind: 'request', id: 2, method: 'system.listeners', params: {} },
      ctx,
    );
    expect(listed.ok).toBe(true);
  });
});
