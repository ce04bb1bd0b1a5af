import { fileNameWords } from '../contract/outside-words.js';
import { startWorker } from './start-worker.js';
import { Worker } from 'node:worker_threads';
import { Code, type AppError, type FirewallRule, type ListenersResult } from '../contract/index.js';
import { AppFailure } from '../errors.js';
import type { ImportTally } from '../report/nmap-xml-import.js';
import type { ImportedRows } from './import-rows.js';

/** What the import thread is given (import-worker.ts). */
export interface ImportJob {
  /** The nmap XML file or JSON report, its size already checked. */
  file: string;
  fileName?: string;
  /** The app's data directory, whose store the thread opens for itself. */
  dataDir: string;
  /** The scan begun in the store (ScanStore.begin) whose rows the thread writes. */
  scanId: string;
  /** This PC's addresses (see NmapImportOptions.localAddresses). */
  localAddresses: string[];
  /** Port Auditor's rules as the host last read them, for the verdicts. */
  rules: FirewallRule[];
  /** Whether the thread reports the bytes read (`progress` messages, at least every MiB). */
  progress?: boolean;
}

/** Messages from the import thread. */
export type ImportRequest =
  | { type: 'listeners' }
  /** `read` bytes of the file's `size` read so far. */
  | { type: 'progress'; read: number; size: number }
  /** What was read so far (NmapImportOptions.onTally). */
  | { type: 'tally'; tally: ImportTally }
  /** The file was taken as a JSON report (looksLikeJson), not nmap XML: refusals name it so. */
  | { type: 'json' }
  | { type: 'done'; rows: ImportedRows }
  /** `store`: the store failed (not the file), so the host may keep the import another way. */
  | { type: 'failed'; error: AppError; store: boolean };

/** Messages to the import thread: this PC's listeners, or undefined when they cannot be read. */
export type ImportReply = { type: 'listeners'; result?: ListenersResult };

/**
 * The import thread's heap, in MB: room for a 64 MB file's largest batch of hosts and its
 * ordering records (a few numbers per host), small enough that its garbage is collected often.
 * V8's defaults would let the old generation grow to a large share of the machine's memory first.
 * One host is one piece: nmap -p- of a device answering every port (65,535 open ports, a 9.6 MB
 * file with a `<service>` per port) holds 28 MB parsed plus 25 MB of verdicts, with their copies
 * on the way (row JSON, checks), so 64 MB refused it; measured, it imports at 96 MB and 128 leaves
 * room for richer files (peak RSS of the whole CLI process 234 MB; review 13b attacker A2).
 */
export const IMPORT_OLD_GENERATION_MB = 128;
export const IMPORT_YOUNG_GENERATION_MB = 8;

/** The store failed in the import thread: the host may keep the import another way. */
export class ImportStoreFailure extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message.en);
    this.name = 'ImportStoreFailure';
  }
}

/**
 * The ports of one host an import handles with IMPORT_OLD_GENERATION_MB: memory follows one host
 * at a time (its ports are one piece: import-rows.ts), other hosts are written and dropped as they
 * come, so the limit is per host, not per file. Measured (2026-12-01, under tsx, the heap at
 * 128 MB): one host with every TCP port open, each with nmap -sV's product, version and extra
 * information and a banner (≈ 370 bytes of XML per port), imports; the same host with every UDP
 * port too (131,070 such ports) does not; 131,070 ports with a service name only do, as do 5
 * hosts × 65,535 open ports (48 MB) and 256 hosts × 1,000 (review 13c attacker B2).
 */
export const IMPORT_PORTS_PER_HOST = 65_535;

/** A host listing at least this many ports makes a refusal for memory about its ports. */
const MANY_PORTS = 10_000;

/**
 * The refusal of a file the thread ran out of memory for. A JSON report (`json`) is read one host
 * at a time, so it is one host's ports: it advises scanning that device again by port range, one
 * report each (`memoryJson`), never nmap's options. For nmap XML, when what was read (`tally`) has
 * a host listing many ports, it says so in the user's words (open ports, hosts, the most on one
 * host, what an import handles per host) and advises splitting per host and, for such a host, by
 * protocol or port range (`memoryPorts`); otherwise it advises smaller files (`memory`).
 */
