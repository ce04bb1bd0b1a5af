import { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** What one TCP connect attempt told us, before retries and host context turn it into a port state. */
export type ProbeOutcome =
  | { kind: 'open'; rttMs: number; socket: Socket }
  | { kind: 'closed'; rttMs: number }
  | {
      kind: 'unreachable';
      reason: 'host-unreachable' | 'net-unreachable' | 'admin-prohibited';
      rttMs: number;
    }
  | { kind: 'timeout' }
  /** Out of local resources (descriptors, buffers, source ports): try the same probe again later. */
  | { kind: 'resource'; code: string }
  | { kind: 'error'; code: string };

const RESOURCE_ERRORS = new Set([
  'EMFILE',
  'ENFILE',
  'ENOBUFS',
  'ENOMEM',
  'EADDRNOTAVAIL',
  'EAGAIN',
  'EADDRINUSE',
]);

/**
 * Maps connect() errors as nmap's connect scan does. Linux reports an ICMP "administratively
 * prohibited" for IPv4 (type 3 code 13) as EHOSTUNREACH, indistinguishable from "host unreachable";
 * for IPv6 (type 1 code 1) as EACCES; a local firewall's reject or drop on output as EPERM/EACCES.
 */
export function classifyError(code: string | undefined, rttMs: number): ProbeOutcome {
  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'closed', rttMs };
    case 'EHOSTUNREACH':
    case 'EHOSTDOWN':
      return { kind: 'unreachable', reason: 'host-unreachable', rttMs };
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return { kind: 'unreachable', reason: 'net-unreachable', rttMs };
    case 'EACCES':
    case 'EPERM':
      return { kind: 'unreachable', reason: 'admin-prohibited', rttMs };
    case 'ETIMEDOUT':
      return { kind: 'timeout' };
    default:
      if (code !== undefined && RESOURCE_ERRORS.has(code)) return { kind: 'resource', code };
      return { kind: 'error', code: code ?? 'UNKNOWN' };
  }
}

export interface ProbeHandle {
  /** Stops the attempt now; its callback is not called. */
  abort(): void;
}

/**
 * One TCP connect attempt with its own timeout. The timeout is confirmed after the event loop's poll
 * phase (setImmediate), so an answer that already arrived while the loop was busy is not mistaken for
 * silence.
 */
export function probeTcp(
  host: string,
  port: number,
  timeoutMs: number,
  done: (outcome: ProbeOutcome) => void,
): ProbeHandle {
  const socket = new Socket();
  const started = performance.now();
  let settled = false;
  const finish = (outcome: ProbeOutcome): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    socket.removeAllListeners('connect');
    if (outcome.kind !== 'open') socket.destroy();
    done(outcome);
  };
  const timer = setTimeout(() => {
    setImmediate(() => finish({ kind: 'timeout' }));
  }, timeoutMs);
  socket.once('connect', () => {
    socket.removeAllListeners('error');
    socket.on('error', () => undefined);
    finish({ kind: 'open', rttMs: performance.now() - started, socket });
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    finish(classifyError(error.code, performance.now() - started));
  });
  socket.connect({ host, port });
  return {
    abort() {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
    },
  };
}

/**
 * Reads what a service says on its own right after connect (SSH, SMTP, FTP… speak first), up to
 * 512 bytes or `waitMs`, then closes. Non-printable bytes become dots so the text is safe to show.
 */
export function readBanner(
  socket: Socket,
  waitMs: number,
  done: (banner: string | undefined) => void,
): () => void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket.destroy();
    const raw = Buffer.concat(chunks).subarray(0, 512).toString('latin1');
    const text = raw
      .replace(/[^\x20-\x7e\t\r\n]/g, '.')
      .replace(/[\r\n]+$/g, '')
      .trim();
    done(text.length > 0 ? text.slice(0, 512) : undefined);
  };
  const timer = setTimeout(finish, waitMs);
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= 512 || chunk.includes(10)) finish();
  });
  socket.on('end', finish);
  socket.on('close', finish);
  return () => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket.destroy();
  };
}
