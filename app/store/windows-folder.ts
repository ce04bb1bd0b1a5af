import { execFileSync } from 'node:child_process';
import { programFolder } from '../system/command.js';
import {
  minimalWindowsEnv,
  powershellArgv,
  system32Program,
  windowsSystemDirectory,
} from '../system/windows-paths.js';

/** One program run: argv[0] by absolute path, the rest its arguments; the environment it gets. */
export interface FolderCommand {
  argv: string[];
  env?: NodeJS.ProcessEnv;
}

/** Runs a command and returns its standard output; throws when it cannot run or exits non-zero. */
export type RunSync = (command: FolderCommand) => string;

/** A Windows account as a folder's owner or as this process's user: its SID and its name. */
export interface WindowsAccount {
  sid: string;
  name: string;
}

/**
 * This process's user (`whoami /user /fo csv /nh`: one line, `"PC\name","S-1-5-21-…"`; Microsoft,
 * "whoami": /fo csv with /nh prints the row without the header).
 */
export function whoamiCommand(system32: string = windowsSystemDirectory()): FolderCommand {
  return {
    argv: [system32Program('whoami.exe', system32), '/user', '/fo', 'csv', '/nh'],
    env: minimalWindowsEnv(system32),
  };
}

/** The SID shape of Windows ("S-1-" then sub-authorities), nothing else. */
const SID = /^S-1-\d+(-\d+)+$/;

/**
 * The account whoami's CSV row names, or null when `stdout` is not that row. The name may hold any
 * character but a double quote (CSV doubles it); only the SID is relied on.
 */
export function parseWhoamiUser(stdout: string): WindowsAccount | null {
  const match = /^\s*"((?:[^"]|"")*)","(S-1-[\d-]+)"\s*$/.exec(stdout.replace(/^\uFEFF/, ''));
  if (!match || !SID.test(match[2] as string)) return null;
  return { name: (match[1] as string).replaceAll('""', '"'), sid: match[2] as string };
}

/**
 * The ACL a data folder Port Auditor has just created gets: inheritance from the profile removed
 * (`/inheritance:r`: the ACEs inherited are dropped, not copied) and full control for this user
 * alone, passed on to the files and folders made in it (`(OI)(CI)F`), `/grant:r` replacing any
 * explicit grant. The SID is given with icacls' `*` prefix, so no account name is looked up
 * (Microsoft, "icacls": "If a numerical form is given, affix a * to the start of the SID").
 */
export function restrictCommand(
  dir: string,
  sid: string,
  system32: string = windowsSystemDirectory(),
): FolderCommand {
  return {
    argv: [
      system32Program('icacls.exe', system32),
      dir,
      '/inheritance:r',
      '/grant:r',
      `*${sid}:(OI)(CI)F`,
    ],
    env: minimalWindowsEnv(system32),
  };
}

/**
 * Reads the owner of the folder named by the environment variable PA_FOLDER (data never spliced
 * into the script): its SID on the first line, its account name on the second, UTF-8.
 */
const OWNER_SCRIPT = [
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
  '$acl = Get-Acl -LiteralPath $env:PA_FOLDER',
  '$acl.GetOwner([System.Security.Principal.SecurityIdentifier]).Value',
  '$acl.Owner',
].join('; ');

/** Windows PowerShell 5.1 reading `dir`'s owner (see OWNER_SCRIPT). */
export function ownerCommand(
  dir: string,
  system32: string = windowsSystemDirectory(),
): FolderCommand {
  return {
    argv: powershellArgv(OWNER_SCRIPT, system32),
    env: { ...minimalWindowsEnv(system32), PA_FOLDER: dir },
  };
}

/** The owner OWNER_SCRIPT printed, or null when its output is not a SID and a name. */
export function parseOwner(stdout: string): WindowsAccount | null {
  const [sid, name] = stdout
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trim());
  if (!sid || !SID.test(sid)) return null;
  return { sid, name: name || sid };
}

/**
 * Owners that are not "another account": LocalSystem (S-1-5-18) and the Administrators group
 * (S-1-5-32-544), which own what an elevated process or an administrator's installer makes and
 * can replace any file anyway, as root on POSIX (Microsoft, "Well-known SIDs").
 */
const SYSTEM_OWNERS = new Set(['S-1-5-18', 'S-1-5-32-544']);

/**
 * Windows' side of the data folder check (review 13 A8): a folder made just now (`created`) is
 * restricted to this user (restrictCommand); a folder that was there is refused when another
 * account owns it, since that account could replace the store in it. Returns the owner's name
 * (or SID) when it is another account's, else null. Never throws for a command that fails: a
 * folder whose ACL cannot be set keeps the one it inherited from the profile (private to the user
 * in %APPDATA%), and an owner that cannot be read is not a reason to stop the app.
 */
export function windowsForeignOwner(dir: string, created: boolean, run: RunSync): string | null {
  let me: WindowsAccount | null;
  try {
    me = parseWhoamiUser(run(whoamiCommand()));
  } catch {
    return null;
  }
  if (!me) return null;
  try {
    if (created) {
      run(restrictCommand(dir, me.sid));
      return null;
    }
    const owner = parseOwner(run(ownerCommand(dir)));
    if (!owner || owner.sid === me.sid || SYSTEM_OWNERS.has(owner.sid)) return null;
    return owner.name;
  } catch {
    return null;
  }
}

/**
 * Runs a FolderCommand synchronously (the store opener is synchronous): argv, never a shell, in
 * System32, its window hidden, 30 s at most; its output as UTF-8.
 */
export function runFolderCommand(command: FolderCommand): string {
  const [file, ...args] = command.argv as [string, ...string[]];
  const cwd = programFolder(file);
  return execFileSync(file, args, {
    encoding: 'utf8',
    windowsHide: true,
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(command.env ? { env: command.env } : {}),
    ...(cwd ? { cwd } : {}),
  });
}
