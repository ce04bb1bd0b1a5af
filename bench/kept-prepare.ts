// `tsx bench/kept-prepare.ts [hosts] [open] [scanned] [--profile-only]` — the first page of a big
// kept import that does not answer on every port (256 hosts × 1,000 open of 2,000 scanned by
// default, review A2): imports it into a temp data folder, then opens it in a new app (nothing
// cached, as after a restart) and times its first `scan.get` and an `app.info` asked meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { localClient } from '../app/api/local-client.js';
import { generateOpenPortsXml } from '../test/lab/nmap-xml.js';

const [hosts = 256, open = 1_000, scanned = 2_000] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'))
  .map(Number);
const dir = mkdtempSync(path.join(tmpdir(), 'pa-bench-prepare-'));
try {
  const importer = localClient({ host: 'cli', dataDir: dir });
  const t0 = performance.now();
  const { scanId } = await importer.call('report.importNmapXml', {
    xml: generateOpenPortsXml(hosts, open, undefined, scanned),
    fileName: 'big.xml',
  });
  console.log(`import ${hosts}×${open}/${scanned}: ${Math.round(performance.now() - t0)} ms`);
  await importer.dispose();

  const app = localClient({ host: 'cli', dataDir: dir });
  await app.call('app.info', {});
  const t1 = performance.now();
  let infoAt = 0;
  const page = app.call('scan.get', { scanId, status: 'up', offset: 0, limit: 50 });
  const info = app.call('app.info', {}).then(() => (infoAt = performance.now() - t1));
  const first = await page;
  const pageAt = performance.now() - t1;
  await info;
  console.log(
    `first page: ${Math.round(pageAt)} ms (app.info answered after ${Math.round(infoAt)} ms); ` +
      `severities ${JSON.stringify(first.scan.severities)}`,
  );
  await app.dispose();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
