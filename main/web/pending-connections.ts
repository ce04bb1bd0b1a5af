import type { Socket } from 'node:net';

/** How many connections may wait unauthenticated, and for how long. */
export interface PendingLimits {
  /**
   * Connections that have not said a welcomed `hello` (raw TCP, page-file requests, WebSockets
   * before their hello), all together. A browser opens at most six HTTP/1.1 connections per host
   * plus the API's WebSocket and a speculative preconnection or two, so 16 leaves it room twice.
   */
  maxPending: number;
  /**
   * Milliseconds a connection may stay unauthenticated from its TCP accept: enough for a page to
   * load its files over one connection or to say its `hello` on a WebSocket, short enough that
   * idle sockets do not pile up. The page reconnects for later files if its socket was cut.
   */
  deadlineMs: number;
}

export const DEFAULT_PENDING_LIMITS: PendingLimits = { maxPending: 16, deadlineMs: 15_000 };

interface Entry {
  timer: NodeJS.Timeout;
  /** Whether an HTTP request (a file, or the WebSocket upgrade) has come on it. */
  spoke: boolean;
}

/**
 * The browser-mode host's unauthenticated connections, bounded in number and in time (review 13,
 * A11: a hostile local program opening hundreds of idle sockets must not lock the real page out).
 * Any program on this machine can connect to 127.0.0.1:PORT; only a page with the session secret
 * is admitted. Until then a connection is *pending*: it is destroyed once `deadlineMs` has passed
 * since it was accepted, and when more than `maxPending` are pending, the one to go is the oldest
 * that never sent a request — an idle socket, which a real browser does not keep — or, if all
 * spoke, the oldest; never the one just accepted. A new connection thus always gets its chance, and the page, which speaks at
 * once, outlives any number of silent ones. Admitted connections are no longer counted or timed.
 */
export class PendingConnections {
  /** In accept order (a Map keeps insertion order), so the first match is the oldest. */
  private readonly pending = new Map<Socket, Entry>();
  private readonly limits: PendingLimits;

  constructor(limits: Partial<PendingLimits> = {}) {
    this.limits = { ...DEFAULT_PENDING_LIMITS, ...limits };
  }

  /** How many connections are pending now. */
  get size(): number {
    return this.pending.size;
  }

  /** A connection was accepted: it is pending until admit() or its close. */
  add(socket: Socket): void {
    const timer = setTimeout(() => socket.destroy(), this.limits.deadlineMs);
    timer.unref();
    this.pending.set(socket, { timer, spoke: false });
    socket.once('close', () => this.forget(socket));
    while (this.pending.size > this.limits.maxPending) this.evictOne(socket);
  }

  /** A request (page file or upgrade) came on `socket`: it is no longer idle. */
  spoke(socket: Socket): void {
    const entry = this.pending.get(socket);
    if (entry) entry.spoke = true;
  }

  /** `socket`'s WebSocket was welcomed: it is the page's, neither counted nor timed any more. */
  admit(socket: Socket): void {
    this.forget(socket);
  }

  private forget(socket: Socket): void {
    const entry = this.pending.get(socket);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(socket);
  }

  /** Destroys the oldest idle pending connection, else the oldest; never `newcomer`. */
  private evictOne(newcomer: Socket): void {
    let victim: Socket | undefined;
    let oldest: Socket | undefined;
    for (const [socket, entry] of this.pending) {
      if (socket === newcomer) continue;
      oldest ??= socket;
      if (!entry.spoke) {
        victim = socket;
        break;
      }
    }
    victim ??= oldest;
    if (!victim) return;
    this.forget(victim);
    victim.destroy();
  }
}
