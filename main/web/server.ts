import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { createCore, type Core } from '../../app/api/core.js';
import type { CallContext } from '../../app/api/dispatcher.js';
import { MAX_MESSAGE_BYTES, type ResponseEnvelope } from '../../app/contract/index.js';
import { AppFailure } from '../../app/errors.js';
import {
  isAllowedHost,
  isAllowedOrigin,
  mimeType,
  randomSecret,
  readSessionCookie,
  sameSecret,
  securityHeaders,
  sessionCookieHeader,
} from './security.js';

export interface WebHostOptions {
  /** 0 (the default) picks a random free port. */
  port?: number;
  /** The built renderer; defaults to dist/renderer beside this bundle or the checkout's. */
  rendererDir?: string;
}

export interface WebHost {
  /** The one-time address to open: http://127.0.0.1:PORT/?token=T */
  url: string;
  port: number;
  close(): Promise<void>;
}

const REFUSED_TEXT =
  'Accès refusé. Ouvrez l’adresse affichée par Port Auditor à son démarrage (elle contient un jeton à usage unique) ; ' +
  'si elle a déjà servi, redémarrez Port Auditor.\n' +
  'Access denied. Open the address Port Auditor printed when it started (it carries a one-time token); ' +
  'if it was already used, restart Port Auditor.\n';

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
 * only. A one-time token in the printed URL is traded for an HttpOnly, SameSite=Strict cookie, and
 * every request must carry our exact Host (and, for the WebSocket, our exact Origin) — so neither
 * another site in the user's browser nor a rebound DNS name can reach the API.
 */
export async function startWebHost(options: WebHostOptions = {}): Promise<WebHost> {
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  const core: Core = createCore({ host: 'web' });
  let token: string | null = randomSecret();
  const session = randomSecret();
  let port = 0;

  const hasSession = (req: http.IncomingMessage) =>
    sameSecret(readSessionCookie(req.headers.cookie), session);

  const server = http.createServer((req, res) => {
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
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const offered = url.searchParams.get('token');
    if (offered !== null) {
      if (hasSession(req)) return send(302, '', { Location: '/' });
      if (token === null || !sameSecret(offered, token)) return send(403, REFUSED_TEXT);
      token = null; // one use only: a leaked URL (history, screenshot) is worth nothing afterwards
      return send(302, '', { Location: '/', 'Set-Cookie': sessionCookieHeader(session) });
    }
    if (!hasSession(req)) return send(403, REFUSED_TEXT);
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

  server.on('upgrade', (req, socket) => {
    socket.on('error', () => socket.destroy());
    if (!isAllowedHost(req.headers.host, port)) return refuseUpgrade(socket, 403);
    if (!isAllowedOrigin(req.headers.origin, port)) return refuseUpgrade(socket, 403);
    if (!hasSession(req)) return refuseUpgrade(socket, 403);
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/api') {
      return refuseUpgrade(socket, 404);
    }
    wss.handleUpgrade(req, socket, Buffer.alloc(0), (ws) => serveConnection(ws));
  });

  function serveConnection(ws: WebSocket): void {
    // The scans this page started: closing the page (or its tab crashing) stops them.
    const running = new Set<string>();
    const send = (message: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const ctx: CallContext = {
      emit(event, payload) {
        if (event === 'scan.event') {
          if (payload.type === 'finished' || payload.type === 'failed')
            running.delete(payload.scanId);
          else running.add(payload.scanId);
        }
        send({ kind: 'event', event, payload });
      },
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        return send(
          errorResponse(
            -1,
            new AppFailure('contract.malformed', {
              fr: 'Message refusé : seuls les messages texte JSON sont acceptés.',
              en: 'Message refused: only JSON text messages are accepted.',
            }),
          ),
        );
      }
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        return send(
          errorResponse(
            -1,
            new AppFailure('contract.invalid-json', {
              fr: 'Message refusé : ce n’est pas du JSON valide.',
              en: 'Message refused: it is not valid JSON.',
            }),
          ),
        );
      }
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
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    async close() {
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
