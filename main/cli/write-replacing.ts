import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AppFailure, fail } from '../../app/errors.js';
import { cliMessage, fileProblem } from './text.js';

/**
 * Writes `file` through a new file beside it, then renamed over it (review 13, F6): whatever is
 * at `file` — a symbolic link planted there by another program or user included — is replaced as
 * a directory entry, never written through, and no one reads half a file. The new file is created
 * with O_CREAT|O_EXCL (flag `wx`, which opens nothing that is already there, a link included),
 * mode 0666 less the umask as writeFile's, named `.NAME.RANDOM.part` in the same folder (a rename
 * does not cross file systems). `write` gets its open handle. On any failure the new file is
 * removed and the error rethrown (errno errors keep their `code`); `file` is then as it was.
 */
export async function writeReplacing(
  file: string,
  write: (handle: FileHandle) => Promise<void>,
): Promise<void> {
  const target = path.resolve(file);
  const part = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.part`,
  );
  const handle = await open(part, 'wx', 0o666);
  try {
    try {
      await write(handle);
    } finally {
      await handle.close();
    }
    await rename(part, target);
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  }
}

/**
 * The CLI's `--json FILE` output written with writeReplacing; a file-system failure becomes the
 * CLI's `cli.json-path` failure naming the file and why (fr/en). AppFailures from `write` pass.
 */
export async function writeJsonOutput(
  file: string,
  write: (handle: FileHandle) => Promise<void>,
): Promise<void> {
  try {
    await writeReplacing(file, write);
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    const detail = (error as NodeJS.ErrnoException).code ?? String(error);
    fail('cli.json-path', cliMessage('failure.jsonWrite', { file, why: fileProblem(error) }), {
      file,
      detail,
    });
  }
}
