import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ResponseEnvelope, ScanEvent } from '../../app/contract/index.js';
import { startWebHost, type WebHost } from '../../main/web/server.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP GET, so the test controls the Host header and the path byte for byte. */
function get(port: number, rawPath: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: rawPath,
        method: 'GET',
        headers: { ...headers },
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function tokenOf(host: WebHost): string {
  return new URL(host.url).searchParams.get('token') ?? '';
}

/** Resolves with the HTTP status of a refused upgrade, or 101 when the socket opened. */
function upgradeStatus(url: string, options: WebSocket.ClientOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

class Client {
  readonly events: ScanEvent[] = [];
  private readonly pending = new Map<number, (r: ResponseEnvelope) => void>();
  private readonly unmatched: ResponseEnvelope[] = [];
  private waiters: ((r: ResponseEnvelope) => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as
        ResponseEnvelope | { kind: 'event'; payload: ScanEvent };
      if (message.kind === 'event') {
        this.events.push(message.payload);
        return;
      }
      const resolve = this.pending.get(message.id);
      if (resolve) {
        this.pending.delete(message.id);
        resolve(message);
      } else if (this.waiters.length > 0) this.waiters.shift()?.(message);
      else this.unmatched.push(message);
    });
  }

  static open(port: number, cookie: string): Promise<Client> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, {
      headers: { Cookie: cookie },
      origin: `http://127.0.0.1:${port}`,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
    });
  }

  call(id: number, method: string, params: unknown): Promise<ResponseEnvelope> {
    return this.sendRaw(JSON.stringify({ kind: 'request', id, method, params }), id);
  }

  sendRaw(text: string, id?: number): Promise<ResponseEnvelope> {
    return new Promise((resolve) => {
      if (id !== undefined) this.pending.set(id, resolve);
      else {
        const early = this.unmatched.shift();
        if (early) resolve(early);
        else this.waiters.push(resolve);
      }
      this.ws.send(text);
    });
  }

  async waitFor(predicate: (e: ScanEvent) => boolean, timeoutMs = 30_000): Promise<ScanEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('event did not arrive');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    this.ws.close();
  }
}

