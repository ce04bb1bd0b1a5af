import { randomUUID } from 'node:crypto';
import { open, rm, writeFile, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Code, IMPORT_CHUNK_BYTES, type ReportInput } from '../contract/index.js';
import type { ExportProgressStep } from '../contract/report.js';
import { XmlEncodingError } from '../contract/xml-bytes.js';
import { AppFailure } from '../errors.js';
import { exportReport } from '../report/export.js';
import { throttledProgress } from '../report/progress-throttle.js';
import { scanJsonOf } from '../report/json-import.js';
import { hostAddress } from '../net/address.js';
import { refuseTooLarge } from '../report/nmap-xml-import.js';
import { databasePath } from '../store/database.js';
import { storeFailure } from '../store/failure.js';
import { dataFolderRefusal } from '../store/private-files.js';
import { sentence } from '../text/sentence.js';
import type { ClientClosings } from './client-closings.js';
import { EXPORT_OLD_GENERATION_MB, runExportThread } from './export-thread.js';
import type { ExportSlots, ImportSlots } from './limits.js';
import type { Handlers } from './dispatcher.js';
import { privateSpoolDir, sweepStaleSpool } from './import-spool.js';
import type { ScanHistory } from './scan-history.js';
import { pickedFileName, pickerUnavailable, type FilePicker } from './picked-import.js';

/**
 * Refuses `input` (report.exportInput) when one of its host addresses, or a key of its MAC
 * addresses, is not an IP literal: the contract takes any string there, and a report groups
 * devices by address, so `__proto__` or `constructor` would reach the report as a device
 * (issue 13 review F2). The CLI's files are checked the same way before (reportInputFromFile).
 */
function refuseNonAddresses(input: ReportInput): void {
  const refuse = (where: string): never => {
    throw new AppFailure(
      Code['contract.invalid-params'],
      { method: 'report.exportInput', path: where },
      { text: { detail: sentence('errors:contract.details.not-an-address') } },
    );
  };
  input.scan.hosts.forEach((host, index) => {
    if (!hostAddress(host.address)) refuse(`scan.hosts.${index}.address`);
  });
  for (const key of Object.keys(input.macAddresses ?? {})) {
    if (!hostAddress(key)) refuse('macAddresses');
  }
}

/** This PC's addresses, so an nmap scan of them is recognised as this PC's on import. */
export function localAddresses(): Set<string> {
  const set = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? []) set.add(info.address.replace(/%.*$/, ''));
  }
  return set;
}

/** Files a client may be sending at once, and how long one may sit idle before it is dropped. */
const UPLOADS_PER_CLIENT = 2;
const UPLOAD_IDLE_MS = 10 * 60_000;

/** Folder of the app's data directory where files sent from the page wait until their last piece. */
const SPOOL_DIR = 'imports';

interface Upload {
  client: string;
  fileName: string;
  size: number;
  /** The spool file, readable by this user only, removed when the import ends or is dropped. */
  file: string;
  handle: FileHandle;
  received: number;
  timer: ReturnType<typeof setTimeout>;
}

function uploadUnknown(uploadId: string): AppFailure {
  return new AppFailure(Code['report.upload-unknown'], { uploadId });
}

/** A piece or an end at another byte than the next one expected (`got` ≠ `expected`). */
function uploadMismatch(expected: number, got: number): AppFailure {
  return new AppFailure(Code['report.upload-mismatch'], { expected, got }, { variant: 'offset' });
}

/**
 * Pieces that go past the size announced at importBegin (`size` bytes; `received` counting the
 * refused piece): said as such, not as a byte offset (review 13, F5).
 */
function uploadOverflow(size: number, received: number): AppFailure {
  return new AppFailure(
    Code['report.upload-mismatch'],
    { count: size, received },
    { variant: 'overflow' },
  );
}

