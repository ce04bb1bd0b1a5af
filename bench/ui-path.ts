// Imports and exports through the UI path (issue 13): the browser-mode host as it ships (bundled
// by scripts/build-main.mjs, started as `node web.mjs --port 0 --no-open`), reached over its
// WebSocket by the page's own client (renderer/api: createWebSocketBridge + createApi, the
// launch token traded for a session as the page does), calling the same methods, with the same
// parameters and in the same order as renderer/stores/report.ts and renderer/stores/scan.ts. So
// the socket, the host's contract checks, its rate limits, the SQLite store, the verdicts, the
// import and export threads are all on the clock; only the page's drawing is not.
// Workloads: a 5,000-host nmap XML (≈ 3.5 MB, test/lab/nmap-xml.ts) imported in the page's pieces
// and its first page of hosts shown; a 1,000-host import's PDF export. Runs as its own process
// (npx tsx bench/ui-path.ts, or `npm run bench -- report`); prints lines starting with "ui ".
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocket as NodeWebSocket } from 'ws';
import { createApi, type Api } from '../renderer/api/create-api.js';
import { createWebSocketBridge } from '../renderer/api/ws-bridge.js';
import { buildMain } from '../scripts/build-main.mjs';
import { generateNmapXml } from '../test/lab/nmap-xml.js';

/** As renderer/stores/scan.ts: the first page the screen shows, and the other hosts it lists. */
const HOSTS_PAGE = 50;
const ADDRESSES_LISTED = 500;
/** Runs of each workload; the median is shown (the machine is shared). */
const REPEAT = Math.max(1, Number(process.env.PA_BENCH_UI_REPEAT ?? 3));
/** What the host needs beside it: its entry and the workers it starts. */
const HOST_BUNDLES = [
  'web.mjs',
  'scan-worker.mjs',
  'import-worker.mjs',
  'export-worker.mjs',
  'prepare-worker.mjs',
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** What the page does for "Ouvrir un XML nmap…": the file in pieces, then its first page shown. */
async function importAsPage(app: Api, bytes: Buffer, fileName: string) {
  const { uploadId, chunkBytes } = await app.call('report.importBegin', {
    fileName,
    size: bytes.length,
  });
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    await app.call('report.importChunk', {
      uploadId,
      offset,
      dataBase64: bytes.subarray(offset, offset + chunkBytes).toString('base64'),
    });
  }
  const imported = await app.call('report.importEnd', { uploadId });
  const scanId = imported.scanId;
  const page = await app.call('scan.get', { scanId, offset: 0, limit: HOSTS_PAGE, status: 'up' });
  // As fetchShown: the silent and the unprobed addresses together, by name.
  await Promise.all(
    (['down', 'unknown'] as const)
      .filter((status) => page.scan.statusCounts[status] > 0)
      .map((status) => app.call('scan.get', { scanId, limit: ADDRESSES_LISTED, status })),
  );
  return { scanId, total: page.total };
}

/** What the page does for "Exporter en PDF": the firewall read afresh, then the export by id. */
async function exportAsPage(app: Api, scanId: string) {
  // The page's firewall read is quiet when it fails (no nftables, not allowed): so is this one.
  await app.call('firewall.list', {}).catch(() => undefined);
  return app.call('report.export', { scanId, format: 'pdf', lang: 'fr' });
}

/** Starts the bundled host as a user does and returns its printed launch address. */
async function startHost(
  entry: string,
  dataDir: string,
): Promise<{ url: URL; child: ChildProcess }> {
  const child = spawn(process.execPath, [entry, '--port', '0', '--no-open'], {
    // The shipped assets (the PDF's fonts) where a build beside the sources finds them.
    env: {
      ...process.env,
      PORT_AUDITOR_DATA_DIR: dataDir,
      PORT_AUDITOR_ASSETS: fileURLToPath(new URL('../assets', import.meta.url)),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<URL>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^PORT_AUDITOR_URL=(\S+)$/.exec(line.trim());
      if (match) resolve(new URL(match[1]!));
    });
    child.once('exit', (code) => reject(new Error(`the web host exited (code ${code})`)));
  });
  return { url, child };
}

/**
 * The page's client over the host's socket. Node has no WebSocket of its own here (Node 20): the
 * `ws` package's stands in, sending the Origin a page of that address sends (the host refuses
 * any other); the tab's session storage is a Map.
 */
async function pageClient(url: URL): Promise<Api> {
  const origin = url.origin;
  class PageSocket extends NodeWebSocket {
    constructor(address: string) {
      super(address, { origin, maxPayload: 256 * 1024 * 1024 });
    }
  }
  (globalThis as { WebSocket?: unknown }).WebSocket = PageSocket;
  const tab = new Map<string, string>();
  const token = /^#token=([\w-]+)$/.exec(url.hash)?.[1] ?? null;
  let opened!: () => void;
  let refused!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    opened = resolve;
    refused = reject;
  });
  const api = createApi((onState) =>
    createWebSocketBridge(
      `ws://${url.host}/api`,
      (state) => {
        onState(state);
        if (state === 'open') opened();
        else if (state !== 'connecting') refused(new Error(`connection ${state}`));
      },
      {
        launchToken: token,
        storage: { getItem: (k) => tab.get(k) ?? null, setItem: (k, v) => void tab.set(k, v) },
      },
    ),
  );
  await ready;
  return api;
}

const dir = mkdtempSync(join(tmpdir(), 'pa-bench-ui-'));
// Inside the checkout, as dist/main is: the bundles find the packages they leave out there.
const bundles = fileURLToPath(new URL(`../dist/bench-ui-${process.pid}/main`, import.meta.url));
let host: ChildProcess | undefined;
try {
  const [entry] = await buildMain({ only: HOST_BUNDLES, outdir: bundles });
  const started = await startHost(entry!, join(dir, 'data'));
  host = started.child;
  const app = await pageClient(started.url);

  const big = Buffer.from(generateNmapXml(5000), 'utf8');
  const importMs: number[] = [];
  let hosts = 0;
  for (let run = 0; run < REPEAT; run++) {
    const start = performance.now();
    const { total } = await importAsPage(app, big, 'lan-5000.xml');
    importMs.push(performance.now() - start);
    hosts = total;
  }
  console.log(
    `ui import 5,000-host nmap XML (${(big.length / 1e6).toFixed(1)} MB, ${hosts} hosts up) over the page's WebSocket in its pieces, first page shown: ${(median(importMs) / 1000).toFixed(2)} s (median of ${REPEAT}: ${importMs.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s)`,
  );

  const thousand = Buffer.from(generateNmapXml(1000, 1795464334), 'utf8');
  const { scanId } = await importAsPage(app, thousand, 'lan-1000.xml');
  const exportMs: number[] = [];
  let size = 0;
  for (let run = 0; run < REPEAT; run++) {
    const start = performance.now();
    const file = await exportAsPage(app, scanId);
    exportMs.push(performance.now() - start);
    size = Buffer.from(file.dataBase64, 'base64').length;
  }
  console.log(
    `ui export PDF of a 1,000-host import (by id, over the page's WebSocket): ${(median(exportMs) / 1000).toFixed(2)} s, ${(size / 1024).toFixed(0)} KiB (median of ${REPEAT}: ${exportMs.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s)`,
  );
} finally {
  if (host && host.exitCode === null) {
    const exited = new Promise((resolve) => host!.once('exit', resolve));
    host.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(dirname(bundles), { recursive: true, force: true });
}
