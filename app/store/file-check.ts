import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { StoreFailure } from './failure.js';

/** Which file a connection was opened on: its device and inode (st_dev, st_ino). */
export interface FileIdentity {
  dev: number;
  ino: number;
}

/** The identity of the file at `file` now, or null when there is none. */
export function identityOf(file: string): FileIdentity | null {
  try {
    const { dev, ino } = statSync(file);
    return { dev, ino };
  } catch {
    return null;
  }
}

/** The 16 bytes every SQLite 3 database starts with (https://sqlite.org/fileformat.html 1.3). */
const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * What the first 100 bytes of a database file (its header, fileformat.html 1.3) and its `size`
 * say of it, or null when they are sound: `not-a-database` when the magic string is gone (the file
 * overwritten), `malformed` when the page size (offset 16, 1 meaning 65,536) is not one SQLite
 * writes or the file is not a whole number of pages (cut short mid-page). Not the page count at
 * offset 28: another connection's checkpoint writes page 1 before the pages after it, so a file
 * may be shorter than its header says for a moment without any damage. Pure.
 */
export function headerDamage(header: Buffer, size: number): 'not-a-database' | 'malformed' | null {
  if (header.length < 100 || !header.subarray(0, 16).equals(MAGIC)) return 'not-a-database';
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65_536 : raw;
  if (pageSize < 512 || pageSize > 65_536 || (pageSize & (pageSize - 1)) !== 0) return 'malformed';
  return size % pageSize === 0 ? null : 'malformed';
}

/**
 * Whether the store file at `file` is still the one a connection opened as `opened` (review 13, a
 * store changed under the app): `swapped` when the path now names another file or none (renamed
 * over, moved aside: the connection still reads the old one, the app's other connections the new
 * one); a StoreFailure naming the file when the file is the same but its header was overwritten or
 * it was cut short (SQLite answers from its cache and WAL until a page it has not read is needed,
 * so the damage would otherwise surface later, mid-change); null when it is sound. One stat and a
 * 100-byte read.
 */
export function storeFileChange(
  file: string,
  opened: FileIdentity,
): 'swapped' | StoreFailure | null {
  let fd: number;
  try {
    // Non-blocking: a FIFO put at the path (a same-user program) would otherwise hold open(2), and
    // the app's main thread with it, until a writer comes; opened so, it is told apart by its inode.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return 'swapped';
  }
  try {
    const info = fstatSync(fd);
    // Not a regular file any more is swapped too, whatever its inode (a freed one is given again).
    if (!info.isFile() || info.dev !== opened.dev || info.ino !== opened.ino) return 'swapped';
    const header = Buffer.alloc(100);
    const read = readSync(fd, header, 0, 100, 0);
    const damage = headerDamage(header.subarray(0, read), info.size);
    return damage ? new StoreFailure(damage, file, 'changed while Port Auditor ran') : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
