import { chmod, lstat, mkdir, readdir, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AppFailure } from '../errors.js';

/** A spool file's name as report-handlers.ts makes them: `<uuid>.xml`, and nothing else. */
const SPOOL_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.xml$/;

function spoolRefused(dir: string, detail: string): AppFailure {
  return new AppFailure('report.import-read', { dir, detail }, { variant: 'spool' });
}

/**
 * Makes `dir` (the data directory's `imports`) a folder of this user's, mode 0700, and returns it.
 * A symbolic link there is removed (the link, never what it points to) and a real folder made in
 * its place, since the files received and the stale ones swept must stay inside the app's own
 * data (issue 13 review F6: a link to another folder made the sweep delete its old files, as root
 * when the app runs as root). Throws `report.import-read` when `dir` is something else than a
 * folder (a file, a socket) or a folder of another user (lstat(2), st_uid).
 */
export async function privateSpoolDir(dir: string): Promise<string> {
  await mkdir(path.dirname(dir), { recursive: true, mode: 0o700 });
  let info = await lstat(dir).catch(() => null);
  if (info?.isSymbolicLink()) {
    await unlink(dir);
    info = null;
  }
  if (!info) {
    await mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    info = await lstat(dir);
  }
  if (!info.isDirectory()) throw spoolRefused(dir, 'not a folder');
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) throw spoolRefused(dir, `owner uid ${info.uid}`);
  // Ours, but opened to others (a restored backup, a umask): closed again, not refused.
  if ((info.mode & 0o077) !== 0) await chmod(dir, 0o700);
  return dir;
}

/**
 * Removes the spool files in `dir` older than `maxAgeMs` at `now` (ms since the epoch): a crashed
 * app's leftovers. Only regular files named as the app names them (lstat, `<uuid>.xml`), never a
 * folder, a link or another name; an entry that cannot be read or removed is left. Never throws.
 */
export async function sweepStaleSpool(dir: string, maxAgeMs: number, now: number): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!SPOOL_NAME.test(name)) continue;
    const file = path.join(dir, name);
    const info = await lstat(file).catch(() => null);
    if (!info?.isFile() || now - info.mtimeMs <= maxAgeMs) continue;
    await rm(file, { force: true }).catch(() => undefined);
  }
}
