import { isIP } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import type { PortResult } from '../../contract/scan.js';
import { capped, oneLine } from '../../contract/outside-words.js';
import { printableBanner } from '../prober.js';
import { askHead, headRequest, type HttpFacts } from './http.js';

/**
 * Service detection for TLS (issue 16): a TLS handshake (node:tls, certificate checks off, since
 * the point is to read what the server presents, not to trust it), then the certificate's facts
 * and the protocol version agreed, then one `HEAD /` inside the session for the Server header.
 * Bounded in time as a whole; never a login; nothing of ours is sent but a ClientHello and the
 * HEAD request.
 */

/** Ports where an open service is taken to speak TLS (HTTPS and its usual alternate). */
export const TLS_PORTS: ReadonlySet<number> = new Set([443, 8443]);

/** What the TLS handshake showed, as the port keeps it (PortResult.tls). */
export type TlsFacts = NonNullable<PortResult['tls']>;

/** A distinguished name's common name (the last CN= line of node's "CN=x\nO=y" form). */
function commonName(dn: string): string | undefined {
  const cn = dn
    .split('\n')
    .filter((line) => line.startsWith('CN='))
    .at(-1)
    ?.slice(3);
  return cn ? oneLine(printableBanner(cn), 128) : undefined;
}

/**
 * The facts of a server certificate and its session. Self-signed: node says the chain is one
 * certificate that signed itself (`DEPTH_ZERO_SELF_SIGNED_CERT`), or the certificate's subject is
 * its issuer and its own public key verifies its signature (RFC 5280 §3.2, self-signed
 * certificates). Expired: `validTo` (notAfter, RFC 5280 §4.1.2.5) before `now`. Names are
 * outside words: printable ASCII, one line, capped at 128. Pure.
 */
export function tlsFacts(
  cert: X509Certificate,
  protocol: string | null,
  authorizationError: string | undefined,
  now: Date,
): TlsFacts {
  const subject = commonName(cert.subject);
  const issuer = commonName(cert.issuer);
  let signedBySelf = false;
  if (cert.subject === cert.issuer) {
    try {
      signedBySelf = cert.verify(cert.publicKey);
    } catch {
      signedBySelf = false;
    }
  }
  const validTo = new Date(cert.validTo);
  const valid = !Number.isNaN(validTo.getTime());
  return {
    protocol: capped(protocol ?? 'unknown', 32),
    ...(subject ? { subject } : {}),
    ...(issuer ? { issuer } : {}),
    selfSigned: authorizationError === 'DEPTH_ZERO_SELF_SIGNED_CERT' || signedBySelf,
    ...(valid ? { validTo: validTo.toISOString(), expired: validTo < now } : {}),
  };
}

/** Limits of one TLS probe. */
export interface TlsProbeLimits {
  /** The whole probe (connect, handshake, HEAD and its answer), in milliseconds. */
  timeoutMs: number;
}

/**
 * One TLS probe of `address` (as the result names it) at `connectAddress` port `port`: a
 * handshake with certificate checks off and SNI only when `serverName` is a DNS name (RFC 6066 §3
 * forbids IP literals), the certificate's facts (tlsFacts), then `HEAD /` in the session for the
 * Server header. `done` gets what was learnt (`tls` absent when no handshake completed), once,
 * within `timeoutMs`. Returns a function that stops it.
 */
export function probeTls(
  address: string,
  connectAddress: string,
  port: number,
  serverName: string | undefined,
  limits: TlsProbeLimits,
  done: (found: { tls?: TlsFacts; http?: HttpFacts }) => void,
): () => void {
  const started = Date.now();
  let finished = false;
  let stopHead: (() => void) | undefined;
  let tls: TlsFacts | undefined;
  const socket: TLSSocket = tlsConnect({
    host: connectAddress,
    port,
    rejectUnauthorized: false,
    ...(serverName && isIP(serverName) === 0 ? { servername: serverName } : {}),
  });
  const finish = (http?: HttpFacts | null): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket.destroy();
    done({ ...(tls ? { tls } : {}), ...(http ? { http } : {}) });
  };
  const timer = setTimeout(() => {
    stopHead?.();
    finish();
  }, limits.timeoutMs);
  socket.once('error', () => finish());
  socket.once('close', () => {
    if (!stopHead) finish();
  });
  socket.once('secureConnect', () => {
    const cert = socket.getPeerX509Certificate();
    if (cert) {
      const error = socket.authorizationError as unknown as string | Error | undefined;
      const code =
        typeof error === 'string' ? error : (error as { code?: string } | undefined)?.code;
      tls = tlsFacts(cert, socket.getProtocol(), code, new Date());
    }
    const left = Math.max(1, limits.timeoutMs - (Date.now() - started));
    stopHead = askHead(socket, headRequest(address, port), left, (http) => finish(http));
  });
  return () => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    stopHead?.();
    socket.destroy();
  };
}
