import path from 'node:path';
import { minimalWindowsEnv, system32Program } from '../system/windows-paths.js';
import type { Runner } from './backend.js';
import { ELECTRON_HELPER_FLAG, type WindowsHelperCommand } from './elevation.js';

/**
 * The installer's product GUID (electron-builder.yml `nsis.guid`). A per-machine install records
 * its folder under HKLM\Software\{GUID} (electron-builder's INSTALL_REGISTRY_KEY), which only
 * Administrators can write; the per-user HKCU key is never read, since any program could write it.
 */
export const WINDOWS_APP_GUID = '5b1f7f3e-2c3a-4f0e-9d61-7f3c1a9e4d20';
export const WINDOWS_APP_EXE = 'Port Auditor.exe';

export function installLocationQuery(system32?: string): string[] {
  return [
    system32Program('reg.exe', system32),
    'query',
    `HKLM\\Software\\{${WINDOWS_APP_GUID}}`,
    '/v',
    'InstallLocation',
    '/reg:64',
  ];
}

/** Where Program Files is, from HKLM (only administrators can change it). */
export function programFilesQuery(system32?: string): string[] {
  return [
    system32Program('reg.exe', system32),
    'query',
    'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion',
    '/v',
    'ProgramFilesDir',
    '/reg:64',
  ];
}

/**
 * The folder in `reg query … /v InstallLocation` output: the line `InstallLocation  REG_SZ  C:\…`
 * (value names and types are not translated). Null when absent or not an absolute path.
 */
export function parseInstallLocation(output: string, value = 'InstallLocation'): string | null {
  const match = new RegExp(`^\\s*${value}\\s+REG_(?:EXPAND_)?SZ\\s+(.+?)\\s*$`, 'm').exec(output);
  const folder = match?.[1] ?? '';
  return /^[A-Za-z]:\\/.test(folder) ? folder : null;
}

/** Whether `folder` is inside `programFiles` (case-insensitive, as Windows compares paths). */
export function insideFolder(folder: string, programFiles: string): boolean {
  const norm = (p: string) => path.win32.normalize(p).replace(/\\+$/, '').toLowerCase();
  return norm(folder).startsWith(`${norm(programFiles)}\\`);
}

/**
 * How the command line and the browser-mode host (plain node) reach the Windows helper: the
 * installed desktop app in Program Files, never a script next to node (a checkout or an npm
 * global folder is writable by the user). Null when Port Auditor is not installed for all users.
 */
export async function installedWindowsHelper(
  run: Runner,
  system32?: string,
): Promise<WindowsHelperCommand | null> {
  const env = minimalWindowsEnv(system32);
  const result = await run(installLocationQuery(system32), { timeoutMs: 15_000, env });
  const programFiles = await run(programFilesQuery(system32), { timeoutMs: 15_000, env });
  if (result.code !== 0 || programFiles.code !== 0) return null;
  const folder = parseInstallLocation(result.stdout);
  const base = parseInstallLocation(programFiles.stdout, 'ProgramFilesDir');
  // Installed elsewhere (the installer's /D= switch), the folder may be writable by users, and
  // so would be the program UAC elevates: then Port Auditor does not elevate it.
  if (!folder || !base || !insideFolder(folder, base)) return null;
  return { exe: path.win32.join(folder, WINDOWS_APP_EXE), args: [ELECTRON_HELPER_FLAG, '--'] };
}
