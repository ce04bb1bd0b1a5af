import { Worker, type ResourceLimits } from 'node:worker_threads';

/** The app's worker threads that live beside this module (bundled as `<name>.mjs` in a build). */
export type AppWorker = 'import-worker' | 'export-worker' | 'prepare-worker';

/**
 * Starts one of the app's worker threads with `workerData` and its heap limits: the bundled
 * `<name>.mjs` next to us in a build, the TypeScript source under tsx otherwise (tests, `npm run
 * cli`). Node 20 ignores `--import` in a worker's execArgv, so tsx's loader is registered inside
 * the worker before its entry is imported. Throws as `new Worker` does (a missing file).
 */
export function startWorker(
  name: AppWorker,
  workerData: unknown,
  resourceLimits: ResourceLimits,
): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL(`./${name}.mjs`, import.meta.url), { workerData, resourceLimits });
  }
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
}
