import { randomUUID } from 'node:crypto';
import { chmod, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `data` to the file `output` whole or not at all: into a new file beside it (same folder,
 * so the rename is atomic, named `.<name>.<random>.part`), renamed over `output` once complete;
 * `output`'s permissions, when it exists, are kept. A symbolic link is written through (its target
 * replaced, as writeFile did). `onPartial(file)` is told the partial file while it exists (then
 * undefined), for a quit that must remove it; `stopped()` is asked once the data is written: true
 * removes the partial file and leaves `output` as it was. Resolves true when `output` now holds
 * `data`, false when stopped. Where no partial file can be made (not a regular file, such as
 * /dev/stdout; or a folder this user cannot write in, holding a file it can), `output` is written
 * in place, as before. Throws the file system's errno error (EACCES, ENOSPC, EISDIR…).
 */
export async function writeWholeFile(
  output: string,
  data: Buffer,
  stopped: () => boolean,
  onPartial: (file: string | undefined) => void,
): Promise<boolean> {
  const target = await realpath(output).catch(() => path.resolve(output));
  const existing = await stat(target).catch(() => null);
  const inPlace = async () => {
    await writeFile(target, data);
    return true;
  };
  if (existing && !existing.isFile()) return inPlace();
  const partial = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomUUID().slice(0, 8)}.part`,
  );
  onPartial(partial);
  try {
    try {
      // 'wx': a new file of its own, never one someone placed under that name.
      await writeFile(partial, data, { flag: 'wx' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (existing && (code === 'EACCES' || code === 'EPERM')) return await inPlace();
      throw error;
    }
    if (stopped()) {
      await rm(partial, { force: true });
      return false;
    }
    if (existing) await chmod(partial, existing.mode & 0o7777);
    await rename(partial, target);
    return true;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    onPartial(undefined);
  }
}