/**
 * Exports of kept scans by id (in a thread of their own: export-thread.ts), and nmap XML imports, each kept as a scan of its own with the app's
 * verdicts: whole from a text, from a file the host's own dialog chose (`picker`, Electron; read
 * from its path, see picked-import.ts), or from the page in pieces no larger than IMPORT_CHUNK_BYTES, the
 * size checked against the import limit before the first piece. Pieces are written to a spool file
 * in `dataDir()`/imports (mode 0600, removed after) and the file is parsed as it is read, so a
 * 60 MB import never holds the file in memory. A client's transfers are dropped, and its running
 * imports stopped (thread terminated, begun scan removed, slot freed: review 13, F4), when
 * `clients` says it closed. Each import holds one of `slots` from its start (`importEnd`, `importPicked`) until
 * it has finished; past the limit it is refused (`report.import-too-many…`). `ownsUpload(client,
 * uploadId)` says whether a transfer is that client's and still going (for MessageRate). A report of
 * a kept scan holds one of `exportSlots` while its thread runs (`report.export-too-many…` past
 * the limit), and its thread is stopped when its client closes (review 13d, A1); its heap is
 * capped at `exportHeapMb` (MB), past which it is refused in words (`report.export-too-large`).
 * An export the page named (`exportId`) pushes `report.exportProgress` events and is stopped by
 * that client's `report.exportCancel` (thread terminated before `report.export` answers
 * `report.export-cancelled`; no file is made: review 13 N5).
 */
