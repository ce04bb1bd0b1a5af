// Import memory (issue 13): the peak resident memory of importing a 60 MB nmap XML as the user
// does, against the target of at most 4× the file's size: through the app's API as the page calls
// it (report.importBegin, the file in the page's pieces, report.importEnd, then the first page of
// hosts by scan.get), over app/api's local client, with its own SQLite store in a temp data folder
// — parse, verdicts, store and first page all counted. A figure, not a test: run it alone (npx tsx
// bench/import-memory.ts) or through `npm run bench`, which runs it as its own process so nothing
// else counts in its peak. Prints one line starting with "import ". PA_BENCH_IMPORT_PARSE=1 runs
// the parser alone instead (the figure this bench gave before the store counted).
// PA_BENCH_IMPORT_JSON=1 measures a JSON report instead (issue 13 review A15): 65,536 hosts as our
// JSON export writes them (≈ 54 MB, no findings nor verdicts, as a report stripped of them or a
// scan saved by `scan --json`), given to `port-auditor report FILE -o out.csv` in this process
// (runCli: the CLI's own path, the app's composition root included). Prints a line "import json …".
// With PA_BENCH_IMPORT_JSON_STEP=import it runs `port-auditor import FILE` instead: the import
// alone (the import worker tells JSON by its first byte), so its peak is not the export's. Each
// step runs as its own process: a process's peak RSS never comes down, so one run measures one.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { localClient } from '../app/api/local-client.js';
import { importNmapXmlFile } from '../app/report/nmap-xml-import.js';
import { runCli } from '../main/cli/program.js';

const TARGET_BYTES = Number(process.env.PA_BENCH_IMPORT_MB ?? 60) * 1_000_000;
const TARGET_RATIO = 4;

/** What nmap -sV -p 1-1024 writes for one host with three open ports (DTD 1.05). */
function hostXml(i: number): string {
  const address = `10.${(i >> 8) & 255}.${i & 255}.${1 + (i >> 16)}`;
  return (
    `<host starttime="1796056402" endtime="1796056403"><status state="up" reason="syn-ack" reason_ttl="63"/>\n` +
    `<address addr="${address}" addrtype="ipv4"/>\n<hostnames>\n</hostnames>\n` +
    `<ports><extraports state="closed" count="1021">\n<extrareasons reason="reset" count="1021" proto="tcp" ports="1-21,23-79,81-442,444-1024"/>\n</extraports>\n` +
    `<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="63"/><service name="ssh" product="OpenSSH" version="9.2p1 Debian 2" extrainfo="protocol 2.0" method="probed" conf="10"/></port>\n` +
    `<port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="63"/><service name="http" product="nginx" version="1.22.1" method="probed" conf="10"/></port>\n` +
    `<port protocol="tcp" portid="443"><state state="open" reason="syn-ack" reason_ttl="63"/><service name="https" method="table" conf="3"/></port>\n` +
    `</ports>\n<times srtt="159" rttvar="140" to="100000"/>\n</host>\n`
  );
}

/**
 * What the page does for "Ouvrir un XML nmap…" (bench/ui-path.ts): the file in the app's pieces
 * (read piece by piece here, as the CLI does), then the first page of hosts shown.
 */
async function asThePage(file: string, bytes: number): Promise<string> {
  const app = localClient({ host: 'web', dataDir: join(dir, 'data') }, 'bench-import');
  try {
    const { uploadId, chunkBytes } = await app.call('report.importBegin', {
      fileName: 'nmap.xml',
      size: bytes,
    });
    const fd = openSync(file, 'r');
    const piece = Buffer.alloc(chunkBytes);
    try {
      for (let offset = 0; offset < bytes;) {
        const n = readSync(fd, piece, 0, chunkBytes, offset);
        await app.call('report.importChunk', {
          uploadId,
          offset,
          dataBase64: piece.subarray(0, n).toString('base64'),
        });
        offset += n;
      }
    } finally {
      closeSync(fd);
    }
    const imported = await app.call('report.importEnd', { uploadId });
    const page = await app.call('scan.get', {
      scanId: imported.scanId,
      offset: 0,
      limit: 50,
      status: 'up',
    });
    return `${page.total} hosts up, kept${imported.kept ? '' : ' (NOT KEPT)'}, first page shown`;
  } finally {
    await app.dispose();
  }
}

/**
 * PA_BENCH_IMPORT_SAMPLE=1: where the memory goes, sampled every 50 ms on this thread
 * (process.memoryUsage: the whole process's RSS, this isolate's V8 heap, memory outside it),
 * printed as the sample at the RSS peak and the highest of each figure, to stderr.
 */
