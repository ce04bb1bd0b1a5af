import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, type FirewallBackend, type Runner } from '../../app/firewall/backend.js';
import { executeOps, type HelperPlaces } from '../../app/firewall/helper-protocol.js';
import { NftablesBackend } from '../../app/firewall/nftables.js';
import { planRule, validateBlockRequest, type PlannedRule } from '../../app/firewall/request.js';
import { execIn, NetnsLab, uniqueName } from '../lab/netns.js';

/**
 * What root does at boot and in a batch, for real: executeOps (the helper's core) against the nft
 * of a namespace of this test, with root's record in a folder of root's alone made for this run.
 * Faults (a rule nft refuses, a read-back that fails) are injected by wrapping the real backend.
 */
const ROOT = path.resolve(__dirname, '../..');
const lab = new NetnsLab();
const ns = uniqueName('rst', 'pc');
let dir = '';
let places: HelperPlaces;
/** Every nft command line run, in order. */
const calls: string[][] = [];
const inNamespace: Runner = (argv, options) => {
  calls.push(argv);
  return runCommand(['ip', 'netns', 'exec', ns, ...argv], options);
};
const nft = new NftablesBackend(inNamespace, 'nft');

const rule = (port: number, id: string): PlannedRule =>
  planRule(validateBlockRequest({ protocol: 'tcp', port }), id);
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function record(rules: PlannedRule[]): void {
  writeFileSync(places.stateFile as string, `${JSON.stringify(rules)}\n`, { mode: 0o600 });
}
function recorded(): string[] {
  const rules = JSON.parse(readFileSync(places.stateFile as string, 'utf8')) as PlannedRule[];
  return rules.map((r) => r.name).sort();
}
async function held(): Promise<string[]> {
  return ((await nft.list()) ?? []).map((r) => r.name).sort();
}

/** The real backend, refusing to add the rules named in `refuse` (as nft would a rule it rejects). */
function refusing(refuse: Set<string>): FirewallBackend {
  const fail = (rules: readonly PlannedRule[]) => {
    const bad = rules.find((r) => refuse.has(r.name));
    if (bad) throw new Error(`refused ${bad.name}`);
  };
  return {
    kind: nft.kind,
    readsContent: true,
    status: () => nft.status(),
    preview: (r) => nft.preview(r),
    list: () => nft.list(),
    remove: (name) => nft.remove(name),
    backup: (file) => nft.backup(file),
    inspect: () => nft.inspect(),
    async block(r) {
      fail([r]);
      return nft.block(r);
    },
    async blockAll(rules) {
      fail(rules);
      return nft.blockAll(rules);
    },
  };
}

beforeAll(async () => {
  await lab.namespace(ns);
  // Root's alone, as /var/lib/port-auditor is: every folder above it is root's and not writable
  // by others (a folder under /tmp would not do).
  dir = mkdtempSync(path.join(ROOT, 'dist', `test-restore-${process.pid}-`));
  chmodSync(dir, 0o700);
  lab.onTeardown(() => rmSync(dir, { recursive: true, force: true }));
  places = {
    backupDir: path.join(dir, 'backups'),
    backupFile: path.join(dir, 'backups', 'before-first-change.nft'),
    stateFile: path.join(dir, 'rules.json'),
  };
});

afterAll(async () => {
  await lab.teardown();
});

describe('boot restore and batches, as root against a namespace’s nftables', () => {
  it('one rule refused at boot: the others are put back, and the record keeps all of them', async () => {
    const rules = [rule(8081, id(1)), rule(8082, id(2)), rule(8083, id(3))];
    record(rules);
    const refused = await executeOps(
      [{ op: 'restore' }],
      refusing(new Set([rules[0]!.name])),
      places,
      'linux',
    );
    expect(refused.results[0]).toMatchObject({ ok: false });
    expect(refused.restored.sort()).toEqual([rules[1]!.name, rules[2]!.name]);
    expect(await held()).toEqual([rules[1]!.name, rules[2]!.name]);
    expect(recorded()).toEqual(rules.map((r) => r.name));
    // The next boot puts back the one still missing.
    const next = await executeOps([{ op: 'restore' }], nft, places, 'linux');
    expect(next.results).toEqual([{ ok: true }]);
    expect(next.restored).toEqual([rules[0]!.name]);
    expect(await held()).toEqual(rules.map((r) => r.name));
    await execIn(ns, 'nft', ['flush', 'ruleset']);
  });

  it('an approved unblock whose read-back fails is dropped from the record: it never comes back', async () => {
    const [a, b] = [rule(9001, id(11)), rule(9002, id(12))];
    expect(
      (
        await executeOps(
          [
            { op: 'block', rule: a },
            { op: 'block', rule: b },
          ],
          nft,
          places,
          'linux',
        )
      ).results,
    ).toEqual([
      { ok: true, ref: expect.any(String) },
      { ok: true, ref: expect.any(String) },
    ]);
    expect(recorded()).toContain(a.name);
    // The firewall cannot be read once the rule is removed.
    let removedOnce = false;
    const blind: FirewallBackend = {
      ...refusing(new Set()),
      list: async () => (removedOnce ? null : nft.list()),
      remove: async (name) => {
        await nft.remove(name);
        removedOnce = true;
      },
    };
    const undo = await executeOps([{ op: 'unblock', rule: a }], blind, places, 'linux');
    expect(undo.results).toEqual([{ ok: true }]);
    expect(undo.rules).toBeNull();
    expect(recorded()).not.toContain(a.name);
    expect(recorded()).toContain(b.name);
    // A reboot, then the boot unit: b comes back, a does not.
    await execIn(ns, 'nft', ['flush', 'ruleset']);
    const boot = await executeOps([{ op: 'restore' }], nft, places, 'linux');
    expect(boot.restored).toContain(b.name);
    expect(await held()).not.toContain(a.name);
    await execIn(ns, 'nft', ['flush', 'ruleset']);
    record([]);
  });

  it('a restore of many rules lists the firewall once and adds them in one nft transaction', async () => {
    const rules = Array.from({ length: 60 }, (_, i) => rule(20000 + i, id(100 + i)));
    record(rules);
    calls.length = 0;
    const boot = await executeOps([{ op: 'restore' }], nft, places, 'linux');
    expect(boot.results).toEqual([{ ok: true }]);
    expect(boot.restored).toHaveLength(60);
    expect(await held()).toHaveLength(60);
    const transactions = calls.filter((argv) => argv.includes('-f'));
    expect(transactions).toHaveLength(1);
    // Before the change, whatever the number of rules: the firewall read once for what is lost,
    // then the table's exceptions (the policy backup exists already).
    const before = calls.slice(0, calls.indexOf(transactions[0]!)).map((argv) => argv.join(' '));
    expect(before).toEqual(['nft -j list tables', 'nft -j list tables']);
    // A batch of the app (re-apply of all of them after a flush) is one transaction too.
    await execIn(ns, 'nft', ['flush', 'ruleset']);
    calls.length = 0;
    const again = await executeOps(
      rules.map((r) => ({ op: 'reapply' as const, rule: r })),
      nft,
      places,
      'linux',
    );
    expect(again.results.every((r) => r.ok)).toBe(true);
    expect(await held()).toHaveLength(60);
    expect(calls.filter((argv) => argv.includes('-f'))).toHaveLength(1);
    await execIn(ns, 'nft', ['flush', 'ruleset']);
    record([]);
  });
});
