// `npm run bench` — the scan engine against nmap -sT -T4, side by side in the same run, on the lab
// network (test/lab/scan-lab.ts) and on loopback, all inside test-made namespaces (needs root).
// Prints a table and writes bench/RESULTS.md.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ScanResult } from '../app/contract/index.js';
import { parsePorts } from '../app/scan/ports.js';
import { canCreateNamespaces } from '../test/lab/netns.js';
import {
  createScanLab,
  DROP_ALL,
  EMPTY,
  EXTRA_PORTS,
  MANY_OPEN,
  SERVICES,
  type NmapHosts,
  type ScanLab,
} from '../test/lab/scan-lab.js';

interface Row {
  workload: string;
  engineMs: number;
  nmapMs: number;
  target: number;
  agreement: string;
  agreed: boolean;
  /** nmap was stopped at the cap: its real time is longer, the ratio is an upper bound. */
  nmapCapped: boolean;
}

/** nmap -sT on 65,535 dropped ports runs for well over ten minutes: it is stopped at this cap. */
const NMAP_CAP_MS = Number(process.env.PA_BENCH_NMAP_CAP_S ?? 300) * 1000;

const root = fileURLToPath(new URL('../', import.meta.url));

/** The engine as it ships: scan-once and the worker bundled flat, no tsx compile on the clock. */
async function bundleEngine(dir: string): Promise<string> {
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'esm' as const,
    target: 'node20',
    logLevel: 'error' as const,
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  };
  await build({
    ...common,
    entryPoints: [join(root, 'test/lab/scan-once.ts')],
    outfile: join(dir, 'scan-once.mjs'),
  });
  await build({
    ...common,
    entryPoints: [join(root, 'app/scan/worker.ts')],
    outfile: join(dir, 'scan-worker.mjs'),
  });
  return join(dir, 'scan-once.mjs');
}

function compare(
  result: ScanResult,
  nmap: NmapHosts,
  ports: number[],
): { agreed: number; total: number; notes: string[] } {
  let agreed = 0;
  let total = 0;
  const notes: string[] = [];
  for (const host of result.hosts) {
    const theirs = nmap.get(host.address);
    const theirStatus = theirs?.status ?? 'down';
    total++;
    if (theirStatus === host.status) agreed++;
    else notes.push(`${host.address}: engine ${host.status}, nmap ${theirStatus}`);
    if (host.status !== 'up' || theirStatus !== 'up') continue;
    const ours = new Map(host.ports.map((p) => [p.port, p.state]));
    let differing = 0;
    for (const port of ports) {
      total++;
      if (ours.get(port) === theirs!.ports.get(port)) agreed++;
      else if (differing++ < 3)
        notes.push(
          `${host.address}:${port} engine ${ours.get(port)} nmap ${theirs!.ports.get(port)}`,
        );
    }
  }
  return { agreed, total, notes };
}

async function workload(
  lab: ScanLab,
  script: string,
  name: string,
  targets: string[],
  ports: string,
  target: number,
  nmapArgs: string[] = [],
): Promise<Row> {
  const portList = parsePorts(ports);
  const engine = await lab.scan(
    { targets: targets.join(','), ports },
    { listStateUpTo: 70_000 },
    script,
  );
  console.log(`${name}: engine ${engine.wallMs} ms; running nmap…`);
  let nmap: { elapsedMs: number; hosts: NmapHosts } | undefined;
  try {
    nmap = await lab.nmap(targets, ports, nmapArgs, NMAP_CAP_MS);
  } catch {
    nmap = undefined;
  }
  if (!nmap) {
    const states = engine.result.hosts.map(
      (h) =>
        `${h.address} ${h.status}, ${h.ports.filter((p) => p.state === 'filtered').length} filtered`,
    );
    const row: Row = {
      workload: name,
      engineMs: engine.wallMs,
      nmapMs: NMAP_CAP_MS,
      target,
      agreement: `not measurable: nmap had not finished after ${NMAP_CAP_MS / 1000} s (engine: ${states.join('; ')})`,
      agreed: false,
      nmapCapped: true,
    };
    console.log(`${name}: nmap stopped at the ${NMAP_CAP_MS} ms cap`);
    return row;
  }
  const { agreed, total, notes } = compare(engine.result, nmap.hosts, portList);
  const row: Row = {
    workload: name,
    engineMs: engine.wallMs,
    nmapMs: nmap.elapsedMs,
    target,
    agreement: `${((100 * agreed) / total).toFixed(2)} % (${agreed}/${total})${notes.length ? ' — ' + notes.join('; ') : ''}`,
    agreed: agreed === total,
    nmapCapped: false,
  };
  console.log(
    `${name}: engine ${row.engineMs} ms, nmap ${row.nmapMs} ms, agreement ${row.agreement}`,
  );
  return row;
}

