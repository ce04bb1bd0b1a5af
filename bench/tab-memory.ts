// The browser tab of a big import (issue 13, review 13c new user #4): the BUILT browser-mode host
// and the page in Debian's Chromium, a 2,500-host nmap file (test/lab/office-xml.ts: 11 hosts with
// 450 open ports, the rest 1–4) chosen in "Ouvrir un XML nmap…", then page 1 measured: DOM nodes
// and JS heap (CDP Performance.getMetrics), the renderer's RSS (/proc), and what the tab does while
// nothing changes — over PA_BENCH_IDLE_S seconds (default 20): renderer CPU time, and the deltas of
// Chromium's own counters (script time, layouts, style recalcs) and of DOM mutations.
// PA_BENCH_BIG_OPEN (default 450) sets the big hosts' open ports: at 150, page 1's 2,000-port
// budget reaches every card, so all 50 draw verdicts.
// Needs `npm run build`, and runs in a lab namespace like the e2e tests:
//   bash test/netns/run-in-netns.sh npx tsx bench/tab-memory.ts
// Prints one line per figure starting with "tab ".
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppShell } from '../test/e2e/pages/app-shell.js';
import { OpenPortsPage } from '../test/e2e/pages/open-ports.js';
import { ReportPage } from '../test/e2e/pages/report.js';
import { launchBrowser } from '../test/e2e/support/browser.js';
import { assertInsideLabNamespace } from '../test/e2e/support/namespace-guard.js';
import { startBuiltWebHost } from '../test/e2e/support/web-host.js';
import { generateOfficeXml } from '../test/lab/office-xml.js';

const IDLE_MS = Number(process.env.PA_BENCH_IDLE_S ?? 20) * 1000;
const TICK = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux.

/**
 * Chromium renderer processes (`--type=renderer`) in this process's network namespace: the lab
 * namespace is this run's own, so another run's Chromium (other e2e tests) is never counted.
 * (Chromium rewrites its processes' titles: the arguments are one space-separated string.)
 */
