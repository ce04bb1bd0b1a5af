import type { Language } from '../contract/index.js';
import type { ReportFormat, ReportInput } from '../contract/report.js';
import { renderCsv } from './csv.js';
import { renderJson } from './json.js';
import { buildReportModel } from './model.js';
import { renderNmapXml } from './nmap-xml-export.js';
import { renderPdf, type ReportProgress } from './pdf.js';
import { textFor } from '../text/catalogue.js';
import { applyFirewallRules } from '../risk/firewall-verdicts.js';
import { knowledgeBase } from '../risk/knowledge-base.js';

export interface ExportedReport {
  fileName: string;
  mimeType: string;
  data: Buffer;
}

const FORMATS: Record<ReportFormat, { extension: string; mimeType: string }> = {
  pdf: { extension: 'pdf', mimeType: 'application/pdf' },
  json: { extension: 'json', mimeType: 'application/json' },
  csv: { extension: 'csv', mimeType: 'text/csv; charset=utf-8; header=present' },
  'nmap-xml': { extension: 'xml', mimeType: 'application/xml' },
};

/** "port-auditor-rapport-2026-11-23-1958.pdf": sortable, no characters any OS refuses. */
export function reportFileName(format: ReportFormat, lang: Language, startedAt: string): string {
  const d = new Date(startedAt);
  const valid = !Number.isNaN(d.getTime());
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = valid
    ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}`
    : 'scan';
  const word = format === 'nmap-xml' ? 'nmap' : textFor(lang, 'messages')('export.fileWord');
  return `port-auditor-${word}-${stamp}.${FORMATS[format].extension}`;
}

/**
 * The report's rules applied to its assessment (applyFirewallRules), whatever rules the assessment
 * was made with: one file never says a port is blocked by a rule it lists as absent. A device port
 * a rule in `removedRules` hid from the scan while it ran stays a finding.
 */
export function withReportRules<T extends ReportInput>(input: T): T {
  if (!input.assessment || !input.firewallRules) return input;
  return {
    ...input,
    assessment: applyFirewallRules(
      input.scan.hosts,
      input.assessment,
      input.firewallRules,
      knowledgeBase(),
      undefined,
      {
        startedAt: input.scan.startedAt,
        finishedAt: input.scan.finishedAt,
        removed: input.removedRules ?? [],
      },
    ),
  };
}

/**
 * One entry point for every format: the same data, one serializer each. `progress` hears how far
 * it has got (ReportProgress): the PDF says its devices, pages laid out and pages written; the
 * other formats, which take a fraction of that time, their devices at the start and the end.
 */
export async function exportReport(
  format: ReportFormat,
  lang: Language,
  given: ReportInput & { pcName: string },
  progress?: ReportProgress,
): Promise<ExportedReport> {
  const input = withReportRules(given);
  const devices = input.scan.hosts.length;
  if (format !== 'pdf') progress?.('devices', 0, devices);
  const file = await exportFile(format, lang, input, progress);
  if (format !== 'pdf') progress?.('devices', devices, devices);
  return file;
}

async function exportFile(
  format: ReportFormat,
  lang: Language,
  input: ReportInput & { pcName: string },
  progress: ReportProgress | undefined,
): Promise<ExportedReport> {
  const { mimeType } = FORMATS[format];
  const fileName = reportFileName(format, lang, input.scan.startedAt);
  if (format === 'nmap-xml') {
    return {
      fileName,
      mimeType,
      data: Buffer.from(renderNmapXml(input.scan, input.macAddresses, input.assessment), 'utf8'),
    };
  }
  const model = buildReportModel(input);
  if (format === 'pdf') return { fileName, mimeType, data: await renderPdf(model, lang, progress) };
  if (format === 'json') {
    return { fileName, mimeType, data: Buffer.from(renderJson(model, input, lang), 'utf8') };
  }
  // A BOM so Excel opens the UTF-8 accents correctly; other readers skip it.
  return { fileName, mimeType, data: Buffer.from(`\uFEFF${renderCsv(model, lang)}`, 'utf8') };
}
