import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultHelperCommand,
  ELECTRON_HELPER_FLAG,
  electronHelperCommand,
  launchPlan,
  UAC_SCRIPT,
} from '../../app/firewall/elevation.js';
import { helperFiles, runFirewallHelper } from '../../main/helper/run.js';
import { decodePs } from './support/powershell.js';

const env = { SystemRoot: 'C:\\Windows', PATH: '/usr/bin:/bin' };
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const WIN_REQ = 'C:\\Users\\ana\\AppData\\Roaming\\Port Auditor\\helper\\a.request.json';
const WIN_RES = 'C:\\Users\\ana\\AppData\\Roaming\\Port Auditor\\helper\\a.result.json';
const REQ = '/home/ana/.local/share/port-auditor/helper/a.request.json';
const RES = '/home/ana/.local/share/port-auditor/helper/a.result.json';
const FILES = ['--request', REQ, '--result', RES];

describe('helper launch argv for each host', () => {
  it('Electron on Windows, installed: UAC RunAs starts the app itself with the helper flag', () => {
    const exe = 'C:\\Users\\ana\\AppData\\Local\\Programs\\Port Auditor\\Port Auditor.exe';
    const helper = electronHelperCommand({
      platform: 'win32',
      execPath: exe,
      isPackaged: true,
      appPath: 'C:\\Users\\ana\\AppData\\Local\\Programs\\Port Auditor\\resources\\app',
      helperScript: 'unused',
    });
    expect(helper).toEqual({ exe, args: [ELECTRON_HELPER_FLAG] });
    const plan = launchPlan('uac', helper, WIN_REQ, WIN_RES, env);
    expect(plan.argv[0]).toBe(PS);
    expect(decodePs(plan.argv.slice(1))).toBe(UAC_SCRIPT);
    // No ELECTRON_RUN_AS_NODE anywhere: UAC would drop it, and the flag makes it unnecessary.
    expect(plan.env?.PORT_AUDITOR_HELPER_EXE).toBe(exe);
    const args = JSON.parse(plan.env?.PORT_AUDITOR_HELPER_ARGS ?? '') as string[];
    expect(args).toEqual([ELECTRON_HELPER_FLAG, '--request', WIN_REQ, '--result', WIN_RES]);
    expect(plan.env?.ELECTRON_RUN_AS_NODE).toBeUndefined();
    expect(JSON.stringify(plan)).not.toContain('ELECTRON_RUN_AS_NODE');
  });

  it('Electron on Windows from a checkout: Electron needs the app path before the flag', () => {
    const helper = electronHelperCommand({
      platform: 'win32',
      execPath: 'C:\\src\\pa\\node_modules\\electron\\dist\\electron.exe',
      isPackaged: false,
      appPath: 'C:\\src\\pa',
      helperScript: 'unused',
    });
    const plan = launchPlan('uac', helper, WIN_REQ, WIN_RES, env);
    expect(JSON.parse(plan.env?.PORT_AUDITOR_HELPER_ARGS ?? '')).toEqual([
      'C:\\src\\pa',
      ELECTRON_HELPER_FLAG,
      '--request',
      WIN_REQ,
      '--result',
      WIN_RES,
    ]);
    // Already an administrator: the same command, started directly.
    expect(launchPlan('none', helper, WIN_REQ, WIN_RES, env).argv).toEqual([
      'C:\\src\\pa\\node_modules\\electron\\dist\\electron.exe',
      'C:\\src\\pa',
      ELECTRON_HELPER_FLAG,
      '--request',
      WIN_REQ,
      '--result',
      WIN_RES,
    ]);
  });

  it('Electron on Linux: pkexec runs env, which makes Electron plain node for the shipped helper', () => {
    const helper = electronHelperCommand({
      platform: 'linux',
      execPath: '/opt/Port Auditor/port-auditor',
      isPackaged: true,
      appPath: '/opt/Port Auditor/resources/app',
      helperScript: '/opt/Port Auditor/resources/app/dist/main/firewall-helper.mjs',
    });
    const tail = [
      '/usr/bin/env',
      'ELECTRON_RUN_AS_NODE=1',
      '/opt/Port Auditor/port-auditor',
      '/opt/Port Auditor/resources/app/dist/main/firewall-helper.mjs',
      ...FILES,
    ];
    expect(launchPlan('pkexec', helper, REQ, RES).argv).toEqual(['pkexec', ...tail]);
    expect(launchPlan('none', helper, REQ, RES).argv).toEqual(tail);
  });

  it('web host and CLI: node runs the helper entry, through pkexec or directly', () => {
    const helper = defaultHelperCommand();
    expect(helper.exe).toBe(process.execPath);
    // From a checkout the TypeScript entry runs through tsx; a build runs firewall-helper.mjs.
    const entry = helper.args.at(-1) ?? '';
    expect(entry).toBe(
      path.resolve(
        path.dirname(fileURLToPath(import.meta.url)),
        '../../main/helper/firewall-helper.ts',
      ),
    );
    expect(launchPlan('pkexec', helper, REQ, RES).argv).toEqual([
      'pkexec',
      process.execPath,
      ...helper.args,
      ...FILES,
    ]);
    expect(launchPlan('none', helper, REQ, RES).argv).toEqual([
      process.execPath,
      ...helper.args,
      ...FILES,
    ]);
  });
});

describe('helper entry (shared by firewall-helper.mjs and the Electron flag)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pa-fw-helper-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds its files in the Electron argv, wherever the flag and app path sit', () => {
    const argv = ['C:\\pa\\electron.exe', 'C:\\pa', ELECTRON_HELPER_FLAG, ...FILES];
    expect(helperFiles(argv)).toEqual({ requestFile: REQ, resultFile: RES });
  });

  it('refuses a result file that is not next to the request, or relative paths', () => {
    expect(helperFiles(['--request', REQ, '--result', '/etc/a.result.json'])).toHaveProperty(
      'error',
    );
    expect(
      helperFiles(['--request', 'a.request.json', '--result', 'a.result.json']),
    ).toHaveProperty('error');
    expect(helperFiles(['--request', REQ])).toHaveProperty('error');
  });

  it('answers a bad request with an error result and changes nothing', async () => {
    const request = path.join(dir, 'x.request.json');
    const result = path.join(dir, 'x.result.json');
    writeFileSync(request, JSON.stringify({ version: 1, ops: [{ op: 'remove', name: 'all' }] }));
    const lines: string[] = [];
    const code = await runFirewallHelper(
      [ELECTRON_HELPER_FLAG, '--request', request, '--result', result],
      (l) => lines.push(l),
    );
    expect(code).toBe(0);
    const written = JSON.parse(readFileSync(result, 'utf8'));
    expect(written).toMatchObject({
      version: 1,
      backup: null,
      rules: null,
      results: [{ ok: false, error: { code: 'firewall.invalid-name' } }],
    });
    expect(await runFirewallHelper(['--request', request], (l) => lines.push(l))).toBe(2);
    expect(lines).toHaveLength(1);
  });
});
