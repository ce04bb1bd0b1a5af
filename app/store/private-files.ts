import { chmodSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { accountWords } from './account-name.js';
import { databasePath } from './database-file.js';
import { StoreFailure } from './failure.js';
import { runFolderCommand, windowsForeignOwner, type RunSync } from './windows-folder.js';

/**
 * Closes `target` (the store file and its -wal/-shm) to other local users (review 13 A8: SQLite
 * creates its files as the umask says, 0644 for most, which left scans and the firewall journal
 * readable by every user): group and other permission bits are removed when any is set and the
 * file is this user's (st_uid); another user's file is left as it is. Never for a folder the app
 * did not create (review 13 A8 rest: PORT_AUDITOR_DATA_DIR pointing at the user's home must not
 * narrow it): openDatabase makes its own folder 0700 with mkdir and leaves an existing one alone.
 * POSIX only: on Windows the folder's ACLs (inherited from the profile) decide, which this does
 * not check. Never throws: a read-only or absent file is left (the store's own checks say why).
 */
export function closeToOthers(target: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') return;
  try {
    const info = statSync(target);
    const uid = process.getuid?.();
    if (uid === undefined || info.uid !== uid || (info.mode & 0o077) === 0) return;
    chmodSync(target, info.mode & 0o700);
  } catch {
    // Nothing to close, or not ours to change.
  }
}

/**
 * The owner (st_uid) of the data folder `dir` when it is another user's, so that user could replace
 * the store in it (review 13 A8 rest), or null: this user's folder, root's (a folder root owns is
 * set up by the system's administrator on purpose, and root can replace any file anyway), or a
 * folder that cannot be read (the opener's own checks name that). POSIX only: null on Windows,
 * where the folder's ACLs decide, and where there is no uid.
 */
export function foreignOwner(
  dir: string,
  platform: NodeJS.Platform = process.platform,
  uid: number | undefined = process.getuid?.(),
): number | null {
  if (platform === 'win32' || uid === undefined) return null;
  try {
    const owner = statSync(dir).uid;
    return owner === uid || owner === 0 ? null : owner;
  } catch {
    return null;
  }
}

/** What dataFolderOwner reads the system with; each defaults to this process's own. */
export interface OwnerProbe {
  platform?: NodeJS.Platform;
  uid?: number | undefined;
  /** /etc/passwd's text (POSIX). */
  readPasswd?: () => string;
  /** Runs whoami, icacls and PowerShell (Windows). */
  run?: RunSync;
}

/** Windows folders already checked by this process, with their answer: PowerShell is slow. */
const windowsChecked = new Map<string, string | null>();

/**
 * The data folder check of openDatabase (review 13 A8): how to name the account that owns `dir`
 * when it is another user's (POSIX: `bob, uid 1001`, see accountWords; Windows: the owner's
 * account name, see windowsForeignOwner), or null when it is this user's own. On Windows a folder
 * `created` just now is first restricted to this user (icacls), as mkdir's 0700 does on POSIX.
 * Never throws.
 */
export function dataFolderOwner(
  dir: string,
  created: boolean,
  probe: OwnerProbe = {},
): string | null {
  const platform = probe.platform ?? process.platform;
  if (platform === 'win32') {
    const run = probe.run ?? runFolderCommand;
    const known = probe.run ? undefined : windowsChecked.get(dir);
    if (known !== undefined) return known;
    const owner = windowsForeignOwner(dir, created, run);
    if (!probe.run) windowsChecked.set(dir, owner);
    return owner;
  }
  const owner = foreignOwner(dir, platform, 'uid' in probe ? probe.uid : process.getuid?.());
  return owner === null ? null : accountWords(owner, probe.readPasswd);
}

/**
 * The first of the store's files (`file`, its -wal and -shm) that another user owns (st_uid not
 * this user's nor root's), with that owner, or null (review 13 hostile F2: a database another
 * user planted in this user's data folder was read as this user's history and journal, and this
 * user's scans were written into a file that user reads). Absent files are fine. POSIX only: null
 * on Windows, where the folder's ACLs decide.
 */
export function foreignStoreFile(
  file: string,
  platform: NodeJS.Platform = process.platform,
  uid: number | undefined = process.getuid?.(),
): { path: string; owner: number } | null {
  if (platform === 'win32' || uid === undefined) return null;
  for (const own of [file, `${file}-wal`, `${file}-shm`]) {
    let owner: number;
    try {
      owner = lstatSync(own).uid;
    } catch {
      continue;
    }
    if (owner !== uid && owner !== 0) return { path: own, owner };
  }
  return null;
}

/**
 * Whether group `gid` is this user's private group (the user-private-group scheme of Debian and
 * Ubuntu, whose umask 002 makes a user's folders 0775): `group` (the text of /etc/group, group(5):
 * `name:password:gid:members`) has a line for it whose member list names no one but `userName`,
 * and no account of `passwd` (passwd(5)) other than user `uid` has it as primary group. A gid
 * /etc/group does not list (a directory service's) is not taken as private: its members are not
 * known here. Comment lines and lines with too few fields are skipped. Pure.
 */
export function isPrivateGroup(gid: number, uid: number, passwd: string, group: string): boolean {
  const numeric = (field: string | undefined) =>
    field !== undefined && /^\d+$/.test(field) ? Number(field) : null;
  let userName: string | null = null;
  for (const line of passwd.split('\n')) {
    const fields = line.split(':');
    if (line.startsWith('#') || fields.length < 7) continue;
    const [name, , id, primary] = fields;
    if (numeric(id) === uid) userName ??= name ?? null;
    else if (numeric(primary) === gid) return false;
  }
  let listed = false;
  for (const line of group.split('\n')) {
    const fields = line.split(':');
    if (line.startsWith('#') || fields.length < 4 || numeric(fields[2]) !== gid) continue;
    listed = true;
    const members = (fields[3] ?? '').split(',').map((m) => m.trim());
    if (members.some((m) => m !== '' && m !== userName)) return false;
  }
  return listed;
}

/** What openToOthers reads the system with; each defaults to this process's own. */
export interface GroupProbe {
  /** This process's primary gid (getgid). */
  gid?: number | undefined;
  /** This process's uid (getuid). */
  uid?: number | undefined;
  /** /etc/passwd's text. */
  readPasswd?: () => string;
  /** /etc/group's text. */
  readGroup?: () => string;
}

/**
 * The permission bits (octal, `0777`) of data folder `dir` when other users can write in it, or
 * null (review 13 hostile F2). Write for other (o+w) is always refused; write for the group (g+w)
 * only when that group may hold another user: a folder whose group is this process's primary gid
 * and this user's private group (isPrivateGroup, read from /etc/passwd and /etc/group) is
 * accepted, so a folder made under Debian's umask 002 (0775) is not refused (review F12). Either
 * file unreadable: g+w is refused. Refused rather than narrowed, as OpenSSH's StrictModes refuses
 * a writable home: the folder may be one the user set on purpose (PORT_AUDITOR_DATA_DIR on a
 * shared folder, or the home itself), which this app must not change, and another user may
 * already have put files in it. POSIX only: null on Windows.
 */
export function openToOthers(
  dir: string,
  platform: NodeJS.Platform = process.platform,
  probe: GroupProbe = {},
): string | null {
  if (platform === 'win32') return null;
  let info: { mode: number; gid: number };
  try {
    info = statSync(dir);
  } catch {
    return null;
  }
  const mode = info.mode & 0o7777;
  const refused = `0${mode.toString(8)}`;
  if ((mode & 0o002) !== 0) return refused;
  if ((mode & 0o020) === 0) return null;
  const gid = 'gid' in probe ? probe.gid : process.getgid?.();
  const uid = 'uid' in probe ? probe.uid : process.getuid?.();
  if (gid === undefined || uid === undefined || info.gid !== gid) return refused;
  try {
    const passwd = (probe.readPasswd ?? (() => readFileSync('/etc/passwd', 'utf8')))();
    const group = (probe.readGroup ?? (() => readFileSync('/etc/group', 'utf8')))();
    return isPrivateGroup(gid, uid, passwd, group) ? null : refused;
  } catch {
    return refused;
  }
}

/**
 * The refusal openDatabase gives data folder `dataDir` before anything is made in it, or null: a
 * folder of another user (`store.foreign-owner`, see foreignOwner) or one others can write
 * (`store.open-folder`, see openToOthers). For what makes files there before the store is opened
 * (the import spool folder: review 13 hostile F2, `imports/` was made in another user's folder
 * before the refusal). The store's file is named as openDatabase names it (databasePath). A store
 * file another user planted (foreignStoreFile) is not looked for here: the spool writes only in
 * its own folder, and openDatabase refuses such a file before SQLite reads it.
 */
export function dataFolderRefusal(dataDir: string): StoreFailure | null {
  const file = databasePath(dataDir);
  const owner = dataFolderOwner(dataDir, false);
  if (owner !== null) return new StoreFailure('foreign-owner', file, owner);
  const mode = openToOthers(dataDir);
  return mode === null ? null : new StoreFailure('open-folder', file, mode);
}
