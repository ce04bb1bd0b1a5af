import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanEvent, ScanRequestInput, ScanResult } from '../../app/contract/index.js';
import { ScanEvent as ScanEventSchema } from '../../app/contract/index.js';
import { AppFailure } from '../../app/errors.js';
import { ScanManager } from '../../app/scan/manager.js';

// Real sockets on 127.0.0.1 and ::1 only: listeners this test opens, and a port it opened and closed.

interface Listener {
  server: net.Server;
  port: number;
}

async function listen(
  host: string,
  onConnection: (socket: net.Socket) => void,
  port = 0,
): Promise<Listener> {
  const server = net.createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as net.AddressInfo).port };
}

async function closedPort(host: string): Promise<number> {
  const { server, port } = await listen(host, () => undefined);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function runScan(
  manager: ScanManager,
  request: ScanRequestInput,
  onStarted?: (scanId: string) => void,
): Promise<{ events: ScanEvent[]; result: ScanResult; scanId: string }> {
  return new Promise((resolve, reject) => {
    const events: ScanEvent[] = [];
    let scanId = '';
    manager
      .start({ skipDiscovery: false, confirmed: false, ...request }, (event) => {
        events.push(event);
        if (event.type === 'finished')
          resolve({ events, result: event.result, scanId: event.scanId });
        if (event.type === 'failed') reject(new Error(event.error.message.en));
      })
      .then((id) => {
        scanId = id;
        onStarted?.(scanId);
      }, reject);
    void scanId;
  });
}

describe('ScanManager on loopback', () => {
  const manager = new ScanManager();
  let banner: Listener;
  let silent: Listener;
  let v6: Listener | undefined;
  let closed: number;

  beforeAll(async () => {
    banner = await listen('127.0.0.1', (socket) => socket.end('220 lab-smtp ready\r\n'));
    silent = await listen('127.0.0.1', (socket) => socket.on('error', () => undefined));
    closed = await closedPort('127.0.0.1');
    try {
      v6 = await listen('::1', (socket) => socket.end('hello-v6\n'));
    } catch {
      v6 = undefined; // no IPv6 loopback on this machine: the IPv6 case below then asserts nothing
    }
  });

  afterAll(async () => {
    manager.cancelAll();
    for (const l of [banner, silent, v6]) if (l) await new Promise((r) => l.server.close(r));
  });

  it('finds open ports (with banners) and closed ports, streaming valid events', async () => {
    const ports = [banner.port, silent.port, closed].join(',');
    const { events, result } = await runScan(manager, { targets: '127.0.0.1', ports });

    for (const event of events) expect(() => ScanEventSchema.parse(event)).not.toThrow();
    expect(events[0]).toMatchObject({
      type: 'started',
      addresses: 1,
      portCount: 3,
      totalProbes: 3,
    });
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'host',
        address: '127.0.0.1',
        status: 'up',
        reason: 'localhost',
        isLocal: true,
      }),
    );
    expect(events.at(-1)?.type).toBe('finished');

    expect(result.cancelled).toBe(false);
    expect(result.hosts).toHaveLength(1);
    const host = result.hosts[0]!;
    expect(host).toMatchObject({
      address: '127.0.0.1',
      family: 'ipv4',
      status: 'up',
      isLocal: true,
    });
    const byPort = new Map(host.ports.map((p) => [p.port, p]));
    expect(byPort.get(banner.port)).toMatchObject({
      state: 'open',
      reason: 'syn-ack',
      banner: '220 lab-smtp ready',
    });
    expect(byPort.get(silent.port)).toMatchObject({ state: 'open', reason: 'syn-ack' });
    expect(byPort.get(silent.port)?.banner).toBeUndefined();
    expect(byPort.get(closed)).toMatchObject({ state: 'closed', reason: 'conn-refused' });
    expect(host.hidden).toEqual({ open: 0, closed: 0, filtered: 0 });

    const portEvents = events.filter((e) => e.type === 'port');
    expect(
      portEvents.map((e) => (e.type === 'port' ? e.result.port : 0)).sort((a, b) => a - b),
    ).toEqual([banner.port, silent.port, closed].sort((a, b) => a - b));
    const last = events.filter((e) => e.type === 'progress').at(-1);
    expect(last).toMatchObject({ done: 3, total: 3, openFound: 2 });
  });

  it('summarises the majority state and keeps every open port in a 1-1024 scan', async () => {
    const { result } = await runScan(manager, {
      targets: '127.0.0.1',
      ports: `1-1024,${banner.port},${closed}`,
    });
    const host = result.hosts[0]!;
    const open = host.ports.filter((p) => p.state === 'open').map((p) => p.port);
    expect(open).toContain(banner.port);
    // Everything else under 1025 must be closed here unless something really listens on it.
    const listening = await Promise.all(
      Array.from({ length: 1024 }, (_, i) => i + 1).map(
        (port) =>
          new Promise<number | undefined>((resolve) => {
            const s = net.connect({ host: '127.0.0.1', port });
            s.once('connect', () => (s.destroy(), resolve(port)));
            s.once('error', () => resolve(undefined));
          }),
      ),
    );
    const expectedOpen = listening.filter((p): p is number => p !== undefined).concat(banner.port);
    expect(open.sort((a, b) => a - b)).toEqual(expectedOpen.sort((a, b) => a - b));
    expect(host.hidden.closed).toBe(1026 - expectedOpen.length);
    expect(host.hidden.filtered).toBe(0);
    expect(result.portCount).toBe(1026);
  });

  it('scans ::1 over IPv6', async () => {
    if (!v6) return;
    const { result } = await runScan(manager, { targets: '::1', ports: String(v6.port) });
    expect(result.hosts[0]).toMatchObject({ address: '::1', family: 'ipv6', status: 'up' });
    expect(result.hosts[0]!.ports[0]).toMatchObject({
      port: v6.port,
      state: 'open',
      banner: 'hello-v6',
    });
  });

  it('sends progress events with done/total and an ETA', async () => {
    const { events } = await runScan(manager, { targets: '127.0.0.1', ports: '1-30000' });
    const progress = events.filter((e) => e.type === 'progress');
    expect(events[0]?.type).toBe('started');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ done: 30000, total: 30000 });
    expect(progress.some((e) => e.type === 'progress' && e.etaMs !== undefined)).toBe(true);
    for (const event of progress)
      if (event.type === 'progress') expect(event.done).toBeLessThanOrEqual(30000);
    // Their spacing is the engine's own clock's business: test/unit/scan-engine.test.ts checks it
    // on a virtual clock; measured here it would be a wall-clock assertion on a shared machine.
  });

  it('a cancel stops the scan before its end and returns what was found', async () => {
    // How fast a cancel takes effect is measured by npm run bench, not asserted here.
    const events: ScanEvent[] = [];
    let cancelled = false;
    const result = await new Promise<ScanResult>((resolve, reject) => {
      let scanId: string | null = null;
      manager
        .start(
          { targets: '127.0.0.0/24', ports: '-', skipDiscovery: false, confirmed: false },
          (event) => {
            events.push(event);
            // Cancelled at the first progress report: well before 256 × 65,535 probes are done.
            if (event.type === 'progress' && !cancelled && scanId) {
              cancelled = true;
              expect(manager.cancel(scanId)).toBe(true);
            }
            if (event.type === 'finished') resolve(event.result);
            if (event.type === 'failed') reject(new Error(event.error.message.en));
          },
        )
        .then((id) => {
          scanId = id;
        }, reject);
    });
    expect(cancelled).toBe(true);
    expect(result.cancelled).toBe(true);
    const progress = events.filter((e) => e.type === 'progress');
    const last = progress.at(-1)!;
    expect(last.done).toBeLessThan(last.total);
    expect(result.hosts.length).toBeGreaterThan(0);
    expect(result.hosts.find((h) => h.address === '127.0.0.1')).toMatchObject({
      status: 'up',
      isLocal: true,
    });
    expect(manager.cancel('no-such-scan')).toBe(false);
  });

  it('rejects bad requests before scanning, naming the token', async () => {
    await expect(
      manager.start(
        { targets: '127.0.0.1', ports: '80-20', skipDiscovery: false, confirmed: false },
        () => undefined,
      ),
    ).rejects.toMatchObject({
      appError: { code: 'scan.ports.invalid', params: { token: '80-20' } },
    });
    const failure = await manager
      .start(
        { targets: '127.0.0.1 999.1.1.1', ports: '80', skipDiscovery: false, confirmed: false },
        () => undefined,
      )
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppFailure);
    expect((failure as AppFailure).appError.params).toEqual({ token: '999.1.1.1' });
    await expect(
      manager.start(
        { targets: '203.0.113.5', ports: '80', skipDiscovery: false, confirmed: false },
        () => undefined,
      ),
    ).rejects.toMatchObject({ appError: { code: 'scan.confirmationRequired' } });
    expect(manager.activeScans).toEqual([]);
  });
});
