import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { AppError, HostResult, ListenersResult, RiskAssessResult } from '../contract/index.js';
import { assessHosts } from '../risk/assess.js';
import { knowledgeBase } from '../risk/knowledge-base.js';
import { ownersHidden } from '../risk/reassess.js';
import { databasePath, openDatabaseAgain } from '../store/database.js';
import { ScanStore } from '../store/scans.js';
import { fileHead, importJsonRows, looksLikeJson } from './import-json-rows.js';
import { importRows } from './import-rows.js';
import { openImportFile } from './picked-import.js';
import type { ImportJob, ImportReply, ImportRequest } from './import-thread.js';
import { isStoreError, workerFailure } from './worker-failure.js';

/**
 * Worker-thread entry of an import, nmap XML or JSON report (see import-thread.ts): parses the file into the rows of
 * the begun scan through its own connection to the app's store (WAL: the host keeps using its
 * own), gives them their verdicts, and posts the outcome once. This thread's heap is capped, so the
 * garbage of parsing and assessing 65,000 hosts is collected as it comes instead of growing the
 * host's heap. This PC's listeners are asked of the host (which reads them for every verdict of
 * the app), at most once per import.
 */
const job = workerData as ImportJob;
const port = parentPort;
if (!port) throw new Error('app/api/import-worker.ts must run in a worker thread');

let listeners: Promise<ListenersResult> | null = null;
const askListeners = (): Promise<ListenersResult> => {
  listeners ??= new Promise((resolve, reject) => {
    const answer = (reply: ImportReply) => {
      if (reply.type !== 'listeners') return;
      port.off('message', answer);
      if (reply.result) resolve(reply.result);
      else reject(new Error('listeners unreadable'));
    };
    port.on('message', answer);
    port.postMessage({ type: 'listeners' } satisfies ImportRequest);
  });
  return listeners;
};

/** As the host's Assessor gives them, from the rules the host read when the import began. */
async function assess(hosts: readonly HostResult[]): Promise<RiskAssessResult> {
  const needsPrograms = hosts.some((h) => h.isLocal && h.ports.some((p) => p.state === 'open'));
  let found: ListenersResult['listeners'] = [];
  let complete = true;
  if (needsPrograms) {
    try {
      const result = await askListeners();
      found = result.listeners;
      // Already root: running again as administrator would show no more owners.
      complete = !ownersHidden(result);
    } catch {
      // Verdicts are still worth showing without programs. Running as administrator would not
      // help a read that failed, so the advice is not given (issue 13 review, #2).
      complete = true;
    }
  }
  return assessHosts(hosts, found, knowledgeBase(), complete, job.rules);
}

/**
 * Whether the file to import is a JSON document (looksLikeJson on its first bytes); false when it
 * cannot be read, so the nmap reader names why (its size refusal names no format: review F6).
 */
async function isJsonFile(file: string): Promise<boolean> {
  try {
    // Stat first, as the readers do: a FIFO would block open(2) and a folder has no bytes.
    const { handle } = await openImportFile(file);
    try {
      return looksLikeJson(await fileHead(handle));
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

async function run(): Promise<ImportRequest> {
  let db: ReturnType<typeof openDatabaseAgain> | null = null;
  try {
    // The host opened, checked and upgraded it a moment ago (ScanStore.begin).
    db = openDatabaseAgain(job.dataDir);
    const progress = job.progress
      ? (read: number, size: number) =>
          parentPort?.postMessage({ type: 'progress', read, size } satisfies ImportRequest)
      : undefined;
    if (await isJsonFile(job.file)) {
      // Before a byte of it is parsed: a refusal for want of memory then names a JSON report.
      parentPort?.postMessage({ type: 'json' } satisfies ImportRequest);
      // A JSON report of this app's takes the same road (issue 13, A15): rows, then verdicts.
      const rows = await importJsonRows(
        new ScanStore(db),
        job.scanId,
        job.file,
        {
          localAddresses: new Set(job.localAddresses),
          thisPcName: os.hostname(),
          ...(job.fileName !== undefined ? { fileName: job.fileName } : {}),
        },
        assess,
        JSON.stringify(job.rules),
        progress,
      );
      return { type: 'done', rows };
    }
    const rows = await importRows(
      new ScanStore(db),
      job.scanId,
      job.file,
      {
        localAddresses: new Set(job.localAddresses),
        ...(job.fileName !== undefined ? { fileName: job.fileName } : {}),
        // What was read, so a refusal for want of memory can say what the file holds.
        onTally: (tally) =>
          parentPort?.postMessage({ type: 'tally', tally } satisfies ImportRequest),
      },
      assess,
      JSON.stringify(job.rules),
      progress,
    );
    return { type: 'done', rows };
  } catch (error) {
    const relayed = (error as { appError?: unknown } | null)?.appError;
    return {
      type: 'failed',
      store: isStoreError(error),
      error: relayed ? (relayed as AppError) : workerFailure(error, databasePath(job.dataDir)),
    };
  } finally {
    db?.close();
  }
}

void run().then((outcome) => {
  port.postMessage(outcome);
  port.close();
});
