import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The browser-mode host's pure decisions, kept apart from sockets so each rule reads on its own.
 * The API behind this host will change the firewall, so a page on another site (CSRF), a DNS name
 * rebound to 127.0.0.1, another program listening on 127.0.0.1, or another local user who guesses
 * the port must all be refused. docs/browser-mode.md explains the session design.
 */

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison of two secrets, false when either is missing. */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The Host values that name us: 127.0.0.1 only, the address we listen on and print. Not
 * `localhost`: it also resolves to ::1, where the host does not listen, so another local user can
 * listen on [::1]:PORT; a page served from there has the origin `http://localhost:PORT`, and
 * accepting that origin would let it drive our API. On port 80 a browser leaves the port out of
 * Host and Origin (RFC 9110 §7.2, RFC 6454 §6.2: the default port is omitted), so both spellings
 * are ours there.
 */
export function allowedHosts(port: number): string[] {
  return port === 80 ? ['127.0.0.1:80', '127.0.0.1'] : [`127.0.0.1:${port}`];
}

/** The address a browser shows for us: no `:80`, as the browser itself writes it. */
export function originOf(port: number): string {
  return port === 80 ? 'http://127.0.0.1' : `http://127.0.0.1:${port}`;
}

/** Exactly our address and port: any other name means DNS rebinding or a proxy we did not ask for. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  return origin !== undefined && allowedHosts(port).some((h) => origin === `http://${h}`);
}

export function contentSecurityPolicy(port: number): string {
  const suffix = port === 80 ? '' : `:${port}`;
  return [
    "default-src 'self'",
    `connect-src 'self' ws://127.0.0.1${suffix}`,
    "img-src 'self' data:",
    // MUI's emotion injects <style> elements at run time.
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self'",
    "font-src 'self' data:",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeType(file: string): string {
  const dot = file.lastIndexOf('.');
  return (dot >= 0 && MIME[file.slice(dot).toLowerCase()]) || 'application/octet-stream';
}
