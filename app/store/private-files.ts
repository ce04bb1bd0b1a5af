import { chmodSync, statSync } from 'node:fs';

/**
 * Closes `target` (the data folder, the store file and its -wal/-shm) to other local users
 * (review 13 A8: a data folder that already existed 0755 left the store — scans, the firewall
 * journal — readable by every user, since mkdir's mode applies only when it creates the folder
 * and SQLite creates its file as the umask says): group and other permission bits are removed when
 * any is set and the file is this user's (st_uid); another user's file is left as it is. POSIX
 * only: on Windows the folder's ACLs (inherited from the profile) decide, which this does not
 * check. Never throws: a read-only or absent file is left (the store's own checks say why).
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
