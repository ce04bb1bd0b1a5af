import { connect, isIPv6, type Socket } from 'node:net';
import type { PortResult } from '../../contract/scan.js';
import { capped, oneLine } from '../../contract/outside-words.js';
import { printableBanner } from '../prober.js';

/**
 * Service detection for HTTP (issue 16): one `HEAD /` request (RFC 9110 §9.3.2, the headers a GET
 * would get, no body) on a port whose service said nothing on its own, and what the answer's
 * status line and headers say. Bounded: HTTP_LIMITS bytes read, within a time limit; never a
 * login, never a second request, no redirect followed.
 */

/** Ports where a silent service is taken to be a web server worth asking (nmap's http ports). */
export const HTTP_PORTS: ReadonlySet<number> = new Set([80, 8000, 8008, 8080, 8888]);

/** How much of an answer is read: the status line and headers fit in it. */
export const HTTP_MAX_BYTES = 4096;

/** What a web server's answer to `HEAD /` says, as the port keeps it (PortResult.http). */
export type HttpFacts = NonNullable<PortResult['http']>;

/**
 * The request: `HEAD / HTTP/1.0`, `Host` the address asked (RFC 9110 §7.2: uri-host, an IPv6
 * literal in brackets, RFC 3986 §3.2.2; the port when not 80), no other header. HTTP/1.0, so the
 * server closes the connection after answering. Pure.
 */
export function headRequest(address: string, port: number): string {
  const host = isIPv6(address) ? `[${address}]` : address;
  return `HEAD / HTTP/1.0\r\nHost: ${port === 80 ? host : `${host}:${port}`}\r\n\r\n`;
}

/**
 * The status and the Server and Location headers of an HTTP/1.x answer's head (RFC 9112 §4
 * status-line, §5 field lines; names case-insensitive, the first occurrence kept), or null when
 * the bytes do not start with a status line. The headers' values are outside words: printable
 * ASCII only (printableBanner), one line, capped (Server at 128 code points, Location at 512).
 * Pure; never throws.
 */
export function parseHttpHead(bytes: Buffer): HttpFacts | null {
  const text = bytes.subarray(0, HTTP_MAX_BYTES).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const lines = (end >= 0 ? text.slice(0, end) : text).split(/\r?\n/);
  const status = /^HTTP\/\d\.\d (\d{3})(?: |$)/.exec(lines[0] ?? '');
  if (!status) return null;
  const code = Number(status[1]);
  if (code < 100 || code > 599) return null;
  const field = (name: string, max: number): string | undefined => {
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0 || line.slice(0, colon).toLowerCase() !== name) continue;
      const value = oneLine(printableBanner(line.slice(colon + 1)).trim(), max);
      return value || undefined;
    }
    return undefined;
  };
  const server = field('server', 128);
  const location = field('location', 512);
  return {
    status: code,
    ...(server ? { server } : {}),
    ...(location ? { location } : {}),
  };
}

/**
 * The software a Server header names, as the port's `detected` field (nmap -sV's shape): its
 * first product, `token ["/" product-version]` (RFC 9110 §10.2.4), "nginx/1.22.1" → {service:
 * "http", product: "nginx", version: "1.22.1"}; the rest (other products, comments such as
 * "(Debian)") as extraInfo. Undefined without a Server header. `service` is "https" over TLS.
 * Pure.
 */
export function httpDetected(
  facts: HttpFacts,
  service: 'http' | 'https' = 'http',
): PortResult['detected'] {
  if (!facts.server) return undefined;
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:\/([!#$%&'*+.^_`|~0-9A-Za-z-]+))?\s*(.*)$/.exec(
    facts.server,
  );
  if (!match) return { service, product: capped(facts.server, 128) };
  const [, product, version, rest] = match as unknown as [string, string, string?, string?];
  return {
    service,
    product: capped(product, 128),
    ...(version ? { version: capped(version, 128) } : {}),
    ...(rest ? { extraInfo: capped(rest, 256) } : {}),
  };
}

/** Limits of one HTTP probe. */
export interface HttpProbeLimits {
  /** The whole probe (connect, request, answer), in milliseconds. */
  timeoutMs: number;
}

/**
 * Sends `HEAD /` on `socket` (connected, or connecting) and reads the answer's head: at most
 * HTTP_MAX_BYTES, until the blank line ending the headers, the server's close, or `timeoutMs`;
 * then destroys the socket and calls `done` once with the facts, or null when nothing readable
 * came. Returns a function that stops it (no `done` after that).
 */
export function askHead(
  socket: Socket,
  request: string,
  timeoutMs: number,
  done: (facts: HttpFacts | null) => void,
): () => void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const stop = (): void => {
    finished = true;
    clearTimeout(timer);
    socket.destroy();
  };
  const finish = (): void => {
    if (finished) return;
    stop();
    done(parseHttpHead(Buffer.concat(chunks)));
  };
  const timer = setTimeout(finish, timeoutMs);
  socket.on('error', finish);
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= HTTP_MAX_BYTES || /\r?\n\r?\n/.test(Buffer.concat(chunks).toString('latin1')))
      finish();
  });
  socket.on('end', finish);
  socket.on('close', finish);
  socket.write(request);
  return () => {
    if (!finished) stop();
  };
}

/**
 * One HTTP probe of `address` (as the result names it) at `connectAddress` (with its zone, as
 * sockets need it) port `port`: a new TCP connection, `HEAD /`, the answer's head (askHead).
 * `done` gets the facts, or null. Returns a function that stops it.
 */
export function probeHttp(
  address: string,
  connectAddress: string,
  port: number,
  limits: HttpProbeLimits,
  done: (facts: HttpFacts | null) => void,
): () => void {
  const socket = connect({ host: connectAddress, port });
  return askHead(socket, headRequest(address, port), limits.timeoutMs, done);
}
