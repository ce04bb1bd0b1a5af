import { parentPort, workerData } from 'node:worker_threads';
import { exportReport } from '../report/export.js';
import { scanJsonOf } from '../report/json-import.js';
import { databasePath, openDatabaseAgain } from '../store/database.js';
import type { ExportJob, ExportOutcome, ExportProgressMessage } from './export-thread.js';
import type { ReportProgress } from '../report/pdf.js';
import { throttledProgress } from '../report/progress-throttle.js';
import type { Assessor } from './risk-handlers.js';
import { ScanHistory } from './scan-history.js';
import { workerFailure } from './worker-failure.js';

/**
 * Worker-thread entry of `report.export` of a kept scan (see export-thread.ts): reads the scan
 * through its own connection to the app's store (WAL: the host keeps using its own), works its
 * verdicts out again with the rules and addresses the host gave, writes the file, and posts the
 * outcome once. Nothing here asks the host anything: an export gives no new verdict.
 */
const job = workerData as ExportJob;
const port = parentPort;
if (!port) throw new Error('app/api/export-worker.ts must run in a worker thread');

/** The host's rules as it gave them; a kept scan's verdicts are never given anew here. */
const assessor: Assessor = {
  rules: () => job.rules,
  removedRules: () => job.removedRules,
  assess: () => Promise.reject(new Error('an export gives no new verdict')),
  listeners: () => Promise.reject(new Error('an export reads no listener')),
};

/**
 * Posts the report's progress to the host, throttled (throttledProgress: 5,000 devices make 100
 * messages, not 5,000). Posted at once, while the report's synchronous work goes on: the host
 * receives them as they come.
 */
function progressPoster(): ReportProgress {
  return throttledProgress((step, done, total) => {
    const message: ExportProgressMessage = { type: 'progress', step, done, total };
    port?.postMessage(message);
  });
}

async function run(): Promise<ExportOutcome> {
  let db: ReturnType<typeof openDatabaseAgain> | null = null;
  try {
    // The host opened, checked and upgraded it (ScanHistory.exportContext).
    const opened = openDatabaseAgain(job.dataDir, job.storeFile !== undefined, job.storeFile);
    db = opened;
    const history = new ScanHistory(
      { get: () => opened },
      () => job.dataDir,
      assessor,
      () => new Set(job.localAddresses),
    );
    history.useListeners(job.listeners);
    if (job.claims) history.adoptClaims(job.scanId, job.claims);
    const kept = history.full(job.scanId);
    // A kept engine scan was made here: its source names this PC's addresses, as `scan --json`
    // and `show --json` write them, so its JSON report read back here (`report FILE.json`) is
    // known as this PC's and rated as reopening it rates it (review N4: its loopback was
    // "another device", Low, where the reopened scan said This PC, Medium).
    const { pcName: _same, ...scan } = scanJsonOf(
      kept.result,
      job.pcName,
      new Set(job.localAddresses),
    );
    const file = await exportReport(
      job.format,
      job.lang,
      {
        scan,
        ...(kept.assessment ? { assessment: kept.assessment } : {}),
        firewallRules: job.rules,
        removedRules: job.removedRules,
        macAddresses: kept.macAddresses,
        pcName: job.pcName,
      },
      progressPoster(),
    );
    return {
      type: 'done',
      file: {
        fileName: file.fileName,
        mimeType: file.mimeType,
        dataBase64: file.data.toString('base64'),
      },
    };
  } catch (error) {
    return { type: 'failed', error: workerFailure(error, databasePath(job.dataDir)) };
  } finally {
    db?.close();
  }
}

void run().then((outcome) => {
  port.postMessage(outcome);
  port.close();
});