function sample(start: number): { stop(): void } {
  const mib = (n: number) => `${(n / 1048576).toFixed(0)} MiB`;
  let atPeak = { ...process.memoryUsage(), at: 0 };
  const highest = { ...atPeak };
  const timer = setInterval(() => {
    const now = { ...process.memoryUsage(), at: performance.now() - start };
    if (now.rss > atPeak.rss) atPeak = now;
    for (const key of ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'] as const) {
      highest[key] = Math.max(highest[key], now[key]);
    }
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      const line = (m: NodeJS.MemoryUsage) =>
        `rss ${mib(m.rss)}, V8 heap ${mib(m.heapUsed)} used of ${mib(m.heapTotal)}, external ${mib(m.external)} (array buffers ${mib(m.arrayBuffers)})`;
      console.error(`sampled RSS peak at ${(atPeak.at / 1000).toFixed(1)} s: ${line(atPeak)}`);
      console.error(`highest of each: ${line(highest)}`);
    },
  };
}

/** One host of a JSON report (docs/report-json.md `scan.hosts[]`), as nmap -sV gave it. */
function hostJson(i: number): string {
  const address = `10.${(i >> 8) & 255}.${i & 255}.${1 + (i >> 16)}`;
  const mac = `02:00:00:${[i >> 16, i >> 8, i].map((b) => (b & 255).toString(16).padStart(2, '0')).join(':')}`;
  const open = (port: number, detected: string) =>
    `{"port":${port},"protocol":"tcp","state":"open","reason":"syn-ack","nmapReason":{"reason":"syn-ack","ttl":63}${detected}}`;
  return (
    `{"address":"${address}","family":"ipv4","isLocal":false,"mac":"${mac}","status":"up","reason":"syn-ack","nmapReason":{"reason":"syn-ack","ttl":63},"ports":[` +
    `${open(22, ',"detected":{"service":"ssh","product":"OpenSSH","version":"9.2p1 Debian 2","extraInfo":"protocol 2.0"}')},` +
    `${open(80, ',"detected":{"service":"http","product":"nginx","version":"1.22.1"}')},${open(443, '')}],` +
    `"hidden":{"open":0,"closed":1021,"filtered":0},"portStates":{"tcp":{"open":"22,80,443","closed":"1-21,23-79,81-442,444-1024"}}}`
  );
}

/** The JSON report of `count` hosts at `file`, written piece by piece. Returns its size. */
function writeJsonReport(file: string, count: number): number {
  const fd = openSync(file, 'w');
  writeSync(
    fd,
    `{"format":"port-auditor-report","version":3,"language":"en","pcName":"other-pc","findings":[],"scan":{"scanId":"8f14e45f-ceea-467f-a8f5-6f4a3c1b2d90","source":{"kind":"nmap","fileName":"lan.xml","args":"nmap -sV -p 1-1024 10.0.0.0/16","version":"7.93","scanTypes":[{"type":"syn","protocol":"tcp"}]},"request":{"targets":"10.0.0.0/16","ports":"1-1024","skipDiscovery":false,"confirmed":false},"addresses":${count},"portCount":1024,"notes":[],"startedAt":"2026-11-30T12:00:00.000Z","finishedAt":"2026-11-30T12:01:00.000Z","cancelled":false,"hosts":[\n`,
  );
  for (let i = 0; i < count; i++) writeSync(fd, `${i ? ',\n' : ''}${hostJson(i)}`);
  writeSync(fd, `]},"assessment":null,"firewallRules":null,"macAddresses":{`);
  for (let i = 0; i < count; i++) {
    const address = `10.${(i >> 8) & 255}.${i & 255}.${1 + (i >> 16)}`;
    const mac = `02:00:00:${[i >> 16, i >> 8, i].map((b) => (b & 255).toString(16).padStart(2, '0')).join(':')}`;
    writeSync(fd, `${i ? ',' : ''}"${address}":"${mac}"`);
  }
  writeSync(fd, '}}\n');
  closeSync(fd);
  return statSync(file).size;
}

/**
 * `port-auditor report FILE -o out.csv` (import and export) in this process, or with `importOnly`
 * `port-auditor import FILE` (the import alone), its data in the bench's folder.
 */
