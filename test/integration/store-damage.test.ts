import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chownSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';
import {
  FIREWALL_SYSTEM_DIRS,
  startMountSandbox,
  type MountSandbox,
} from '../lab/mount-sandbox.js';
import { execIn, NetnsLab, uniqueName } from '../lab/netns.js';
import { afterMountSetup, readOnlyBind } from '../lab/private-mounts.js';

const execFileP = promisify(execFile);

/**
 * The app's database damaged in each way a user's disk can damage it, through the CLI as shipped,
 * as root against real nftables in a namespace of this test (the machine's firewall is never
 * touched; /var/lib/port-auditor is a tmpfs of a private mount namespace). Each case must name the
 * file and the way out, and reading and undoing the firewall rules must still work.
 */
const ROOT = path.resolve(__dirname, '../..');
const outdir = path.join(ROOT, 'dist', `test-store-${process.pid}`, 'main');
const CLI = path.join(outdir, 'cli.mjs');
const lab = new NetnsLab();
const pc = uniqueName('store', 'pc');
let mounts: MountSandbox;
let base = '';
let dataDir = '';
let dbFile = '';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in the namespace, after `setup` (shell run first, in a mount namespace of its own),
 * as a user of `language`.
 */
function cli(args: string[], setup = '', language: 'en' | 'fr' = 'en'): Promise<CliRun> {
  const inner = ['ip', 'netns', 'exec', pc, process.execPath, CLI, ...args];
  const argv = mounts.enter(setup ? afterMountSetup(setup, inner) : inner);
  return new Promise((resolve) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT_AUDITOR_DATA_DIR: dataDir,
        LANG: language === 'fr' ? 'fr_FR.UTF-8' : 'en_US.UTF-8',
        LC_ALL: '',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A TCP listener on 127.0.0.1:`port` inside namespace `ns` (a python3 child, ready when this
 * resolves, gone after 120 s at the latest); killed at the lab's teardown if the test did not.
 */
async function listenIn(ns: string, port: number): Promise<ChildProcess> {
  const listener = spawn('ip', [
    'netns',
    'exec',
    ns,
    'python3',
    '-c',
    `import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",${port}))\ns.listen()\nprint("ready",flush=True)\ntime.sleep(120)`,
  ]);
  lab.onTeardown(() => {
    listener.kill();
  });
  await new Promise((resolve) => listener.stdout!.once('data', resolve));
  return listener;
}

async function ourRules(): Promise<string[]> {
  const text = (await execIn(pc, 'nft', ['list', 'ruleset'])).stdout;
  return [...new Set(text.match(/PortAuditor-[0-9a-f-]{36}/g) ?? [])];
}

/** A fresh, healthy database: the CLI creates it. */
async function healthyStore(): Promise<void> {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const first = await cli(['rules']);
  expect(first.code, first.stderr).toBe(0);
}

const MOVE_ASIDE = 'move this file elsewhere';
const RULES_STAY = 'Your firewall rules stay in the firewall';

/** Blocks 8080/tcp through the CLI while the store is healthy. */
async function blockOne(): Promise<void> {
  const blocked = await cli(['block', '--port', '8080', '--proto', 'tcp']);
  expect(blocked.code, blocked.stderr).toBe(0);
  expect(await ourRules()).toHaveLength(1);
}

/**
 * With the store unusable (after `setup`): `rules` lists the rule blockOne made, with no internal
 * error, and `unblock --all` removes it from the firewall. Returns the `rules` run, whose stderr
 * carries the store's message.
 */
async function stillReadsAndUndoes(setup = ''): Promise<CliRun> {
  const rules = await cli(['rules'], setup);
  expect(rules.code, rules.stderr).toBe(0);
  expect(rules.stdout).toContain('8080');
  expect(rules.stderr + rules.stdout).not.toContain('Unexpected internal error');
  const undo = await cli(['unblock', '--all'], setup);
  expect(undo.code, undo.stderr).toBe(0);
  expect(undo.stdout).toContain('Rule removed');
  expect(await ourRules()).toEqual([]);
  return rules;
}

beforeAll(async () => {
  await buildMain({
    only: CLI_BUNDLES,
    outdir,
  });
  lab.onTeardown(() => rmSync(path.dirname(outdir), { recursive: true, force: true }));
  mounts = await startMountSandbox(FIREWALL_SYSTEM_DIRS);
  lab.onTeardown(() => mounts.close());
  base = mkdtempSync(path.join(tmpdir(), 'pa-store-'));
  lab.onTeardown(() => rmSync(base, { recursive: true, force: true }));
  dataDir = path.join(base, 'data');
  dbFile = path.join(dataDir, 'port-auditor.sqlite');
  await lab.namespace(pc);
});

afterAll(async () => {
  await lab.teardown();
});

beforeEach(async () => {
  await healthyStore();
});

describe('a damaged or unusable store', () => {
  it('malformed: named with the way out; rules still listed, block refused, unblock --all works', async () => {
    const blocked = await cli(['block', '--port', '8080', '--proto', 'tcp']);
    expect(blocked.code, blocked.stderr).toBe(0);
    expect(await ourRules()).toHaveLength(1);
    // Pages past the header overwritten: the file still opens, its tables do not read.
    const fd = openSync(dbFile, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, 4096);
    closeSync(fd);

    const rules = await cli(['rules']);
    expect(rules.code).toBe(0);
    expect(rules.stderr).toContain(`Port Auditor’s database is damaged: ${dbFile}.`);
    expect(rules.stderr).toContain(MOVE_ASIDE);
    expect(rules.stderr).toContain(RULES_STAY);
    expect(rules.stdout).toContain('8080');
    expect(rules.stderr + rules.stdout).not.toContain('Unexpected internal error');

    const status = await cli(['firewall-status']);
    expect(status.code).toBe(0);
    expect(status.stderr + status.stdout).toContain(dbFile);

    const refused = await cli(['block', '--port', '9090', '--proto', 'tcp']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`Port Auditor’s database is damaged: ${dbFile}.`);
    expect(await ourRules()).toHaveLength(1);

    const undo = await cli(['unblock', '--all']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toContain('Rule removed');
    expect(await ourRules()).toEqual([]);
  });

  it('not a database: named with the way out; rules listed and unblock --all works', async () => {
    await blockOne();
    writeFileSync(dbFile, 'This is a note someone saved under the database’s name.\n'.repeat(200));
    const rules = await stillReadsAndUndoes();
    expect(rules.stderr).toContain(
      `This file is not a Port Auditor database (it was replaced or truncated): ${dbFile}.`,
    );
    expect(rules.stderr).toContain(MOVE_ASIDE);
  });

  it('read-only folder: named; rules listed and unblock --all works', async () => {
    await blockOne();
    const rules = await stillReadsAndUndoes(readOnlyBind(dataDir));
    expect(rules.stderr).toContain(
      `Port Auditor cannot write to its database: ${dbFile} (the file or its folder is read-only).`,
    );
    expect(rules.stderr).toContain(RULES_STAY);
    // An nmap file to report on: its import needs a spool folder beside the database, which the
    // read-only folder refuses too; said in the same words, never as an internal error.
    const report = await cli(
      [
        'report',
        path.join(ROOT, 'test/fixtures/nmap/lo.xml'),
        '-o',
        path.join(base, 'lo-report.csv'),
      ],
      readOnlyBind(dataDir),
    );
    expect(report.code).not.toBe(0);
    expect(report.stderr + report.stdout).not.toContain('Unexpected internal error');
    expect(report.stderr).toContain(
      `Port Auditor cannot write to its database: ${dbFile} (the file or its folder is read-only).`,
    );
  });

  it('read-only folder: history, show and report ID read the kept scans after the read-only notice (review 13 A5/N3)', async () => {
    const imported = await cli(['import', path.join(ROOT, 'test/fixtures/nmap/lo.xml')]);
    expect(imported.code, imported.stderr).toBe(0);
    const listed = await cli(['history', '--json']);
    const scanId =
      (JSON.parse(listed.stdout) as { scans: { scanId: string }[] }).scans[0]?.scanId ?? '';
    expect(scanId).not.toBe('');
    const readOnly = readOnlyBind(dataDir);
    const notice = `Port Auditor cannot write to its database: ${dbFile} (the file or its folder is read-only).`;

    const history = await cli(['history', '--json'], readOnly);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stderr).toContain(notice);
    expect(
      (JSON.parse(history.stdout) as { scans: { scanId: string }[] }).scans.map((s) => s.scanId),
    ).toEqual([scanId]);

    const show = await cli(['show', scanId], readOnly);
    expect(show.code, show.stderr).toBe(0);
    // Said once, not again as the firewall's notice (review 13 N6).
    expect(show.stderr.split(notice).length - 1).toBe(1);
    expect(history.stderr.split(notice).length - 1).toBe(1);
    expect(show.stdout).toContain('127.0.0.1');

    const out = path.join(base, 'ro-kept.csv');
    const report = await cli(['report', scanId, '-o', out], readOnly);
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('127.0.0.1');
    expect(history.stderr + show.stderr + report.stderr).not.toContain('Unexpected');
  });

  it('read-only folder whose imports/ exists: import and report FILE say the read-only message (review 13 N2)', async () => {
    const lo = path.join(ROOT, 'test/fixtures/nmap/lo.xml');
    const first = await cli(['import', lo]);
    expect(first.code, first.stderr).toBe(0);
    const readOnly = readOnlyBind(dataDir);
    const notice = `Port Auditor cannot write to its database: ${dbFile} (the file or its folder is read-only).`;
    for (const args of [
      ['import', lo],
      ['report', lo, '-o', path.join(base, 'ro-file.csv')],
    ]) {
      const run = await cli(args, readOnly, 'en');
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr + run.stdout).not.toContain('Unexpected');
      expect(run.stderr + run.stdout).not.toContain('EROFS');
      expect(run.stderr).toContain(notice);
    }
  });

  it('read-only file: named; rules listed and unblock --all works', async () => {
    await blockOne();
    const rules = await stillReadsAndUndoes(readOnlyBind(dbFile));
    expect(rules.stderr).toContain(`Port Auditor cannot write to its database: ${dbFile}`);
  });

  it('disk full: named with what to do; rules listed and unblock --all works', async () => {
    await blockOne();
    const setup = [
      `cp -a ${dataDir} ${base}/copy`,
      `mount -t tmpfs -o size=512k tmpfs ${dataDir}`,
      `cp -a ${base}/copy/. ${dataDir}/`,
      `rm -rf ${base}/copy`,
      `dd if=/dev/zero of=${dataDir}/filler bs=4k 2>/dev/null || true`,
    ].join('; ');
    const rules = await stillReadsAndUndoes(setup);
    expect(rules.stderr).toContain(
      `The disk holding Port Auditor’s database is full: ${dbFile}. Free some space on that disk, then try again.`,
    );
  });

  it('locked by another program: named; rules listed and unblock --all works', async () => {
    await blockOne();
    const holder = new Database(dbFile);
    try {
      holder.exec('BEGIN EXCLUSIVE');
      holder.prepare("INSERT INTO meta (key, value) VALUES ('held', '1')").run();
      const rules = await stillReadsAndUndoes();
      expect(rules.stderr).toContain(
        `Port Auditor’s database is locked by another program (another Port Auditor window or command?): ${dbFile}. Close it, then try again.`,
      );
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  /** Edits the store as another program would, with the sqlite3 command-line shell. */
  async function sqlite3(sql: string): Promise<void> {
    await execFileP('/usr/bin/sqlite3', [dbFile, sql]);
  }

  /**
   * `rules` and `unblock --all` go through the in-memory journal with the store's message, never
   * an internal error; returns the `rules` run.
   */
  async function fallsBack(): Promise<CliRun> {
    const rules = await cli(['rules']);
    expect(rules.code, rules.stderr).toBe(0);
    expect(rules.stderr + rules.stdout).not.toContain('Unexpected internal error');
    const undo = await cli(['unblock', '--all']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stderr + undo.stdout).not.toContain('Unexpected internal error');
    expect(undo.stderr).toBe(rules.stderr);
    return rules;
  }

  const inconsistent = () =>
    `Port Auditor’s database does not match its own version number (its tables are those of another version, or it was edited or partly restored): ${dbFile}.`;

  it('a version number lower than its tables: named with the way out, no migration run', async () => {
    // The first migration would fail with "table meta already exists".
    await sqlite3('PRAGMA user_version = 0');
    const rules = await fallsBack();
    expect(rules.stderr).toContain(inconsistent());
    expect(rules.stderr).toContain(MOVE_ASIDE);
    expect(rules.stderr).toContain(RULES_STAY);
    const history = await cli(['history']);
    expect(history.code).not.toBe(0);
    expect(history.stderr).toContain(inconsistent());
    expect(history.stderr + history.stdout).not.toContain('Unexpected internal error');
    // A scan with an open port says it once, though its "not kept" sentence and the firewall's
    // notice come from the same store failure (review 13 final, new user N2).
    const listener = await listenIn(pc, 18081);
    const scan = await cli(['scan', '127.0.0.1', '-p', '18081']);
    listener.kill();
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stdout).toMatch(/18081\/tcp\s+open/);
    expect(scan.stderr.split(inconsistent()).length - 1).toBe(1);
  });

  it('a table missing for its version: named with the way out, in French too', async () => {
    await sqlite3('DROP TABLE scan_hosts');
    const rules = await fallsBack();
    expect(rules.stderr).toContain(inconsistent());
    const show = await cli(['show', '00000000-0000-4000-8000-000000000000']);
    expect(show.code).not.toBe(0);
    expect(show.stderr).toContain(inconsistent());
    expect(show.stderr + show.stdout).not.toContain('no such table');
    const fr = await cli(['rules'], '', 'fr');
    expect(fr.stderr).toContain(
      `La base de données de Port Auditor ne correspond pas à son propre numéro de version (ses tables sont celles d’une autre version, ou elle a été modifiée ou restaurée en partie)\u00a0: ${dbFile}.`,
    );
  });

  it('a trigger another program planted on the journal: refused as edited, rules and undo work (A6)', async () => {
    await blockOne();
    await sqlite3(
      "CREATE TRIGGER planted BEFORE INSERT ON firewall_rules BEGIN SELECT RAISE(ABORT, 'x'); END;",
    );
    const rules = await stillReadsAndUndoes();
    expect(rules.stderr).toContain(inconsistent());
    expect(rules.stderr).toContain(MOVE_ASIDE);
    expect(rules.stderr).toContain(RULES_STAY);
    const refused = await cli(['block', '--port', '9090', '--proto', 'tcp']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(inconsistent());
    expect(refused.stderr + refused.stdout).not.toContain('Unexpected internal error');
    expect(await ourRules()).toEqual([]);
  });

  it('a trigger rewriting rows, or a view, is refused the same way (A6)', async () => {
    await blockOne();
    await sqlite3(
      'CREATE TRIGGER rewrite AFTER UPDATE ON firewall_rules BEGIN UPDATE firewall_rules SET port_from = 1, port_to = 1; END;',
    );
    const rules = await stillReadsAndUndoes();
    expect(rules.stderr).toContain(inconsistent());
    await healthyStore();
    await sqlite3('CREATE VIEW planted AS SELECT * FROM firewall_rules');
    const fr = await fallsBack();
    expect(fr.stderr).toContain(inconsistent());
  });

  it('a 600-million-character value: named with the way out in fr/en, rules and undo work (A6b)', async () => {
    await blockOne();
    // Longer than SQLite hands to this process ("string or blob too big").
    await sqlite3("UPDATE firewall_rules SET remote = printf('%.*c', 600000000, 'x')");
    const rules = await stillReadsAndUndoes();
    const en = `Port Auditor’s database holds a value far larger than any it writes (another program edited it): ${dbFile}.`;
    expect(rules.stderr).toContain(en);
    expect(rules.stderr.split(en).length - 1).toBe(1);
    expect(rules.stderr).toContain(MOVE_ASIDE);
    expect(rules.stderr).toContain(RULES_STAY);
    const fr = await cli(['rules'], '', 'fr');
    expect(fr.code, fr.stderr).toBe(0);
    expect(fr.stderr).toContain(
      `La base de données de Port Auditor contient une valeur bien plus grande que toutes celles qu’il écrit (un autre programme l’a modifiée)\u00a0: ${dbFile}.`,
    );
    const history = await cli(['history']);
    expect(history.code).not.toBe(0);
    expect(history.stderr).toContain(en);
    expect(history.stderr + history.stdout).not.toContain('Unexpected internal error');
  });

  it('a rule found again after the store was refused keeps its own creation time (N6)', async () => {
    await blockOne();
    const healthy = await cli(['rules', '--json']);
    const made = (JSON.parse(healthy.stdout) as { rules: { id: string; createdAt: string }[] })
      .rules[0]!;
    await sqlite3('PRAGMA user_version = 0');
    const refused = await cli(['rules', '--json']);
    expect(refused.stderr).toContain(inconsistent());
    const found = (
      JSON.parse(refused.stdout) as {
        rules: { id: string; createdAt: string; createdKnown?: boolean; origin: string }[];
      }
    ).rules[0]!;
    expect(found).toMatchObject({ id: made.id, origin: 'found', createdKnown: true });
    // The time its name carries: when its id was made, just before the journal's row, never the
    // moment this later command found it.
    const carried = Date.parse(found.createdAt);
    expect(carried).toBeLessThanOrEqual(Date.parse(made.createdAt));
    expect(carried).toBeGreaterThan(Date.parse(made.createdAt) - 60_000);
    const table = await cli(['rules']);
    expect(table.stdout).not.toContain('unknown (found');
    // Its state once, each fact in one short phrase, no "journal" (review 13 N7), fr and en.
    expect(table.stdout).toContain(
      '  active (found in the firewall; Port Auditor’s history did not know it)  ',
    );
    expect(table.stdout).not.toMatch(/present|journal/);
    const fr = await cli(['rules'], '', 'fr');
    expect(fr.stdout).toContain(
      '  active (trouvée dans le pare-feu\u202f; l’historique de Port Auditor ne la connaissait pas)  ',
    );
    expect(fr.stdout).not.toMatch(/présente|journal/);
    const undo = await cli(['unblock', '--all']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await ourRules()).toEqual([]);
  });

  it('a data folder owned by another user: refused naming the folder, rules and undo work (A8)', async () => {
    await blockOne();
    // Given away for real (the test runs as root); healthyStore removes it before the next test.
    chownSync(dataDir, 64_999, 64_999);
    const rules = await stillReadsAndUndoes();
    expect(rules.stderr).toContain(
      `Port Auditor’s data folder belongs to another user account (uid 64999), which could replace the database in it: ${dataDir}.`,
    );
    expect(rules.stderr).toContain(RULES_STAY);
    const fr = await cli(['rules'], '', 'fr');
    expect(fr.code, fr.stderr).toBe(0);
    expect(fr.stderr).toContain(
      `Le dossier de données de Port Auditor appartient à un autre compte (uid 64999), qui pourrait remplacer la base de données qu’il contient\u00a0: ${dataDir}.`,
    );
    const history = await cli(['history']);
    expect(history.code).not.toBe(0);
    expect(history.stderr).toContain('belongs to another user account');
    expect(history.stderr + history.stdout).not.toContain('Unexpected internal error');
    // The folder was neither narrowed nor taken back.
    expect(statSync(dataDir).uid).toBe(64_999);
  });

  it('a rule row forged into the journal is said as the journal’s word, not found in the firewall (A10)', async () => {
    // What a hostile program of the same user can write: a well-formed active rule, with the
    // begin and done of its add, that never was in the firewall.
    const id = '6b1f0c2e-4d3a-4c5b-8e9f-0a1b2c3d4e5f';
    await sqlite3(
      `INSERT INTO firewall_rules (id, name, backend, protocol, port_from, port_to, direction, remote, ref, state, created_at, updated_at, origin)
       VALUES ('${id}', 'PortAuditor-${id}', 'nftables', 'tcp', 18082, 18082, 'in', '[]', '9', 'active', '2026-11-30T08:00:00.000Z', '2026-11-30T08:00:01.000Z', 'app');
       INSERT INTO firewall_journal (rule_id, op, phase, at) VALUES ('${id}', 'add', 'begin', '2026-11-30T08:00:00.000Z'), ('${id}', 'add', 'done', '2026-11-30T08:00:01.000Z');`,
    );
    expect(await ourRules()).toEqual([]);
    const rules = await cli(['rules']);
    expect(rules.code, rules.stderr).toBe(0);
    expect(rules.stdout).toContain(id);
    expect(rules.stdout).toContain('in the journal, not found in the firewall; to re-apply');
    expect(rules.stdout).not.toMatch(/active, in the firewall/);
    expect(rules.stderr).toContain(
      'Port Auditor’s journal lists 1 rule not found in the firewall (a restart?)',
    );
    const json = JSON.parse((await cli(['rules', '--json'])).stdout) as {
      rules: { id: string; present: boolean | null }[];
    };
    expect(json.rules).toEqual([expect.objectContaining({ id, present: false })]);

    const listener = await listenIn(pc, 18082);
    const scan = await cli(['scan', '127.0.0.1', '-p', '18082']);
    const scanFr = await cli(['scan', '127.0.0.1', '-p', '18082'], '', 'fr');
    listener.kill();
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stdout).toMatch(/18082\/tcp\s+open\s.*· journal’s rule not found in the firewall/);
    expect(scan.stdout).toMatch(
      /\* According to Port Auditor’s journal, the rule of .+ for port 18082\/tcp blocked this port; it is not found in the firewall \(removed by a restart or a firewall reload, or never there if another program wrote in the journal\): the port can be reached; risk unchanged\./,
    );
    expect(scan.stdout).not.toMatch(/Blocked by Port Auditor|until now|blocked by Port Auditor/);
    expect(scanFr.code, scanFr.stderr).toBe(0);
    expect(scanFr.stdout).toMatch(
      /\* Selon le journal de Port Auditor, la règle du .+ pour le port 18082\/tcp bloquait ce port\u202f; elle est introuvable dans le pare-feu/,
    );
    expect(scanFr.stdout).not.toMatch(/jusqu’ici|Bloqué par Port Auditor/);
    // Nothing was put in the firewall by reading it.
    expect(await ourRules()).toEqual([]);
  });

  it('a version newer than this app knows: refused in words, left unchanged, never used', async () => {
    await sqlite3('PRAGMA user_version = 999');
    const digest = () => createHash('sha256').update(readFileSync(dbFile)).digest('hex');
    const before = digest();
    const rules = await fallsBack();
    expect(rules.stderr).toContain(
      `Port Auditor’s database was written by a newer version of Port Auditor (format 999; this version reads up to format 9): ${dbFile}. This version leaves it unchanged: update Port Auditor to use it again.`,
    );
    expect(rules.stderr).toContain(RULES_STAY);
    expect(rules.stderr).not.toContain(MOVE_ASIDE);
    const history = await cli(['history']);
    expect(history.code).not.toBe(0);
    expect(history.stderr).toContain('written by a newer version of Port Auditor');
    expect(digest()).toBe(before);
  });
});
