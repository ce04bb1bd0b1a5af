import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Opens `file` for reading only when it is a regular file (review 13 A12: `/dev/zero` was read
 * until memory ran out, a FIFO with no writer never answered). Opened non-blocking (O_NONBLOCK,
 * where the platform has it) so a FIFO's open returns at once, then checked on the handle itself
 * (fstat), so a file swapped between a path check and the read is still caught. Returns the handle
 * and its size in bytes; throws the open's errno error, or an error of code `ENOTFILE` for a
 * device, pipe, socket or folder (fileProblem words it).
 */
export async function openRegularFile(file: string): Promise<{ handle: FileHandle; size: number }> {
  const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw Object.assign(new Error(`not a regular file: ${file}`), { code: 'ENOTFILE' });
    }
    return { handle, size: stats.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * The first `limit` + 1 bytes at most of an open file, so a file that grew past `limit` after its
 * size was read is seen as too large without being read whole.
 */
export async function readBounded(handle: FileHandle, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const piece = Buffer.alloc(1024 * 1024);
  while (total <= limit) {
    const { bytesRead } = await handle.read(
      piece,
      0,
      Math.min(piece.length, limit + 1 - total),
      null,
    );
    if (bytesRead === 0) break;
    chunks.push(Buffer.from(piece.subarray(0, bytesRead)));
    total += bytesRead;
  }
  return Buffer.concat(chunks, total);
}
