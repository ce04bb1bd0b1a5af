import { z } from 'zod';
import { Language } from './app.js';
import { FirewallRule } from './firewall.js';
import { RiskAssessResult } from './risk.js';
import { ScanResult } from './scan.js';
import { AppError } from './errors.js';
import { ScanCounts, ScanId } from './history.js';

export const ReportFormat = z.enum(['pdf', 'json', 'csv', 'nmap-xml']);
export type ReportFormat = z.infer<typeof ReportFormat>;

/**
 * Everything a report is made of. Only the scan is required: the risk assessment, the firewall
 * rules and the MAC addresses are added when the caller has them, and the report says when a part
 * is missing rather than guessing it.
 */
export const ReportInput = z.object({
  scan: ScanResult,
  assessment: RiskAssessResult.optional(),
  firewallRules: z.array(FirewallRule).max(100_000).optional(),
  /**
   * Port Auditor's outbound rules removed since (state `removed`): a device port one of them hid
   * from the scan while it ran stays a finding (see removedRuleHiding in app/risk).
   */
  removedRules: z.array(FirewallRule).max(100_000).optional(),
  /** This PC's name; the host fills it in when absent. */
  pcName: z.string().max(255).optional(),
  /** MAC address per IP, when known (nmap XML imports, neighbour tables). */
  macAddresses: z.record(z.string(), z.string().max(64)).optional(),
  /**
   * `file`: results read back from a report file (`port-auditor report FILE.json`): how they were
   * scanned is the file's word, so the PDF does not describe this PC's scan (review 13b, A5).
   */
  origin: z.literal('file').optional(),
  /**
   * For results read back from a report file that was not made on this PC (madeOnThisPc in
   * app/report/json-import.ts): the PC that made it, as the file names it (`name` absent when the
   * file names none). The PDF's cover then names that PC as the file's, never as this PC
   * (review N3). Set by the reader of the file, never read from one.
   */
  filePc: z.object({ name: z.string().max(255).optional() }).optional(),
});
export type ReportInput = z.infer<typeof ReportInput>;

/**
 * A report of a kept scan (or one the store could not keep, while the app still holds it).
 * `exportId` (a UUID the page chooses, optional) names the `report.exportProgress` events of this
 * export and is what `report.exportCancel` stops (issue 13 review N5: a 5,000-host PDF ran for
 * minutes with no percentage and no way to stop it).
 */
export const ReportExportRequest = z
  .object({ scanId: ScanId, format: ReportFormat, lang: Language, exportId: ScanId.optional() })
  .strict();
export type ReportExportRequest = z.infer<typeof ReportExportRequest>;

/**
 * A report of results the app does not keep: a JSON report or saved scan read back by the CLI
 * (`port-auditor report FILE`). The transport's message cap bounds it; the UI exports by id.
 * `exportId` (optional) names its `report.exportProgress` events; it is made in the caller's
 * thread, so `report.exportCancel` does not stop it (the CLI's Ctrl+C ends the process).
 */
export const ReportInputExportRequest = ReportInput.extend({
  format: ReportFormat,
  lang: Language,
  exportId: ScanId.optional(),
}).strict();
export type ReportInputExportRequest = z.infer<typeof ReportInputExportRequest>;

/**
 * What an export has done so far, pushed as it goes (`report.exportProgress`), in order, each
 * step's `done` never going back:
 * - `devices`: devices (report hosts) put into the report, of `total`, every format;
 * - `layout`: PDF pages laid out so far (`total` null: pdfmake only knows the count at the end),
 *   from 0 as the layout begins (its first seconds, pdfmake measuring the text, count nothing);
 * - `pages`: PDF pages written into the file, of `total` (the document's page count).
 * The last event of a finished export has `done === total` of its last step.
 */
export const ExportProgressStep = z.enum(['devices', 'layout', 'pages']);
export type ExportProgressStep = z.infer<typeof ExportProgressStep>;

export const ExportProgress = z.object({
  exportId: z.string(),
  step: ExportProgressStep,
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
});
export type ExportProgress = z.infer<typeof ExportProgress>;

/** Stops export `exportId` of this client (its thread terminated, no file made). */
export const ExportCancelRequest = z.object({ exportId: ScanId }).strict();
export type ExportCancelRequest = z.infer<typeof ExportCancelRequest>;

/** A finished file, base64 so it crosses the WebSocket and the Electron bridge alike. */
export const ReportFile = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  dataBase64: z.string(),
});
export type ReportFile = z.infer<typeof ReportFile>;

/**
 * An nmap file's text in one message (`report.importNmapXml`: the CLI's `report` of an XML file
 * under another name, tests). The app writes it to a private spool file and imports it in the
 * same capped import thread as a file sent in pieces, never in its own thread. The contract only
 * caps the transport; the app applies the real size limit itself so an oversized file gets a
 * precise fr/en message rather than a generic contract error.
 */
export const NmapImportRequest = z
  .object({
    xml: z.string().max(256 * 1024 * 1024),
    /** The file's name, for the history. */
    fileName: z.string().min(1).max(255).optional(),
  })
  .strict();
export type NmapImportRequest = z.infer<typeof NmapImportRequest>;

/**
 * An import kept as a scan of its own (kind `nmap-import`), read by id like any scan. `kept` is
 * false when the app's store could not keep it (`notice` says why): it is still readable by id
 * until the app stops.
 */
export const NmapImportResult = z.object({
  scanId: z.string(),
  counts: ScanCounts,
  kept: z.boolean(),
  notice: AppError.optional(),
});
export type NmapImportResult = z.infer<typeof NmapImportResult>;

/**
 * The page sends a file in pieces of at most this many bytes (base64 in `report.importChunk`), so
 * no message passes the transport's cap (MAX_MESSAGE_BYTES) whatever the file's size.
 */
export const IMPORT_CHUNK_BYTES = 128 * 1024;

export const ImportBeginRequest = z
  .object({
    fileName: z.string().min(1).max(255),
    /** The file's size in bytes; over the import limit it is refused before any piece is sent. */
    size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  })
  .strict();
export type ImportBeginRequest = z.infer<typeof ImportBeginRequest>;

export const ImportChunkRequest = z
  .object({
    uploadId: z.string().min(1).max(100),
    /** Where this piece starts in the file: pieces come in order, each once. */
    offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    dataBase64: z
      .string()
      .max(Math.ceil(IMPORT_CHUNK_BYTES / 3) * 4)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/),
  })
  .strict();
export type ImportChunkRequest = z.infer<typeof ImportChunkRequest>;

/**
 * An import from a file the host's own open dialog chose (Electron; `AppInfo.filePicker`). The
 * request carries no path, on purpose: a compromised page must not make the app read a file the
 * user did not choose, so the path only ever comes from the dialog the host shows. `importId` (a
 * UUID the page chooses) names the `report.importProgress` events of this import; `lang` is the
 * dialog's language.
 */
export const PickedImportRequest = z.object({ importId: ScanId, lang: Language }).strict();
export type PickedImportRequest = z.infer<typeof PickedImportRequest>;

/** `cancelled`: the user closed the dialog without a file; `imported`: as NmapImportResult. */
export const PickedImportResult = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('cancelled') }),
  NmapImportResult.extend({ outcome: z.literal('imported') }),
]);
export type PickedImportResult = z.infer<typeof PickedImportResult>;

/** How much of a picked file the app has read (bytes), pushed as it reads. */
export const ImportProgress = z.object({
  importId: z.string(),
  read: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;