function table(rows: Row[], rss: { mb: number; ms: number; addresses: number }): string {
  const lines = [
    '| Workload | Engine | nmap -sT -T4 | Ratio | Target | Agreement |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => {
      const ratio = r.engineMs / r.nmapMs;
      const ok = ratio <= r.target ? 'met' : 'MISSED';
      const nmapText = `${r.nmapCapped ? '> ' : ''}${(r.nmapMs / 1000).toFixed(2)} s`;
      const ratioText = `${r.nmapCapped ? '< ' : ''}${ratio.toFixed(3)}`;
      return `| ${r.workload} | ${(r.engineMs / 1000).toFixed(2)} s | ${nmapText} | ${ratioText} | ≤ ${r.target} (${ok}) | ${r.agreement} |`;
    }),
  ];
  lines.push(
    '',
    `Peak RSS, ${rss.addresses} addresses (a /20 of lab addresses) × top100: **${rss.mb.toFixed(0)} MB** (target ≤ 200 MB, ${rss.mb <= 200 ? 'met' : 'MISSED'}), scan took ${(rss.ms / 1000).toFixed(1)} s.`,
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (!canCreateNamespaces()) {
    console.error(
      'npm run bench needs root: it builds network namespaces. / npm run bench doit être lancé en root.',
    );
    process.exit(1);
  }
  const dir = await mkdtemp(join(tmpdir(), 'pa-bench-'));
  const lab = await createScanLab('bench');
  try {
    const script = await bundleEngine(dir);
    const only = process.argv.slice(2);
    const want = (key: string): boolean => only.length === 0 || only.includes(key);
    const rows: Row[] = [];
    if (want('a'))
      rows.push(
        await workload(
          lab,
          script,
          '(a) 13 lab addresses × 1-1024 + extras',
          [SERVICES, DROP_ALL, MANY_OPEN, ...EMPTY],
          `1-1024,${EXTRA_PORTS}`,
          0.5,
        ),
      );
    if (want('b'))
      rows.push(
        await workload(
          lab,
          script,
          '(b) 65,535 ports, host with many closed',
          [SERVICES],
          '-',
          1.0,
        ),
      );
    if (want('c'))
      rows.push(
        await workload(lab, script, '(c) 65,535 ports, default-drop host', [DROP_ALL], '-', 0.1),
      );
    if (want('d'))
      rows.push(
        await workload(lab, script, '(d) 65,535 ports of 127.0.0.1', ['127.0.0.1'], '-', 1.0),
      );
    const big = await lab.scan({ targets: '10.77.0.0/20', ports: 'top100' }, undefined, script);
    const rss = { mb: big.peakRssBytes / 1e6, ms: big.wallMs, addresses: big.result.addresses };
    console.log(`RSS /20 × top100: ${rss.mb.toFixed(0)} MB in ${rss.ms} ms`);
    const text = table(rows, rss);
    console.log('\n' + text);
    const md = `# Scan engine benchmark\n\nLatest \`npm run bench\` (${new Date().toISOString()}, Node ${process.version}, ${process.platform}). Both scanners run one after the other in the same lab namespaces (test/lab/scan-lab.ts); times are wall-clock, engine bundled as shipped (worker thread included). The machine is shared, so absolute times vary between runs; the ratios are from the same run.\n\n${text}\n`;
    await writeFile(join(root, 'bench/RESULTS.md'), md);
  } finally {
    await lab.teardown();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
