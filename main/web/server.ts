import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { createCore, type Core } from '../../app/api/core.js';
import type { CallContext } from '../../app/api/dispatcher.js';
import { MessageRate, type Limits } from '../../app/api/limits.js';
import {
  CloseCode,
  CloseReason,
  HelloMessage,
  MAX_MESSAGE_BYTES,
  type EventPayload,
  type LocalizedText,
  type ResponseEnvelope,
} from '../../app/contract/index.js';
import { AppFailure } from '../../app/errors.js';
import { bothLanguages } from '../../app/text/catalogue.js';
import { say } from '../locale.js';
import { isAllowedHost, isAllowedOrigin, mimeType, originOf, securityHeaders } from './security.js';
import { PendingConnections, type PendingLimits } from './pending-connections.js';
import { BrowserSession } from './session.js';

export interface WebHostOptions {
  /** 0 (the default) picks a random free port. */
  port?: number;
  /** The built renderer; defaults to dist/renderer beside this bundle or the checkout's. */
  rendererDir?: string;
  /** App data directory; the platform's (or PORT_AUDITOR_DATA_DIR) when absent. */
  dataDir?: string;
  /** Scan and message limits; app/api/limits.ts's defaults when absent. */
  limits?: Partial<Limits>;
  /** Where warnings for the user go (a second client with the spent token); stderr by default. */
  warn?: (text: LocalizedText) => void;
  /** Called once, when the first client redeems the launch token. */
  onRedeemed?: () => void;
  /** Bounds on connections not yet welcomed; pending-connections.ts's defaults when absent. */
  pending?: Partial<PendingLimits>;
}

export interface WebHost {
  /** The one-time address to open: http://127.0.0.1:PORT/#token=T (the token never goes over HTTP). */
  url: string;
  /** http://127.0.0.1:PORT, without `:80` on port 80, as a browser writes it. */
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** How long a new WebSocket may stay silent before its `hello`. */
const HELLO_TIMEOUT_MS = 10_000;
/** How long close() waits for pages to acknowledge the "host stopped" close before cutting. */
const CLOSE_GRACE_MS = 1000;

const SECOND_CLIENT_WARNING: LocalizedText = bothLanguages('messages:host.secondClient');

const SECOND_SESSION_WARNING: LocalizedText = bothLanguages('messages:host.secondSession');

const REFUSED_TEXT =
  'Accès refusé : Port Auditor ne répond qu’à l’adresse 127.0.0.1 qu’il a affichée à son démarrage.\n' +
  'Access denied: Port Auditor answers only at the 127.0.0.1 address it printed when it started.\n';

const NOT_BUILT_TEXT =
  'L’interface n’est pas construite : lancez « npm run build ».\n' +
  'The user interface is not built: run “npm run build”.\n';

function defaultRendererDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.resolve(here, '../renderer'), // dist/main/web.mjs → dist/renderer
    path.resolve(here, '../../dist/renderer'), // main/web/server.ts in a checkout
  ];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[0]!;
}

/** The file under `root` that `urlPath` names, or null when it escapes root or is not a file. */
async function resolveStatic(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const realRoot = await realpath(root).catch(() => null);
  if (!realRoot) return null;
  const candidate = path.resolve(realRoot, `.${path.posix.normalize(`/${decoded}`)}`);
  const target = candidate.endsWith(path.sep) ? path.join(candidate, 'index.html') : candidate;
  const real = await realpath(target).catch(() => null);
  if (!real || (real !== realRoot && !real.startsWith(realRoot + path.sep))) return null;
  const info = await stat(real).catch(() => null);
  if (info?.isDirectory()) return resolveStatic(root, `${decoded.replace(/\/?$/, '/')}index.html`);
  return info?.isFile() ? real : null;
}

