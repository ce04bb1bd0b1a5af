import { z } from 'zod';
import { AppInfo } from './app.js';
import { Settings, SettingsChange } from './settings.js';
import { ListenersResult, RiskAssessRequest, RiskAssessResult } from './risk.js';
import { ScanEvent, ScanPreview, ScanRequest } from './scan.js';
import { NmapImportRequest, NmapImportResult, ReportExportRequest, ReportFile } from './report.js';
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
  'scan.start': {
    params: ScanRequest.strict(),
    result: z.object({ scanId: z.string() }),
  },
  'scan.preview': { params: ScanRequest.strict(), result: ScanPreview },
  'scan.cancel': {
    params: z.object({ scanId: z.string().min(1).max(100) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  'risk.assess': { params: RiskAssessRequest, result: RiskAssessResult },
  'report.export': { params: ReportExportRequest, result: ReportFile },
  'report.importNmapXml': { params: NmapImportRequest, result: NmapImportResult },
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
  'scan.event': ScanEvent,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodParams<M extends MethodName> = z.input<Methods[M]['params']>;
export type MethodResult<M extends MethodName> = z.infer<Methods[M]['result']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];