function outOfMemory(
  fileName: string | undefined,
  heapMb: number,
  tally: ImportTally | undefined,
  json: boolean,
): AppFailure {
  const params = { fileName: fileNameWords(fileName ?? ''), limitMb: heapMb };
  if (json) return new AppFailure(Code['report.nmap-too-large'], params, { variant: 'memoryJson' });
  if (tally && tally.largestHost >= MANY_PORTS) {
    return new AppFailure(
      Code['report.nmap-too-large'],
      {
        ...params,
        count: tally.hosts,
        openPorts: tally.openPorts,
        largest: tally.largestHost,
        perHost: IMPORT_PORTS_PER_HOST,
      },
      { variant: 'memoryPorts' },
    );
  }
  return new AppFailure(Code['report.nmap-too-large'], params, { variant: 'memory' });
}

function threadFailed(detail: string): AppFailure {
  return new AppFailure(Code['report.import-stopped'], { detail });
}

/**
 * Creates the import thread: the bundled `import-worker.mjs` next to us in a build, the TypeScript
 * source under tsx otherwise (tests, `npm run cli`), as the scan manager does (Node 20 ignores
 * `--import` in a worker's execArgv, so tsx's loader is registered inside the worker first).
 */
function createWorker(job: ImportJob, heapMb: number): Worker {
  const resourceLimits = {
    maxOldGenerationSizeMb: heapMb,
    maxYoungGenerationSizeMb: IMPORT_YOUNG_GENERATION_MB,
  };
  return startWorker('import-worker', job, resourceLimits);
}

/**
 * Runs `job` in a worker thread whose heap is capped (`heapMb`, V8's old generation): the file parsed
 * into the rows of the begun scan and given its verdicts there (import-rows.ts), the host's own
 * heap left alone. `listeners` answers the thread's one request for this PC's listeners;
 * `onProgress(read, size)` hears the bytes read when `job.progress` is set.
 * Resolves with what keeping the scan still needs.
 * Throws the import's AppFailure as the thread gave it (not nmap, unreadable XML…), an
 * ImportStoreFailure when the store failed, `report.nmap-too-large` (fr/en) when the thread ran
 * out of its memory (naming the file's ports when a host of it lists many: outOfMemory), or `internal` when it stopped otherwise; the begun scan is left to the caller.
 * When `signal` aborts (the client that asked is gone: review 13, F4), the thread is terminated
 * and, once it has stopped (no row of it is written after), the promise rejects with
 * `report.import-stopped`.
 */
export function runImportThread(
  job: ImportJob,
  listeners: () => Promise<ListenersResult>,
  heapMb = IMPORT_OLD_GENERATION_MB,
  onProgress?: (read: number, size: number) => void,
  signal?: AbortSignal,
): Promise<ImportedRows> {
  return new Promise((resolve, reject) => {
    const stopped = () => threadFailed('its client closed');
    if (signal?.aborted) {
      reject(stopped());
      return;
    }
    const worker = createWorker(job, heapMb);
    let settled = false;
    let tally: ImportTally | undefined;
    let json = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    signal?.addEventListener(
      'abort',
      () => {
        if (settled) return;
        settled = true;
        // Rejected once the thread has stopped: the caller then removes the begun scan, and no
        // row of the thread comes after.
        const done = () => reject(stopped());
        worker.terminate().then(done, done);
      },
      { once: true },
    );
    worker.on('message', (message: ImportRequest) => {
      if (message.type === 'listeners') {
        listeners().then(
          (result) => worker.postMessage({ type: 'listeners', result } satisfies ImportReply),
          () => worker.postMessage({ type: 'listeners' } satisfies ImportReply),
        );
      } else if (message.type === 'tally') {
        tally = message.tally;
      } else if (message.type === 'json') {
        json = true;
      } else if (message.type === 'progress') {
        if (!settled) onProgress?.(message.read, message.size);
      } else if (message.type === 'done') {
        settle(() => resolve(message.rows));
      } else {
        const { error, store } = message;
        settle(() => reject(store ? new ImportStoreFailure(error) : AppFailure.relay(error)));
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? outOfMemory(job.fileName, heapMb, tally, json)
            : threadFailed(error.message),
        ),
      );
    });
    worker.on('exit', (code) => {
      settle(() => reject(threadFailed(`exit code ${code}`)));
    });
  });
}
