import { Worker } from 'node:worker_threads';
import { startWorker } from './start-worker.js';
import type {
  AppError,
  FirewallRule,
  HostAssessment,
  HostStatus,
  RiskAssessResult,
  ScanCounts,
} from '../contract/index.js';
import { AppFailure } from '../errors.js';
import type { LocalPortInfo } from '../risk/assess.js';
import type { ListenersNow } from '../risk/reassess.js';

/** What a prepare thread is given (prepare-worker.ts): all it needs to prepare a kept scan. */
export interface PrepareJob {
  /** The app's data directory, whose store (already opened by the host) the thread reads. */
  dataDir: string;
  /**
   * The file the host's connection reads when it is not the data directory's own: the private
   * read-only copy of a read-only store (openDatabaseForReading), which the thread then reads.
   */
  storeFile?: string;
  scanId: string;
  /** This PC's addresses now (kept hosts' `isLocal` is worked out again from them). */
  localAddresses: string[];
  /** Port Auditor's rules as the host last read them, and its outbound rules removed since. */
  rules: FirewallRule[];
  removedRules: FirewallRule[];
  /**
   * This PC's listening sockets as the host read them at reopen (null: unreadable), which this
   * PC's kept ports are rated with (reassessKept); the host keys its requests on them too.
   */
  listeners: ListenersNow;
  /** This process's own claims on the scan's ports (see ExportJob.claims), or absent. */
  claims?: [string, LocalPortInfo][];
}

/**
 * A kept scan's screen order and verdict totals as ScanHistory prepares them (its `Prepared`
 * without the rows' source): a few numbers per host, whatever the scan's ports. Sent from the
 * thread by structured clone.
 */
export interface PreparedNumbers {
  /** The whole scan's verdict totals (`hosts` empty). */
  summary: RiskAssessResult;
  /** Host seqs of each status in screen order. */
  order: Record<HostStatus, number[]>;
  /** For each host of `order.up`, its device's index. */
  upDevice: number[];
  /** Rows left out: not an IP literal. */
  dropped: number;
  /** Seqs of rows left out for repeating an earlier row's address. */
  duplicates: number[];
  counts: ScanCounts;
  /** By seq, the levels of hosts a page may cut (see Prepared.levels). */
  levels: [number, Pick<HostAssessment, 'worst' | 'counts' | 'blocked'>][];
}

/** The prepare thread's one message. */
export type PrepareOutcome =
  { type: 'done'; prepared: PreparedNumbers } | { type: 'failed'; error: AppError };

/**
 * A prepare thread's heap (V8's old generation, MB): a batch of rows with their verdicts plus a
 * few numbers per host. A kept scan the host's own thread could prepare before (its heap is not
 * capped) is prepared within it: 256 hosts × 1,000 open ports peaks far below.
 */
export const PREPARE_OLD_GENERATION_MB = 512;

/** Prepare threads running at once in the app; more requests wait their turn (review A2). */
export const PREPARE_THREADS_MAX = 2;

function stopped(detail: string): AppFailure {
  return new AppFailure('internal', { detail });
}

/** Creates the thread as the export thread does (export-thread.ts): bundled, or under tsx. */
function createWorker(job: PrepareJob): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: PREPARE_OLD_GENERATION_MB };
  return startWorker('prepare-worker', job, resourceLimits);
}

/**
 * Prepares kept scan `job.scanId` in a worker thread of its own (prepare-worker.ts): its rows read
 * through the thread's own connection to the store and their verdicts worked out again there, so
 * the host's event loop goes on answering meanwhile. Resolves with the small PreparedNumbers.
 * Throws the thread's AppFailure (`scan.not-found`, `scan.unreadable`, the store's failures), or
 * `internal` when the thread stopped otherwise or `signal` aborted it (the thread is terminated).
 */
export function runPrepareThread(job: PrepareJob, signal?: AbortSignal): Promise<PreparedNumbers> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(stopped('prepare stopped: its clients closed'));
      return;
    }
    const worker = createWorker(job);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    signal?.addEventListener(
      'abort',
      () => settle(() => reject(stopped('prepare stopped: its clients closed'))),
      { once: true },
    );
    worker.on('message', (message: PrepareOutcome) => {
      if (message.type === 'done') settle(() => resolve(message.prepared));
      else settle(() => reject(AppFailure.relay(message.error)));
    });
    worker.on('error', (error: Error) => settle(() => reject(stopped(error.message))));
    worker.on('exit', (code) => settle(() => reject(stopped(`exit code ${code}`))));
  });
}

interface Waiter {
  client: string;
  resolve: (prepared: PreparedNumbers) => void;
  reject: (error: unknown) => void;
}

interface Run {
  waiters: Waiter[];
  stop: AbortController;
}

/**
 * The app's prepare threads: at most `max` at once (later ones wait their turn, first come first
 * served); a request for a scan and rules already being prepared (same `key`) waits for that
 * thread, never starts a second one. A thread every waiter of which has gone (`closed`: their
 * clients closed) is stopped, or never started. `run` is injectable (tests count threads).
 */
export class PrepareThreads {
  private readonly runs = new Map<string, Run>();
  private readonly queue: (() => void)[] = [];
  private active = 0;

  constructor(
    private readonly max = PREPARE_THREADS_MAX,
    private readonly run: typeof runPrepareThread = runPrepareThread,
  ) {}

  /** Threads running now (at most `max`). */
  get running(): number {
    return this.active;
  }

  /**
   * The numbers of `job` for `client`, from the thread running for `key` (the scan and its rules)
   * or from a new one. Rejects as runPrepareThread does, or with `internal` when `client` closed.
   */
  prepare(key: string, job: PrepareJob, client: string): Promise<PreparedNumbers> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { client, resolve, reject };
      const known = this.runs.get(key);
      if (known) {
        known.waiters.push(waiter);
        return;
      }
      const run: Run = { waiters: [waiter], stop: new AbortController() };
      this.runs.set(key, run);
      const done = (settle: (w: Waiter) => void) => {
        if (this.runs.get(key) === run) this.runs.delete(key);
        for (const w of run.waiters.splice(0)) settle(w);
      };
      this.slot(run.stop.signal)
        .then((release) => this.run(job, run.stop.signal).finally(release))
        .then(
          (prepared) => done((w) => w.resolve(prepared)),
          (error: unknown) => done((w) => w.reject(error)),
        );
    });
  }

  /** `client` closed: its waits end, and a thread no one waits for any more is stopped. */
  closed(client?: string): void {
    for (const [key, run] of this.runs) {
      const leaving = run.waiters.filter((w) => client === undefined || w.client === client);
      if (leaving.length === 0) continue;
      run.waiters = run.waiters.filter((w) => !leaving.includes(w));
      for (const w of leaving) w.reject(stopped('prepare stopped: its client closed'));
      if (run.waiters.length === 0) {
        this.runs.delete(key);
        run.stop.abort();
      }
    }
  }

  /** A turn to run a thread (released by the function given), or a refusal once `signal` aborts. */
  private slot(signal: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const release = () => {
        this.active -= 1;
        this.queue.shift()?.();
      };
      const take = () => {
        signal.removeEventListener('abort', leave);
        this.active += 1;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          release();
        });
      };
      const leave = () => {
        const at = this.queue.indexOf(take);
        if (at >= 0) this.queue.splice(at, 1);
        reject(stopped('prepare stopped: its clients closed'));
      };
      if (this.active < this.max) {
        take();
        return;
      }
      this.queue.push(take);
      signal.addEventListener('abort', leave, { once: true });
    });
  }
}
