import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListenersResult } from '../../app/contract/risk.js';
import type { HostResult } from '../../app/contract/scan.js';
import { serviceLabel } from '../../app/contract/vocabulary.js';
import { createAssessor } from '../../app/api/risk-handlers.js';
import type { ScanResult } from '../../app/contract/scan.js';
import { formatScanResult } from '../../main/cli/format.js';
import { CSV_COLUMNS, renderCsv } from '../../app/report/csv.js';
import { buildReportModel } from '../../app/report/model.js';
import { assessHosts, assessWith } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';
import { RULES } from '../../app/risk/rules.js';
import { readLinuxListeners } from '../../app/system/linux.js';
import {
  isPortAuditorHost,
  parseCmdline,
  thisInstallation,
  type Installation,
} from '../../app/system/own-instance.js';

// Recorded from the review 15 setup (F6): browser host `node dist/main/start.mjs` run from the
// checkout, PID 17000, page on 127.0.0.1:40571; another node program on 127.0.0.1:3000.
const ROOT = '/home/ana/port-auditor';
const NODE = '/usr/bin/node';
const install: Installation = {
  mainDir: `${ROOT}/dist/main`,
  appDir: ROOT,
  nodeExecutable: NODE,
};
const HOST_CMDLINE = 'node\0dist/main/start.mjs\0';
const OTHER_CMDLINE = 'node\0/home/ana/app/server.mjs\0';
// /proc/net/tcp rows: 0100007F:9E7B is 127.0.0.1:40571, 0100007F:0BB8 is 127.0.0.1:3000 (0A: LISTEN).
const PROC_NET_TCP = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 0100007F:9E7B 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 551201 1 0000000000000000 100 0 0 10 0',
  '   1: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 551377 1 0000000000000000 100 0 0 10 0',
  '',
].join('\n');

describe('which command lines are a Port Auditor host of this installation (issue 15, F6)', () => {
  it('names node running start.mjs or web.mjs of this installation, relative or absolute', () => {
    expect(
      isPortAuditorHost({ exe: NODE, argv: ['node', 'dist/main/start.mjs'], cwd: ROOT }, install),
    ).toBe(true);
    expect(
      isPortAuditorHost(
        {
          exe: NODE,
          argv: ['node', '--enable-source-maps', `${ROOT}/dist/main/web.mjs`, '--no-open'],
        },
        install,
      ),
    ).toBe(true);
    expect(
      isPortAuditorHost(
        { exe: NODE, argv: ['node', '../port-auditor/dist/main/start.mjs'], cwd: '/home/ana/x' },
        install,
      ),
    ).toBe(true);
  });

  it('names the Electron runtime of this installation given the installation or its main', () => {
    const electron = `${ROOT}/node_modules/electron/dist/electron`;
    expect(isPortAuditorHost({ exe: electron, argv: [electron, ROOT] }, install)).toBe(true);
    expect(
      isPortAuditorHost(
        { exe: electron, argv: [electron, `${ROOT}/dist/main/electron-main.mjs`] },
        install,
      ),
    ).toBe(true);
    // Another Electron app, or this runtime given another app.
    expect(
      isPortAuditorHost({ exe: '/opt/other/electron', argv: ['electron', ROOT] }, install),
    ).toBe(false);
    expect(isPortAuditorHost({ exe: electron, argv: [electron, '/home/ana/app'] }, install)).toBe(
      false,
    );
  });

  it('refuses what another program can claim cheaply', () => {
    // Another script of node, the same script name elsewhere, another executable, a name only.
    expect(
      isPortAuditorHost({ exe: NODE, argv: ['node', '/home/ana/app/server.mjs'] }, install),
    ).toBe(false);
    expect(
      isPortAuditorHost({ exe: NODE, argv: ['node', '/tmp/dist/main/start.mjs'] }, install),
    ).toBe(false);
    expect(
      isPortAuditorHost(
        { exe: '/tmp/node', argv: ['node', `${ROOT}/dist/main/start.mjs`] },
        install,
      ),
    ).toBe(false);
    expect(isPortAuditorHost({ exe: NODE, argv: ['port-auditor'] }, install)).toBe(false);
    // The CLI itself serves nothing; a relative script with no known cwd proves nothing.
    expect(
      isPortAuditorHost({ exe: NODE, argv: ['node', `${ROOT}/dist/main/cli.mjs`] }, install),
    ).toBe(false);
    expect(isPortAuditorHost({ exe: NODE, argv: ['node', 'dist/main/start.mjs'] }, install)).toBe(
      false,
    );
    expect(isPortAuditorHost({ argv: ['node', `${ROOT}/dist/main/start.mjs`] }, install)).toBe(
      false,
    );
  });

  it('this checkout, run from source, is its dist/main bundles under this node', () => {
    expect(thisInstallation()).toEqual({
      mainDir: path.resolve('dist', 'main'),
      appDir: path.resolve('.'),
      nodeExecutable: process.execPath,
    });
  });

  it('splits /proc/<pid>/cmdline on NUL', () => {
    expect(parseCmdline(HOST_CMDLINE)).toEqual(['node', 'dist/main/start.mjs']);
    expect(parseCmdline('')).toEqual([]);
  });
});

