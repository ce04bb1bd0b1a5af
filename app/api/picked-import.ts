import { OUTSIDE_WORDS_MAX, quotable } from '../contract/outside-words.js';
import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Language } from '../contract/index.js';
import { XmlEncodingError } from '../contract/xml-bytes.js';
import { AppFailure, fail } from '../errors.js';
import {
  importNmapXmlPieces,
  refuseTooLarge,
  type NmapImport,
  type NmapImportOptions,
} from '../report/nmap-xml-import.js';

/**
 * Imports of an nmap XML file the user chose in the host's own open dialog (Electron), read from
 * its path. The request that starts one carries no path: the host's `FilePicker` is the only
 * source of paths, so a compromised page cannot make the app read a file the user did not choose.
 */

/** What the host's picker is asked: the dialog's language, and which window (client) asks. */
export interface PickRequest {
  lang: Language;
  /** The CallContext's client (`electron-<id>`): the window the dialog belongs to. */
  client: string;
}

/**
 * Shows the host's open dialog and resolves with the path the user chose, or null when they
 * cancelled. May throw an AppFailure (`report.picker-busy`, `report.picker-no-gesture`) when the
 * host refuses to show one.
 */
export type FilePicker = (request: PickRequest) => Promise<string | null>;

/** Bytes read at a time, as the CLI's import sends them. */
const READ_PIECE = 64 * 1024;

/** Bytes between two progress reports: a 64 MB file gives at most 64 of them, plus the last. */
const PROGRESS_STEP = 1024 * 1024;

/** The picked file's name as the history keeps it: no folder, at most 255 characters. */
export function pickedFileName(file: string): string {
  return path.basename(file).slice(0, 255) || 'nmap.xml';
}

/**
 * The refusal of a file to import that cannot be read as one: `report.import-read` naming `file`
 * (quoted, cut to OUTSIDE_WORDS_MAX.path) with `detail`, an errno code or what happened
 * (`changed while read`), variant `file`.
 */
export function cannotRead(file: string, detail: string): AppFailure {
  return new AppFailure(
    'report.import-read',
    { file: quotable(file, OUTSIDE_WORDS_MAX.path), detail },
    { variant: 'file' },
  );
}

/**
 * Rethrows `error` of reading `file`: an AppFailure or encoding error as it is, an errno error as
 * `report.import-read` naming the file; anything else (the content's) as it is.
 */
export function readFailure(file: string, error: unknown): never {
  if (error instanceof AppFailure || error instanceof XmlEncodingError) throw error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  // A parse or encoding error is the file's content, not its reading: the caller words it. A
  // SQLite error comes from the rows written as the file is parsed (the store's, not the file's:
  // the import thread names it as the store's failure, review 13 hostile F9).
  if (!code || code.startsWith('SQLITE')) throw error;
  throw cannotRead(file, code);
}

/**
 * Opens the file at `file` for an import: its size from stat(2) first, so a file over
 * MAX_NMAP_XML_BYTES is refused (`report.nmap-too-large`) before a byte is read, and anything but
 * a regular file (a folder, a FIFO that would block, a device) is refused unopened (`report.import-read`),
 * as is one swapped for another between the stat and the open. The caller closes the handle.
 */
export async function openImportFile(file: string): Promise<{ handle: FileHandle; size: number }> {
  const info = await stat(file).catch((error: unknown) => readFailure(file, error));
  if (!info.isFile()) throw cannotRead(file, info.isDirectory() ? 'EISDIR' : 'not a file');
  refuseTooLarge(info.size);
  const handle = await open(file, 'r').catch((error: unknown) => readFailure(file, error));
  try {
    const opened = await handle.stat().catch((error: unknown) => readFailure(file, error));
    // Swapped for something else between the stat and the open: not the file that was checked.
    if (!opened.isFile() || opened.ino !== info.ino || opened.dev !== info.dev) {
      throw cannotRead(file, 'changed while opened');
    }
    refuseTooLarge(opened.size);
    return { handle, size: opened.size };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Reads and parses the nmap XML file at `file` (a path the host's dialog gave, or a spool file),
 * in the import thread (import-rows.ts), streamed as the CLI's import is: its size from stat(2) first, so a file over MAX_NMAP_XML_BYTES is refused
 * (`report.nmap-too-large`) before a byte is read, and anything but a regular file (a folder, a
 * FIFO that would block, a device) is refused unopened; then read in pieces of READ_PIECE bytes
 * and parsed as they come. `onProgress(read, size)` hears the bytes read (at least every MiB and
 * at the end). Throws `report.import-read` naming the file when it cannot be opened or read, or
 * the parser's AppFailure (`report.nmap-not-nmap`…) / XmlEncodingError for its content.
 */
export async function readNmapFile(
  file: string,
  options: Omit<NmapImportOptions, 'now'>,
  onProgress: (read: number, size: number) => void,
): Promise<NmapImport> {
  const { handle, size } = await openImportFile(file);
  try {
    let reported = 0;
    let total = 0;
    onProgress(0, size);
    const imported = await importNmapXmlPieces(
      handle.createReadStream({ highWaterMark: READ_PIECE, autoClose: false }),
      {
        ...options,
        onRead(read) {
          total = read;
          if (read - reported >= PROGRESS_STEP) {
            reported = read;
            onProgress(read, Math.max(size, read));
          }
        },
      },
    ).catch((error: unknown) => readFailure(file, error));
    // All of it: what was read, which is the size unless the file changed meanwhile.
    onProgress(total, total);
    return imported;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The refusal of `report.importPicked` by a host without its own open dialog (browser mode). */
export function pickerUnavailable(): never {
  fail('report.picker-unavailable');
}
