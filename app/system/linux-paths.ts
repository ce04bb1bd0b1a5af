import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** The system folders, in the order Debian's root PATH lists them. */
const SYSTEM_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/**
 * A system program by absolute path (`/usr/sbin/nft`), never looked up in PATH: a normal user's
 * PATH often lacks /usr/sbin, and another program of the user can put its own `nft` first in it.
 * Returns the bare name when the program is not installed, so the caller's spawn fails with
 * ENOENT and reports the program as missing.
 */
export function systemProgram(name: string, dirs: readonly string[] = SYSTEM_DIRS): string {
  for (const dir of dirs) {
    const file = path.posix.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not there
    }
  }
  return name;
}
