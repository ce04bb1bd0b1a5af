import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../app/firewall/backend.js';
import { interpretUac, uacPlan } from '../../app/firewall/elevation.js';
import { NetshBackend, parseStatus, STATUS_SCRIPT } from '../../app/firewall/netsh.js';
import { planRule, validateBlockRequest } from '../../app/firewall/request.js';
import { minimalWindowsEnv, powershellArgv } from '../../app/system/windows-paths.js';
import { liveTempDir, record, requireLiveWindows } from './support.js';

/** Windows for real: the firewall backend, the UAC launcher, on a throwaway runner VM. */
beforeAll(() => requireLiveWindows());

/**
 * 1,000 allow rules named `$env:PA_LIVE_PREFIX<n>`, added through the firewall's COM API in this
 * one process (a netsh per rule would start 1,000 processes); prints how long it took. Protocol is
 * set before LocalPorts: INetFwRule refuses ports on a rule of any protocol.
 */
const ADD_DUMMIES_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
  '$fw = New-Object -ComObject HNetCfg.FwPolicy2',
  '$watch = [Diagnostics.Stopwatch]::StartNew()',
  'for ($i = 0; $i -lt 1000; $i++) {',
  '  $rule = New-Object -ComObject HNetCfg.FWRule',
  '  $rule.Name = $env:PA_LIVE_PREFIX + $i',
  '  $rule.Direction = 1',
  '  $rule.Action = 1',
  '  $rule.Protocol = 6',
  '  $rule.LocalPorts = [string](20000 + $i)',
  '  $rule.Profiles = 2147483647',
  '  $rule.Enabled = $true',
  '  $fw.Rules.Add($rule)',
  '}',
  'ConvertTo-Json -InputObject ([pscustomobject]@{ Added = 1000; Milliseconds = [int]$watch.ElapsedMilliseconds; Rules = [int]$fw.Rules.Count }) -Compress',
].join('\n');

/** Removes every rule named `$env:PA_LIVE_PREFIX…` (however many the add script got to), in one process. */
const REMOVE_DUMMIES_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
  '$fw = New-Object -ComObject HNetCfg.FwPolicy2',
  '$watch = [Diagnostics.Stopwatch]::StartNew()',
  "$names = @(foreach ($r in $fw.Rules) { if ([string]$r.Name -like ($env:PA_LIVE_PREFIX + '*')) { [string]$r.Name } })",
  'foreach ($n in $names) { $fw.Rules.Remove($n) }',
  'ConvertTo-Json -InputObject ([pscustomobject]@{ Removed = $names.Count; Milliseconds = [int]$watch.ElapsedMilliseconds }) -Compress',
].join('\n');

describe('Windows Firewall on a real Windows, Windows PowerShell 5.1', () => {
  it('status: elevated runner, service running, three profiles', async () => {
    const raw = await runCommand(powershellArgv(STATUS_SCRIPT), { env: minimalWindowsEnv() });
    record('status', raw);
    expect(raw.code).toBe(0);
    const status = parseStatus(raw.stdout);
    expect(status.serviceRunning).toBe(true);
    expect(status.profiles.map((p) => p.name).sort()).toEqual(['domain', 'private', 'public']);
  });

  it('block, list by name, list all, remove a real rule', async () => {
    const backend = new NetshBackend();
    const rule = planRule(validateBlockRequest({ protocol: 'tcp', port: 47123 }));
    await backend.block(rule);
    const named = await backend.list([rule.name]);
    record('list-named', named);
    expect(named).toEqual([
      {
        name: rule.name,
        ref: rule.name,
        enabled: true,
        details: { protocol: 'tcp', portFrom: 47123, portTo: 47123, direction: 'in', remote: [] },
      },
    ]);
    const all = await backend.list();
    expect(all?.map((r) => r.name)).toContain(rule.name);
    await backend.remove(rule.name);
    expect(await backend.list([rule.name])).toEqual([]);
  });

  it('the UAC launcher passes the helper exactly the argv sent (UAC is off on runners)', async () => {
    const dir = liveTempDir('pa-uac-é ');
    const out = path.join(dir, 'argv.json');
    const echo = path.join(dir, 'echo.cjs');
    writeFileSync(
      echo,
      `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(2)));`,
    );
    const rule = planRule(
      validateBlockRequest({
        protocol: 'udp',
        port: '5000-5010',
        direction: 'out',
        remote: '10.0.0.7,fd00::/8',
      }),
    );
    const plan = uacPlan({ exe: process.execPath, args: [echo] }, [{ op: 'unblock', rule }]);
    const run = await runCommand(plan.argv, { env: plan.env ?? {} });
    record('uac-launcher', run);
    expect(interpretUac(run)).toEqual({ kind: 'exit', code: 0 });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([
      'unblock',
      '--id',
      rule.id,
      '--proto',
      'udp',
      '--port',
      '5000-5010',
      '--dir',
      'out',
      '--remote',
      '10.0.0.7,fd00::/8',
    ]);
  });

  it('reading our rules among 1,000 other rules (timings recorded, not asserted)', async () => {
    const backend = new NetshBackend();
    // Unique per run: a rerun on the same VM never mistakes an earlier run's rules for its own.
    const env = { ...minimalWindowsEnv(), PA_LIVE_PREFIX: `PA-live-dummy-${process.pid}-` };
    const rule = planRule(validateBlockRequest({ protocol: 'tcp', port: 47124 }));
    const timings: Record<string, unknown> = {};
    try {
      const added = await runCommand(powershellArgv(ADD_DUMMIES_SCRIPT), {
        env,
        timeoutMs: 600_000,
      });
      timings.add = added;
      expect(added.code).toBe(0);
      await backend.block(rule);
      const t0 = performance.now();
      const named = await backend.list([rule.name]);
      const t1 = performance.now();
      const all = await backend.list();
      const t2 = performance.now();
      Object.assign(timings, { namedMs: t1 - t0, allMs: t2 - t1 });
      expect(named?.map((r) => r.name)).toEqual([rule.name]);
      expect(all?.map((r) => r.name)).toContain(rule.name);
    } finally {
      await backend.remove(rule.name).catch((error: unknown) => {
        timings.removeOursError = String(error);
      });
      timings.remove = await runCommand(powershellArgv(REMOVE_DUMMIES_SCRIPT), {
        env,
        timeoutMs: 600_000,
      });
      record('list-timing', timings);
    }
  });
});
