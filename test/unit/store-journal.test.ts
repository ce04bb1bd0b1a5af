import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { getMeta, openDatabase, setMeta } from '../../app/store/database.js';
import { resolveDataDir } from '../../app/store/data-dir.js';
import { newRuleId } from '../../app/firewall/rule-id.js';
import { FirewallJournal } from '../../app/store/journal.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pa-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const rule = {
  id: '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b',
  name: 'PortAuditor-3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b',
  backend: 'nftables' as const,
  protocol: 'tcp' as const,
  portFrom: 80,
  portTo: 80,
  direction: 'in' as const,
  remote: ['10.77.0.0/16'],
};

describe('data dir', () => {
  it('follows the platform conventions and the override', () => {
    expect(resolveDataDir({ PORT_AUDITOR_DATA_DIR: '/tmp/x' }, 'linux', '/home/a')).toBe('/tmp/x');
    expect(resolveDataDir({}, 'linux', '/home/a')).toBe('/home/a/.local/share/port-auditor');
    expect(
      resolveDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a'),
    ).toBe('C:\\Users\\a\\AppData\\Roaming\\Port Auditor');
    expect(resolveDataDir({}, 'darwin', '/Users/a')).toBe(
      '/Users/a/Library/Application Support/Port Auditor',
    );
  });
});

