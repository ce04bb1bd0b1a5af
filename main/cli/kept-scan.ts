import {
  MAX_HOSTS_PAGE,
  type AppError,
  type HostAssessment,
  type HostStatus,
  type RiskAssessResult,
  type ScanDetails,
  type ScanResult,
} from '../../app/contract/index.js';
import type { CliContext } from './context.js';

/** A kept scan read back whole through `scan.get`, page by page. */
export interface KeptScan {
  details: ScanDetails;
  scan: ScanResult;
  /** Undefined when the scan was kept without verdicts. */
  assessment: RiskAssessResult | undefined;
  macAddresses: Record<string, string>;
}

/**
 * Reads every host of the kept scan `scanId` (up ones first, in the app's order, then the silent
 * and unprobed ones) with their verdicts, as the app gives them now (Port Auditor's rules as last
 * read applied). Throws the app's AppFailure (`scan.not-found`, a store failure).
 */
export async function readKeptScan(ctx: CliContext, scanId: string): Promise<KeptScan> {
  const hosts: ScanResult['hosts'] = [];
  const verdicts: HostAssessment[] = [];
  const macAddresses: Record<string, string> = {};
  let details: ScanDetails | undefined;
  let header: Omit<ScanResult, 'hosts'> | undefined;
  let assessment: RiskAssessResult | null = null;
  for (const status of ['up', 'unknown', 'down'] as HostStatus[]) {
    for (let offset = 0; ; offset += MAX_HOSTS_PAGE) {
      const page = await ctx.app.call('scan.get', {
        scanId,
        offset,
        limit: MAX_HOSTS_PAGE,
        status,
      });
      details = page.scan;
      header = page.result;
      hosts.push(...page.hosts);
      if (page.assessment) {
        assessment = page.assessment;
        verdicts.push(...page.assessment.hosts);
      }
      Object.assign(macAddresses, page.macAddresses);
      if (offset + page.hosts.length >= page.total || page.hosts.length === 0) break;
    }
  }
  const d = details as ScanDetails;
  const scan: ScanResult = { ...(header as Omit<ScanResult, 'hosts'>), hosts };
  return {
    details: d,
    scan,
    assessment: assessment ? { ...assessment, hosts: verdicts } : undefined,
    macAddresses,
  };
}

/** Says on stderr that a scan could not be kept in the history, and why. */
export function warnNotKept(ctx: CliContext, notice: AppError | undefined): void {
  if (!notice) return;
  ctx.stderr.write(`${notice.message[ctx.language]}\n`);
}
