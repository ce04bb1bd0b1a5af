import { parentPort, workerData } from 'node:worker_threads';
import type { ScanEvent } from '../contract/index.js';
import { toAppError } from '../errors.js';
import { ScanEngine, type ScanPlan } from './engine.js';

/**
 * Worker-thread entry: runs one scan and posts its events, so a 65,535-port scan never blocks the
 * host's event loop. The parent sends `{ type: 'cancel' }` to stop it. Events go out in batches,
 * one message per turn of the event loop: each message costs a structured clone and a wake-up of
 * the parent, which a host with hundreds of open ports would otherwise pay per port.
 */
const plan = workerData as ScanPlan;
const port = parentPort;
if (!port) throw new Error('app/scan/worker.ts must run in a worker thread');

let batch: ScanEvent[] = [];
let flushScheduled = false;
const flush = (): void => {
  flushScheduled = false;
  if (batch.length === 0) return;
  port.postMessage(batch);
  batch = [];
};
const post = (event: ScanEvent): void => {
  batch.push(event);
  if (event.type === 'finished' || event.type === 'failed') flush();
  else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
};

try {
  const engine = new ScanEngine(plan, post);
  port.on('message', (message: { type?: string }) => {
    if (message.type === 'cancel') engine.cancel();
  });
  void engine.run().then(() => port.close());
} catch (error) {
  post({ type: 'failed', scanId: plan.scanId, error: toAppError(error) });
  port.close();
}
