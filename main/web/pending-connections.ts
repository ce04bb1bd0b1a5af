import type { Socket } from 'node:net';

/** How many connections may wait unauthenticated, and for how long. */
export interface PendingLimits {
  /**
   * Plain HTTP connections that have not said a welcomed `hello` (raw TCP, page-file requests),
   * all together. A browser opens at most six HTTP/1.1 connections per host plus a speculative
   * preconnection or two, so 16 leaves it room twice.
   */
  maxPending: number;
  /**
   * WebSockets upgraded at /api whose `hello` has not been read yet, counted apart from plain
   * HTTP connections so that no number of file requests can push the page's own reconnect out
   * (review 13, F1). A tab has one; reloads and a second tab are a few more.
   */
  maxAwaitingHello: number;
  /**
   * Milliseconds a connection may stay unauthenticated from its TCP accept: enough for a page to
   * load its files over one connection or to say its `hello` on a WebSocket, short enough that
   * idle sockets do not pile up. The page reconnects for later files if its socket was cut.
   */
  deadlineMs: number;
}

export const DEFAULT_PENDING_LIMITS: PendingLimits = {
  maxPending: 16,
  maxAwaitingHello: 4,
  deadlineMs: 15_000,
};

/**
 * Where an unauthenticated connection is, in the order it goes through:
 * `silent` — accepted, no complete request yet; `requesting` — a request came and is being
 * answered; `answered` — its last request was answered and it is an idle keep-alive socket;
 * `upgraded` — it became a WebSocket at /api and its `hello` has not been read yet.
 */
export type PendingStage = 'silent' | 'requesting' | 'answered' | 'upgraded';

/**
 * Which plain HTTP connection goes first when there are too many, most expendable first:
 * an idle keep-alive socket whose requests were all answered (a browser reopens one at no cost,
 * and a flood of requests leaves its sockets there), then one that never completed a request
 * (a page's connection speaks at once; an idle one it does not keep), then one being answered.
 */
const EVICTION_ORDER: readonly PendingStage[] = ['answered', 'silent', 'requesting'];

/**
 * The connection to cut among `candidates` (in accept order, oldest first), or undefined when
 * none may go: the oldest of the most expendable stage in EVICTION_ORDER, never `newcomer` (a new
 * connection always gets its chance). `upgraded` candidates are chosen only when `upgradedPool`
 * is true: a WebSocket awaiting its hello is cut only for another WebSocket, never for a plain
 * HTTP connection (review 13, F1). Pure.
 */
export function chooseEviction<T>(
  candidates: Iterable<{ key: T; stage: PendingStage }>,
  newcomer: T | undefined,
  upgradedPool: boolean,
): T | undefined {
  const order: readonly PendingStage[] = upgradedPool ? ['upgraded'] : EVICTION_ORDER;
  let best: { key: T; rank: number } | undefined;
  for (const { key, stage } of candidates) {
    if (key === newcomer) continue;
    const rank = order.indexOf(stage);
    if (rank < 0) continue;
    // Strictly better only: the first seen of a rank is the oldest.
    if (!best || rank < best.rank) best = { key, rank };
    if (rank === 0) break;
  }
  return best?.key;
}

interface Entry {
  timer: NodeJS.Timeout;
  stage: PendingStage;
}

/**
 * The browser-mode host's unauthenticated connections, bounded in number and in time (review 13,
 * A11: a hostile local program opening hundreds of idle sockets must not lock the real page out;
 * F1: nor a program sending requests on hundreds of connections). Any program on this machine can
 * connect to 127.0.0.1:PORT; only a page with the session secret is admitted. Until then a
 * connection is *pending*: it is destroyed once `deadlineMs` has passed since it was accepted, and
 * when more than the limit are pending, chooseEviction() picks the ones to cut (for plain HTTP
 * connections once what they sent has been read, see add()). Plain HTTP
 * connections and WebSockets awaiting their hello are bounded apart, so the page's reconnect,
 * which says its hello right after its upgrade, is never cut to make room for file requests.
 * Admitted connections are no longer counted or timed.
 */
export class PendingConnections {
  /** In accept order (a Map keeps insertion order), so the first match is the oldest. */
  private readonly pending = new Map<Socket, Entry>();
  private readonly limits: PendingLimits;
  /** Whether a trim of the plain HTTP pool is already due (see add()). */
  private trimDue = false;

  constructor(limits: Partial<PendingLimits> = {}) {
    this.limits = { ...DEFAULT_PENDING_LIMITS, ...limits };
  }

  /** How many connections are pending now (plain HTTP and awaiting hello together). */
  get size(): number {
    return this.pending.size;
  }

  /** A connection was accepted: it is pending until admit() or its close. */
  add(socket: Socket): void {
    const timer = setTimeout(() => socket.destroy(), this.limits.deadlineMs);
    timer.unref();
    this.pending.set(socket, { timer, stage: 'silent' });
    socket.once('close', () => this.forget(socket));
    if (this.trimDue) return;
    this.trimDue = true;
    // Not now: Node accepts a whole backlog at once, before reading any of it, so a page's socket
    // accepted early in a flood would still look silent and be cut. The second check phase comes
    // after a poll phase has read what the new sockets sent (the page's upgrade is then counted
    // apart). Until then at most one backlog (511) more is kept open.
    setImmediate(() =>
      setImmediate(() => {
        this.trimDue = false;
        this.trim(this.newest(), false);
      }),
    );
  }

  /** A plain HTTP request came on `socket` and is being answered. */
  requesting(socket: Socket): void {
    const entry = this.pending.get(socket);
    if (entry && entry.stage !== 'upgraded') entry.stage = 'requesting';
  }

  /** The request on `socket` was answered: it idles as a keep-alive socket. */
  answered(socket: Socket): void {
    const entry = this.pending.get(socket);
    if (entry?.stage === 'requesting') entry.stage = 'answered';
  }

  /** `socket` became a WebSocket at /api: it now waits for its hello, counted apart. */
  upgraded(socket: Socket): void {
    const entry = this.pending.get(socket);
    if (!entry) return;
    entry.stage = 'upgraded';
    this.trim(socket, true);
  }

  /** `socket`'s WebSocket was welcomed: it is the page's, neither counted nor timed any more. */
  admit(socket: Socket): void {
    this.forget(socket);
  }

  /** The connection accepted last that is still pending. */
  private newest(): Socket | undefined {
    let last: Socket | undefined;
    for (const socket of this.pending.keys()) last = socket;
    return last;
  }

  private forget(socket: Socket): void {
    const entry = this.pending.get(socket);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(socket);
  }

  /** Cuts connections of a pool (upgraded or not) until it is within its limit; never `newcomer`. */
  private trim(newcomer: Socket | undefined, upgradedPool: boolean): void {
    const limit = upgradedPool ? this.limits.maxAwaitingHello : this.limits.maxPending;
    const inPool = () =>
      [...this.pending.values()].filter((e) => (e.stage === 'upgraded') === upgradedPool).length;
    while (inPool() > limit) {
      const victim = chooseEviction(
        [...this.pending].map(([key, entry]) => ({ key, stage: entry.stage })),
        newcomer,
        upgradedPool,
      );
      if (!victim) return;
      this.forget(victim);
      victim.destroy();
    }
  }
}
