import {
  MAX_HOSTS_PAGE,
  type AppError,
  type HostAssessment,
  type HostStatus,
  type RiskAssessResult,
  type ScanDetails,
  type ScanPage,
  type ScanResult,
} from '../../app/contract/index.js';
import { foldDevices } from '../../app/contract/devices.js';
import type { CliContext } from './context.js';
import {
  formatDeviceBlocks,
  formatScanTail,
  scanBlockedPorts,
  type ServiceLookup,
} from './format.js';

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
  for await (const page of pagesOf(ctx, scanId)) {
    details = page.scan;
    header = page.result;
    hosts.push(...page.hosts);
    if (page.assessment) {
      assessment = page.assessment;
      verdicts.push(...page.assessment.hosts);
    }
    Object.assign(macAddresses, page.macAddresses);
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

/**
 * `page` with the ports it left out of its hosts (ScanPage.portsLeftOut: over 200 per host or
 * 2,000 per page) asked for with scan.hostPorts, and their verdicts: the CLI prints every port.
 * When `grouped`, a host printed as its one "answers on every port" verdict and its open ports
 * (a device of that one address, its open ports in ScanPage.openPortList) keeps the page's ports:
 * its 65,535 ports are not asked for to print "1-65535" (review 13c, B1).
 */
async function withEveryPort(ctx: CliContext, page: ScanPage, grouped: boolean): Promise<ScanPage> {
  if (!page.portsLeftOut) return page;
  const hosts = [];
  const verdicts = new Map((page.assessment?.hosts ?? []).map((h) => [h.address, h]));
  // A page never cuts a device in two (devicePageBounds): its devices are folded as printed.
  const alone = new Set(
    grouped
      ? foldDevices(page.hosts).flatMap((d) =>
          d.hosts.length + d.folded.length === 1 ? [d.hosts[0]!.address] : [],
        )
      : [],
  );
  for (const host of page.hosts) {
    const listed =
      alone.has(host.address) &&
      host.answersEveryPort !== undefined &&
      page.openPortList?.[host.address] !== undefined;
    if (!(host.address in page.portsLeftOut) || listed) {
      hosts.push(host);
      continue;
    }
    const ports = [...host.ports];
    for (;;) {
      const more = await ctx.app.call('scan.hostPorts', {
        scanId: page.scan.scanId,
        address: host.address,
        offset: ports.length,
      });
      if (more.ports.length === 0) break;
      ports.push(...more.ports);
      const had = verdicts.get(host.address);
      if (had && more.verdicts) {
        verdicts.set(host.address, { ...had, ports: [...had.ports, ...more.verdicts.ports] });
      }
      if (ports.length >= more.total) break;
    }
    hosts.push({ ...host, ports });
  }
  const { portsLeftOut: _all, ...rest } = page;
  return {
    ...rest,
    hosts,
    assessment: page.assessment
      ? {
          ...page.assessment,
          hosts: page.assessment.hosts.map((h) => verdicts.get(h.address) ?? h),
        }
      : null,
  };
}

/**
 * The pages of hosts of kept scan `scanId`, up ones first in the app's order, then the others,
 * with every port of their hosts (see withEveryPort for `grouped`).
 */
async function* pagesOf(
  ctx: CliContext,
  scanId: string,
  grouped = false,
): AsyncGenerator<ScanPage> {
  for (const status of ['up', 'unknown', 'down'] as HostStatus[]) {
    for (let offset = 0; ; offset += MAX_HOSTS_PAGE) {
      const page = await ctx.app.call('scan.get', {
        scanId,
        offset,
        limit: MAX_HOSTS_PAGE,
        status,
      });
      yield await withEveryPort(ctx, page, grouped);
      if (offset + page.hosts.length >= page.total || page.hosts.length === 0) break;
    }
  }
}

/**
 * Prints the kept scan `scanId` to stdout as formatScanResult prints a result, a page of hosts at
 * a time (scan.get), so a 65,000-host import is never held whole here: the hosts' blocks as their
 * pages come, then the summary from the scan's counts. Throws the app's AppFailure.
 */
export async function printKeptScan(
  ctx: CliContext,
  scanId: string,
  service: ServiceLookup,
): Promise<void> {
  let last: ScanPage | undefined;
  let hiddenOpen = 0;
  let hiddenByRule = 0;
  for await (const page of pagesOf(ctx, scanId, true)) {
    last = page;
    const verdicts = new Map((page.assessment?.hosts ?? []).map((h) => [h.address, h]));
    hiddenByRule += scanBlockedPorts(page.assessment?.hosts ?? []);
    const shown = page.hosts.filter(
      (h) => h.status !== 'down' || page.result.request.skipDiscovery,
    );
    for (const host of page.hosts) hiddenOpen += host.hidden.open;
    // A page never cuts a device in two (devicePageBounds): its addresses fold into one block.
    const blocks = formatDeviceBlocks(
      shown,
      ctx.language,
      service,
      verdicts,
      new Map(Object.entries(page.openPortList ?? {})),
    );
    if (blocks.length > 0) ctx.stdout.write(`${blocks.join('\n\n')}\n\n`);
  }
  const page = last as ScanPage;
  const { hosts: _hosts, ...assessment } = page.assessment ?? { hosts: [] };
  const tail = formatScanTail(
    page.result,
    {
      upCount: page.scan.counts.hostsUp,
      devices: page.scan.counts.devicesUp,
      open: page.scan.counts.openPorts + hiddenOpen,
      hiddenByRule,
      notScanned: page.scan.statusCounts.unknown,
    },
    ctx.language,
    page.assessment ? (assessment as Omit<RiskAssessResult, 'hosts'>) : undefined,
  );
  ctx.stdout.write(`${tail}\n`);
}

/**
 * Writes the kept scan `scanId` as a ScanResult in Port Auditor JSON (2-space indented, its hosts
 * last, as JSON.stringify(result, null, 2) writes it) through `write`, a page of hosts at a time.
 * Throws the app's AppFailure, or what `write` throws.
 */
export async function writeKeptScanJson(
  ctx: CliContext,
  scanId: string,
  write: (text: string) => Promise<void>,
): Promise<void> {
  let started = false;
  let hosts = 0;
  for await (const page of pagesOf(ctx, scanId)) {
    let text = '';
    if (!started) {
      // The scan's own fields as JSON.stringify writes them, its closing brace taken off.
      text += `${JSON.stringify(page.result, null, 2).slice(0, -2)},\n  "hosts": [`;
      started = true;
    }
    for (const host of page.hosts) {
      text += `${hosts > 0 ? ',' : ''}\n${JSON.stringify(host, null, 2).replace(/^/gm, '    ')}`;
      hosts++;
    }
    await write(text);
  }
  await write(hosts > 0 ? '\n  ]\n}\n' : ']\n}\n');
}

/**
 * Says on stderr that a scan could not be kept in the history, and why. Returns what it printed
 * ('' when nothing), so the firewall's notices that follow do not say the same store failure again.
 */
export function warnNotKept(ctx: CliContext, notice: AppError | undefined): string {
  if (!notice) return '';
  const text = notice.message[ctx.language];
  ctx.stderr.write(`${text}\n`);
  return text;
}
