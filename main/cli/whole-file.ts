import { randomUUID } from 'node:crypto';
import { constants, fstat, write as writeFd } from 'node:fs';
import { chmod, lstat, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { AppFailure, fail } from '../../app/errors.js';
import { cliMessage, fileProblem } from './text.js';

/** Writes one piece of the output, whole (string as UTF-8). */
export type WritePiece = (piece: string | Buffer) => Promise<void>;

/** The output: all its bytes, or a function that writes it piece by piece (a large kept scan). */
export type WholeFileData = Buffer | ((write: WritePiece) => Promise<void>);

/**
 * The descriptor a name of this process's own streams stands for (`/dev/stdout` 1, `/dev/stderr`
 * 2, `/dev/fd/N` and `/proc/self/fd/N` N), else undefined. These are links the system keeps in
 * folders only root can write, so no other program can plant them; what they name is what the user
 * gave the process (a terminal, `| jq`, `> file`), written through the descriptor itself: opening
 * them again fails for a socket (ENXIO) and would truncate a redirected file. Pure.
 */
function ownStream(target: string): number | undefined {
  const match = /^\/(?:dev\/(stdout|stderr|fd\/(\d+))|proc\/self\/fd\/(\d+))$/.exec(target);
  if (!match) return undefined;
  if (match[1] === 'stdout') return 1;
  if (match[1] === 'stderr') return 2;
  return Number(match[2] ?? match[3]);
}

/**
 * Writes `data` to `output`, whole or not at all, with one policy for every CLI output file
 * (`report -o`, `scan --report`, `scan --json`, `import --json`; review F6 and diff review F1):
 * - nothing there, a regular file, or a symbolic link (planted by another program or user):
 *   written into a new file beside it (same folder so the rename is atomic, `.<name>.<random>.part`,
 *   created O_CREAT|O_EXCL so nothing already there is opened), renamed over `output` once
 *   complete. A link is thus replaced as a directory entry, its target never written; a regular
 *   file keeps its permissions. The final component is never followed (lstat, no realpath).
 * - a character device (`/dev/null`, a terminal): written in place, opened
 *   O_WRONLY|O_NONBLOCK|O_NOFOLLOW and checked on the handle (fstat).
 * - the process's own `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` (ownStream): written to that
 *   descriptor, whatever the user made it (a terminal, a pipe, a socket, a redirected file).
 * - anything else (a FIFO, a socket, a folder, a block device): refused, never blocked on: an
 *   error of code `ENOTFILE` (fileProblem words it), or the open's (EISDIR, ENXIO → ENOTFILE).
 * `onPartial(file)` is told the partial file while it exists (then undefined), for a quit that must
 * remove it; `stopped()` is asked once the data is written: true removes the partial file and
 * leaves `output` as it was. Resolves true when `output` now holds `data`, false when stopped.
 * Throws the file system's errno error (EACCES, ENOSPC, EISDIR…) or what `data` throws; the
 * partial file is then removed.
 */
export async function writeWholeFile(
  output: string,
  data: WholeFileData,
  stopped: () => boolean = () => false,
  onPartial: (file: string | undefined) => void = () => undefined,
): Promise<boolean> {
  const target = path.resolve(output);
  const fd = ownStream(target);
  if (fd !== undefined) {
    // Checked open, so a descriptor the process does not have fails (EBADF) before any write.
    await promisify(fstat)(fd);
    await writeAll((bytes, from) => write(fd, bytes, from), data);
    return true;
  }
  const existing = await lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing && !existing.isFile() && !existing.isSymbolicLink()) {
    return writeInPlace(target, data);
  }
  const partial = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomUUID().slice(0, 8)}.part`,
  );
  onPartial(partial);
  try {
    // 'wx': a new file of its own, never one someone placed under that name (a link included).
    const handle = await open(partial, 'wx', 0o666);
    try {
      await writeAll(async (bytes, from) => (await handle.write(bytes, from)).bytesWritten, data);
    } finally {
      await handle.close();
    }
    if (stopped()) {
      await rm(partial, { force: true });
      return false;
    }
    if (existing?.isFile()) await chmod(partial, existing.mode & 0o7777);
    await rename(partial, target);
    return true;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    onPartial(undefined);
  }
}

/**
 * Writes a character device in place. O_NONBLOCK: a FIFO with no reader fails at once (ENXIO)
 * rather than holding the CLI in open(2); O_NOFOLLOW: a link swapped in after the lstat is not
 * followed (ELOOP); fstat on the handle: a FIFO with a reader, swapped in, is refused.
 */
async function writeInPlace(target: string, data: WholeFileData) {
  const flags = constants.O_WRONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
  const handle = await open(target, flags).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENXIO' || error.code === 'ELOOP' ? notAFile(target) : error;
  });
  try {
    const stats = await handle.stat();
    if (!stats.isCharacterDevice()) throw notAFile(target);
    await writeAll(async (bytes, from) => (await handle.write(bytes, from)).bytesWritten, data);
    return true;
  } finally {
    await handle.close();
  }
}

function notAFile(target: string): Error {
  return Object.assign(new Error(`not a regular file: ${target}`), { code: 'ENOTFILE' });
}

/** write(2) of `bytes` from byte `from` to the descriptor `fd`; resolves the count written. */
function write(fd: number, bytes: Buffer, from: number): Promise<number> {
  return new Promise((resolve, reject) => {
    writeFd(fd, bytes, from, bytes.length - from, null, (error, written) =>
      error ? reject(error) : resolve(written),
    );
  });
}

/**
 * Writes all of `data` through `writeSome` (one write(2) of `bytes` from byte `from`, resolving
 * the count written); a non-blocking device or pipe that is full (EAGAIN) is waited for.
 */
async function writeAll(
  writeSome: (bytes: Buffer, from: number) => Promise<number>,
  data: WholeFileData,
): Promise<void> {
  const writePiece: WritePiece = async (piece) => {
    const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    let done = 0;
    while (done < bytes.length) {
      try {
        done += await writeSome(bytes, done);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        // A terminal or pipe reader behind: its room comes back as it reads.
        await delay(10);
      }
    }
  };
  if (Buffer.isBuffer(data)) await writePiece(data);
  else await data(writePiece);
}

/**
 * The CLI's `--json FILE` output written with writeWholeFile; a file-system failure becomes the
 * CLI's `cli.json-path` failure naming the file and why (fr/en). AppFailures from `write` pass.
 */
export async function writeJsonOutput(
  file: string,
  write: (write: WritePiece) => Promise<void>,
): Promise<void> {
  try {
    await writeWholeFile(file, write);
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    const detail = (error as NodeJS.ErrnoException).code ?? String(error);
    fail('cli.json-path', cliMessage('failure.jsonWrite', { file, why: fileProblem(error) }), {
      file,
      detail,
    });
  }
}
