import { performance } from 'node:perf_hooks';

/**
 * Time as the engine sees it. Injected so tests can run the engine on a virtual clock (see
 * test/unit/support/sim-network.ts) and never wait on, or assert about, the wall clock.
 */
export interface Clock {
  /** Milliseconds on a monotonic clock (only differences mean something). */
  now(): number;
  /** The calendar time, for the timestamps of a result. */
  date(): Date;
  /** Calls `fn` once after `ms` milliseconds; returns a function that cancels the call. */
  after(ms: number, fn: () => void): () => void;
  /** Calls `fn` once pending I/O has been handled (a turn of the event loop), before later timers. */
  soon(fn: () => void): void;
}

/** The process's own clocks and timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  date: () => new Date(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
  soon: (fn) => void setImmediate(fn),
};
