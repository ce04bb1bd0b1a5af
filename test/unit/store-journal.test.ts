import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getMeta, openDatabase, setMeta } from '../../app/store/database.js';
import { resolveDataDir } from '../../app/store/data-dir.js';
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
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
    const again = openDatabase(dir);
    expect(getMeta(again, 'k')).toBe('v');
    again.close();
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

  it('refuses impossible rows at the database level', () => {
    const db = openDatabase(tempDir());
    const journal = new FirewallJournal(db);
    expect(() => journal.beginAdd({ ...rule, portFrom: 70000 })).toThrow();
    expect(() => journal.beginAdd({ ...rule, protocol: 'icmp' as 'tcp' })).toThrow();
    db.close();
  });
});
