import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FirewallBackend, LiveRule } from '../../app/firewall/backend.js';
import { executeOps, type HelperPlaces } from '../../app/firewall/helper-protocol.js';
import { planRule, validateBlockRequest } from '../../app/firewall/request.js';
import { mergeRead } from '../../app/firewall/service.js';

/**
 * Windows: a change reads back only the rules it touched, by name (one Get-NetFirewallRule
 * -Name per batch), never a pass over every rule of the PC, which takes seconds where there are
 * thousands. The backend here records each list() it is asked for, as the Windows stand-in does.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function recorder(kind: 'netsh' | 'nftables', present: LiveRule[]) {
  const calls: (readonly string[] | null)[] = [];
  const rules = [...present];
  const backend: FirewallBackend = {
    kind,
    readsContent: kind === 'nftables',
    status: () => Promise.reject(new Error('not used')),
    preview: () => [],
    block: async (rule) => {
      rules.push({ name: rule.name, ref: rule.name, enabled: true });
      return { ref: rule.name };
    },
    remove: async (name) => {
      rules.splice(0, rules.length, ...rules.filter((r) => r.name !== name));
    },
    list: async (names) => {
      calls.push(names ?? null);
      return rules.filter((r) => !names || names.includes(r.name));
    },
    backup: async (file) => writeFileSync(file, 'policy'),
  };
  return { backend, calls };
}

function places(): HelperPlaces {
  const dir = mkdtempSync(path.join(tmpdir(), 'pa-fw-readback-'));
  dirs.push(dir);
  return { backupDir: dir, backupFile: path.join(dir, 'before.wfw'), stateFile: null };
}

const other = { name: 'PortAuditor-00000000-0000-4000-8000-000000000001', ref: 'x', enabled: true };

describe('what a batch reads back', () => {
  it('Windows: a block and an unblock read back only their own rules, by name', async () => {
    const { backend, calls } = recorder('netsh', [other]);
    const a = planRule(validateBlockRequest({ protocol: 'tcp', port: 445 }));
    const b = planRule(validateBlockRequest({ protocol: 'udp', port: 137 }));
    const result = await executeOps(
      [
        { op: 'block', rule: a },
        { op: 'block', rule: b },
      ],
      backend,
      places(),
      'win32',
    );
    expect(result.results).toEqual([
      { ok: true, ref: a.name },
      { ok: true, ref: b.name },
    ]);
    expect(calls).toEqual([[a.name, b.name]]);
    expect(result.rules?.map((r) => r.name)).toEqual([a.name, b.name]);
    expect(result.readNames).toEqual([a.name, b.name]);
    calls.length = 0;
    const undo = await executeOps([{ op: 'unblock', rule: a }], backend, places(), 'win32');
    expect(undo.results).toEqual([{ ok: true }]);
    expect(calls.every((c) => c !== null && c.length === 1 && c[0] === a.name)).toBe(true);
    expect(undo.rules).toEqual([]);
  });

  it('a list, and nftables (one table either way), still read every rule of ours', async () => {
    const win = recorder('netsh', [other]);
    const listed = await executeOps([{ op: 'list' }], win.backend, places(), 'win32');
    expect(win.calls).toEqual([null]);
    expect(listed.readNames).toBeUndefined();
    const nft = recorder('nftables', [other]);
    const rule = planRule(validateBlockRequest({ protocol: 'tcp', port: 445 }));
    const blocked = await executeOps([{ op: 'block', rule }], nft.backend, places(), 'win32');
    expect(nft.calls.at(-1)).toBeNull();
    expect(blocked.readNames).toBeUndefined();
  });

  it('the app’s view: a read of some names replaces those in the last whole list, never the others', () => {
    const a = { name: 'PortAuditor-00000000-0000-4000-8000-00000000000a', ref: 'a', enabled: true };
    expect(mergeRead([other, a], [], [a.name])).toEqual([other]);
    expect(mergeRead([other], [a], [a.name])).toEqual([other, a]);
    // Without a whole list first, a partial read cannot tell which rules are gone.
    expect(mergeRead(null, [a], [a.name])).toBeNull();
    expect(mergeRead([other], [a], undefined)).toEqual([a]);
  });
});
