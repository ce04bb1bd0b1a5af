import { randomUUID } from 'node:crypto';
import { serviceLabel } from '../../app/contract/vocabulary.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode, CloseReason } from '../../app/contract/index.js';
import { startWebHost, type WebHost } from '../../main/web/server.js';
import { importNmapXml } from '../../app/report/nmap-xml-import.js';
import { generateNmapXml } from '../lab/nmap-xml.js';
import { launchTokenOf, WebClient as Client } from '../lab/web-client.js';
import type { ConnectionState } from '../../renderer/api/create-api.js';
import { createWebSocketBridge, SESSION_STORAGE_KEY } from '../../renderer/api/ws-bridge.js';

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

describe('browser-mode web host', () => {
  let tmp: string;
  let rendererDir: string;
  let host: WebHost;
  let session: string;
  const warnings: string[] = [];
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
    host = await startWebHost({
      port: 0,
      rendererDir,
      dataDir: path.join(tmp, 'data'),
      limits: { scansPerClient: 2, scansOverall: 3, messageBurst: 40, messagesPerSecond: 10 },
      warn: (text) => warnings.push(text.en),
    });
    listener = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    openPort = (listener.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await host?.close();
    await new Promise((resolve) => listener?.close(resolve));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 with a one-time token in its URL fragment, never in a request', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{40,}$/);
    expect(host.port).toBe(Number(new URL(host.url).port));
    expect(new URL(host.url).search).toBe('');
  });

  it('serves the app’s public files with a strict CSP, nosniff and no-referrer, and sets no cookie', async () => {
    const page = await get(host.port, '/', { Host: `127.0.0.1:${host.port}` });
    expect(page.status).toBe(200);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.body).toContain('<title>Port Auditor</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port};`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const script = await get(host.port, '/assets/app.js', { Host: `127.0.0.1:${host.port}` });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('refuses a foreign Host header (DNS rebinding), and localhost (it also names ::1, where the host does not listen)', async () => {
    for (const Host of ['evil.example', `evil.example:${host.port}`, `localhost:${host.port}`]) {
      const reply = await get(host.port, '/', { Host });
      expect(reply.status, Host).toBe(403);
      expect(reply.body).toContain('Access denied');
      expect(reply.body).toContain('Accès refusé');
    }
  });

  it('refuses a hello without a valid token, then trades the token once for a session', async () => {
    for (const credential of [{}, { token: 'not-the-token' }, { session: 'forged' }]) {
      const refused = await Client.hello(host.port, credential);
      expect(refused, JSON.stringify(credential)).toMatchObject({
        welcomed: false,
        code: CloseCode.sessionRefused,
      });
    }
    const first = await Client.hello(host.port, { token: launchTokenOf(host.url) });
    expect(first.welcomed).toBe(true);
    if (!first.welcomed) return;
    session = first.session;
    expect(session).toMatch(/^[\w-]{40,}$/);
    expect(session).not.toBe(launchTokenOf(host.url));
    await first.client.closeAndWait();
    expect(warnings).toEqual([]);

    // Anyone else with the token — a program that read it, the same address opened twice — is
    // refused with its own code, and the user is warned.
    const second = await Client.hello(host.port, { token: launchTokenOf(host.url) });
    expect(second).toMatchObject({ welcomed: false, code: CloseCode.tokenUsed });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/second program tried to open Port Auditor/);

    // The session secret reconnects (a reload, a dropped socket).
    const again = await Client.hello(host.port, { session });
    expect(again.welcomed).toBe(true);
    if (!again.welcomed) return;
    // While that connection is open, a second one with the same secret (a duplicated tab, or a
    // program that obtained it) is refused with the code the page shows for a second client, and
    // the user is warned; the open one keeps working.
    const duplicate = await Client.hello(host.port, { session });
    expect(duplicate).toMatchObject({ welcomed: false, code: CloseCode.tokenUsed });
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/second tab or program tried to use Port Auditor’s session/);
    expect((await again.client.call(7, 'app.info', {})).ok).toBe(true);
    // Once it is closed, the secret reconnects again.
    await again.client.closeAndWait();
    const reload = await Client.hello(host.port, { session });
    expect(reload.welcomed).toBe(true);
    if (reload.welcomed) await reload.client.closeAndWait();
  });

  it('refuses a request sent before the hello', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, {
      origin: `http://127.0.0.1:${host.port}`,
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.send(JSON.stringify({ kind: 'request', id: 1, method: 'app.info', params: {} }));
    expect(await closed).toBe(CloseCode.sessionRefused);
  });

  it('never serves a file outside the renderer directory', async () => {
    for (const attempt of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    ]) {
      const reply = await get(host.port, attempt, { Host: `127.0.0.1:${host.port}` });
      expect(reply.body, attempt).not.toContain('TOP-SECRET');
      expect(reply.body, attempt).not.toContain('root:');
    }
  });

  it('refuses WebSocket upgrades from a foreign Origin (localhost included), without one, or with a foreign Host', async () => {
    const url = `ws://127.0.0.1:${host.port}/api`;
    expect(await upgradeStatus(url, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(url, {})).toBe(403);
    expect(
      await upgradeStatus(url, {
        origin: 'http://evil.example',
        headers: { Host: 'evil.example' },
      }),
    ).toBe(403);
    // A page served by whoever listens on [::1]:PORT has the origin http://localhost:PORT.
    expect(await upgradeStatus(url, { origin: `http://localhost:${host.port}` })).toBe(403);
    expect(await upgradeStatus(url, { origin: `http://127.0.0.1:${host.port}` })).toBe(101);
  });

  it('answers app.info over the WebSocket', async () => {
    const client = await Client.open(host.port, { session });
    try {
      const reply = await client.call(1, 'app.info', {});
      expect(reply.ok).toBe(true);
      expect(reply.ok && reply.result).toMatchObject({ name: 'Port Auditor', host: 'web' });
    } finally {
      await client.closeAndWait();
    }
  });

  it('refuses malformed messages with typed errors and starts no scan', async () => {
    const client = await Client.open(host.port, { session });
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
      await client.closeAndWait();
    }
  });

  it('refuses report.exportInput, the CLI’s own method, to a browser session as not allowed', async () => {
    const client = await Client.open(host.port, { session });
    try {
      const { scan } = importNmapXml(generateNmapXml(2));
      const hosts = scan.hosts.map((h, i) => (i === 0 ? { ...h, address: '__proto__' } : h));
      for (const [id, params] of [
        [20, { scan, format: 'nmap-xml', lang: 'en' }],
        [21, { scan: { ...scan, hosts }, format: 'csv', lang: 'fr' }],
      ] as const) {
        const reply = await client.call(id, 'report.exportInput', params);
        expect(reply).toMatchObject({ id, ok: false, error: { code: 'contract.not-allowed' } });
        expect(!reply.ok && reply.error.message.en).toBe(
          'Message refused: only the port-auditor command may send report.exportInput.',
        );
      }
      // The session stays usable.
      expect(await client.call(22, 'app.info', {})).toMatchObject({ ok: true });
    } finally {
      await client.closeAndWait();
    }
  });

  it('runs a valid scan and streams its events to the page that asked', async () => {
    const client = await Client.open(host.port, { session });
    try {
      const scanId = randomUUID();
      const reply = await client.call(10, 'scan.start', {
        scanId,
        targets: '127.0.0.1',
        ports: String(openPort),
        skipDiscovery: true,
      });
      expect(reply).toMatchObject({ ok: true, result: { scanId } });
      const finished = await client.waitFor((e) => e.type === 'finished' || e.type === 'failed');
      expect(finished).toMatchObject({
        type: 'finished',
        scanId,
        kept: true,
        counts: { hostsUp: 1, openPorts: 1 },
      });
      // The end carries counts only; the hosts are asked for by id.
      const page = await client.call(11, 'scan.get', { scanId });
      const hosts = page.ok
        ? (page.result as { hosts: { address: string; ports: { port: number }[] }[] }).hosts
        : [];
      const port = hosts
        .find((h) => h.address === '127.0.0.1')
        ?.ports.find((p) => p.port === openPort);
      expect(port).toMatchObject({ protocol: 'tcp', state: 'open', reason: 'syn-ack' });
    } finally {
      await client.closeAndWait();
    }
  });

  it('names its own page port as Port Auditor’s in the scan the page shows once it ends', async () => {
    // Review 15, F1: the live verdicts named it, but the kept scan the page then reads said "node".
    const client = await Client.open(host.port, { session });
    try {
      const scanId = randomUUID();
      const reply = await client.call(20, 'scan.start', {
        scanId,
        targets: '127.0.0.1',
        ports: String(host.port),
        skipDiscovery: true,
      });
      expect(reply).toMatchObject({ ok: true });
      const finished = await client.waitFor(
        (e) => e.scanId === scanId && (e.type === 'finished' || e.type === 'failed'),
      );
      expect(finished).toMatchObject({ type: 'finished', kept: true });
      const page = await client.call(21, 'scan.get', { scanId });
      expect(page).toMatchObject({ ok: true });
      const assessment = page.ok
        ? (
            page.result as {
              assessment: {
                hosts: {
                  address: string;
                  ports: {
                    port: number;
                    service: string;
                    program?: { pid: number };
                    reasons: { ruleId: string; text: { en: string } }[];
                  }[];
                }[];
              } | null;
            }
          ).assessment
        : null;
      const verdict = assessment?.hosts
        .find((h) => h.address === '127.0.0.1')
        ?.ports.find((p) => p.port === host.port);
      expect(verdict).toMatchObject({ service: 'port-auditor', program: { pid: process.pid } });
      expect(verdict?.reasons[0]?.ruleId).toBe('program.port-auditor');
      expect(verdict?.reasons[0]?.text.en).toMatch(/Port Auditor/);
      // Review 15b: named as this program for people, since this process serves it.
      expect(serviceLabel(verdict!.service, 'fr')).toBe('Port Auditor (ce programme)');
      expect(serviceLabel(verdict!.service, 'en')).toBe('Port Auditor (this program)');
    } finally {
      await client.closeAndWait();
    }
  });

  it('refuses the scan past the per-window limit, then past the overall one, with a clear error', async () => {
    const full = () => ({
      scanId: randomUUID(),
      targets: '127.0.0.1',
      ports: '1-65535',
      skipDiscovery: true,
    });
    const a = await Client.open(host.port, { session });
    try {
      const [one, two, three] = await Promise.all([
        a.call(1, 'scan.start', full()),
        a.call(2, 'scan.start', full()),
        a.call(3, 'scan.start', full()),
      ]);
      expect([one?.ok, two?.ok]).toEqual([true, true]);
      expect(three).toMatchObject({ ok: false, error: { code: 'scan.too-many-for-client' } });
      if (three && !three.ok) {
        expect(three.error.message.en).toBe(
          'Already 2 scans running from this window: wait for one to finish or stop one before starting another.',
        );
        expect(three.error.message.fr).toMatch(/^Déjà 2 analyses en cours depuis cette fenêtre/);
      }
      // A cancelled scan holds its slot while its engine stops (nmap still runs): a start sent
      // right after the cancel is refused, saying one is stopping (review 13, F8)…
      const first = one?.ok ? (one.result as { scanId: string }).scanId : '';
      const [cancel, early] = await Promise.all([
        a.call(4, 'scan.cancel', { scanId: first }),
        a.call(5, 'scan.start', full()),
      ]);
      expect(cancel).toMatchObject({ ok: true, result: { cancelled: true } });
      expect(early).toMatchObject({ ok: false, error: { code: 'scan.too-many-for-client' } });
      if (early && !early.ok) {
        expect(early.error.message.en).toBe(
          'Already 2 scans running from this window, 1 of them still stopping: a scan you stop frees its place once it has ended, in a few seconds. Then start the new one.',
        );
        expect(early.error.message.fr).toMatch(/dont 1 en cours d’arrêt/);
      }
      // …and once it has finished, its slot is back.
      await a.waitFor((e) => e.scanId === first && (e.type === 'finished' || e.type === 'failed'));
      expect((await a.call(6, 'scan.start', full())).ok).toBe(true);
    } finally {
      await a.closeAndWait();
    }
    // One session is one connection (see the hello test): the overall limit is seen with a host
    // that allows fewer scans overall than per window.
    const small = await startWebHost({
      port: 0,
      rendererDir,
      dataDir: path.join(tmp, 'data-overall'),
      limits: { scansPerClient: 3, scansOverall: 1 },
    });
    try {
      const client = await Client.open(small.port, { token: launchTokenOf(small.url) });
      expect((await client.call(1, 'scan.start', full())).ok).toBe(true);
      const overall = await client.call(2, 'scan.start', full());
      expect(overall).toMatchObject({ ok: false, error: { code: 'scan.too-many' } });
      await client.closeAndWait();
    } finally {
      await small.close();
    }
  });

  it('lets a client send an upload’s pieces as fast as they are acknowledged, past the message burst', async () => {
    // Review 13, F8: such a client was cut with 4429 after about 300 pieces (here the burst is 40).
    const xml = Buffer.from(generateNmapXml(9000), 'utf8');
    const client = await Client.open(host.port, { session });
    try {
      const begin = await client.call(1, 'report.importBegin', {
        fileName: 'fast.xml',
        size: xml.length,
      });
      if (!begin.ok) throw new Error(JSON.stringify(begin.error));
      const { uploadId, chunkBytes } = begin.result as { uploadId: string; chunkBytes: number };
      const pieces = Math.ceil(xml.length / chunkBytes);
      expect(pieces).toBeGreaterThan(40);
      let id = 2;
      for (let offset = 0; offset < xml.length; offset += chunkBytes) {
        const piece = xml.subarray(offset, offset + chunkBytes).toString('base64');
        const ack = await client.call(id++, 'report.importChunk', {
          uploadId,
          offset,
          dataBase64: piece,
        });
        expect(ack.ok, `piece at ${offset}`).toBe(true);
      }
      const imported = await client.call(id++, 'report.importEnd', { uploadId });
      expect(imported).toMatchObject({ ok: true, result: { kept: true } });
      expect(client.closed).toBeNull();
    } finally {
      await client.closeAndWait();
    }
  });

  it('cuts a connection that floods messages, with a close reason, and stops its scans', async () => {
    const client = await Client.open(host.port, { session });
    for (let id = 1; id <= 200; id++) {
      client.ws.send(JSON.stringify({ kind: 'request', id, method: 'app.info', params: {} }));
    }
    expect(await client.whenClosed()).toEqual({
      code: CloseCode.rateLimited,
      // A code, not words: the page words it from the catalogue (common:connection.rate-limited).
      reason: CloseReason.rateLimited,
    });
  });
});

