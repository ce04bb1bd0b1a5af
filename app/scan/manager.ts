import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { ScanRequest, type ScanEvent, type ScanPreview } from '../contract/index.js';
import type { ScanService } from './service.js';
import { errorMessage, fail, toAppError } from '../errors.js';
import { serializeIntervals } from './addresses.js';
import type { ScanPlan, Tuning } from './engine.js';
import { readAdapters, type NetworkAdapter } from '../system/adapters.js';
import { parsePortSpec } from './ports.js';
import { parseTargets, requireConfirmation, type ParseTargetsOptions } from './targets.js';

/** How long a read of this PC's adapters is reused (ms). */
const ADAPTERS_FRESH_MS = 10_000;

/**
 * How long a cancelled worker may take to report its partial result before it is terminated: a
 * safety net for a hung worker, generous because a busy PC (two cores, other programs) can delay
 * a healthy worker's answer by seconds.
 */
const CANCEL_GRACE_MS = 10_000;

interface RunningScan {
  worker: Worker;
  cancelTimer?: NodeJS.Timeout;
  /** Set when the app itself terminated the worker after a cancel's grace. */
  terminatedAfterCancel?: boolean;
}

export interface ScanManagerOptions {
  /** Engine timing and concurrency overrides (tests, benchmarks). */
  tuning?: Partial<Tuning>;
  /** Interfaces and resolver overrides for target expansion (tests). */
  targets?: ParseTargetsOptions;
}

/**
 * Creates the scan worker: the bundled `scan-worker.mjs` next to us in a build, the TypeScript source
 * under tsx otherwise (tests, `npm run cli`). Node 20 ignores `--import` in a worker's execArgv, so
 * the source case starts from a tiny bootstrap that registers tsx's loader inside the worker first.
 */
function createWorker(plan: ScanPlan): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./scan-worker.mjs', import.meta.url), { workerData: plan });
  }
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: plan });
}

function validRequest(input: ScanRequest): ScanRequest {
  const parsed = ScanRequest.safeParse(input);
  if (!parsed.success) {
    fail('scan.request.invalid');
  }
  return parsed.data;
}

/**
 * Validates and expands scan requests, then runs each scan in its own worker thread and relays
 * its events. Every scan ends with exactly one `finished` or `failed` event.
 */
export class ScanManager implements ScanService {
  private readonly running = new Map<string, RunningScan>();
  /** The last read of this PC's adapters: a preview and the start that follows share it. */
  private adaptersRead?: {
    at: number;
    names: string;
    value: Promise<NetworkAdapter[] | null>;
  };

  constructor(private readonly options: ScanManagerOptions = {}) {}

  /** Parses and checks a request without scanning (the CLI and UI use it to show errors early). */
  async plan(input: ScanRequest, scanId: string = randomUUID()): Promise<ScanPlan> {
    const request = validRequest(input);
    const ports = parsePortSpec(request.ports);
    const targets = await parseTargets(request.targets, await this.targetOptions(request));
    requireConfirmation(
      targets,
      request.confirmed,
      request.adapters !== undefined,
      request.confirmation,
    );
    return {
      scanId,
      request,
      intervals: serializeIntervals(targets.intervals),
      count: targets.count,
      hostnames: targets.hostnames,
      zones: targets.zones,
      localAddresses: targets.localAddresses,
      connected: serializeIntervals(targets.connected),
      ports: ports.tcp,
      ...(ports.udp.length > 0 ? { udpPorts: ports.udp } : {}),
      notes: targets.notes,
      ...(this.options.tuning ? { tuning: this.options.tuning } : {}),
    };
  }

  async preview(input: ScanRequest): Promise<ScanPreview> {
    const request = validRequest(input);
    const targets = await parseTargets(request.targets, await this.targetOptions(request));
    return {
      count: targets.count,
      leftOut: targets.leftOut,
      localNetworks: targets.localNetworks,
      notes: targets.notes,
    };
  }

  private async targetOptions(request: ScanRequest): Promise<ParseTargetsOptions> {
    const options: ParseTargetsOptions = {
      ...this.options.targets,
      ...(request.adapters ? { includeAdapters: request.adapters } : {}),
    };
    if (
      options.adapters === undefined &&
      /(^|[\s,;!])local-network($|[\s,;])/i.test(request.targets)
    ) {
      options.adapters = await this.adapters(
        Object.keys(options.interfaces ?? os.networkInterfaces()),
        options.platform ?? process.platform,
      );
    }
    return options;
  }

  /**
   * This PC's adapters, read at most once per ADAPTERS_FRESH_MS for the same interfaces: on Windows
   * a read is a PowerShell run of about a second, and the choice dialog's preview is followed by
   * the start within seconds.
   */
  private adapters(names: string[], platform: NodeJS.Platform): Promise<NetworkAdapter[] | null> {
    const key = names.join('\n');
    const now = Date.now();
    const last = this.adaptersRead;
    if (last && last.names === key && now - last.at < ADAPTERS_FRESH_MS) return last.value;
    const value = readAdapters(names, platform);
    this.adaptersRead = { at: now, names: key, value };
    return value;
  }

  async start(
    request: ScanRequest,
    onEvent: (event: ScanEvent) => void,
    id: string = randomUUID(),
  ): Promise<string> {
    const plan = await this.plan(request, id);
    const { scanId } = plan;
    const worker = createWorker(plan);
    const scan: RunningScan = { worker };
    this.running.set(scanId, scan);
    let ended = false;
    const end = (event: ScanEvent): void => {
      if (ended) return;
      ended = true;
      if (scan.cancelTimer) clearTimeout(scan.cancelTimer);
      this.running.delete(scanId);
      onEvent(event);
      void worker.terminate();
    };
    // The worker posts its events in batches (see worker.ts).
    worker.on('message', (batch: ScanEvent[]) => {
      for (const event of batch) {
        if (ended) return;
        if (event.type === 'finished' || event.type === 'failed') end(event);
        else onEvent(event);
      }
    });
    worker.on('error', (error) => end({ type: 'failed', scanId, error: toAppError(error) }));
    worker.on('exit', (code) => {
      // Our own termination of a cancelled scan is not an unexpected stop (say so, not 'code 1').
      const error = scan.terminatedAfterCancel
        ? { code: 'scan.cancelForced' as const, message: errorMessage('scan.cancelForced') }
        : {
            code: 'scan.workerExited' as const,
            message: errorMessage('scan.workerExited', { exitCode: code }),
            params: { exitCode: code },
          };
      end({ type: 'failed', scanId, error });
    });
    return scanId;
  }

  cancel(scanId: string): boolean {
    const scan = this.running.get(scanId);
    if (!scan) return false;
    scan.worker.postMessage({ type: 'cancel' });
    scan.cancelTimer ??= setTimeout(() => {
      scan.terminatedAfterCancel = true;
      void scan.worker.terminate();
    }, CANCEL_GRACE_MS);
    return true;
  }

  cancelAll(): void {
    for (const scanId of [...this.running.keys()]) this.cancel(scanId);
  }

  /** Scans currently running. */
  get activeScans(): string[] {
    return [...this.running.keys()];
  }
}
