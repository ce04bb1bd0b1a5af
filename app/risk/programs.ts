import type { ProgramInfo } from '../contract/risk.js';

export type ProgramKind = 'windows-system' | 'user-folder' | 'installed' | 'unknown';

/** Processes of Windows itself, which report no path to a non-elevated caller. */
const WINDOWS_CORE = new Set([
  'system',
  'idle',
  'registry',
  'smss.exe',
  'csrss.exe',
  'wininit.exe',
  'services.exe',
  'lsass.exe',
  'svchost.exe',
  'spoolsv.exe',
  'winlogon.exe',
]);

const WINDOWS_DIR = /^[a-z]:\\windows\\(system32|syswow64|servicing|winsxs)\\/i;

/**
 * Folders under Windows' own that any user may write to, so a program there proves nothing
 * (the folders AppLocker's default rules are known to leave writable).
 */
const USER_WRITABLE_WINDOWS_DIRS =
  /^[a-z]:\\windows\\(system32|syswow64)\\(spool\\(drivers\\color|printers|servers)|tasks(_migrated)?|com\\dmp|fxstmp|microsoft\\crypto\\rsa\\machinekeys|catroot2|logfiles)\\|^[a-z]:\\windows\\(tracing|tasks|registration\\crmlog)\\/i;

/**
 * Folders a user can write to without elevation: software there was not installed by an
 * administrator, which is where droppers and trojans put themselves.
 */
const USER_FOLDERS = [
  /^[a-z]:\\users\\/i,
  /\\appdata\\/i,
  /\\temp\\/i,
  /^[a-z]:\\windows\\temp\\/i,
  /^[a-z]:\\programdata\\/i,
  /^\/home\//,
  /^\/tmp\//,
  /^\/var\/tmp\//,
  /^\/dev\/shm\//,
  /^\/Users\//,
  /^\/private\/tmp\//,
];

function baseName(name: string): string {
  return name.toLowerCase().replace(/\.exe$/, '');
}

/**
 * Where a listening program comes from, for the risk rules: `windows-system` (a Windows folder's
 * program running as a service — session 0 or registered — or, without a path, a core process
 * name in session 0), `user-folder` (a folder the user can write to), `installed` (elsewhere), or
 * `unknown` (no path, or one with `..`). Pure.
 */
export function classifyProgram(program: ProgramInfo | undefined): ProgramKind {
  if (!program) return 'unknown';
  const path = program.path;
  if (path) {
    // A path that climbs back out (C:\Windows\System32\..\..\Users\…) says nothing of where it is.
    if (/(^|[\\/])\.\.([\\/]|$)/.test(path)) return 'unknown';
    if (USER_WRITABLE_WINDOWS_DIRS.test(path)) return 'user-folder';
    // The path alone is not enough: a user can make a W:\Windows\System32\ of their own (subst,
    // a USB stick) or rewrite the path their process reports. Windows' own listeners are services:
    // in session 0, where no user's program runs, or a service registered by an administrator.
    if (WINDOWS_DIR.test(path)) {
      return program.session === 0 || (program.services?.length ?? 0) > 0
        ? 'windows-system'
        : 'installed';
    }
    if (USER_FOLDERS.some((re) => re.test(path))) return 'user-folder';
    return 'installed';
  }
  // Without a path only Windows' own processes are recognisable: they hide their path from us.
  // The name alone proves nothing (any program can be called svchost.exe and deny us its path):
  // it counts only in session 0, where no user's program runs.
  if (
    program.session === 0 &&
    (WINDOWS_CORE.has(program.name.toLowerCase()) ||
      WINDOWS_CORE.has(`${baseName(program.name)}.exe`))
  ) {
    return 'windows-system';
  }
  return 'unknown';
}

/** Whether a program name is one of Windows' own processes (System, svchost.exe, lsass.exe…). */
export function isWindowsCoreName(name: string): boolean {
  return WINDOWS_CORE.has(name.toLowerCase()) || WINDOWS_CORE.has(`${baseName(name)}.exe`);
}

/** Whether the program is one the knowledge base expects on that port (case-insensitive, .exe optional). */
export function isExpectedProgram(
  program: ProgramInfo,
  expectedPrograms: readonly string[] | undefined,
  expectedServices: readonly string[] | undefined,
): boolean {
  const name = baseName(program.name);
  if (expectedPrograms?.some((p) => baseName(p) === name)) return true;
  const services = (program.services ?? []).map((s) => s.toLowerCase());
  return Boolean(expectedServices?.some((s) => services.includes(s.toLowerCase())));
}

export function describeProgram(program: ProgramInfo): string {
  const services = program.services?.length ? ` — ${program.services.join(', ')}` : '';
  return `${program.name} (PID ${program.pid})${services}`;
}