describe('settings in browser mode', () => {
  it('are kept by the app across a restart of the host', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'pa-settings-'));
    const dataDir = path.join(tmp, 'data');
    try {
      const first = await startWebHost({ port: 0, rendererDir: tmp, dataDir });
      try {
        const client = await Client.open(first.port, { token: launchTokenOf(first.url) });
        expect(await client.call(1, 'settings.get', {})).toMatchObject({
          ok: true,
          result: {
            language: 'auto',
            theme: 'system',
            history: { keepScans: 100, keepDays: 90 },
          },
        });
        expect(await client.call(2, 'settings.set', { language: 'en' })).toMatchObject({
          ok: true,
          result: { language: 'en', theme: 'system' },
        });
        expect(await client.call(3, 'settings.set', { theme: 'dark' })).toMatchObject({
          ok: true,
          result: { language: 'en', theme: 'dark' },
        });
        const invalid = await client.call(4, 'settings.set', { language: 'de' });
        expect(invalid).toMatchObject({ ok: false, error: { code: 'contract.invalid-params' } });
        client.close();
      } finally {
        await first.close();
      }
      const second = await startWebHost({ port: 0, rendererDir: tmp, dataDir });
      try {
        const client = await Client.open(second.port, { token: launchTokenOf(second.url) });
        expect(await client.call(1, 'settings.get', {})).toMatchObject({
          ok: true,
          result: { language: 'en', theme: 'dark' },
        });
        client.close();
      } finally {
        await second.close();
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('unauthenticated connections in browser mode (review 13, A11)', () => {
  it('are bounded in number and time: hundreds of idle sockets neither lock the page out nor cut it', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'pa-idle-'));
    writeFileSync(path.join(tmp, 'index.html'), '<!doctype html><title>Port Auditor</title>');
    const maxPending = 8;
    const host = await startWebHost({
      port: 0,
      rendererDir: tmp,
      dataDir: path.join(tmp, 'data'),
      pending: { maxPending, deadlineMs: 5000 },
    });
    const hostile: { closed: boolean }[] = [];
    const closedAll: Promise<void>[] = [];
    try {
      const first = await Client.hello(host.port, { token: launchTokenOf(host.url) });
      if (!first.welcomed) throw new Error(`hello refused: ${first.code}`);
      const page = first.client;

      // A hostile program of the same user: 300 TCP connections that never send a byte, and 40
      // WebSockets that never say hello, all left open.
      const opened: Promise<void>[] = [];
      for (let i = 0; i < 340; i++) {
        const state = { closed: false };
        hostile.push(state);
        let markOpen: () => void = () => {};
        opened.push(new Promise<void>((resolve) => (markOpen = resolve)));
        closedAll.push(
          new Promise<void>((resolve) => {
            const done = () => {
              state.closed = true;
              markOpen();
              resolve();
            };
            if (i < 300) {
              const socket = net.connect(host.port, '127.0.0.1');
              socket
                .on('connect', markOpen)
                .on('error', () => {})
                .on('close', done);
            } else {
              const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, {
                origin: `http://127.0.0.1:${host.port}`,
              });
              ws.on('open', markOpen)
                .on('error', () => {})
                .on('close', done);
            }
          }),
        );
      }
      await Promise.all(opened);
      // The host keeps at most maxPending of them: the others were cut as newer ones came.
      await until(() => hostile.filter((s) => !s.closed).length <= maxPending);

      // The page already in keeps working, and a fresh connection still loads the page.
      expect(await page.call(1, 'app.info', {})).toMatchObject({ ok: true });
      expect((await get(host.port, '/', { Host: `127.0.0.1:${host.port}` })).status).toBe(200);

      // The rest are cut at their deadline; the page, admitted before any of them came (so past
      // its own connection's deadline by then), is not.
      await Promise.all(closedAll);
      expect(page.closed).toBeNull();
      expect(await page.call(2, 'app.info', {})).toMatchObject({ ok: true });

      // A reload still gets in with the session secret.
      await page.closeAndWait();
      const reload = await Client.open(host.port, { session: first.session });
      expect(await reload.call(3, 'app.info', {})).toMatchObject({ ok: true });
      await reload.closeAndWait();
    } finally {
      await host.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a flood of request-sending connections in browser mode (review 13, F1)', () => {
  it('cuts neither the page’s reconnect nor its hello, and the page never says the host stopped', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'pa-flood-'));
    writeFileSync(path.join(tmp, 'index.html'), '<!doctype html><title>Port Auditor</title>');
    const maxPending = 8;
    const host = await startWebHost({
      port: 0,
      rendererDir: tmp,
      dataDir: path.join(tmp, 'data'),
      pending: { maxPending, deadlineMs: 5000 },
    });
    const globals = globalThis as { WebSocket?: unknown };
    const origin = `http://127.0.0.1:${host.port}`;
    let flooding = true;
    let answered = 0;
    const loops: Promise<void>[] = [];
    // Read at each retry: the test's end makes the bridge's next attempt an hour away.
    const delays = [0];
    try {
      const first = await Client.hello(host.port, { token: launchTokenOf(host.url) });
      if (!first.welcomed) throw new Error(`hello refused: ${first.code}`);
      await first.client.closeAndWait();

      // Another program: 32 loops of connect → one request with our Host → wait for the host to
      // cut it → again. Every socket speaks, so none is the "idle" kind A11 cut first.
      const floodOnce = () =>
        new Promise<void>((resolve) => {
          const socket = net.connect(host.port, '127.0.0.1', () =>
            socket.write(`GET /x.js HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`),
          );
          socket
            .on('data', () => (answered += 1))
            .on('error', () => {})
            .on('close', () => resolve());
        });
      for (let i = 0; i < 32; i++) {
        loops.push(
          (async () => {
            while (flooding) await floodOnce();
          })(),
        );
      }

      // A page reconnecting, slowed between its upgrade and its hello while dozens of requests
      // come and are answered: its socket is kept (it used to be the oldest that spoke, and cut).
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { origin });
      ws.on('error', () => {});
      const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('close', () => reject(new Error('the page’s socket was cut before its upgrade')));
      });
      const before = answered;
      await until(() => answered >= before + 4 * maxPending);
      const welcome = new Promise<string>((resolve) =>
        ws.once('message', (data) => resolve((JSON.parse(String(data)) as { kind: string }).kind)),
      );
      ws.send(JSON.stringify({ kind: 'hello', session: first.session }));
      expect(await Promise.race([welcome, closed.then((code) => `closed ${code}`)])).toBe(
        'welcome',
      );
      ws.close();
      await closed;

      // The page itself (its bridge, as in the browser) gets through the flood, and says what it
      // knows: never "stopped" while the host runs.
      class BrowserWebSocket extends WebSocket {
        constructor(url: string) {
          super(url, { origin });
          this.on('error', () => {});
        }
      }
      globals.WebSocket = BrowserWebSocket;
      const states: ConnectionState[] = [];
      const stored = new Map([[SESSION_STORAGE_KEY, first.session]]);
      const bridge = createWebSocketBridge(
        `ws://127.0.0.1:${host.port}/api`,
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
      await until(() => states.includes('open'));
      expect(
        await bridge.request({ kind: 'request', id: 1, method: 'app.info', params: {} }),
      ).toMatchObject({ ok: true });
      expect(states).not.toContain('stopped');
    } finally {
      flooding = false;
      delays[0] = 3_600_000;
      delete globals.WebSocket;
      await host.close();
      await Promise.all(loops);
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});

/** Resolves once `condition` holds, checking every 50 ms (the test's own timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}
