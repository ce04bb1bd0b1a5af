import { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { getSystemErrorName } from 'node:util';
import { classifyConnectError, type ProbeOutcome } from './connect-outcome.js';

export type { ProbeOutcome } from './connect-outcome.js';

export interface ProbeHandle {
  /** Stops the attempt now; its callback is not called. */
  abort(): void;
}

export interface Prober {
  readonly kind: 'raw' | 'net';
  probe(
    host: string,
    family: 4 | 6,
    port: number,
    timeoutMs: number,
    done: (outcome: ProbeOutcome) => void,
  ): ProbeHandle;
}

/**
 * One timer for thousands of probes: deadlines fall into 10 ms buckets. Expired probes are confirmed
 * after the event loop has polled again (two setImmediate turns), so an answer that already arrived
 * while the loop was busy is delivered first and not mistaken for silence.
 */
class TimeoutWheel {
  private static readonly SLOT_MS = 10;
  private readonly buckets = new Map<number, Set<() => void>>();
  private size = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastSlot = 0;

  add(deadline: number, onExpire: () => void): () => void {
    const slot = Math.ceil(deadline / TimeoutWheel.SLOT_MS);
    let bucket = this.buckets.get(slot);
    if (!bucket) this.buckets.set(slot, (bucket = new Set()));
    bucket.add(onExpire);
    this.size++;
    if (!this.timer) {
      this.lastSlot = Math.floor(performance.now() / TimeoutWheel.SLOT_MS) - 1;
      this.timer = setInterval(() => this.tick(), TimeoutWheel.SLOT_MS);
    }
    return () => {
      if (bucket.delete(onExpire)) {
        this.size--;
        if (bucket.size === 0) this.buckets.delete(slot);
        this.stopIfIdle();
      }
    };
  }

  private tick(): void {
    const nowSlot = Math.floor(performance.now() / TimeoutWheel.SLOT_MS);
    const expired: (() => void)[] = [];
    for (let slot = this.lastSlot + 1; slot <= nowSlot; slot++) {
      const bucket = this.buckets.get(slot);
      if (!bucket) continue;
      this.buckets.delete(slot);
      this.size -= bucket.size;
      for (const fn of bucket) expired.push(fn);
      bucket.clear();
    }
    this.lastSlot = nowSlot;
    // Two turns of the loop: the first check phase may come right after a long pump, before the
    // answers that arrived during it were polled; one more poll delivers them first.
    if (expired.length > 0) setImmediate(() => setImmediate(() => expired.forEach((fn) => fn())));
    this.stopIfIdle();
  }

  private stopIfIdle(): void {
    if (this.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

interface TcpWrapBinding {
  TCP: new (type: number) => RawTcpHandle;
  TCPConnectWrap: new () => RawConnectRequest;
  constants: { SOCKET: number };
}

interface RawTcpHandle {
  connect(req: RawConnectRequest, address: string, port: number): number;
  connect6(req: RawConnectRequest, address: string, port: number): number;
  getsockname(out: { address?: string; port?: number }): number;
  close(): void;
}

interface RawConnectRequest {
  oncomplete: (status: number) => void;
  address: string;
  port: number;
}

/**
 * Node's own TCP handle (the one net.Socket wraps), used directly: a connect probe then costs a
 * fraction of a net.Socket, which matters for 65,535-port scans. Open connections are handed to a
 * real net.Socket for banner reading. Falls back to net.Socket where the binding is unavailable.
 */
function loadTcpWrap(): TcpWrapBinding | undefined {
  try {
    const binding = (process as unknown as { binding(name: string): unknown }).binding(
      'tcp_wrap',
    ) as Partial<TcpWrapBinding>;
    if (
      typeof binding.TCP === 'function' &&
      typeof binding.TCPConnectWrap === 'function' &&
      binding.constants
    ) {
      return binding as TcpWrapBinding;
    }
  } catch {
    // not available in this runtime
  }
  return undefined;
}

function errorName(status: number): string {
  try {
    return getSystemErrorName(status);
  } catch {
    return 'UNKNOWN';
  }
}

/** A connect to a port of this PC may land on its own source port (loopback, own addresses). */
export function isSelfConnect(
  local: { address?: string | undefined; port?: number | undefined },
  host: string,
  port: number,
): boolean {
  if (local.port !== port || local.address === undefined) return false;
  const strip = (a: string) =>
    a
      .split('%')[0]!
      .toLowerCase()
      .replace(/^::ffff:/, '');
  return strip(local.address) === strip(host);
}

function rawProber(binding: TcpWrapBinding, wheel: TimeoutWheel): Prober {
  return {
    kind: 'raw',
    probe(host, family, port, timeoutMs, done) {
      const handle = new binding.TCP(binding.constants.SOCKET);
      const req = new binding.TCPConnectWrap();
      const started = performance.now();
      let settled = false;
      const cancelTimeout = wheel.add(started + timeoutMs, () => {
        if (settled) return;
        settled = true;
        handle.close();
        done({ kind: 'timeout' });
      });
      req.oncomplete = (status: number) => {
        if (settled) return;
        settled = true;
        cancelTimeout();
        const rttMs = performance.now() - started;
        if (status === 0) {
          const local: { address?: string; port?: number } = {};
          if (handle.getsockname(local) === 0 && isSelfConnect(local, host, port)) {
            handle.close();
            done({ kind: 'self' });
            return;
          }
          const socket = new Socket({
            handle,
            readable: true,
            writable: true,
          } as unknown as ConstructorParameters<typeof Socket>[0]);
          done({ kind: 'open', rttMs, socket });
        } else {
          handle.close();
          done(classifyConnectError(errorName(status), rttMs, 'async'));
        }
      };
      req.address = host;
      req.port = port;
      const error =
        family === 6 ? handle.connect6(req, host, port) : handle.connect(req, host, port);
      if (error !== 0) {
        settled = true;
        cancelTimeout();
        handle.close();
        // libuv returns at once only what connect() refused before sending anything.
        done(classifyConnectError(errorName(error), 0, 'sync'));
      }
      return {
        abort() {
          if (settled) return;
          settled = true;
          cancelTimeout();
          handle.close();
        },
      };
    },
  };
}

function netProber(wheel: TimeoutWheel): Prober {
  return {
    kind: 'net',
    probe(host, _family, port, timeoutMs, done) {
      const socket = new Socket();
      const started = performance.now();
      let settled = false;
      const finish = (outcome: ProbeOutcome): void => {
        if (settled) return;
        settled = true;
        cancelTimeout();
        socket.removeAllListeners('connect');
        if (outcome.kind !== 'open') socket.destroy();
        done(outcome);
      };
      const cancelTimeout = wheel.add(started + timeoutMs, () => finish({ kind: 'timeout' }));
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        socket.on('error', () => undefined);
        if (isSelfConnect({ address: socket.localAddress, port: socket.localPort }, host, port)) {
          finish({ kind: 'self' });
          socket.destroy();
          return;
        }
        finish({ kind: 'open', rttMs: performance.now() - started, socket });
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        // net.Socket reports every failure asynchronously: the phase is unknown, read as `async`.
        finish(classifyConnectError(error.code, performance.now() - started));
      });
      socket.connect({ host, port });
      return {
        abort() {
          if (settled) return;
          settled = true;
          cancelTimeout();
          socket.destroy();
        },
      };
    },
  };
}

/** The fastest prober this runtime allows (`raw`), or the portable net.Socket one (`net`). */
export function createProber(kind: 'auto' | 'net' = 'auto'): Prober {
  const wheel = new TimeoutWheel();
  const binding = kind === 'auto' ? loadTcpWrap() : undefined;
  return binding ? rawProber(binding, wheel) : netProber(wheel);
}

const TELNET_VERBS: Record<number, string> = {
  0xfb: 'WILL',
  0xfc: 'WONT',
  0xfd: 'DO',
  0xfe: 'DONT',
};

/**
 * A service's own text as a banner keeps it: printable ASCII, tab, CR and LF only, anything else
 * (ESC, C1 controls such as U+009B CSI, bidi and invisible characters, any non-ASCII) a dot, so
 * escapes and control bytes never reach a terminal, page or file. The one filter for what a TCP
 * or UDP service says (a TCP banner, an SSDP SERVER header, a memcached version). Pure.
 */
export function printableBanner(text: string): string {
  return text.replace(/[^\x20-\x7e\t\r\n]/gu, '.');
}

/**
 * A banner as it is kept and shown: the first 512 bytes, printable ASCII only (anything else
 * becomes a dot, so escapes and control bytes never reach a terminal, page or file). A telnet
 * server's opening option negotiation (IAC WILL/WONT/DO/DONT option, RFC 854, bytes 0xFF
 * 0xFB–0xFE n) is written out as text, `IAC WILL 1`, since as dots it could never be recognised
 * (app/risk/banners.ts). Undefined when nothing printable is left.
 */
export function cleanBanner(bytes: Buffer): string | undefined {
  const raw = bytes.subarray(0, 512);
  const words: string[] = [];
  let at = 0;
  while (at + 2 < raw.length && raw[at] === 0xff && TELNET_VERBS[raw[at + 1]!]) {
    words.push(`IAC ${TELNET_VERBS[raw[at + 1]!]} ${raw[at + 2]}`);
    at += 3;
  }
  const rest = printableBanner(raw.subarray(at).toString('latin1'));
  const text = [...words, rest]
    .join(' ')
    .replace(/[\r\n]+$/g, '')
    .trim();
  return text.length > 0 ? text.slice(0, 512) : undefined;
}

/**
 * Reads what a service says on its own right after connect (SSH, SMTP, FTP… speak first), up to
 * 512 bytes, its first line, or `waitMs`, then closes. Non-printable bytes become dots.
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
    done(cleanBanner(Buffer.concat(chunks)));
  };
  const timer = setTimeout(finish, waitMs);
  socket.on('error', () => undefined);
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