describe('the Linux listeners read lists the running Port Auditor hosts', () => {
  let proc: string;

  async function processDir(pid: number, inode: number, cmdline: string, cwd: string) {
    const dir = path.join(proc, String(pid));
    await mkdir(path.join(dir, 'fd'), { recursive: true });
    await symlink(`socket:[${inode}]`, path.join(dir, 'fd', '3'));
    await symlink(NODE, path.join(dir, 'exe'));
    await symlink(cwd, path.join(dir, 'cwd'));
    await writeFile(path.join(dir, 'comm'), 'node\n');
    await writeFile(path.join(dir, 'cmdline'), cmdline);
  }

  beforeEach(async () => {
    proc = await mkdtemp(path.join(tmpdir(), 'pa-own-proc-'));
    await mkdir(path.join(proc, 'net'));
    await writeFile(path.join(proc, 'net', 'tcp'), PROC_NET_TCP);
    await processDir(17000, 551201, HOST_CMDLINE, ROOT);
    await processDir(17100, 551377, OTHER_CMDLINE, '/home/ana/app');
  });
  afterEach(async () => {
    await rm(proc, { recursive: true, force: true });
  });

  it('gives the host’s pid, not the other node program’s', async () => {
    const result = await readLinuxListeners(proc, install);
    expect(result.portAuditorHosts).toEqual([17000]);
    expect(result.listeners.map((l) => [l.port, l.program?.pid])).toEqual([
      [40571, 17000],
      [3000, 17100],
    ]);
  });

  it('lists none without an installation to compare with, as before', async () => {
    const result = await readLinuxListeners(proc);
    expect(result.portAuditorHosts).toBeUndefined();
  });
});

