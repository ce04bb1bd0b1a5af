// Imports and exports through the UI path (issue 13): the app's API as the page calls it — the same
// methods, parameters and order as renderer/stores/report.ts and renderer/stores/scan.ts — over
// app/api's local client with the browser-mode host's kind, so the app's handlers, contract checks,
// SQLite store and verdicts are all on the clock; only the WebSocket between page and app is not.
// Workloads: a 5,000-host nmap XML (≈ 3.5 MB, test/lab/nmap-xml.ts) imported in the page's pieces
// and its first page of hosts shown; a 1,000-host import's PDF export. Runs as its own process
// (npx tsx bench/ui-path.ts, or `npm run bench -- report`); prints lines starting with "ui ".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { localClient, type LocalClient } from '../app/api/local-client.js';
import { generateNmapXml } from '../test/lab/nmap-xml.js';

/** As renderer/stores/scan.ts: the first page the screen shows, and the other hosts it lists. */
const HOSTS_PAGE = 50;
const ADDRESSES_LISTED = 500;
/** Runs of each workload; the median is shown (the machine is shared). */
const REPEAT = Math.max(1, Number(process.env.PA_BENCH_UI_REPEAT ?? 3));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** What the page does for "Ouvrir un XML nmap…": the file in pieces, then its first page shown. */
async function importAsPage(app: LocalClient, bytes: Buffer, fileName: string) {
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
  const page = await app.call('scan.get', {
    scanId: imported.scanId,
    offset: 0,
    limit: HOSTS_PAGE,
    status: 'up',
  });
  for (const status of ['down', 'unknown'] as const) {
    if (page.scan.statusCounts[status] > 0)
      await app.call('scan.get', { scanId: imported.scanId, limit: ADDRESSES_LISTED, status });
  }
  return { scanId: imported.scanId, total: page.total };
}

/** What the page does for "Exporter en PDF": the firewall read afresh, then the export by id. */
async function exportAsPage(app: LocalClient, scanId: string) {
  // The page's firewall read is quiet when it fails (no nftables, not allowed): so is this one.
  await app.call('firewall.list', {}).catch(() => undefined);
  return app.call('report.export', { scanId, format: 'pdf', lang: 'fr' });
}

const dir = mkdtempSync(join(tmpdir(), 'pa-bench-ui-'));
const app = localClient({ host: 'web', dataDir: dir }, 'bench-page');
try {
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
    `ui import 5,000-host nmap XML (${(big.length / 1e6).toFixed(1)} MB, ${hosts} hosts up) in the page's pieces, first page shown: ${(median(importMs) / 1000).toFixed(2)} s (median of ${REPEAT}: ${importMs.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s)`,
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
    `ui export PDF of a 1,000-host import (by id): ${(median(exportMs) / 1000).toFixed(2)} s, ${(size / 1024).toFixed(0)} KiB (median of ${REPEAT}: ${exportMs.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s)`,
  );
} finally {
  await app.dispose();
  rmSync(dir, { recursive: true, force: true });
}
