import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../app/firewall/backend.js';
import { interpretUac, uacPlan } from '../../app/firewall/elevation.js';
import { NetshBackend, parseStatus, STATUS_SCRIPT } from '../../app/firewall/netsh.js';
import { planRule, validateBlockRequest } from '../../app/firewall/request.js';
import { minimalWindowsEnv, powershellArgv } from '../../app/system/windows-paths.js';
import { record, requireLiveWindows } from './support.js';

/** Windows for real: the firewall backend, the UAC launcher, on a throwaway runner VM. */
beforeAll(() => requireLiveWindows());

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
    const dir = mkdtempSync(path.join(tmpdir(), 'pa-uac-é '));
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

  it('reading our rules does not grow with the PC’s other rules (1,000 dummy rules)', async () => {
    const backend = new NetshBackend();
    const netsh = path.join(minimalWindowsEnv().SystemRoot as string, 'System32', 'netsh.exe');
    const dummies = Array.from({ length: 1000 }, (_, i) => `PA-live-dummy-${i}`);
    for (const name of dummies) {
      await runCommand([
        netsh,
        'advfirewall',
        'firewall',
        'add',
        'rule',
        `name=${name}`,
        'dir=in',
        'action=allow',
        'protocol=TCP',
        `localport=${20000 + (dummies.indexOf(name) % 1000)}`,
      ]);
    }
    const rule = planRule(validateBlockRequest({ protocol: 'tcp', port: 47124 }));
    await backend.block(rule);
    try {
      const t0 = performance.now();
      const named = await backend.list([rule.name]);
      const t1 = performance.now();
      const all = await backend.list();
      const t2 = performance.now();
      record('list-timing', { rules: dummies.length, namedMs: t1 - t0, allMs: t2 - t1 });
      expect(named?.map((r) => r.name)).toEqual([rule.name]);
      expect(all?.map((r) => r.name)).toContain(rule.name);
    } finally {
      await backend.remove(rule.name);
      for (const name of dummies) {
        await runCommand([netsh, 'advfirewall', 'firewall', 'delete', 'rule', `name=${name}`]);
      }
    }
  });
});
