import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { formatStatus } from '../../app/firewall/format.js';
import { databasePath } from '../../app/store/database.js';
import { ELECTRON_HELPER_FLAG } from '../../app/firewall/elevation.js';
import { NetshBackend } from '../../app/firewall/netsh.js';
import { FirewallService, MAX_RULES } from '../../app/firewall/service.js';
import { ruleCalled } from '../../app/firewall/labels.js';
import { SYSTEM32 } from './support/powershell.js';
import { WindowsStandIn } from './support/windows-stand-in.js';
import { typeset } from './support/typography.js';

/**
 * The firewall service on Windows, end to end but for Windows itself (a stand-in plays PowerShell
 * 5.1 and UAC): the journal is real SQLite, the command lines are the real ones.
 */
const EXE = 'C:\\Program Files\\Port Auditor\\Port Auditor.exe';
const dirs: string[] = [];
const services: FirewallService[] = [];

function setup(options: { installed?: boolean } = {}) {
  const windows = new WindowsStandIn();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pa-fw-win-'));
  dirs.push(dataDir);
  const service = new FirewallService({
    dataDir,
    platform: 'win32',
    backend: new NetshBackend(windows.run, { system32: SYSTEM32 }),
    run: async (argv, o) =>
      argv[0]?.endsWith('reg.exe') ? { code: 1, stdout: '', stderr: '' } : windows.run(argv, o),
    ...(options.installed === false
      ? {}
      : { windowsHelper: { exe: EXE, args: [ELECTRON_HELPER_FLAG, '--'] } }),
  });
  services.push(service);
  return { windows, service, dataDir };
}

