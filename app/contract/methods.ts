import { z } from 'zod';
import { AppInfo } from './app.js';
import { Settings, SettingsChange } from './settings.js';
import { ListenersResult, RiskAssessRequest, RiskAssessResult } from './risk.js';
import { ScanPreview, ScanRequest } from './scan.js';
import {
  ExportCancelRequest,
  ExportProgress,
  ImportBeginRequest,
  ImportChunkRequest,
  ImportProgress,
  NmapImportRequest,
  NmapImportResult,
  ReportExportRequest,
  ReportFile,
  PickedImportRequest,
  PickedImportResult,
  ReportInputExportRequest,
} from './report.js';
import {
  ScanGetRequest,
  ScanHostPorts,
  ScanHostPortsRequest,
  ScanId,
  ScanListRequest,
  ScanListResult,
  ScanPage,
  ScanRecord,
  ScanUpdate,
  StoreDamaged,
} from './history.js';
import {
  BlockRequestInput,
  FirewallBlockOutcome,
  FirewallPreview,
  FirewallReapplyOutcome,
  FirewallRemoveOutcome,
  FirewallNotices,
  FirewallRuleList,
  FirewallStatus,
} from './firewall.js';

/**
 * Every request the UI may send: its params and its response. A host accepts nothing that is not
 * named here, and validates params before any handler runs. Each domain adds its methods here.
 */
export const methods = {
  'app.info': { params: z.object({}).strict(), result: AppInfo },
  'settings.get': { params: z.object({}).strict(), result: Settings },
  'settings.set': { params: SettingsChange, result: Settings },
  /**
   * Starts a scan under the id the client chose (a new UUID; a used one is refused). `keep`
   * false: a check (the block wizard's re-scan of one port), left out of the history, readable by
   * id while the app runs.
   */
  'scan.start': {
    params: ScanRequest.extend({ scanId: ScanId, keep: z.boolean().default(true) }).strict(),
    result: z.object({ scanId: z.string() }),
  },
  'scan.preview': { params: ScanRequest.strict(), result: ScanPreview },
  'scan.cancel': {
    params: z.object({ scanId: z.string().min(1).max(100) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  /** The history, newest first. */
  'scan.list': { params: ScanListRequest, result: ScanListResult },
  /** A page of a kept scan's hosts, with their verdicts. */
  'scan.get': { params: ScanGetRequest, result: ScanPage },
  /** More ports of one host of a kept scan, past those its page carried, with their verdicts. */
  'scan.hostPorts': { params: ScanHostPortsRequest, result: ScanHostPorts },
  /** The scan kept last (shown again after a reload or a restart), or null. */
  'scan.latest': {
    params: z.object({}).strict(),
    result: z.object({ scan: ScanRecord.nullable() }),
  },
  'risk.assess': { params: RiskAssessRequest, result: RiskAssessResult },
  /** Progress arrives as `report.exportProgress` events of the request's exportId, if any. */
  'report.export': { params: ReportExportRequest, result: ReportFile },
  /**
   * Stops a report of this client's being made (`report.export` then fails with
   * `report.export-cancelled`); `cancelled` false when none of that id was running.
   */
  'report.exportCancel': {
    params: ExportCancelRequest,
    result: z.object({ cancelled: z.boolean() }),
  },
  'report.exportInput': { params: ReportInputExportRequest, result: ReportFile },
  'report.importNmapXml': { params: NmapImportRequest, result: NmapImportResult },
  /** A file from the page, in pieces: begin (size checked), chunks in order, end (imported). */
  'report.importBegin': {
    params: ImportBeginRequest,
    result: z.object({ uploadId: z.string(), chunkBytes: z.number().int().positive() }),
  },
  'report.importChunk': {
    params: ImportChunkRequest,
    result: z.object({ received: z.number().int().nonnegative() }),
  },
  'report.importEnd': {
    params: z.object({ uploadId: z.string().min(1).max(100) }).strict(),
    result: NmapImportResult,
  },
  /**
   * A file chosen in the host's own open dialog, imported from its path (Electron only: refused
   * with `report.picker-unavailable` where `AppInfo.filePicker` is false). Progress arrives as
   * `report.importProgress` events of the request's importId.
   */
  'report.importPicked': { params: PickedImportRequest, result: PickedImportResult },
  'system.listeners': { params: z.object({}).strict(), result: ListenersResult },
  'firewall.status': { params: z.object({}).strict(), result: FirewallStatus },
  'firewall.preview': { params: BlockRequestInput, result: FirewallPreview },
  'firewall.block': { params: BlockRequestInput, result: FirewallBlockOutcome },
  'firewall.list': { params: z.object({}).strict(), result: FirewallRuleList },
  'firewall.notices': {
    params: z.object({ elevation: z.boolean().default(false) }).strict(),
    result: FirewallNotices,
  },
  'firewall.remove': {
    params: z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(256) }).strict(),
    result: FirewallRemoveOutcome,
  },
  'firewall.removeAll': { params: z.object({}).strict(), result: FirewallRemoveOutcome },
  'firewall.reapply': {
    params: z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(256) }).strict(),
    result: FirewallReapplyOutcome,
  },
} as const;

/** Everything the app pushes to the UI without being asked. */
export const events = {
  'scan.event': ScanUpdate,
  /** How much of a file picked for `report.importPicked` has been read. */
  'report.importProgress': ImportProgress,
  /** How far a `report.export` of a given exportId has got. */
  'report.exportProgress': ExportProgress,
  /** The store was found damaged or read-only after start; sent to every connected client. */
  'store.damaged': StoreDamaged,
} as const;

/**
 * Methods only the in-process CLI may call: a browser page or an Electron window is refused them
 * (`contract.not-allowed`) before their params are even read. `report.exportInput` makes a report
 * of whatever results the message carries, in the host's own thread and outside the export slots
 * (the CLI's `report FILE`, one user waiting on it); from a page, one message could hold the host
 * for a minute (issue 13 review F2). The UI exports kept scans by id (`report.export`).
 */
export const CLI_ONLY_METHODS = ['report.exportInput'] as const satisfies readonly MethodName[];

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodParams<M extends MethodName> = z.input<Methods[M]['params']>;
export type MethodResult<M extends MethodName> = z.infer<Methods[M]['result']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];
