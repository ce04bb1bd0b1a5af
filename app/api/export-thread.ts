import { Worker } from 'node:worker_threads';
import { startWorker } from './start-worker.js';
import type { AppError, FirewallRule, Language, ReportFormat } from '../contract/index.js';
import type { ExportProgressStep } from '../contract/report.js';
import { Code } from '../contract/error-codes.js';
import { AppFailure } from '../errors.js';
import type { LocalPortInfo } from '../risk/assess.js';
import type { ListenersNow } from '../risk/reassess.js';

/** What the export thread is given (export-worker.ts): all it needs of the host to export a kept scan. */
export interface ExportJob {
  /** The app's data directory, whose store (already opened by the host) the thread reads. */
  dataDir: string;
  /**
   * The file the host's connection reads when it is not the data directory's own: the private
   * read-only copy of a read-only store (openDatabaseForReading), which the thread then reads.
   */
  storeFile?: string;
  scanId: string;
  format: ReportFormat;
  lang: Language;
  /** The PC's name the report says it was made on. */
  pcName: string;
  /** This PC's addresses now (kept hosts' `isLocal` is worked out again from them). */
  localAddresses: string[];
  /** Port Auditor's rules as the host last read them, and its outbound rules removed since. */
  rules: FirewallRule[];
  removedRules: FirewallRule[];
  /** This PC's listening sockets as the host read them for the export (see PrepareJob.listeners). */
  listeners: ListenersNow;
  /**
   * This PC's ports' exposure and program as this process saw them when it kept the scan
   * (ScanHistory's own claims, key `address|port/protocol`), or absent when it did not keep it.
   */
  claims?: [string, LocalPortInfo][];
}

/** The exported file, as `report.export` answers it. */
export interface ExportedFile {
  fileName: string;
  mimeType: string;
  dataBase64: string;
}

/** The export thread's last message. */
export type ExportOutcome =
  { type: 'done'; file: ExportedFile } | { type: 'failed'; error: AppError };

/** How far the thread has got (ReportProgress's arguments), posted before its outcome. */
export interface ExportProgressMessage {
  type: 'progress';
  step: ExportProgressStep;
  done: number;
  total: number | null;
}

/** Called with each progress message of the thread, in the order the thread posted them. */
export type ExportProgressListener = (
  step: ExportProgressStep,
  done: number,
  total: number | null,
) => void;

/**
 * The heap of an export's worker thread (V8's old generation, MB): what a report of a kept scan
 * may hold before it is stopped with `report.export-too-large` instead of taking the machine's
 * memory (V8's default is a share of the machine's RAM, per thread; three exports run at once).
 * The largest report measured, the PDF of one host with every TCP port open (65,535 ports,
 * test/integration/report-export-thread.test.ts), is made within it.
 */
export const EXPORT_OLD_GENERATION_MB = 512;

function threadFailed(detail: string): AppFailure {
  return new AppFailure('internal', { detail });
}

/** An export stopped at its heap's cap, in words saying what to do (errors.json). */
function tooLarge(format: ReportFormat, heapMb: number): AppFailure {
  return new AppFailure(
    Code['report.export-too-large'],
    { format: FORMAT_NAME[format], limitMb: heapMb },
    { variant: format === 'csv' ? 'csv' : 'lighter' },
  );
}

/** A format as the message names it (the same word in French and English). */
const FORMAT_NAME: Record<ReportFormat, string> = {
  pdf: 'PDF',
  csv: 'CSV',
  json: 'JSON',
  'nmap-xml': 'nmap XML',
};

/**
 * Creates the export thread: the bundled `export-worker.mjs` next to us in a build, the TypeScript
 * source under tsx otherwise (tests, `npm run cli`), as the import thread is (import-thread.ts).
 */
function createWorker(job: ExportJob, heapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: heapMb };
  return startWorker('export-worker', job, resourceLimits);
}

/**
 * Exports kept scan `job.scanId` in a worker thread of its own (export-worker.ts): the whole scan
 * read from the store, its verdicts worked out again and the file written there, so a report of a
 * huge scan (every port of a tarpit, 65,000 hosts) never blocks the host's event loop, which goes
 * on answering the page, running scans and the firewall meanwhile (review 13c attacker B1).
 * Resolves with the file (base64, as `report.export` answers). Throws the export's AppFailure as
 * the thread gave it (`scan.not-found`, `scan.unreadable`, `scan.no-longer-kept`, the store's
 * failures, `report.fonts-missing`…), `report.export-too-large` (fr/en, saying what to do) when
 * the thread ran out of its heap (`heapMb`, V8's old generation, in MB: the app goes on, only
 * that thread stops), or `internal` when the thread stopped otherwise or `signal` aborted it (its
 * client closed: the thread is terminated, its memory freed). `signal` aborted with an AppFailure
 * as its reason (`report.export-cancelled`: the user's Cancel) rejects with that failure instead.
 * Whenever it rejects or resolves, the thread has already stopped (terminated, awaited): a
 * cancelled export holds no memory or CPU past its answer. `onProgress` hears the thread's
 * progress (ExportProgressMessage) in order, never after the promise settled.
 */
export function runExportThread(
  job: ExportJob,
  signal?: AbortSignal,
  heapMb = EXPORT_OLD_GENERATION_MB,
  onProgress?: ExportProgressListener,
): Promise<ExportedFile> {
  const stopped = (): AppFailure =>
    signal?.reason instanceof AppFailure
      ? signal.reason
      : threadFailed('export stopped: its client closed');
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(stopped());
      return;
    }
    const worker = createWorker(job, heapMb);
    signal?.addEventListener('abort', () => settle(() => reject(stopped())), { once: true });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      // Answered once the thread is gone, so a Cancel answered means the work has stopped.
      void worker.terminate().then(fn, fn);
    };
    worker.on('message', (message: ExportOutcome | ExportProgressMessage) => {
      if (message.type === 'progress') {
        if (!settled) onProgress?.(message.step, message.done, message.total);
      } else if (message.type === 'done') settle(() => resolve(message.file));
      else settle(() => reject(AppFailure.relay(message.error)));
    });
    worker.on('error', (error: Error & { code?: string }) =>
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? tooLarge(job.format, heapMb)
            : threadFailed(error.message),
        ),
      ),
    );
    worker.on('exit', (code) => settle(() => reject(threadFailed(`exit code ${code}`))));
  });
}