describe('browser-mode web host', () => {
  let tmp: string;
  let rendererDir: string;
  let host: WebHost;
  let cookie: string;
  let listener: net.Server;
  let openPort: number;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'pa-web-'));
    rendererDir = path.join(tmp, 'renderer');
    mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(
      path.join(rendererDir, 'index.html'),
      '<!doctype html><title>Port Auditor</title>',
    );
    writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1);');
    writeFileSync(path.join(tmp, 'secret.txt'), 'TOP-SECRET');
    host = await startWebHost({ port: 0, rendererDir });
    listener = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    openPort = (listener.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await host?.close();
    await new Promise((resolve) => listener?.close(resolve));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 with a one-time token in its URL', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{40,}$/);
    expect(host.port).toBe(Number(new URL(host.url).port));
  });

  it('refuses a request without the token or with a wrong one', async () => {
    const bare = await get(host.port, '/', { Host: `127.0.0.1:${host.port}` });
    expect(bare.status).toBe(403);
    expect(bare.headers['set-cookie']).toBeUndefined();
    expect(bare.body).toContain('Access denied');
    expect(bare.body).toContain('Accès refusé');
    const wrong = await get(host.port, '/?token=not-the-token', { Host: `127.0.0.1:${host.port}` });
    expect(wrong.status).toBe(403);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a foreign Host header even with the right token (DNS rebinding)', async () => {
    const reply = await get(host.port, `/?token=${tokenOf(host)}`, { Host: 'evil.example' });
    expect(reply.status).toBe(403);
    expect(reply.headers['set-cookie']).toBeUndefined();
    const withPort = await get(host.port, `/?token=${tokenOf(host)}`, {
      Host: `evil.example:${host.port}`,
    });
    expect(withPort.status).toBe(403);
  });

  it('trades the token for an HttpOnly SameSite=Strict cookie once, then refuses it', async () => {
    const first = await get(host.port, `/?token=${tokenOf(host)}`, {
      Host: `127.0.0.1:${host.port}`,
    });
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const setCookie = first.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    cookie = setCookie.split(';')[0] ?? '';
    expect(cookie).toMatch(/^pa_session=[\w-]{40,}$/);

    const again = await get(host.port, `/?token=${tokenOf(host)}`, {
      Host: `localhost:${host.port}`,
    });
    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('serves the renderer to the session with a strict CSP, nosniff and no-referrer', async () => {
    const page = await get(host.port, '/', { Host: `localhost:${host.port}`, Cookie: cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Port Auditor</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(
      `connect-src 'self' ws://127.0.0.1:${host.port} ws://localhost:${host.port}`,
    );
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const script = await get(host.port, '/assets/app.js', {
      Host: `127.0.0.1:${host.port}`,
      Cookie: cookie,
    });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    const evil = await get(host.port, '/', { Host: 'evil.example', Cookie: cookie });
    expect(evil.status).toBe(403);
  });

  it('never serves a file outside the renderer directory', async () => {
    for (const attempt of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    ]) {
      const reply = await get(host.port, attempt, {
        Host: `127.0.0.1:${host.port}`,
        Cookie: cookie,
      });
      expect(reply.body, attempt).not.toContain('TOP-SECRET');
      expect(reply.body, attempt).not.toContain('root:');
    }
  });

  it('refuses WebSocket upgrades from a foreign Origin, without the cookie, or with a foreign Host', async () => {
    const url = `ws://127.0.0.1:${host.port}/api`;
    expect(
      await upgradeStatus(url, { origin: 'http://evil.example', headers: { Cookie: cookie } }),
    ).toBe(403);
    expect(await upgradeStatus(url, { headers: { Cookie: cookie } })).toBe(403);
    expect(await upgradeStatus(url, { origin: `http://127.0.0.1:${host.port}` })).toBe(403);
    expect(
      await upgradeStatus(url, {
        origin: `http://127.0.0.1:${host.port}`,
        headers: { Cookie: 'pa_session=forged' },
      }),
    ).toBe(403);
    expect(
      await upgradeStatus(url, {
        origin: 'http://evil.example',
        headers: { Cookie: cookie, Host: 'evil.example' },
      }),
    ).toBe(403);
    expect(
      await upgradeStatus(url, {
        origin: `http://127.0.0.1:${host.port}`,
        headers: { Cookie: cookie },
      }),
    ).toBe(101);
  });

  it('answers app.info over the WebSocket', async () => {
    const client = await Client.open(host.port, cookie);
    try {
      const reply = await client.call(1, 'app.info', {});
      expect(reply.ok).toBe(true);
      expect(reply.ok && reply.result).toMatchObject({ name: 'Port Auditor', host: 'web' });
    } finally {
      client.close();
    }
  });

  it('refuses malformed messages with typed errors and starts no scan', async () => {
    const client = await Client.open(host.port, cookie);
    try {
      const extra = await client.call(2, 'scan.start', {
        targets: '127.0.0.1',
        ports: String(openPort),
        evil: true,
      });
      expect(extra).toMatchObject({ id: 2, ok: false, error: { code: 'contract.invalid-params' } });
      const wrongType = await client.call(3, 'scan.start', {
        targets: 127001,
        ports: String(openPort),
      });
      expect(wrongType).toMatchObject({
        id: 3,
        ok: false,
        error: { code: 'contract.invalid-params' },
      });
      const unknown = await client.call(4, 'system.exec', { command: 'id' });
      expect(unknown).toMatchObject({
        id: 4,
        ok: false,
        error: { code: 'contract.unknown-method' },
      });
      const notJson = await client.sendRaw('{"kind":"request",');
      expect(notJson).toMatchObject({ ok: false, error: { code: 'contract.invalid-json' } });
      const notEnvelope = await client.sendRaw(
        JSON.stringify({ kind: 'request', id: 5, method: 'scan.start', params: {}, x: 1 }),
        5,
      );
      expect(notEnvelope).toMatchObject({ ok: false, error: { code: 'contract.malformed' } });
      for (const reply of [extra, wrongType, unknown, notJson, notEnvelope]) {
        if (!reply.ok) {
          expect(reply.error.message.fr.length).toBeGreaterThan(0);
          expect(reply.error.message.en.length).toBeGreaterThan(0);
        }
      }
      await new Promise((r) => setTimeout(r, 1500));
      expect(client.events).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('runs a valid scan and streams its events to the page that asked', async () => {
    const client = await Client.open(host.port, cookie);
    try {
      const reply = await client.call(10, 'scan.start', {
        targets: '127.0.0.1',
        ports: String(openPort),
        skipDiscovery: true,
      });
      expect(reply.ok).toBe(true);
      const scanId = reply.ok ? (reply.result as { scanId: string }).scanId : '';
      const finished = await client.waitFor((e) => e.type === 'finished' || e.type === 'failed');
      expect(finished.type).toBe('finished');
      if (finished.type !== 'finished') return;
      expect(finished.scanId).toBe(scanId);
      const port = finished.result.hosts
        .find((h) => h.address === '127.0.0.1')
        ?.ports.find((p) => p.port === openPort);
      expect(port).toMatchObject({ protocol: 'tcp', state: 'open', reason: 'syn-ack' });
    } finally {
      client.close();
    }
  });
});
