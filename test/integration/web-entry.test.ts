import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildMain } from '../../scripts/build-main.mjs';
import { launchTokenOf } from '../lab/web-client.js';

// The bundled host as `npm start` runs it: dist-style flat bundles, the scan worker loaded from
// scan-worker.mjs next to web.mjs. Built into its own folder so other runs' dist/ is left alone.
const outdir = path.resolve('dist', `test-web-entry-${process.pid}`, 'main');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pa-web-entry-'));

function readUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${err}`)), 20_000);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const match = /^PORT_AUDITOR_URL=(\S+)$/m.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`web host exited ${code}: ${err}`)));
  });
}

describe('dist/main/web.mjs', () => {
  let child: ChildProcess | undefined;
  let listener: net.Server;
  let openPort: number;

  beforeAll(async () => {
    await buildMain({
      only: [
        'web.mjs',
        'scan-worker.mjs',
        'import-worker.mjs',
        'export-worker.mjs',
        'prepare-worker.mjs',
      ],
      outdir,
    });
    listener = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    openPort = (listener.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    child?.kill('SIGTERM');
    await new Promise((resolve) => listener?.close(resolve));
    rmSync(path.dirname(outdir), { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints its URL, accepts its session, and scans through the bundled worker', async () => {
    child = spawn(process.execPath, [path.join(outdir, 'web.mjs'), '--port', '0', '--no-open'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DISPLAY: '', PORT_AUDITOR_DATA_DIR: dataDir },
    });
    const url = await readUrl(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+$/);
    const port = Number(new URL(url).port);

    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { origin: `http://127.0.0.1:${port}` });
    const messages: {
      kind: string;
      id?: number;
      ok?: boolean;
      result?: { hosts: { address: string; ports: { port: number; state: string }[] }[] };
      payload?: { type: string; counts?: { openPorts: number } };
    }[] = [];
    const scanId = randomUUID();
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    try {
      ws.send(JSON.stringify({ kind: 'hello', token: launchTokenOf(url) }));
      ws.send(JSON.stringify({ kind: 'request', id: 1, method: 'app.info', params: {} }));
      ws.send(
        JSON.stringify({
          kind: 'request',
          id: 2,
          method: 'scan.start',
          params: {
            scanId,
            targets: '127.0.0.1',
            ports: String(openPort),
            skipDiscovery: true,
          },
        }),
      );
      const deadline = Date.now() + 30_000;
      while (
        !messages.some((m) => m.payload?.type === 'finished' || m.payload?.type === 'failed')
      ) {
        if (Date.now() > deadline) throw new Error(JSON.stringify(messages));
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(messages.find((m) => m.id === 1)).toMatchObject({ ok: true, result: { host: 'web' } });
      expect(messages.find((m) => m.id === 2)).toMatchObject({ ok: true });
      const end = messages.find(
        (m) => m.payload?.type === 'finished' || m.payload?.type === 'failed',
      );
      expect(end?.payload?.type, JSON.stringify(end)).toBe('finished');
      expect(end?.payload?.counts?.openPorts).toBe(1);
      ws.send(JSON.stringify({ kind: 'request', id: 3, method: 'scan.get', params: { scanId } }));
      while (!messages.some((m) => m.id === 3)) {
        if (Date.now() > deadline) throw new Error(JSON.stringify(messages));
        await new Promise((r) => setTimeout(r, 50));
      }
      const ports =
        messages.find((m) => m.id === 3)?.result?.hosts.find((h) => h.address === '127.0.0.1')
          ?.ports ?? [];
      expect(ports.find((p) => p.port === openPort)?.state).toBe('open');
    } finally {
      ws.close();
    }
  });
});
