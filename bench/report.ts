// Report speed: a PDF of 500 hosts × 20 open ports, with verdicts, must build in under 5 s.
// Then an nmap -p- file's import and nmap XML export (2,000 hosts, 65,535 ports each named in
// `<extrareasons ports="…">`: review 13, F3), in process, parse to result and result to text.
// Run: npx tsx bench/report.ts (prints the time of each format; exits 1 over the target).
import { performance } from 'node:perf_hooks';
import { assessHosts } from '../app/risk/assess.js';
import { knowledgeBase } from '../app/risk/knowledge-base.js';
import type { HostResult, ScanResult } from '../app/contract/index.js';
import { exportReport } from '../app/report/export.js';
import type { ReportFormat } from '../app/contract/report.js';
import { importNmapXml } from '../app/report/nmap-xml-import.js';
import { renderNmapXml } from '../app/report/nmap-xml-export.js';
import { generateEveryPortXml } from '../test/lab/nmap-xml.js';

const HOSTS = 500;
const PORTS_PER_HOST = 20;
const TARGET_MS = 5000;
const COMMON = [
  21, 22, 23, 25, 53, 80, 110, 135, 139, 143, 443, 445, 1433, 3306, 3389, 5432, 5900, 8080, 9100,
  27017, 6379, 554, 1883, 8443,
];

const hosts: HostResult[] = Array.from({ length: HOSTS }, (_, i) => ({
  address: `10.77.${Math.floor(i / 250)}.${(i % 250) + 1}`,
  family: 'ipv4',
  hostname: i % 3 === 0 ? `poste-${i}.bureau.lan` : undefined,
  isLocal: i === 0,
  status: 'up',
  reason: 'syn-ack',
  ports: Array.from({ length: PORTS_PER_HOST }, (_, j) => ({
    port: COMMON[(i + j) % COMMON.length]! + (j >= COMMON.length ? 10000 : 0),
    protocol: 'tcp' as const,
    state: 'open' as const,
    reason: 'syn-ack' as const,
  })),
  hidden: { open: 0, closed: 1000 - PORTS_PER_HOST, filtered: 0 },
}));
const now = Date.now();
const scan: ScanResult = {
  scanId: 'bench',
  request: { targets: '10.77.0.0/23', ports: 'top1000', skipDiscovery: false, confirmed: false },
  addresses: 512,
  portCount: 1000,
  notes: [],
  startedAt: new Date(now - 60_000).toISOString(),
  finishedAt: new Date(now).toISOString(),
  cancelled: false,
  hosts,
};
const assessment = assessHosts(hosts, [], knowledgeBase());

let failed = false;
for (const format of ['pdf', 'json', 'csv', 'nmap-xml'] as ReportFormat[]) {
  const start = performance.now();
  const file = await exportReport(format, 'fr', {
    scan,
    assessment,
    firewallRules: [],
    pcName: 'BENCH',
  });
  const ms = performance.now() - start;
  const over = format === 'pdf' && ms > TARGET_MS;
  failed ||= over;
  console.log(
    `report ${format.padEnd(8)} ${HOSTS}×${PORTS_PER_HOST}: ${ms.toFixed(0).padStart(6)} ms, ${(file.data.length / 1024).toFixed(0)} KiB${format === 'pdf' ? ` (target < ${TARGET_MS} ms${over ? ' — TOO SLOW' : ''})` : ''}`,
  );
}

const EVERY_PORT_HOSTS = 2000;
const everyPort = generateEveryPortXml(EVERY_PORT_HOSTS);
let start = performance.now();
const imported = importNmapXml(everyPort).scan;
const importMs = performance.now() - start;
start = performance.now();
const written = renderNmapXml(imported);
const exportMs = performance.now() - start;
console.log(
  `report nmap -p- file, ${EVERY_PORT_HOSTS} hosts × 65,535 ports named in ports= lists (${(everyPort.length / 1000).toFixed(0)} kB): import ${importMs.toFixed(0)} ms, nmap-xml export ${exportMs.toFixed(0)} ms, ${(written.length / 1024).toFixed(0)} KiB`,
);
process.exitCode = failed ? 1 : 0;
