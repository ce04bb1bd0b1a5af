import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FirewallBackend, LiveRule } from '../../app/firewall/backend.js';
import {
  ELECTRON_HELPER_FLAG,
  helperArgsFromAppArgv,
  interpretPkexec,
  interpretUac,
  pkexecPlan,
  UAC_SCRIPT,
  uacPlan,
} from '../../app/firewall/elevation.js';
import { opsToArgv, type HelperOp } from '../../app/firewall/helper-argv.js';
import { linuxHelperProblem } from '../../app/firewall/helper-check.js';
import {
  LINUX_HELPER,
  rootOnlyProblem,
  treeProblem,
  type FsProbe,
} from '../../app/firewall/helper-install.js';
import { HELPER_EXIT } from '../../app/firewall/helper-protocol.js';
import { planRule, validateBlockRequest } from '../../app/firewall/request.js';
import {
  installedWindowsHelper,
  installLocationQuery,
  parseInstallLocation,
  programFilesQuery,
} from '../../app/firewall/windows-install.js';
import { runFirewallHelper } from '../../main/helper/run.js';
import { commandLineToArgv } from './support/command-line-to-argv.js';
import { psScript, SYSTEM32 } from './support/powershell.js';

const ID = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const rule = planRule(validateBlockRequest({ protocol: 'tcp', port: 8080 }), ID);
const OPS: HelperOp[] = [{ op: 'block', rule }];
const UAC = JSON.parse(
  readFileSync(path.resolve(__dirname, '../fixtures/firewall/windows/uac-launcher.json'), 'utf8'),
) as Record<string, { exitCode: number; stdout: string; stderr: string }>;
const uacRun = (name: string) => {
  const f = UAC[name] as { exitCode: number; stdout: string; stderr: string };
  return { code: f.exitCode, stdout: f.stdout, stderr: f.stderr };
};

describe('Linux: pkexec runs the root-owned helper with the change on its command line', () => {
  it('change and read plans', () => {
    expect(pkexecPlan('/usr/bin/pkexec', OPS, false).argv).toEqual([
      '/usr/bin/pkexec',
      LINUX_HELPER.change,
      ...opsToArgv(OPS),
    ]);
    // A read never prompts on a terminal, and goes to the read-only helper.
    expect(pkexecPlan('/usr/bin/pkexec', [{ op: 'list' }], true).argv).toEqual([
      '/usr/bin/pkexec',
      '--disable-internal-agent',
      LINUX_HELPER.read,
      'list',
    ]);
  });

  it('reads the outcome from the helper’s stdout and pkexec’s exit codes, never its text', () => {
    const result = {
      version: 3,
      results: [{ ok: true, ref: '7' }],
      backup: null,
      rules: [],
      inspection: null,
      restored: [],
    };
    expect(
      interpretPkexec({ code: 0, stdout: `warning line\n${JSON.stringify(result)}\n`, stderr: '' }),
    ).toEqual({ kind: 'result', result, code: 0 });
    // pkexec's own codes, with nothing from the helper: dismissed, not authorised.
    expect(interpretPkexec({ code: 126, stdout: '', stderr: 'Request dismissed' })).toEqual({
      kind: 'cancelled',
    });
    expect(interpretPkexec({ code: 127, stdout: '', stderr: 'Not authorized' })).toMatchObject({
      kind: 'not-run',
    });
    // The helper was killed or printed something else: nothing can be concluded from this run.
    expect(interpretPkexec({ code: 137, stdout: '', stderr: '' })).toMatchObject({ kind: 'lost' });
    expect(interpretPkexec({ code: 0, stdout: '{"version":1}', stderr: '' })).toMatchObject({
      kind: 'lost',
    });
  });
});

