import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localClient } from '../../app/api/local-client.js';
import { PrepareThreads, runPrepareThread, type PrepareJob } from '../../app/api/prepare-thread.js';
import { createAssessor } from '../../app/api/risk-handlers.js';
import { PREPARE_THREAD_FROM, ScanHistory } from '../../app/api/scan-history.js';
import { lazyAppStore } from '../../app/api/settings-handlers.js';
import { Code, type Listener } from '../../app/contract/index.js';
import { AppFailure } from '../../app/errors.js';
import { generateOpenPortsXml } from '../lab/nmap-xml.js';

/**
 * Review A2: the first page of a big kept import that does not answer on every port (each open
 * port a verdict of its own) used to be prepared in the app's own thread, which then answered
 * nothing for seconds to a minute. Now it is prepared in a prepare thread (real worker, real
 * SQLite store in a temp data folder of this test), the app answering meanwhile, with the very
 * numbers the synchronous path gives.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** 24 hosts × 1,000 open ports of 2,000 scanned (half: not "every port"): 24,024 (hosts + open ports), past the threshold. */
const HOSTS = 24;
const OPEN = 1_000;

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), `pa-prepare-thread-${process.pid}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Imports the big scan into `dir` with an app of its own, closed after: nothing cached. */
async function keptBigImport(dir: string): Promise<string> {
  const importer = localClient({ host: 'cli', dataDir: dir });
  try {
    const { scanId, counts } = await importer.call('report.importNmapXml', {
      xml: generateOpenPortsXml(HOSTS, OPEN, undefined, 2_000),
      fileName: 'big.xml',
    });
    expect(counts).toMatchObject({ hostsUp: HOSTS, openPorts: HOSTS * OPEN });
    expect(HOSTS + HOSTS * OPEN).toBeGreaterThan(PREPARE_THREAD_FROM);
    return scanId;
  } finally {
    await importer.dispose();
  }
}

/** A ScanHistory over `dir`'s store as the app makes it (rules from the store: none here). */
function historyOf(
  dir: string,
  threads: PrepareThreads | null,
  listeners: () => Listener[] = () => [],
): ScanHistory {
  const store = lazyAppStore(() => dir);
  cleanups.push(() => store.close());
  const assessor = createAssessor({
    listeners: async () => ({ platform: 'linux', listeners: listeners(), complete: true }),
  });
  return new ScanHistory(store, () => dir, assessor, undefined, undefined, undefined, threads);
}

const firstPage = (scanId: string) => ({ scanId, status: 'up', offset: 0, limit: 50 }) as const;

describe('a big kept scan reopened', () => {
  it('is prepared in a thread: app.info is answered first, and the page is the synchronous one', async () => {
    const dir = dataDir();
    const scanId = await keptBigImport(dir);

    const app = localClient({ host: 'cli', dataDir: dir });
    cleanups.push(() => app.dispose());
    const answered: string[] = [];
    const page = app.call('scan.get', firstPage(scanId)).then((p) => {
      answered.push('page');
      return p;
    });
    // One turn of the event loop: prepared in this thread, the page would be answered by now
    // (its work and its answer take no turn of their own), before app.info is even asked.
    await new Promise((resolve) => setImmediate(resolve));
    const info = app.call('app.info', {}).then((i) => {
      answered.push('info');
      return i;
    });
    const [thread] = await Promise.all([page, info]);
    expect(answered).toEqual(['info', 'page']);

    // The same scan prepared in this thread (no prepare threads): the very same page.
    const sync = await historyOf(dir, null).page(firstPage(scanId));
    expect(thread).toEqual(sync);
    // Real numbers: each host's 1,000 open ports are verdicts of their own (not every port).
    expect(thread.scan.statusCounts).toEqual({ up: HOSTS, down: 0, unknown: 0 });
    expect(thread.hosts).toHaveLength(HOSTS);
    expect(thread.hosts.every((h) => h.answersEveryPort === undefined)).toBe(true);
    const severities: Record<string, number> = thread.scan.severities ?? {};
    expect(Object.values(severities).reduce((a, b) => a + b, 0)).toBe(HOSTS * OPEN);
    expect(thread.assessment?.counts).toEqual(severities);
    for (const host of thread.assessment?.hosts ?? []) {
      expect(Object.values(host.counts).reduce((a, b) => a + b, 0)).toBe(OPEN);
    }
  });

  it('asked by two clients at once is one thread; a thread no client waits for is stopped', async () => {
    const dir = dataDir();
    const scanId = await keptBigImport(dir);
    const signals: AbortSignal[] = [];
    const threads = new PrepareThreads(2, (job, signal) => {
      if (signal) signals.push(signal);
      return runPrepareThread(job, signal);
    });
    const history = historyOf(dir, threads);
    const [a, b] = await Promise.all([
      history.page(firstPage(scanId), 'a'),
      history.page(firstPage(scanId), 'b'),
    ]);
    expect(signals).toHaveLength(1);
    expect(a).toEqual(b);
    expect(threads.running).toBe(0);

    // Another app (nothing cached): its only client closes while the thread works.
    const other = historyOf(dir, threads);
    const gone = other.page(firstPage(scanId), 'c');
    // Its worker started (the runner was called), then its client goes.
    while (signals.length < 2) await new Promise((resolve) => setImmediate(resolve));
    expect(threads.running).toBe(1);
    other.forget('c');
    const error = await gone.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppFailure);
    expect((error as AppFailure).appError.code).toBe(Code.internal);
    expect(signals).toHaveLength(2);
    expect(signals[1]?.aborted).toBe(true);
  });

  it('is given this PC’s sockets as read at reopen, and prepared again when they change', async () => {
    const dir = dataDir();
    const scanId = await keptBigImport(dir);
    const jobs: PrepareJob[] = [];
    const threads = new PrepareThreads(2, (job, signal) => {
      jobs.push(job);
      return runPrepareThread(job, signal);
    });
    let sockets: Listener[] = [
      { protocol: 'tcp', address: '127.0.0.1', port: 5432, program: { pid: 7, name: 'postgres' } },
    ];
    const history = historyOf(dir, threads, () => sockets);
    const first = await history.page(firstPage(scanId), 'a');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.listeners?.listeners).toEqual(sockets);
    // The same sockets: the prepared scan is reused.
    await history.page(firstPage(scanId), 'a');
    expect(jobs).toHaveLength(1);
    // They changed: the scan is prepared again with them.
    sockets = [...sockets, { protocol: 'tcp', address: '0.0.0.0', port: 22 }];
    const again = await history.page(firstPage(scanId), 'a');
    expect(jobs).toHaveLength(2);
    expect(jobs[1]?.listeners?.listeners).toEqual(sockets);
    // None of the file's hosts is this PC: the same verdicts.
    expect(again.assessment).toEqual(first.assessment);
  });
});