function refuseUpgrade(socket: Duplex, status: 400 | 403 | 404): void {
  const text = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' }[status];
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

function errorResponse(id: number, failure: AppFailure): ResponseEnvelope {
  return { kind: 'response', id, ok: false, error: failure.appError };
}

/**
 * Browser mode: the same contract as the Electron preload, over a WebSocket at /api, on 127.0.0.1
 * only. The page's files are public (the app's open-source UI); the API is not. Its credential is
 * never a cookie — cookies ignore ports, so every other server on 127.0.0.1 would receive it — but
 * a launch token in the URL fragment (never sent over HTTP), traded once, in the socket's first
 * message, for a session secret the tab keeps in sessionStorage. Every request must also carry our
 * exact Host and, for the WebSocket, our exact Origin, so neither another site in the user's
 * browser nor a rebound DNS name can reach the API. docs/browser-mode.md has the whole design.
 */
export async function startWebHost(options: WebHostOptions = {}): Promise<WebHost> {
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  const core: Core = createCore({
    host: 'web',
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    // Its own page server's port, so a scan of this PC names it as Port Auditor's.
    ownPorts: () => (port ? [port] : []),
  });
  // A connection whose close frame came is CLOSING: a reloading page's old socket.
  const session = new BrowserSession(
    undefined,
    (connection) => (connection as WebSocket).readyState === (connection as WebSocket).OPEN,
  );
  const warn = options.warn ?? ((text: LocalizedText) => process.stderr.write(`${say(text)}\n`));
  let port = 0;
  let nextClient = 1;

  // Any local program can connect; until a connection's hello is welcomed it is bounded in number
  // and time, so idle sockets cannot lock the real page out (review 13, A11).
  const pending = new PendingConnections(options.pending);
  const server = http.createServer((req, res) => {
    pending.requesting(req.socket);
    res.once('finish', () => pending.answered(req.socket));
    handleHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end();
    });
  });

  async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const headers = securityHeaders(port);
    const send = (status: number, text: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, {
        ...headers,
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-store',
        ...extra,
      });
      res.end(req.method === 'HEAD' ? undefined : text);
    };
    if (!isAllowedHost(req.headers.host, port)) return send(403, REFUSED_TEXT);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, '', { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!existsSync(path.join(rendererDir, 'index.html'))) return send(503, NOT_BUILT_TEXT);
    let file = await resolveStatic(rendererDir, url.pathname);
    // Client-side routes (no file extension) get the app shell.
    if (!file && !path.posix.basename(url.pathname).includes('.')) {
      file = await resolveStatic(rendererDir, '/index.html');
    }
    if (!file) return send(404, 'Not found / Introuvable\n');
    const body = await readFile(file);
    res.writeHead(200, {
      ...headers,
      'Content-Type': mimeType(file),
      'Content-Length': String(body.length),
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  server.on('connection', (socket: Socket) => pending.add(socket));

  server.on('upgrade', (req, socket) => {
    pending.requesting(socket as Socket);
    socket.on('error', () => socket.destroy());
    if (!isAllowedHost(req.headers.host, port)) return refuseUpgrade(socket, 403);
    if (!isAllowedOrigin(req.headers.origin, port)) return refuseUpgrade(socket, 403);
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/api') {
      return refuseUpgrade(socket, 404);
    }
    // Counted apart from plain requests from now on: file requests never push it out (F1).
    pending.upgraded(socket as Socket);
    wss.handleUpgrade(req, socket, Buffer.alloc(0), (ws) => serveConnection(ws, socket as Socket));
  });

  function serveConnection(ws: WebSocket, socket: Socket): void {
    // The scans this page started: closing the page (or its tab crashing) stops them.
    const running = new Set<string>();
    const rate = new MessageRate(core.limits);
    let admitted = false;
    let cut = false;
    const helloTimer = setTimeout(
      () => shut(CloseCode.sessionRefused, CloseReason.noHello),
      HELLO_TIMEOUT_MS,
    );
    helloTimer.unref();
    const shut = (code: number, reason: string) => {
      cut = true;
      clearTimeout(helloTimer);
      ws.close(code, reason);
    };
    const send = (message: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const ctx: CallContext = {
      client: `web-${nextClient++}`,
      emit(event, payload) {
        if (event === 'scan.event') {
          const update = payload as EventPayload<'scan.event'>;
          if (update.type === 'finished' || update.type === 'failed') running.delete(update.scanId);
          else running.add(update.scanId);
        }
        send({ kind: 'event', event, payload });
      },
    };
    const welcome = (raw: unknown) => {
      const hello = HelloMessage.safeParse(raw);
      if (!hello.success) return shut(CloseCode.sessionRefused, CloseReason.sessionRefused);
      const outcome = session.hello(hello.data, ws);
      if (!outcome.ok) {
        if (outcome.reason === 'token-used') {
          warn(hello.data.session !== undefined ? SECOND_SESSION_WARNING : SECOND_CLIENT_WARNING);
          return shut(CloseCode.tokenUsed, CloseReason.tokenUsed);
        }
        return shut(CloseCode.sessionRefused, CloseReason.sessionRefused);
      }
      clearTimeout(helloTimer);
      pending.admit(socket);
      admitted = true;
      send({ kind: 'welcome', session: outcome.session });
      if (outcome.redeemed) options.onRedeemed?.();
    };
    ws.on('message', (data, isBinary) => {
      if (cut) return;
      // A page never sends this much: a runaway loop or a hostile program. Its scans stop too.
      const flooded = () => shut(CloseCode.rateLimited, CloseReason.rateLimited);
      if (isBinary) {
        if (!rate.take()) return flooded();
        if (!admitted) return shut(CloseCode.sessionRefused, CloseReason.sessionRefused);
        return send(
          errorResponse(-1, new AppFailure('contract.malformed', {}, { variant: 'binary' })),
        );
      }
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        if (!rate.take()) return flooded();
        if (!admitted) return shut(CloseCode.sessionRefused, CloseReason.sessionRefused);
        return send(errorResponse(-1, new AppFailure('contract.invalid-json')));
      }
      // The pieces of an upload count apart (app/api/limits.ts): a file at the import limit sent
      // as fast as the app answers is not a flood.
      if (!rate.take(admitted ? raw : undefined, (id) => core.ownsUpload(ctx.client ?? '', id))) {
        return flooded();
      }
      if (!admitted) return welcome(raw);
      core
        .dispatch(raw, ctx)
        .then((response) => {
          const result = response.ok ? (response.result as { scanId?: unknown }) : undefined;
          if (
            typeof result?.scanId === 'string' &&
            (raw as { method?: unknown }).method === 'scan.start'
          ) {
            running.add(result.scanId);
          }
          send(response);
        })
        .catch(() => ws.close(1011));
    });
    ws.on('close', () => {
      clearTimeout(helloTimer);
      session.release(ws);
      void core.clientClosed(ctx.client!);
      for (const scanId of running) {
        void core.dispatch(
          { kind: 'request', id: 0, method: 'scan.cancel', params: { scanId } },
          { emit() {} },
        );
      }
      running.clear();
    });
    ws.on('error', () => ws.terminate());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `${originOf(port)}/#token=${session.launchToken}`,
    origin: originOf(port),
    port,
    async close() {
      // Pages are told the host stopped (not a drop to reconnect through), then cut.
      const closed = [...wss.clients].map(
        (client) =>
          new Promise<void>((resolve) => {
            client.once('close', () => resolve());
            client.close(CloseCode.hostStopped, CloseReason.hostStopped);
          }),
      );
      await Promise.race([
        Promise.all(closed),
        new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref()),
      ]);
      for (const client of wss.clients) client.terminate();
      wss.close();
      await core.dispose();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