describe('Windows: UAC starts the installed app as the helper, the argv built in Node', () => {
  const helper = {
    exe: 'C:\\Program Files\\Port Auditor\\Port Auditor.exe',
    args: [ELECTRON_HELPER_FLAG, '--'],
  };

  it('the command line UAC passes parses back (CommandLineToArgvW rules) to exactly the argv sent', () => {
    const ops: HelperOp[] = [
      {
        op: 'unblock',
        rule: planRule(
          validateBlockRequest({
            protocol: 'udp',
            port: '5000-5010',
            direction: 'out',
            remote: '10.0.0.7,fd00::/8',
          }),
          ID,
        ),
      },
      ...OPS,
    ];
    const plan = uacPlan(helper, ops, SYSTEM32);
    expect(psScript(plan.argv)).toBe(UAC_SCRIPT);
    expect(plan.env?.PORT_AUDITOR_HELPER_EXE).toBe(helper.exe);
    const sent = [ELECTRON_HELPER_FLAG, '--', ...opsToArgv(ops)];
    expect(commandLineToArgv(plan.env?.PORT_AUDITOR_HELPER_ARGS ?? '')).toEqual(sent);
    // The app, started this way, finds the helper's arguments after its flag and `--`.
    expect(helperArgsFromAppArgv([helper.exe, ...sent])).toEqual(opsToArgv(ops));
    // Electron from a checkout puts the app folder before the flag: still found.
    expect(
      helperArgsFromAppArgv(['C:\\e.exe', 'C:\\src', ELECTRON_HELPER_FLAG, '--', 'list'], 2),
    ).toEqual(['list']);
    // No switch may ride along with the helper flag (Chromium acts on --gpu-launcher and the like).
    expect(
      helperArgsFromAppArgv([
        'C:\\e.exe',
        '--gpu-launcher=C:\\x.exe',
        ELECTRON_HELPER_FLAG,
        '--',
        'list',
      ]),
    ).toBeNull();
    expect(helperArgsFromAppArgv(['C:\\e.exe', ELECTRON_HELPER_FLAG, 'list'])).toBeNull();
    expect(helperArgsFromAppArgv(['C:\\e.exe'])).toBeNull();
  });

  it('the launcher script: Process.Start with runas, 1223 from the inner Win32Exception, no data spliced in', () => {
    expect(UAC_SCRIPT).toContain('[System.Diagnostics.Process]::Start($psi)');
    expect(UAC_SCRIPT).toContain("$psi.Verb = 'runas'");
    expect(UAC_SCRIPT).toContain('$e.NativeErrorCode -eq 1223');
    expect(UAC_SCRIPT).toContain('$psi.Arguments = $env:PORT_AUDITOR_HELPER_ARGS');
    // Start-Process -Verb RunAs loses the inner exception: a declined prompt would exit 1.
    expect(UAC_SCRIPT).not.toContain('Start-Process');
    expect(UAC_SCRIPT).not.toContain('ConvertFrom-Json');
    expect(UAC_SCRIPT).not.toContain('"');
  });

  it('exit codes as PowerShell 5.1 gives them (synthetic fixtures)', () => {
    expect(interpretUac(uacRun('declined'))).toEqual({ kind: 'cancelled' });
    expect(interpretUac(uacRun('accepted-helper-ok'))).toEqual({
      kind: 'exit',
      code: HELPER_EXIT.ok,
    });
    expect(interpretUac(uacRun('accepted-helper-backup-failed'))).toEqual({
      kind: 'exit',
      code: HELPER_EXIT.backupFailed,
    });
    // The old Start-Process launcher's 1 for a declined prompt is not a cancellation.
    expect(interpretUac(uacRun('start-process-declined-old-launcher')).kind).toBe('exit');
  });

  it('the CLI and browser mode find the per-machine install in HKLM, never HKCU', async () => {
    const output =
      '\r\nHKEY_LOCAL_MACHINE\\Software\\{5b1f7f3e-2c3a-4f0e-9d61-7f3c1a9e4d20}\r\n    InstallLocation    REG_SZ    C:\\Program Files\\Port Auditor\r\n\r\n';
    expect(parseInstallLocation(output)).toBe('C:\\Program Files\\Port Auditor');
    expect(parseInstallLocation('    InstallLocation    REG_SZ    Port Auditor')).toBeNull();
    const query = installLocationQuery(SYSTEM32);
    expect(query[0]).toBe(`${SYSTEM32}\\reg.exe`);
    expect(query[2]).toMatch(/^HKLM\\Software\\\{/);
    const programFiles =
      '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\r\n    ProgramFilesDir    REG_SZ    C:\\Program Files\r\n';
    const answers =
      (install: string) => async (argv: string[], options?: { env?: NodeJS.ProcessEnv }) => {
        // reg.exe runs with System32's environment, none of the user's.
        expect(options?.env?.PSModulePath).toBe(`${SYSTEM32}\\WindowsPowerShell\\v1.0\\Modules`);
        if (argv.join(' ') === query.join(' ')) return { code: 0, stdout: install, stderr: '' };
        expect(argv).toEqual(programFilesQuery(SYSTEM32));
        return { code: 0, stdout: programFiles, stderr: '' };
      };
    expect(await installedWindowsHelper(answers(output), SYSTEM32)).toEqual({
      exe: 'C:\\Program Files\\Port Auditor\\Port Auditor.exe',
      args: [ELECTRON_HELPER_FLAG, '--'],
    });
    // Installed outside Program Files (the installer's /D= switch): users may write there.
    const elsewhere = output.replace('C:\\Program Files\\Port Auditor', 'C:\\PortAuditor');
    expect(await installedWindowsHelper(answers(elsewhere), SYSTEM32)).toBeNull();
    // Not installed for all users: no helper, and the app says how to get one.
    expect(
      await installedWindowsHelper(async () => ({ code: 1, stdout: '', stderr: '' }), SYSTEM32),
    ).toBeNull();
  });
});

describe('the installed helper must be root’s alone before the app asks for elevation', () => {
  type Entry = { uid: number; mode: number; kind: 'file' | 'dir' | 'link'; to?: string };
  const tree = (entries: Record<string, Entry>): FsProbe => ({
    realpath(file) {
      let p = file;
      for (let i = 0; i < 8 && entries[p]?.kind === 'link'; i++) p = entries[p]?.to ?? p;
      if (!entries[p]) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return p;
    },
    lstat(file) {
      const e = entries[file];
      if (!e) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return {
        uid: e.uid,
        mode: e.mode,
        isFile: () => e.kind === 'file',
        isDirectory: () => e.kind === 'dir',
        isSymbolicLink: () => e.kind === 'link',
      };
    },
    readdir(dir) {
      return Object.keys(entries)
        .filter((p) => p !== dir && path.posix.dirname(p) === dir)
        .map((p) => path.posix.basename(p));
    },
  });
  const good: Record<string, Entry> = {
    '/': { uid: 0, mode: 0o755, kind: 'dir' },
    '/usr': { uid: 0, mode: 0o755, kind: 'dir' },
    '/usr/bin': { uid: 0, mode: 0o755, kind: 'dir' },
    '/usr/bin/pkexec': { uid: 0, mode: 0o4755, kind: 'file' },
    '/usr/bin/node': { uid: 0, mode: 0o755, kind: 'file' },
    '/usr/lib': { uid: 0, mode: 0o755, kind: 'dir' },
    '/usr/lib/port-auditor': { uid: 0, mode: 0o755, kind: 'dir' },
    [LINUX_HELPER.change]: { uid: 0, mode: 0o755, kind: 'file' },
    [LINUX_HELPER.read]: { uid: 0, mode: 0o755, kind: 'file' },
    [LINUX_HELPER.bundle]: { uid: 0, mode: 0o644, kind: 'file' },
    [LINUX_HELPER.runtime]: { uid: 0, mode: 0o777, kind: 'link', to: '/usr/bin/node' },
    '/usr/share': { uid: 0, mode: 0o755, kind: 'dir' },
    '/usr/share/polkit-1': { uid: 0, mode: 0o755, kind: 'dir' },
    '/usr/share/polkit-1/actions': { uid: 0, mode: 0o755, kind: 'dir' },
    [LINUX_HELPER.policy]: { uid: 0, mode: 0o644, kind: 'file' },
  };

  it('accepts a root-owned install, following the runtime link to a root-owned node', () => {
    expect(linuxHelperProblem('change', tree(good))).toEqual({ pkexec: '/usr/bin/pkexec' });
    expect(linuxHelperProblem('read', tree(good))).toEqual({ pkexec: '/usr/bin/pkexec' });
  });

  it('refuses with the reason: missing, user-owned, writable by others, a node in a home folder', () => {
    const without = { ...good };
    delete without[LINUX_HELPER.bundle];
    expect(linuxHelperProblem('change', tree(without))).toMatchObject({
      code: 'firewall.helper-missing',
    });
    const cases: [Record<string, Entry>, string][] = [
      [
        { ...good, [LINUX_HELPER.bundle]: { uid: 1000, mode: 0o644, kind: 'file' } },
        'is not owned by root',
      ],
      [
        { ...good, '/usr/lib/port-auditor': { uid: 0, mode: 0o777, kind: 'dir' } },
        'writable by users other than root',
      ],
      [
        { ...good, [LINUX_HELPER.change]: { uid: 0, mode: 0o775, kind: 'file' } },
        'writable by users other than root',
      ],
      [
        {
          ...good,
          [LINUX_HELPER.runtime]: { uid: 0, mode: 0o777, kind: 'link', to: '/home/ana/.nvm/node' },
          '/home': { uid: 0, mode: 0o755, kind: 'dir' },
          '/home/ana': { uid: 1000, mode: 0o755, kind: 'dir' },
          '/home/ana/.nvm': { uid: 1000, mode: 0o755, kind: 'dir' },
          '/home/ana/.nvm/node': { uid: 1000, mode: 0o755, kind: 'file' },
        },
        '/home/ana/.nvm/node is not owned by root',
      ],
    ];
    for (const [entries, reason] of cases) {
      const problem = linuxHelperProblem('change', tree(entries));
      expect(problem).toMatchObject({ code: 'firewall.helper-untrusted' });
      expect((problem as { detail: string }).detail).toContain(reason);
      expect((problem as { message: { fr: string } }).message.fr).toContain('README');
    }
    const noPkexec = { ...good };
    delete noPkexec['/usr/bin/pkexec'];
    expect(linuxHelperProblem('change', tree(noPkexec))).toMatchObject({
      code: 'firewall.elevation-unavailable',
    });
    expect(rootOnlyProblem('/nope', tree(good))).toEqual({
      missing: true,
      kind: 'missing',
      path: '/nope',
    });
    // The French message says it in French, path included.
    const userOwned = linuxHelperProblem(
      'change',
      tree({ ...good, [LINUX_HELPER.bundle]: { uid: 1000, mode: 0o644, kind: 'file' } }),
    );
    expect((userOwned as { message: { fr: string } }).message.fr).toContain(
      `${LINUX_HELPER.bundle} n’appartient pas à root`,
    );
  });

  it('a tree root runs code from: every entry root’s alone, a file gone while walking skipped', () => {
    const code: Record<string, Entry> = {
      '/': { uid: 0, mode: 0o755, kind: 'dir' },
      '/opt': { uid: 0, mode: 0o755, kind: 'dir' },
      '/opt/src': { uid: 0, mode: 0o755, kind: 'dir' },
      '/opt/src/node_modules': { uid: 0, mode: 0o755, kind: 'dir' },
      '/opt/src/node_modules/a.js': { uid: 0, mode: 0o644, kind: 'file' },
    };
    expect(treeProblem('/opt/src/node_modules', {}, tree(code))).toBeNull();
    // A temporary file listed, then removed before it could be looked at (another tool's).
    const racing = tree(code);
    const listed = racing.readdir;
    racing.readdir = (dir) => [
      ...listed(dir),
      ...(dir === '/opt/src/node_modules' ? ['.tmp-1'] : []),
    ];
    expect(treeProblem('/opt/src/node_modules', {}, racing)).toBeNull();
    const planted = {
      ...code,
      '/opt/src/node_modules/b.js': { uid: 1000, mode: 0o644, kind: 'file' as const },
    };
    expect(treeProblem('/opt/src/node_modules', {}, tree(planted))).toMatchObject({
      kind: 'not-root',
      path: '/opt/src/node_modules/b.js',
    });
  });
});

describe('the helper entry (firewall-helper.mjs and the desktop app’s helper flag)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pa-helper-backup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const backup = { dir, file: path.join(dir, 'before-first-change.wfw') };
  const places = { backupDir: dir, backupFile: backup.file, stateFile: null };
  /** An in-memory firewall standing in for nft/netsh (the real ones are tested in namespaces). */
  function memoryFirewall(): FirewallBackend & { rules: LiveRule[]; backups: string[] } {
    const state = { rules: [] as LiveRule[], backups: [] as string[] };
    return {
      kind: 'nftables',
      readsContent: true,
      ...state,
      get rules() {
        return state.rules;
      },
      get backups() {
        return state.backups;
      },
      async status() {
        return {
          available: true,
          elevated: true,
          canRead: true,
          profiles: [],
          warnings: [],
          serviceRunning: null,
        };
      },
      preview: () => [],
      async block(r) {
        state.rules.push({ name: r.name, ref: '1', enabled: true, details: { ...r } });
        return { ref: '1' };
      },
      async remove(name) {
        state.rules = state.rules.filter((r) => r.name !== name);
      },
      async list() {
        return [...state.rules];
      },
      async backup(file) {
        writeFileSync(file, 'policy', { flag: 'wx' });
        state.backups.push(file);
      },
    };
  }

  it('prints one JSON result and exits with a code that says it, for a bad command line too', async () => {
    const lines: string[] = [];
    const fw = memoryFirewall();
    const io = {
      stdout: (l: string) => lines.push(l),
      backend: fw,
      platform: 'win32' as const,
      places,
    };
    expect(await runFirewallHelper(['block', '--id', 'all'], io)).toBe(HELPER_EXIT.badRequest);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      version: 3,
      results: [{ ok: false, error: { code: 'firewall.helper-bad-request' } }],
      rules: null,
    });
    expect(fw.rules).toEqual([]);
    expect(await runFirewallHelper(['--read-only', ...opsToArgv(OPS)], io)).toBe(
      HELPER_EXIT.badRequest,
    );
    expect(fw.rules).toEqual([]);
  });

  it('removes a rule only when the firewall holds it with the announced content', async () => {
    const fw = memoryFirewall();
    const io = { stdout: () => undefined, backend: fw, platform: 'win32' as const, places };
    expect(await runFirewallHelper(opsToArgv(OPS), io)).toBe(HELPER_EXIT.ok);
    expect(fw.rules.map((r) => r.name)).toEqual([rule.name]);
    const other = planRule(validateBlockRequest({ protocol: 'tcp', port: 1, direction: 'in' }), ID);
    const lines: string[] = [];
    const code = await runFirewallHelper(opsToArgv([{ op: 'unblock', rule: other }]), {
      ...io,
      stdout: (l) => lines.push(l),
    });
    expect(code).toBe(HELPER_EXIT.opFailed);
    expect(JSON.parse(lines[0] as string).results[0].error.code).toBe('firewall.rule-mismatch');
    expect(fw.rules).toHaveLength(1);
    expect(await runFirewallHelper(opsToArgv([{ op: 'unblock', rule }]), io)).toBe(HELPER_EXIT.ok);
    expect(fw.rules).toEqual([]);
    // The backup was taken once, before the first change only, and stands under its name.
    expect(fw.backups).toHaveLength(1);
    expect(readFileSync(backup.file, 'utf8')).toBe('policy');
  });
});
