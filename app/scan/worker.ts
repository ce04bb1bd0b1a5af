import { parentPort, workerData } from 'node:worker_threads';
import { toAppError } from '../errors.js';
import { ScanEngine, type ScanPlan } from './engine.js';

/**
 * Worker-thread entry: runs one scan and posts its events, so a 65,535-port scan never blocks the
 * host's event loop. The parent sends `{ type: 'cancel' }` to stop it.
 */
const plan = workerData as ScanPlan;
const port = parentPort;
if (!port) throw new Error('app/scan/worker.ts must run in a worker thread');

try {
  const engine = new ScanEngine(plan, (event) => port.postMessage(event));
  port.on('message', (message: { type?: string }) => {
    if (message.type === 'cancel') engine.cancel();
  });
  void engine.run().then(() => port.close());
} catch (error) {
  port.postMessage({ type: 'failed', scanId: plan.scanId, error: toAppError(error) });
  port.close();
}