function rendererPids(): number[] {
  const mine = readlinkSync('/proc/self/ns/net');
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return (
          readlinkSync(`/proc/${pid}/ns/net`) === mine &&
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}

assertInsideLabNamespace();
const dataDir = await mkdtemp(path.join(tmpdir(), `pa-bench-tab-${process.pid}-`));
const host = await startBuiltWebHost({
  LANG: 'fr_FR.UTF-8',
  LC_ALL: '',
  LC_MESSAGES: '',
  PORT_AUDITOR_DATA_DIR: dataDir,
});
const browser = await launchBrowser({ locale: 'fr-FR' });
try {
  const shell = new AppShell(browser.page, 'fr');
  await shell.open(host.url);
  const report = new ReportPage(shell);
  await report.openNmapTool();
  const started = Date.now();
  await report.chooseFile(
    'office.xml',
    generateOfficeXml({ bigOpen: Number(process.env.PA_BENCH_BIG_OPEN ?? 450) }),
  );
  const scanner = new OpenPortsPage(shell);
  await scanner.hostCard('10.70.0.6').waitFor({ timeout: 600_000 });
  await browser.page.getByTestId('hosts-pages').first().waitFor({ timeout: 600_000 });
  console.log(`tab first-card-s ${((Date.now() - started) / 1000).toFixed(1)}`);
  const cdp = await browser.context.newCDPSession(browser.page);
  await cdp.send('Performance.enable');
  const metrics = async () => {
    const { metrics: list } = await cdp.send('Performance.getMetrics');
    return Object.fromEntries(list.map((m) => [m.name, m.value]));
  };
  // Let the page settle (fonts, the last renders) before the idle window.
  await browser.page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 1000))),
  );
  await browser.page.evaluate(() => {
    const w = window as unknown as { __mutations: number };
    w.__mutations = 0;
    new MutationObserver((records) => {
      w.__mutations += records.length;
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
  });
  const pids = rendererPids();
  const rssBefore = pids.map(rssMb);
  const cpuBefore = pids.map(cpuSeconds);
  const before = await metrics();
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const after = await metrics();
  const rssAfter = pids.map(rssMb);
  const cpuAfter = pids.map(cpuSeconds);
  const mutations = await browser.page.evaluate(
    () => (window as unknown as { __mutations: number }).__mutations,
  );
  const i = rssAfter.indexOf(Math.max(...rssAfter));
  const idle = IDLE_MS / 1000;
  console.log(`tab cards ${await scanner.hostCards.count()}`);
  console.log(`tab cards-with-level ${await browser.page.getByTestId('host-worst').count()}`);
  console.log(
    `tab verdicts-drawn ${await browser.page.locator('[data-port][data-severity]').count()}`,
  );
  console.log(`tab dom-nodes ${after.Nodes}`);
  console.log(`tab js-heap-used-mb ${(after.JSHeapUsedSize! / 2 ** 20).toFixed(0)}`);
  console.log(`tab js-heap-total-mb ${(after.JSHeapTotalSize! / 2 ** 20).toFixed(0)}`);
  console.log(`tab renderer-rss-mb ${rssAfter[i]!.toFixed(0)} (renderers: ${pids.length})`);
  console.log(`tab idle-rss-growth-mb-per-s ${((rssAfter[i]! - rssBefore[i]!) / idle).toFixed(2)}`);
  console.log(
    `tab idle-renderer-cpu-pct ${((100 * (cpuAfter[i]! - cpuBefore[i]!)) / idle).toFixed(1)}`,
  );
  for (const name of ['ScriptDuration', 'TaskDuration', 'LayoutCount', 'RecalcStyleCount']) {
    console.log(`tab idle-${name} ${(after[name]! - before[name]!).toFixed(2)}`);
  }
  console.log(
    `tab idle-js-heap-growth-mb ${((after.JSHeapUsedSize! - before.JSHeapUsedSize!) / 2 ** 20).toFixed(1)}`,
  );
  console.log(`tab idle-dom-mutations ${mutations}`);
  if (process.env.PA_BENCH_TRACE) {
    const animations = await browser.page.evaluate(() =>
      document.getAnimations().map((a) => {
        const target = (a.effect as KeyframeEffect | null)?.target;
        return `${a.constructor.name} ${(a as CSSAnimation).animationName ?? ''} ${a.playState} on ${target?.tagName ?? '?'}.${String(target?.className ?? '').slice(0, 80)}`;
      }),
    );
    console.log(`trace animations ${animations.length}`);
    for (const a of animations.slice(0, 10)) console.log(`trace animation ${a}`);
    const events: { name: string; dur?: number; ph: string; tid: number; pid: number }[] = [];
    cdp.on(
      'Tracing.dataCollected',
      (d) => void events.push(...(d.value as unknown as typeof events)),
    );
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.start', {
      categories:
        'devtools.timeline,disabled-by-default-devtools.timeline,blink,cc,accessibility,toplevel,v8,renderer.scheduler,disabled-by-default-v8.gc',
      transferMode: 'ReportEvents',
    });
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await cdp.send('Tracing.end');
    await done;
    const total = new Map<string, number>();
    for (const e of events) {
      if (e.ph !== 'X' || !e.dur) continue;
      const key = `${e.pid}/${e.tid} ${e.name}`;
      total.set(key, (total.get(key) ?? 0) + e.dur);
    }
    for (const [k, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 30))
      console.log(`trace ${(v / 1000).toFixed(0)}ms ${k}`);
  }
  if (process.env.PA_BENCH_PROFILE) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const { profile: cpu } = await cdp.send('Profiler.stop');
    const self = new Map<string, number>();
    const dt = cpu.timeDeltas ?? [];
    const byId = new Map(cpu.nodes.map((n) => [n.id, n]));
    (cpu.samples ?? []).forEach((id, k) => {
      const n = byId.get(id)!;
      const f = n.callFrame;
      const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (dt[k] ?? 0));
    });
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`profile ${(v / 1000).toFixed(0)}ms ${k}`);
  }
} finally {
  await browser.close();
  await host.close();
  await rm(dataDir, { recursive: true, force: true });
}
