import { describe, expect, it } from 'vitest';
import {
  PrepareThreads,
  type PrepareJob,
  type PreparedNumbers,
} from '../../app/api/prepare-thread.js';
import { AppFailure } from '../../app/errors.js';

/**
 * PrepareThreads' turns (review A2): at most `max` threads at once, one per key, the others in
 * order; a thread whose waiters all left is stopped or never started. The runner is injected (a
 * thread that finishes when the test says so): the worker itself is tested in
 * test/integration/kept-prepare-thread.test.ts.
 */
function numbers(dropped: number): PreparedNumbers {
  return {
    summary: {
      hosts: [],
      counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      blocked: 0,
      programsComplete: true,
      firewallRules: [],
    },
    order: { up: [], down: [], unknown: [] },
    upDevice: [],
    dropped,
    duplicates: [],
    counts: { addresses: 0, hosts: 0, hostsUp: 0, devicesUp: 0, openPorts: 0 },
    levels: [],
  };
}

function job(scanId: string): PrepareJob {
  return {
    dataDir: '/nowhere',
    scanId,
    localAddresses: [],
    rules: [],
    removedRules: [],
    listeners: null,
  };
}

/** A runner whose threads finish when `finish(scanId, dropped)` is called. */
function heldRunner() {
  const started: string[] = [];
  const stopped: string[] = [];
  const finishers = new Map<string, (n: PreparedNumbers) => void>();
  const run = (j: PrepareJob, signal?: AbortSignal) =>
    new Promise<PreparedNumbers>((resolve, reject) => {
      started.push(j.scanId);
      finishers.set(j.scanId, resolve);
      signal?.addEventListener('abort', () => {
        stopped.push(j.scanId);
        reject(new AppFailure('internal', { detail: 'stopped' }));
      });
    });
  const finish = (scanId: string, dropped: number) => finishers.get(scanId)?.(numbers(dropped));
  return { run, started, stopped, finish };
}

/** Lets the promise callbacks queued so far run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('PrepareThreads', () => {
  it('runs two threads at once, one per key, the third when one ends', async () => {
    const runner = heldRunner();
    const threads = new PrepareThreads(2, runner.run);
    const a1 = threads.prepare('a', job('a'), 'x');
    const a2 = threads.prepare('a', job('a'), 'y');
    const b = threads.prepare('b', job('b'), 'x');
    const c = threads.prepare('c', job('c'), 'x');
    await settle();
    expect(runner.started).toEqual(['a', 'b']);
    expect(threads.running).toBe(2);

    runner.finish('a', 1);
    expect((await a1).dropped).toBe(1);
    expect((await a2).dropped).toBe(1);
    await settle();
    expect(runner.started).toEqual(['a', 'b', 'c']);
    runner.finish('b', 2);
    runner.finish('c', 3);
    expect((await b).dropped).toBe(2);
    expect((await c).dropped).toBe(3);
    expect(threads.running).toBe(0);
  });

  it('stops a thread once all its waiters left, and never starts a waiting one', async () => {
    const runner = heldRunner();
    const threads = new PrepareThreads(1, runner.run);
    const mine = threads.prepare('a', job('a'), 'x');
    const theirs = threads.prepare('a', job('a'), 'y');
    const queued = threads.prepare('b', job('b'), 'x');
    await settle();
    expect(runner.started).toEqual(['a']);

    threads.closed('x');
    await expect(mine).rejects.toBeInstanceOf(AppFailure);
    await expect(queued).rejects.toBeInstanceOf(AppFailure);
    // Client y still waits for 'a': it goes on.
    expect(runner.stopped).toEqual([]);
    runner.finish('a', 4);
    expect((await theirs).dropped).toBe(4);
    await settle();
    expect(runner.started).toEqual(['a']);

    const last = threads.prepare('c', job('c'), 'z');
    await settle();
    threads.closed('z');
    await expect(last).rejects.toBeInstanceOf(AppFailure);
    expect(runner.stopped).toEqual(['c']);
    expect(threads.running).toBe(0);
  });
});
