import { z } from 'zod';
import { Language } from './app.js';
import { FirewallRule } from './firewall.js';
import { RiskAssessResult } from './risk.js';
import { ScanResult } from './scan.js';

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
  /** This PC's name; the host fills it in when absent. */
  pcName: z.string().max(255).optional(),
  /** MAC address per IP, when known (nmap XML imports, neighbour tables). */
  macAddresses: z.record(z.string(), z.string().max(64)).optional(),
});
export type ReportInput = z.infer<typeof ReportInput>;

export const ReportExportRequest = ReportInput.extend({
  format: ReportFormat,
  lang: Language,
}).strict();
export type ReportExportRequest = z.infer<typeof ReportExportRequest>;

/** A finished file, base64 so it crosses the WebSocket and the Electron bridge alike. */
export const ReportFile = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  dataBase64: z.string(),
});
export type ReportFile = z.infer<typeof ReportFile>;

/**
 * The contract only caps the transport; the app applies the real size limit itself so an oversized
 * file gets a precise fr/en message rather than a generic contract error.
 */
export const NmapImportRequest = z.object({ xml: z.string().max(256 * 1024 * 1024) }).strict();
export type NmapImportRequest = z.infer<typeof NmapImportRequest>;

export const NmapImportResult = z.object({
  scan: ScanResult,
  /** MAC address per IP, when nmap saw one; pass it back to `report.export`. */
  macAddresses: z.record(z.string(), z.string()),
});
export type NmapImportResult = z.infer<typeof NmapImportResult>;