async function reportJson(file: string, importOnly: boolean): Promise<string> {
  process.env.PORT_AUDITOR_DATA_DIR = join(dir, 'data');
  let stderr = '';
  const args = importOnly
    ? ['import', file]
    : ['report', file, '-o', join(dir, 'out.csv'), '--lang', 'en'];
  // What `import` prints of the hosts is dropped, not shown nor held (only its size is kept).
  let printed = 0;
  const code = await runCli(args, {
    stdout: Object.assign(
      new Writable({
        write(chunk, _encoding, done) {
          printed += (chunk as Buffer).length;
          done();
        },
      }),
      { isTTY: false },
    ),
    stderr: Object.assign(
      new Writable({
        write(chunk, _encoding, done) {
          stderr += String(chunk);
          done();
        },
      }),
      { isTTY: false },
    ),
  });
  if (code !== 0) throw new Error(`${args[0]} exited ${code}: ${stderr.trim()}`);
  if (importOnly) {
    return `import only (port-auditor import, ${(printed / 1e6).toFixed(1)} MB printed)`;
  }
  const rows = statSync(join(dir, 'out.csv')).size;
  return `report written (${(rows / 1e6).toFixed(1)} MB CSV)`;
}

const dir = mkdtempSync(join(tmpdir(), 'pa-bench-import-'));
if (process.env.PA_BENCH_IMPORT_JSON === '1') {
  try {
    const file = join(dir, 'report.json');
    const bytes = writeJsonReport(file, 65_536);
    const before = process.memoryUsage().rss;
    const start = performance.now();
    const what = await reportJson(file, process.env.PA_BENCH_IMPORT_JSON_STEP === 'import');
    const ms = performance.now() - start;
    const peak = process.resourceUsage().maxRSS * 1024;
    const ratio = peak / bytes;
    console.log(
      `import json report ${(bytes / 1e6).toFixed(1)} MB, 65,536 hosts, ${what}: ${(ms / 1000).toFixed(1)} s, peak RSS ${(peak / 1048576).toFixed(0)} MiB = ${ratio.toFixed(1)}× the file (target ≤ ${TARGET_RATIO}×${ratio > TARGET_RATIO ? ' — OVER' : ''}; ${(before / 1048576).toFixed(0)} MiB before, +${((peak - before) / bytes).toFixed(1)}× during it)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}
try {
  const file = join(dir, 'nmap.xml');
  // Written piece by piece, so making the file adds nothing to the peak measured below.
  const fd = openSync(file, 'w');
  writeSync(
    fd,
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n<nmaprun scanner="nmap" args="nmap -sV -p 1-1024 10.0.0.0/16" start="1796056402" version="7.93" xmloutputversion="1.05">\n<scaninfo type="syn" protocol="tcp" numservices="1024" services="1-1024"/>\n',
  );
  let hosts = 0;
  let size = 0;
  while (size < TARGET_BYTES - 2000 && hosts < 65_536) size += writeSync(fd, hostXml(hosts++));
  writeSync(
    fd,
    `<runstats><finished time="1796056403" elapsed="60.00" exit="success"/><hosts up="${hosts}" down="0" total="${hosts}"/>\n</runstats>\n</nmaprun>\n`,
  );
  closeSync(fd);
  const bytes = statSync(file).size;
  // What the process holds before importing (node, tsx's compiled modules, the app's code), so the
  // line can say how much of the peak the import itself adds.
  const before = process.memoryUsage().rss;
  const start = performance.now();
  const sampler = process.env.PA_BENCH_IMPORT_SAMPLE === '1' ? sample(start) : null;
  let what: string;
  if (process.env.PA_BENCH_IMPORT_PARSE === '1') {
    // The parser alone, from its path.
    const { hostCount } = await importNmapXmlFile(file);
    what = `${hostCount} hosts, parse only`;
  } else {
    what = await asThePage(file, bytes);
  }
  const ms = performance.now() - start;
  sampler?.stop();
  // Linux reports ru_maxrss in KiB: the process's high-water mark, import included.
  const peak = process.resourceUsage().maxRSS * 1024;
  const ratio = peak / bytes;
  console.log(
    `import nmap-xml ${(bytes / 1e6).toFixed(1)} MB, ${what}: ${(ms / 1000).toFixed(1)} s, peak RSS ${(peak / 1048576).toFixed(0)} MiB = ${ratio.toFixed(1)}× the file (target ≤ ${TARGET_RATIO}×${ratio > TARGET_RATIO ? ' — OVER' : ''}; ${(before / 1048576).toFixed(0)} MiB before the import, +${((peak - before) / bytes).toFixed(1)}× during it)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
