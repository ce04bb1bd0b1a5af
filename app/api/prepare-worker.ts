import { parentPort, workerData } from 'node:worker_threads';
import { databasePath, openDatabaseAgain } from '../store/database.js';
import type { PrepareJob, PrepareOutcome } from './prepare-thread.js';
import type { Assessor } from './risk-handlers.js';
import { ScanHistory } from './scan-history.js';
import { workerFailure } from './worker-failure.js';

/**
 * Worker-thread entry of the preparation of a big kept scan (see prepare-thread.ts): reads its rows
 * through its own connection to the app's store (WAL: the host keeps using its own), works its
 * verdicts out again with the rules and addresses the host gave, exactly as the host's own
 * ScanHistory would, and posts the small numbers once. Nothing here asks the host anything.
 */
const job = workerData as PrepareJob;
const port = parentPort;
if (!port) throw new Error('app/api/prepare-worker.ts must run in a worker thread');

/** The host's rules as it gave them; a kept scan's verdicts are never given anew here. */
const assessor: Assessor = {
  rules: () => job.rules,
  removedRules: () => job.removedRules,
  assess: () => Promise.reject(new Error('preparing gives no new verdict')),
  listeners: () => Promise.reject(new Error('preparing reads no listener')),
};

function run(): PrepareOutcome {
  let db: ReturnType<typeof openDatabaseAgain> | null = null;
  try {
    // The host opened, checked and upgraded it (ScanHistory.prepareContext).
    const opened = openDatabaseAgain(job.dataDir, true, job.storeFile);
    db = opened;
    const history = new ScanHistory(
      { get: () => opened },
      () => job.dataDir,
      assessor,
      () => new Set(job.localAddresses),
    );
    history.useListeners(job.listeners);
    if (job.claims) history.adoptClaims(job.scanId, job.claims);
    return { type: 'done', prepared: history.preparedNumbers(job.scanId) };
  } catch (error) {
    return { type: 'failed', error: workerFailure(error, databasePath(job.dataDir)) };
  } finally {
    db?.close();
  }
}

port.postMessage(run());
port.close();