afterEach(() => {
  for (const s of services.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('Windows: UAC, read-back, and never a false state', () => {
  it('an accepted prompt: the rule is applied by the helper and read back unelevated', async () => {
    const { windows, service } = setup();
    const outcome = await service.block({ protocol: 'tcp', port: 445 });
    expect(outcome.outcome).toBe('applied');
    if (outcome.outcome !== 'applied') return;
    expect(outcome.verification).toMatchObject({
      readBack: true,
      firewallOn: true,
      effective: 'yes',
    });
    expect(outcome.rule).toMatchObject({ state: 'active', present: true, portFrom: 445 });
    // What the helper received is the change itself, as the user approved it.
    expect(windows.helperArgv).toEqual([
      ['block', '--id', outcome.rule.id, '--proto', 'tcp', '--port', '445', '--dir', 'in'],
    ]);
    expect(outcome.backupPath).toBe(
      'C:\\Program Files\\Port Auditor\\backups\\before-first-change.wfw',
    );
    expect((await service.list()).rules.map((r) => r.state)).toEqual(['active']);
  });

  it('a declined prompt (1223) is cancelled, in the outcome and in the journal', async () => {
    const { windows, service } = setup();
    windows.uac = 'decline';
    const outcome = await service.block({ protocol: 'tcp', port: 445 });
    expect(outcome).toMatchObject({
      outcome: 'cancelled',
      message: { en: expect.stringContaining('UAC') },
    });
    expect(windows.rules).toEqual([]);
    const [entry] = service.journal.entries().filter((e) => e.phase !== 'begin');
    expect(entry).toMatchObject({ op: 'add', phase: 'cancelled' });
    expect(service.journal.get(entry!.ruleId)?.state).toBe('cancelled');
    expect((await service.list()).rules).toEqual([]);
  });

  it('a stopped firewall service has its own message, and nothing is changed or recorded', async () => {
    const { windows, service } = setup();
    const blocked = await service.block({ protocol: 'tcp', port: 445 });
    windows.serviceRunning = false;
    await expect(service.block({ protocol: 'tcp', port: 3389 })).rejects.toMatchObject({
      appError: { code: 'firewall.service-stopped' },
    });
    expect(windows.launches).toHaveLength(1);
    expect(service.journal.current()).toHaveLength(1);
    if (blocked.outcome !== 'applied') throw new Error('not applied');
    await expect(service.remove([blocked.rule.id])).rejects.toMatchObject({
      appError: { code: 'firewall.service-stopped' },
    });
    // The rule is still there and still recorded active, not "removed".
    expect(service.journal.get(blocked.rule.id)?.state).toBe('active');
    const status = await service.status();
    expect(status.warnings.map((w) => w.en).join(' ')).toContain('(MpsSvc) is stopped');
  });

  it('a change that cannot be read back is unknown, then reconciled at the next read', async () => {
    const { windows, service } = setup();
    windows.listWorks = false;
    const outcome = await service.block({ protocol: 'tcp', port: 445 });
    expect(outcome.outcome).toBe('unknown');
    if (outcome.outcome !== 'unknown') return;
    expect(service.journal.get(outcome.rule.id)?.state).toBe('unknown');
    // Listed as unknown, not failed: it may be blocking.
    const unverified = await service.list();
    expect(unverified).toMatchObject({
      verified: false,
      rules: [{ state: 'unknown', present: null }],
    });
    windows.listWorks = true;
    const verified = await service.list();
    expect(verified.rules).toMatchObject([{ state: 'active', present: true }]);
    expect(service.repairsMade().at(-1)?.en).toContain('the rule is in the firewall');

    // An undo that cannot be read back is not "removed" either.
    windows.listWorks = false;
    const undo = await service.remove([outcome.rule.id]);
    expect(undo).toMatchObject({ outcome: 'applied', removed: [], unknown: [outcome.rule.id] });
    expect(service.journal.get(outcome.rule.id)?.state).toBe('unknown');
    windows.listWorks = true;
    expect((await service.list()).rules).toEqual([]);
    expect(service.journal.get(outcome.rule.id)?.state).toBe('removed');
  });

  it('three blocks asked at once run one after the other', async () => {
    const { windows, service } = setup();
    const outcomes = await Promise.all(
      [135, 139, 445].map((port) => service.block({ protocol: 'tcp', port })),
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['applied', 'applied', 'applied']);
    expect(windows.launches).toHaveLength(3);
    for (let i = 1; i < windows.launches.length; i++) {
      expect(windows.launches[i]!.start).toBeGreaterThan(windows.launches[i - 1]!.end);
    }
    expect(windows.rules.map((r) => r.port).sort()).toEqual(['135', '139', '445']);
  });

  it('not installed for all users: the status says how to get blocking, and nothing asks for UAC', async () => {
    const { windows, service } = setup({ installed: false });
    const status = await service.status();
    expect(status).toMatchObject({ elevation: 'unavailable', canChange: false });
    expect(status.warnings[0]?.fr).toContain('installez Port Auditor pour tous les utilisateurs');
    await expect(service.block({ protocol: 'tcp', port: 445 })).rejects.toMatchObject({
      appError: { code: 'firewall.helper-missing' },
    });
    expect(windows.launches).toEqual([]);
  });

  it('already an administrator (elevated token): no UAC prompt at all', async () => {
    const { windows, service } = setup();
    windows.elevated = true;
    const status = await service.status();
    expect(status).toMatchObject({ elevated: true, elevation: 'none' });
  });

  it('re-apply of a lost rule is refused before any prompt: Windows keeps no record to vouch for it', async () => {
    const { windows, service } = setup();
    const outcome = await service.block({ protocol: 'tcp', port: 445 });
    if (outcome.outcome !== 'applied') throw new Error(outcome.outcome);
    windows.rules = []; // a firewall reset
    expect((await service.list()).rules.map((r) => r.present)).toEqual([false]);
    await expect(service.reapply([outcome.rule.id])).rejects.toMatchObject({
      appError: {
        code: 'firewall.not-vouched',
        message: {
          en: expect.stringContaining(
            `This system keeps no list of the rules the administrator approved: the rule ${ruleCalled(outcome.rule).en} is not re-applied.`,
          ),
          fr: expect.stringContaining(
            `Ce système ne garde pas de liste des règles approuvées par l’administrateur\u00a0: la règle ${ruleCalled(outcome.rule).fr} n’est pas ré-appliquée.`,
          ),
        },
        params: { name: outcome.rule.name },
      },
    });
    // Its UUID name only in the params (the details, --json), never in the sentence.
    const refused = await service.reapply([outcome.rule.id]).catch((e: unknown) => e);
    const said = (refused as { appError: { message: { fr: string; en: string } } }).appError;
    expect(`${said.message.fr} ${said.message.en}`).not.toContain(outcome.rule.id);
    expect(windows.helperArgv).toHaveLength(1);
    // Blocking the port again, from the user's own request, puts it back.
    const again = await service.block({ protocol: 'tcp', port: 445 });
    expect(again).toMatchObject({ outcome: 'applied', restored: true });
  });

  it('at most MAX_RULES rules: one more is refused before any prompt, in French and English', async () => {
    const { windows, service } = setup();
    for (let i = 0; i < MAX_RULES; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      service.journal.beginAdd({
        id,
        name: `PortAuditor-${id}`,
        backend: 'netsh',
        protocol: 'tcp',
        portFrom: 1000 + i,
        portTo: 1000 + i,
        direction: 'in',
        remote: [],
      });
      service.journal.finish(id, 'add', 'done', 'active');
    }
    await expect(service.block({ protocol: 'tcp', port: 445 })).rejects.toMatchObject({
      appError: {
        code: 'firewall.too-many-rules',
        message: {
          fr: typeset(
            `Port Auditor a déjà ${MAX_RULES} règles dans le pare-feu, le maximum : rien n’a été modifié. Débloquez-en d’abord (page Règles, ou port-auditor unblock).`,
          ),
          en: expect.stringContaining('the maximum: nothing was changed'),
        },
      },
    });
    expect(windows.helperArgv).toEqual([]);
  });
});

describe('the firewall backup: the helper’s, never a path from the store (review 13, A3/N4)', () => {
  const PLACE = 'C:\\Program Files\\Port Auditor\\backups\\before-first-change.wfw';

  it('a path another program wrote into the store is not shown, and the preview still says a backup will be taken', async () => {
    const { service, dataDir } = setup();
    await service.status(); // the store exists
    const db = new Database(databasePath(dataDir));
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
      'firewall.backup',
      '/nonexistent/backup.nft\nFirewall: on, all ports protected',
    );
    db.close();
    const status = await service.status();
    expect(status.backupPath).toBeNull();
    expect(formatStatus(status, 'en')).toContain('Backup: none yet');
    expect(formatStatus(status, 'en')).not.toContain('all ports protected');
    const preview = await service.preview({ protocol: 'tcp', port: 445 });
    expect(preview.notes.map((n) => n.en)).toContain(
      'Before this first change, Port Auditor saves a backup of the firewall configuration.',
    );
  });

  it('after the helper ran, the backup is its fixed place, and a path is shown on one line', async () => {
    const { service } = setup();
    await service.block({ protocol: 'tcp', port: 445 });
    const status = await service.status();
    expect(status.backupPath).toBe(PLACE);
    const forged = formatStatus({ ...status, backupPath: 'C:\\b.wfw\nFirewall: on' }, 'en');
    expect(forged.split('\n').filter((l) => l.startsWith('Firewall: on'))).toEqual([]);
  });
});