export function reportHandlers(
  history: ScanHistory,
  dataDir: () => string,
  picker: FilePicker | undefined,
  clients: ClientClosings | undefined,
  slots: ImportSlots,
  exportSlots: ExportSlots,
  exportHeapMb = EXPORT_OLD_GENERATION_MB,
): {
  handlers: Pick<
    Handlers,
    | 'report.export'
    | 'report.exportCancel'
    | 'report.exportInput'
    | 'report.importNmapXml'
    | 'report.importBegin'
    | 'report.importChunk'
    | 'report.importEnd'
    | 'report.importPicked'
  >;
  ownsUpload: (client: string, uploadId: string) => boolean;
} {
  const uploads = new Map<string, Upload>();
  /** Each client's reports being made, to stop their threads when it closes. */
  const exporting = new Map<string, Set<AbortController>>();
  /** The reports being made that their client named (exportId), for its Cancel. */
  const named = new Map<string, { client: string; stop: AbortController }>();
  /** The imports running per client, stopped when it closes (review 13, F4), as exports are. */
  const importing = new Map<string, Set<AbortController>>();
  /** A stop for one import of `client`'s, and the function that forgets it once it is over. */
  const importStop = (client: string): { signal: AbortSignal; done: () => void } => {
    const stop = new AbortController();
    const theirs = importing.get(client) ?? new Set<AbortController>();
    importing.set(client, theirs.add(stop));
    return {
      signal: stop.signal,
      done: () => {
        theirs.delete(stop);
        if (theirs.size === 0 && importing.get(client) === theirs) importing.delete(client);
      },
    };
  };

  const options = (fileName?: string) => ({
    localAddresses: localAddresses(),
    ...(fileName ? { fileName } : {}),
  });

  let spoolSwept = false;
  /** The spool folder, created private; files a crashed app left there are removed once. */
  const spool = async (): Promise<string> => {
    // Nothing is made in a data folder the store refuses (another user's, or one others can
    // write: review 13 hostile F2): the refusal comes first, as openDatabase words it.
    const refused = dataFolderRefusal(dataDir());
    if (refused) throw refused;
    const dir = await privateSpoolDir(path.join(dataDir(), SPOOL_DIR)).catch((error: unknown) => {
      // A data folder that cannot take the folder (read-only, disk full) is the store's failure,
      // named with the database and its way out as when the database itself refuses a write.
      throw storeFailure(error, databasePath(dataDir())) ?? error;
    });
    if (!spoolSwept) {
      spoolSwept = true;
      // Another running app (the CLI beside the window) may be receiving one: only stale files.
      await sweepStaleSpool(dir, UPLOAD_IDLE_MS, Date.now());
    }
    return dir;
  };
  /**
   * Runs `work` on a spool file, a failure of the file system (read-only folder, disk full) being
   * the store's failure, named as the spool folder's own (review 13 N2: a read-only data folder
   * whose imports/ already exists refused the file's creation as an internal EROFS error).
   */
  const spooling = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw storeFailure(error, databasePath(dataDir())) ?? error;
    }
  };

  /** Forgets a transfer at once; the promise settles once its spool file is removed. */
  const drop = async (uploadId: string): Promise<void> => {
    const upload = uploads.get(uploadId);
    if (!upload) return;
    clearTimeout(upload.timer);
    uploads.delete(uploadId);
    await upload.handle.close().catch(() => undefined);
    await rm(upload.file, { force: true }).catch(() => undefined);
  };
  // A page closed or reloaded mid-transfer never sends the rest: its spool files go now (F7).
  clients?.on(async (client) => {
    // Nobody is left to receive its reports: their threads (and memory) go now.
    for (const export_ of exporting.get(client) ?? []) export_.abort();
    exporting.delete(client);
    // Its imports too: nobody waits for them, and each holds an import slot (review 13, F4).
    for (const import_ of importing.get(client) ?? []) import_.abort();
    importing.delete(client);
    const theirs = [...uploads].filter(([, upload]) => upload.client === client);
    await Promise.all(theirs.map(([uploadId]) => drop(uploadId)));
  });
  const idle = (uploadId: string) => {
    const timer = setTimeout(() => void drop(uploadId), UPLOAD_IDLE_MS);
    timer.unref?.();
    return timer;
  };
  const mine = (uploadId: string, client: string): Upload => {
    const upload = uploads.get(uploadId);
    if (!upload || upload.client !== client) throw uploadUnknown(uploadId);
    return upload;
  };

  const handlers = {
    'report.export': async ({ scanId, format, lang, exportId }, ctx) => {
      const progress = exportId
        ? (step: ExportProgressStep, done: number, total: number | null) =>
            ctx.emit('report.exportProgress', { exportId, step, done, total })
        : undefined;
      const context = await history.exportContext(scanId);
      if (context) {
        const client = ctx.client ?? 'in-process';
        const release = exportSlots.acquire(client);
        const stop = new AbortController();
        const theirs = exporting.get(client) ?? new Set<AbortController>();
        exporting.set(client, theirs.add(stop));
        // A used id names the newest export (a page's ids are fresh UUIDs: a repeat is a replay).
        if (exportId) named.set(exportId, { client, stop });
        try {
          // Off this thread: a huge scan's report never blocks the host's event loop (B1).
          return await runExportThread(
            {
              dataDir: dataDir(),
              scanId,
              format,
              lang,
              pcName: os.hostname(),
              ...context,
            },
            stop.signal,
            exportHeapMb,
            progress,
          );
        } finally {
          if (exportId && named.get(exportId)?.stop === stop) named.delete(exportId);
          theirs.delete(stop);
          if (theirs.size === 0 && exporting.get(client) === theirs) exporting.delete(client);
          release();
        }
      }
      // Held in memory (not kept in the store, or a check): whole already, exported here.
      const kept = history.full(scanId);
      // This PC's addresses in an engine scan's source, as the export thread writes them (N4).
      const { pcName: _same, ...scan } = scanJsonOf(kept.result, os.hostname(), localAddresses());
      const file = await exportReport(
        format,
        lang,
        {
          scan,
          ...(kept.assessment ? { assessment: kept.assessment } : {}),
          firewallRules: [...history.rules()],
          removedRules: [...history.removedRules()],
          macAddresses: kept.macAddresses,
          pcName: os.hostname(),
        },
        progress,
      );
      return {
        fileName: file.fileName,
        mimeType: file.mimeType,
        dataBase64: file.data.toString('base64'),
      };
    },
    'report.exportCancel': async ({ exportId }, ctx) => {
      const running = named.get(exportId);
      // Only the client that asked for the report may stop it.
      if (!running || running.client !== (ctx.client ?? 'in-process')) return { cancelled: false };
      named.delete(exportId);
      running.stop.abort(new AppFailure(Code['report.export-cancelled']));
      return { cancelled: true };
    },
    'report.exportInput': async ({ format, lang, exportId, ...input }, ctx) => {
      refuseNonAddresses(input);
      // Throttled as the export thread's are: one event per device would cost more than it.
      const progress = exportId
        ? throttledProgress((step, done, total) =>
            ctx.emit('report.exportProgress', { exportId, step, done, total }),
          )
        : undefined;
      const file = await exportReport(
        format,
        lang,
        { ...input, pcName: input.pcName ?? os.hostname() },
        progress,
      );
      return {
        fileName: file.fileName,
        mimeType: file.mimeType,
        dataBase64: file.data.toString('base64'),
      };
    },
    'report.importNmapXml': async ({ xml, fileName }, ctx) => {
      const client = ctx.client ?? 'in-process';
      const release = slots.acquire(client);
      const stop = importStop(client);
      // Through the capped import thread, as a file sent in pieces is, never parsed in the host's
      // own thread (review 13b, A3): the text goes to a private spool file first.
      const file = path.join(await spool(), `${randomUUID()}.xml`);
      try {
        await spooling(() => writeFile(file, xml, { encoding: 'utf8', flag: 'wx', mode: 0o600 }));
        return await history.keepImport(file, options(fileName), fileName, undefined, stop.signal);
      } catch (error) {
        if (error instanceof XmlEncodingError) throw AppFailure.relay(error.appError);
        throw error;
      } finally {
        stop.done();
        release();
        await rm(file, { force: true });
      }
    },
    'report.importPicked': async ({ importId, lang }, ctx) => {
      if (!picker) pickerUnavailable();
      const client = ctx.client ?? 'in-process';
      // Refused before the dialog: the user chooses nothing that cannot be imported now.
      const release = slots.acquire(client);
      const stop = importStop(client);
      try {
        const file = await picker({ lang, client });
        if (file === null) return { outcome: 'cancelled' as const };
        const fileName = pickedFileName(file);
        // In the capped import thread, as a file sent from the page (review 13b, A3).
        const kept = await history.keepImport(
          file,
          options(fileName),
          fileName,
          (read, size) => ctx.emit('report.importProgress', { importId, read, size }),
          stop.signal,
        );
        return { outcome: 'imported' as const, ...kept };
      } finally {
        stop.done();
        release();
      }
    },
    'report.importBegin': async ({ fileName, size }, ctx) => {
      refuseTooLarge(size);
      const client = ctx.client ?? 'in-process';
      const theirs = [...uploads.entries()].filter(([, u]) => u.client === client);
      // The oldest of this client's transfers gives way: a page reloaded mid-transfer never sends
      // the rest of it.
      while (theirs.length >= UPLOADS_PER_CLIENT) void drop(theirs.shift()?.[0] as string);
      const uploadId = randomUUID();
      const file = path.join(await spool(), `${uploadId}.xml`);
      // 'wx': a new file of this user's only, never one that was there before.
      const handle = await spooling(() => open(file, 'wx', 0o600));
      uploads.set(uploadId, {
        client,
        fileName,
        size,
        file,
        handle,
        received: 0,
        timer: idle(uploadId),
      });
      return { uploadId, chunkBytes: IMPORT_CHUNK_BYTES };
    },
    'report.importChunk': async ({ uploadId, offset, dataBase64 }, ctx) => {
      const upload = mine(uploadId, ctx.client ?? 'in-process');
      const bytes = Buffer.from(dataBase64, 'base64');
      if (offset !== upload.received) {
        void drop(uploadId);
        throw uploadMismatch(upload.received, offset);
      }
      if (upload.received + bytes.length > upload.size) {
        void drop(uploadId);
        throw uploadOverflow(upload.size, upload.received + bytes.length);
      }
      // Counted before the write: a piece sent again while this one is written is refused.
      upload.received += bytes.length;
      try {
        await upload.handle.write(bytes, 0, bytes.length, offset);
      } catch (error) {
        void drop(uploadId);
        throw error;
      }
      clearTimeout(upload.timer);
      upload.timer = idle(uploadId);
      return { received: upload.received };
    },
    'report.importEnd': async ({ uploadId }, ctx) => {
      const client = ctx.client ?? 'in-process';
      const upload = mine(uploadId, client);
      // Held until the import has finished, not only while the file is sent (review 13b, A4).
      let release: () => void;
      try {
        release = slots.acquire(client);
      } catch (error) {
        await drop(uploadId);
        throw error;
      }
      // Registered before the transfer is forgotten: once ownsUpload says no, a close stops it.
      const stop = importStop(client);
      uploads.delete(uploadId);
      clearTimeout(upload.timer);
      try {
        await upload.handle.close();
        if (upload.received !== upload.size) throw uploadMismatch(upload.size, upload.received);
        try {
          // Parsed as it is read, its hosts kept as rows as they come (ScanHistory.keepImport).
          return await history.keepImport(
            upload.file,
            options(upload.fileName),
            upload.fileName,
            undefined,
            stop.signal,
          );
        } catch (error) {
          if (error instanceof XmlEncodingError) throw AppFailure.relay(error.appError);
          throw error;
        }
      } finally {
        stop.done();
        release();
        await rm(upload.file, { force: true });
      }
    },
  } satisfies Partial<Handlers>;
  return {
    handlers,
    ownsUpload: (client, uploadId) => uploads.get(uploadId)?.client === client,
  };
}
