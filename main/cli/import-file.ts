import path from 'node:path';
import type { NmapImportResult } from '../../app/contract/index.js';
import { AppFailure, fail } from '../../app/errors.js';
import type { CliContext } from './context.js';
import { openRegularFile } from './regular-file.js';
import { cliMessage, fileProblem } from './text.js';

/**
 * Imports the nmap XML file at `file` through the app as the page does (report.importBegin, then
 * pieces of at most the chunk size the app gives, then report.importEnd), reading the file piece by
 * piece: neither this command nor the app ever holds the whole file, and the app refuses a file
 * over the import limit from its size (stat) before a byte is read. Throws the app's AppFailure
 * (too large, not nmap, unreadable XML…) or `readCode` (cli.import-read, cli.report-read) naming
 * the file when it cannot be opened or read.
 */
export async function importNmapFile(
  ctx: CliContext,
  file: string,
  readCode: 'cli.import-read' | 'cli.report-read',
): Promise<NmapImportResult> {
  const cannotRead = (error: unknown): never => {
    if (error instanceof AppFailure) throw error;
    const detail = (error as NodeJS.ErrnoException).code ?? String(error);
    fail(readCode, cliMessage('failure.read', { file, why: fileProblem(error) }), { file, detail });
  };
  // A regular file only: a FIFO or a device never ends (review 13 A12).
  const { handle, size } = await openRegularFile(file).catch(cannotRead);
  try {
    const { uploadId, chunkBytes } = await ctx.app.call('report.importBegin', {
      fileName: path.basename(file).slice(0, 255) || 'nmap.xml',
      size,
    });
    const piece = Buffer.alloc(chunkBytes);
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle
        .read(piece, 0, Math.min(chunkBytes, size - offset), offset)
        .catch(cannotRead);
      // Shorter than stat said (truncated meanwhile): importEnd says the transfer went wrong.
      if (bytesRead === 0) break;
      await ctx.app.call('report.importChunk', {
        uploadId,
        offset,
        dataBase64: piece.subarray(0, bytesRead).toString('base64'),
      });
      offset += bytesRead;
    }
    return await ctx.app.call('report.importEnd', { uploadId });
  } finally {
    await handle.close();
  }
}