const thisPc: HostResult = {
  address: '127.0.0.1',
  family: 'ipv4',
  isLocal: true,
  status: 'up',
  reason: 'localhost',
  ports: [
    { port: 40571, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
    { port: 3000, protocol: 'tcp', state: 'open', reason: 'syn-ack' },
  ],
  hidden: { open: 0, closed: 0, filtered: 0 },
};
const recorded: ListenersResult = {
  platform: 'linux',
  complete: true,
  listeners: [
    {
      protocol: 'tcp',
      address: '127.0.0.1',
      port: 40571,
      program: { pid: 17000, name: 'node', path: NODE },
    },
    {
      protocol: 'tcp',
      address: '127.0.0.1',
      port: 3000,
      program: { pid: 17100, name: 'node', path: NODE },
    },
  ],
  portAuditorHosts: [17000],
};

/** The scan of this PC (ports 3000 and 40571) that the CLI table and the CSV are made from. */
function scanOfThisPc(): ScanResult {
  return {
    scanId: 's1',
    request: {
      targets: '127.0.0.1',
      ports: '3000,40571',
      skipDiscovery: false,
      confirmed: false,
    },
    addresses: 1,
    portCount: 2,
    notes: [],
    startedAt: '2026-12-02T15:00:00.000Z',
    finishedAt: '2026-12-02T15:00:01.000Z',
    cancelled: false,
    hosts: [thisPc],
  };
}

describe('another Port Auditor’s port, named the same in every client', () => {
  it('the CLI (another process) names the host’s port "another instance, PID n" in fr and en', async () => {
    const assessor = createAssessor({ listeners: async () => recorded });
    const result = await assessor.assess([thisPc]);
    const page = result.hosts[0]!.ports.find((p) => p.port === 40571);
    const other = result.hosts[0]!.ports.find((p) => p.port === 3000);
    expect(page!.service).toBe('port-auditor-instance');
    expect(page!.reasons[0]!.ruleId).toBe(RULES.ownPort);
    expect(page!.reasons[0]!.text.fr).toBe(
      'C’est le port d’une autre instance de Port Auditor en cours d’exécution, programme «\u00a0node\u00a0», PID 17000, lancée à part de celle-ci.',
    );
    expect(page!.reasons[0]!.text.en).toBe(
      'This is the port of another running instance of Port Auditor, program “node”, PID 17000, started apart from this one.',
    );
    expect(page!.severity).toBe('info');
    expect(serviceLabel(page!.service, 'fr', page!.program?.pid)).toBe(
      'Port Auditor (autre instance, PID 17000)',
    );
    expect(serviceLabel(page!.service, 'en', page!.program?.pid)).toBe(
      'Port Auditor (another instance, PID 17000)',
    );
    // The other node program keeps its own verdict.
    expect(other!.reasons.map((r) => r.ruleId)).not.toContain(RULES.ownPort);
  });

  it('the host itself still says "this program" of its own port', () => {
    const result = assessHosts([thisPc], recorded.listeners, knowledgeBase(), true, [], undefined, {
      pid: 17000,
      ports: [40571],
      instances: [17000],
    });
    const page = result.hosts[0]!.ports.find((p) => p.port === 40571)!;
    expect(page.service).toBe('port-auditor');
    expect(serviceLabel(page.service, 'fr', 17000)).toBe('Port Auditor (ce programme)');
  });

  it('a label without its PID leaves the PID out', () => {
    expect(serviceLabel('port-auditor-instance', 'fr')).toBe('Port Auditor (autre instance)');
    expect(serviceLabel('port-auditor-instance', 'en')).toBe('Port Auditor (another instance)');
  });

  it('the CLI table’s service cell gives the whole name, in fr and en', async () => {
    const assessment = await createAssessor({ listeners: async () => recorded }).assess([thisPc]);
    const scan = scanOfThisPc();
    const rowOf = (text: string) =>
      text.split('\n').find((l) => l.trimStart().startsWith('40571/tcp'));
    const fr = rowOf(formatScanResult(scan, 'fr', () => undefined, assessment));
    expect(fr).toContain('Port Auditor (autre instance, PID 17000)');
    expect(fr).toContain('node (PID 17000)');
    const en = rowOf(formatScanResult(scan, 'en', () => undefined, assessment));
    expect(en).toContain('Port Auditor (another instance, PID 17000)');
  });

  it('the CSV’s service cell carries the same words in the export’s language, not the code', async () => {
    const assessment = await createAssessor({ listeners: async () => recorded }).assess([thisPc]);
    const scan = scanOfThisPc();
    const model = buildReportModel({ scan, assessment, pcName: 'PC' });
    /** The CSV's rows as cells (RFC 4180 quoted fields), each keyed by its column. */
    const rows = (csv: string) => {
      const [header, ...lines] = csv.trimEnd().split('\r\n');
      const cells = (line: string) =>
        [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) =>
          m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!,
        );
      const columns = cells(header!);
      expect(columns).toEqual([...CSV_COLUMNS]);
      return lines.map((l) => Object.fromEntries(cells(l).map((c, i) => [columns[i], c])));
    };
    const serviceOf = (csv: string, port: string) =>
      rows(csv).find((r) => r['port'] === port)?.['service'];
    expect(serviceOf(renderCsv(model, 'fr'), '40571')).toBe(
      'Port Auditor (autre instance, PID 17000)',
    );
    expect(serviceOf(renderCsv(model, 'en'), '40571')).toBe(
      'Port Auditor (another instance, PID 17000)',
    );
    // Any other service keeps its code, the same in both languages.
    const other = serviceOf(renderCsv(model, 'fr'), '3000');
    expect(other).toBe(serviceOf(renderCsv(model, 'en'), '3000'));
    expect(other).not.toMatch(/Port Auditor/);
  });

  it('a kept scan shown again keeps "another instance" from this process’s own claim', () => {
    const program = { pid: 17000, name: 'node', path: NODE };
    const result = assessWith(
      [{ ...thisPc, ports: [thisPc.ports[0]!] }],
      () => ({ exposure: 'loopback-only', program, ownPid: 17000, ownInstance: true }),
      knowledgeBase(),
      true,
      [],
      undefined,
      // The host has ended since: no live instance list, the claim alone says it.
      { pid: 99, ports: [] },
    );
    expect(result.hosts[0]!.ports[0]!.service).toBe('port-auditor-instance');
  });
});
