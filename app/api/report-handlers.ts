import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Code, IMPORT_CHUNK_BYTES, type NmapImportResult } from '../contract/index.js';
import { decodeXmlBytes, XmlEncodingError } from '../contract/xml-bytes.js';
import { AppFailure } from '../errors.js';
import { exportReport } from '../report/export.js';
import { importNmapXml, refuseTooLarge } from '../report/nmap-xml-import.js';
import { scanCounts } from '../store/scans.js';
import type { Handlers } from './dispatcher.js';
import type { ScanHistory } from './scan-history.js';

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

interface Upload {
  client: string;
  fileName: string;
  size: number;
  parts: Buffer[];
  received: number;
  timer: ReturnType<typeof setTimeout>;
}

function uploadUnknown(uploadId: string): AppFailure {
  return new AppFailure(
    Code['report.upload-unknown'],
    {
      fr: 'Envoi du fichier interrompu (trop long sans nouvelles, ou déjà terminé) : ouvrez le fichier à nouveau.',
      en: 'The file transfer was interrupted (idle too long, or already over): open the file again.',
    },
    { uploadId },
  );
}

function uploadMismatch(expected: number, got: number): AppFailure {
  return new AppFailure(
    Code['report.upload-mismatch'],
    {
      fr: `Envoi du fichier incohérent (octet ${got} reçu, ${expected} attendu) : ouvrez le fichier à nouveau.`,
      en: `The file transfer went wrong (byte ${got} received, ${expected} expected): open the file again.`,
    },
    { expected, got },
  );
}

/**
 * Exports of kept scans by id, and nmap XML imports, each kept as a scan of its own with the app's
 * verdicts: whole from a path's text (CLI), or from the page in pieces no larger than
 * IMPORT_CHUNK_BYTES, the size checked against the import limit before the first piece.
 */
export function reportHandlers(
  history: ScanHistory,
): Pick<
  Handlers,
  | 'report.export'
  | 'report.exportInput'
  | 'report.importNmapXml'
  | 'report.importBegin'
  | 'report.importChunk'
  | 'report.importEnd'
> {
  const uploads = new Map<string, Upload>();

  const importText = async (xml: string, fileName?: string): Promise<NmapImportResult> => {
    const { scan, macAddresses } = importNmapXml(xml, {
      localAddresses: localAddresses(),
      ...(fileName ? { fileName } : {}),
    });
    // A file's own id may repeat (the same file imported twice): each import is a scan of its own.
    const result = { ...scan, scanId: randomUUID() };
    const assessment = await history.assess(result.hosts);
    const outcome = history.keep({
      kind: 'nmap-import',
      result,
      assessment,
      macAddresses,
      ...(fileName ? { fileName } : {}),
      dateKnown: /<nmaprun\b[^>]*\sstart="\d+"/.test(xml.slice(0, 4096)),
    });
    return {
      scanId: result.scanId,
      counts: scanCounts(result),
      kept: outcome.kept,
      ...(outcome.kept ? {} : { notice: outcome.notice }),
    };
  };

  const drop = (uploadId: string) => {
    const upload = uploads.get(uploadId);
    if (!upload) return;
    clearTimeout(upload.timer);
    uploads.delete(uploadId);
  };
  const idle = (uploadId: string) => {
    const timer = setTimeout(() => drop(uploadId), UPLOAD_IDLE_MS);
    timer.unref?.();
    return timer;
  };
  const mine = (uploadId: string, client: string): Upload => {
    const upload = uploads.get(uploadId);
    if (!upload || upload.client !== client) throw uploadUnknown(uploadId);
    return upload;
  };

  return {
    'report.export': async ({ scanId, format, lang }) => {
      const kept = history.full(scanId);
      const file = await exportReport(format, lang, {
        scan: kept.result,
        ...(kept.assessment ? { assessment: kept.assessment } : {}),
        firewallRules: [...history.rules()],
        macAddresses: kept.macAddresses,
        pcName: os.hostname(),
      });
      return {
        fileName: file.fileName,
        mimeType: file.mimeType,
        dataBase64: file.data.toString('base64'),
      };
    },
    'report.exportInput': async ({ format, lang, ...input }) => {
      const file = await exportReport(format, lang, {
        ...input,
        pcName: input.pcName ?? os.hostname(),
      });
      return {
        fileName: file.fileName,
        mimeType: file.mimeType,
        dataBase64: file.data.toString('base64'),
      };
    },
    'report.importNmapXml': async ({ xml, fileName }) => importText(xml, fileName),
    'report.importBegin': async ({ fileName, size }, ctx) => {
      refuseTooLarge(size);
      const client = ctx.client ?? 'in-process';
      const theirs = [...uploads.entries()].filter(([, u]) => u.client === client);
      // The oldest of this client's transfers gives way: a page reloaded mid-transfer never sends
      // the rest of it.
      while (theirs.length >= UPLOADS_PER_CLIENT) drop(theirs.shift()?.[0] as string);
      const uploadId = randomUUID();
      uploads.set(uploadId, {
        client,
        fileName,
        size,
        parts: [],
        received: 0,
        timer: idle(uploadId),
      });
      return { uploadId, chunkBytes: IMPORT_CHUNK_BYTES };
    },
    'report.importChunk': async ({ uploadId, offset, dataBase64 }, ctx) => {
      const upload = mine(uploadId, ctx.client ?? 'in-process');
      const bytes = Buffer.from(dataBase64, 'base64');
      if (offset !== upload.received || upload.received + bytes.length > upload.size) {
        drop(uploadId);
        throw uploadMismatch(upload.received, offset);
      }
      upload.parts.push(bytes);
      upload.received += bytes.length;
      clearTimeout(upload.timer);
      upload.timer = idle(uploadId);
      return { received: upload.received };
    },
    'report.importEnd': async ({ uploadId }, ctx) => {
      const upload = mine(uploadId, ctx.client ?? 'in-process');
      drop(uploadId);
      if (upload.received !== upload.size) throw uploadMismatch(upload.size, upload.received);
      let xml: string;
      try {
        xml = decodeXmlBytes(Buffer.concat(upload.parts));
      } catch (error) {
        if (error instanceof XmlEncodingError) throw AppFailure.relay(error.appError);
        throw error;
      }
      upload.parts = [];
      return importText(xml, upload.fileName);
    },
  };
}