describe('firewall journal (real SQLite file)', () => {
  it('migrates once and keeps meta', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    setMeta(db, 'k', 'v');
    expect(db.pragma('user_version', { simple: true })).toBe(9);
    db.close();
    const again = openDatabase(dir);
    expect(getMeta(again, 'k')).toBe('v');
    again.close();
  });

  it('upgrades a version-2 journal: rows and links kept, unknown and cancelled now allowed', () => {
    const dir = tempDir();
    // The schema as version 2 of the app left it, with a rule and its history.
    const old = new Database(path.join(dir, 'port-auditor.sqlite'));
    old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE firewall_rules (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, backend TEXT NOT NULL,
        protocol TEXT NOT NULL, port_from INTEGER NOT NULL, port_to INTEGER NOT NULL, direction TEXT NOT NULL,
        remote TEXT NOT NULL DEFAULT '[]', ref TEXT,
        state TEXT NOT NULL CHECK (state IN ('pending-add', 'active', 'pending-remove', 'removed', 'failed')),
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        origin TEXT NOT NULL DEFAULT 'app' CHECK (origin IN ('app', 'found')));
      CREATE TABLE firewall_journal (seq INTEGER PRIMARY KEY AUTOINCREMENT,
        rule_id TEXT NOT NULL REFERENCES firewall_rules(id), op TEXT NOT NULL,
        phase TEXT NOT NULL CHECK (phase IN ('begin', 'done', 'failed', 'cancelled', 'repaired')),
        at TEXT NOT NULL, detail TEXT);
      INSERT INTO firewall_rules VALUES ('${rule.id}', '${rule.name}', 'nftables', 'tcp', 80, 80, 'in', '[]', '7', 'active', 't0', 't1', 'app');
      INSERT INTO firewall_journal (rule_id, op, phase, at) VALUES ('${rule.id}', 'add', 'begin', 't0'), ('${rule.id}', 'add', 'done', 't1');
      PRAGMA user_version = 2;`);
    old.close();
    const db = openDatabase(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(9);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const journal = new FirewallJournal(db);
    expect(journal.get(rule.id)).toMatchObject({ state: 'active', ref: '7', origin: 'app' });
    expect(journal.entries(rule.id).map((e) => e.phase)).toEqual(['begin', 'done']);
    journal.beginRemove(rule.id);
    journal.finish(rule.id, 'remove', 'unknown', 'unknown');
    expect(journal.get(rule.id)?.state).toBe('unknown');
    expect(journal.lastOp(rule.id)).toBe('remove');
    expect(journal.current().map((r) => r.state)).toEqual(['unknown']);
    db.close();
  });

  it('dates a rule found in the firewall by its name, else says the making is unknown (N6)', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    let clock = '2026-12-02T10:00:00.000Z';
    const journal = new FirewallJournal(db, () => clock);
    journal.beginAdd(rule);
    journal.finish(rule.id, 'add', 'done', 'active', { ref: '1' });
    expect(journal.get(rule.id)).toMatchObject({
      createdAt: '2026-12-02T10:00:00.000Z',
      createdKnown: true,
    });
    clock = '2026-12-02T11:00:00.000Z';
    // A version-7 id: the firewall's name says when it was made.
    const dated = newRuleId(Date.UTC(2026, 10, 30, 8, 30));
    journal.adopt({ ...rule, id: dated, name: `PortAuditor-${dated}`, ref: '2' });
    expect(journal.get(dated)).toMatchObject({
      createdAt: '2026-11-30T08:30:00.000Z',
      createdKnown: true,
      origin: 'found',
    });
    // A version-4 id (made before ids carried their time): known only as found now.
    const old = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    journal.adopt({ ...rule, id: old, name: `PortAuditor-${old}`, ref: '3' });
    expect(journal.get(old)).toMatchObject({
      createdAt: '2026-12-02T11:00:00.000Z',
      createdKnown: false,
    });
    // A row the journal made keeps its own time when the firewall hands it back.
    journal.finish(rule.id, 'remove', 'done', 'removed');
    journal.adopt({ ...rule, ref: '4' });
    expect(journal.get(rule.id)).toMatchObject({
      createdAt: '2026-12-02T10:00:00.000Z',
      createdKnown: true,
    });
    db.close();
  });

  it('records before and after, and survives a reopen with the pending state intact', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const journal = new FirewallJournal(db);
    journal.beginAdd(rule);
    db.close();
    // As after a crash: a new process opens the file and finds the change half-done.
    const reopened = openDatabase(dir);
    const j2 = new FirewallJournal(reopened);
    expect(j2.pending().map((r) => [r.id, r.state])).toEqual([[rule.id, 'pending-add']]);
    j2.finish(rule.id, 'add', 'repaired', 'active', { ref: '7' });
    expect(j2.get(rule.id)).toMatchObject({ state: 'active', ref: '7', remote: ['10.77.0.0/16'] });
    j2.beginRemove(rule.id);
    j2.finish(rule.id, 'remove', 'done', 'removed');
    expect(j2.current()).toEqual([]);
    expect(j2.entries(rule.id).map((e) => `${e.op}:${e.phase}`)).toEqual([
      'add:begin',
      'add:repaired',
      'remove:begin',
      'remove:done',
    ]);
    reopened.close();
  });

  it('lists the removed outbound rules only, with when they were made and removed', () => {
    const db = openDatabase(tempDir());
    const journal = new FirewallJournal(db);
    const out = {
      ...rule,
      id: '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6c',
      name: 'PortAuditor-3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6c',
      direction: 'out' as const,
    };
    for (const r of [rule, out]) {
      journal.beginAdd(r);
      journal.finish(r.id, 'add', 'done', 'active');
    }
    expect(journal.removedOutbound()).toEqual([]);
    for (const r of [rule, out]) {
      journal.beginRemove(r.id);
      journal.finish(r.id, 'remove', 'done', 'removed');
    }
    const removed = journal.removedOutbound();
    expect(removed.map((r) => [r.id, r.state, r.direction])).toEqual([[out.id, 'removed', 'out']]);
    expect(Date.parse(removed[0]!.updatedAt)).toBeGreaterThanOrEqual(
      Date.parse(removed[0]!.createdAt),
    );
    db.close();
  });

  it('adopts a rule found in the firewall, and brings a removed one back, marked as found', () => {
    const db = openDatabase(tempDir());
    const journal = new FirewallJournal(db);
    journal.adopt({ ...rule, ref: '12,13' });
    expect(journal.current()).toEqual([
      expect.objectContaining({ id: rule.id, state: 'active', origin: 'found', ref: '12,13' }),
    ]);
    journal.beginRemove(rule.id);
    journal.finish(rule.id, 'remove', 'done', 'removed');
    expect(journal.current()).toEqual([]);
    journal.adopt({ ...rule, ref: '20' });
    expect(journal.get(rule.id)).toMatchObject({ state: 'active', origin: 'found', ref: '20' });
    expect(journal.entries(rule.id).map((e) => `${e.op}:${e.phase}`)).toEqual([
      'add:repaired',
      'remove:begin',
      'remove:done',
      'add:repaired',
    ]);
    // A rule the app made itself stays `app`.
    const other = { ...rule, id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' };
    journal.beginAdd({ ...other, name: `PortAuditor-${other.id}` });
    expect(journal.get(other.id)?.origin).toBe('app');
    db.close();
  });

  it('a row whose name disagrees with its id is foreign: left out, its id and name never reused', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const journal = new FirewallJournal(db);
    const other = { ...rule, id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' };
    journal.beginAdd(rule);
    journal.finish(rule.id, 'add', 'done', 'active');
    // Another program of the user renames the row after another rule and changes what it blocks.
    const raw = new Database(path.join(dir, 'port-auditor.sqlite'));
    raw
      .prepare('UPDATE firewall_rules SET name = ?, port_from = 445, port_to = 445 WHERE id = ?')
      .run(`PortAuditor-${other.id}`, rule.id);
    raw
      .prepare(
        `INSERT INTO firewall_rules (id, name, backend, protocol, port_from, port_to, direction, remote, ref, state, created_at, updated_at, origin)
         VALUES ('not-an-id', 'PortAuditor-not-an-id', 'nftables', 'tcp', 443, 443, 'out', '[]', NULL, 'active', 'x', 'x', 'app')`,
      )
      .run();
    raw.close();
    expect(journal.current()).toEqual([]);
    expect(journal.get(rule.id)).toBeNull();
    expect(journal.get('not-an-id')).toBeNull();
    expect(journal.hasRow(rule.id)).toBe(true);
    // The rule with the name that row took is recorded under its own name all the same…
    journal.beginAdd({ ...other, name: 'anything: the name is derived from the id' });
    expect(journal.get(other.id)).toMatchObject({ name: `PortAuditor-${other.id}` });
    // …and the firewall's rule under the first id is adopted, name and content from the firewall.
    journal.adopt({ ...rule, ref: '7' });
    expect(journal.get(rule.id)).toMatchObject({
      name: rule.name,
      portFrom: 80,
      state: 'active',
      origin: 'found',
    });
    expect(journal.current().map((r) => r.id)).toEqual([rule.id, other.id]);
    db.close();
  });

  it('refuses impossible rows at the database level', () => {
    const db = openDatabase(tempDir());
    const journal = new FirewallJournal(db);
    expect(() => journal.beginAdd({ ...rule, portFrom: 70000 })).toThrow();
    expect(() => journal.beginAdd({ ...rule, protocol: 'icmp' as 'tcp' })).toThrow();
    db.close();
  });
});
