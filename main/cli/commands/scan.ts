import { randomUUID } from 'node:crypto';
import { access } from 'node:fs/promises';
import { constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import {
  ScanRequest,
  type ScanEnd,
  type ScanRequestInput,
  type ScanResult,
  type ScanUpdate,
} from '../../../app/contract/index.js';
import { AppFailure } from '../../../app/errors.js';
import { EXIT, type CliCommand, type CliContext } from '../context.js';
import { readFirewallRules } from '../firewall-read.js';
import { formatProgress, formatScanResult } from '../format.js';
import { serviceName } from '../../../app/risk/knowledge-base.js';
import { readKeptScan, warnNotKept } from '../kept-scan.js';
import { checkReportPath, formatFor, languageFor, writeReport } from './report.js';
import { writeJsonOutput } from '../whole-file.js';
import { cliMessage } from '../text.js';
import { scanJsonOf } from '../../../app/report/json-import.js';
import { localAddresses } from '../../../app/api/report-handlers.js';

interface ScanOptions {
  ports: string;
  json?: string;
  yes?: boolean;
  skipDiscovery?: boolean;
  report?: string;
  lang?: string;
  includeAdapter?: string[];
}

/** Refuses an unwritable --json path before scanning rather than losing the results after. */
async function checkJsonPath(file: string): Promise<string> {
  const target = path.resolve(file);
  try {
    await access(path.dirname(target), constants.W_OK);
  } catch {
    throw new AppFailure('cli.json-path', cliMessage('failure.jsonFolder', { file }), { file });
  }
  return target;
}

function toRequest(targets: string, options: ScanOptions): ScanRequest {
  const included = options.includeAdapter ?? [];
  if (included.length > 0 && !/(^|[\s,;])local-network($|[\s,;])/i.test(targets)) {
    throw new AppFailure(
      'cli.include-adapter-without-local-network',
      cliMessage('failure.includeAdapter', { adapter: included[0] }),
      { adapters: included.join(',') },
    );
  }
  const input: ScanRequestInput = {
    targets,
    ports: options.ports,
    skipDiscovery: options.skipDiscovery ?? false,
    confirmed: options.yes ?? false,
    // The CLI asks nothing: local-network leaves out what it leaves out (the result's notes name
    // them) unless --include-adapter names them.
    adapters: included,
  };
  const parsed = ScanRequest.safeParse(input);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') ?? 'targets';
    throw new AppFailure('cli.invalid-scan', cliMessage('failure.invalidScan', { field: where }), {
      field: where,
    });
  }
  return parsed.data;
}

/**
 * Runs one scan to its end through the app's contract (scan.start, its events, scan.cancel),
 * showing progress on a terminal; Ctrl+C cancels and keeps what was found.
 */
async function runScan(request: ScanRequest, ctx: CliContext): Promise<ScanEnd> {
  const progress = ctx.stderr.isTTY === true;
  let lastDraw = 0;
  let drawn = false;
  const clearLine = () => {
    if (drawn) ctx.drawProgress('');
    drawn = false;
  };
  let settle!: { resolve(end: ScanEnd): void; reject(error: unknown): void };
  const finished = new Promise<ScanEnd>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const onEvent = (event: ScanUpdate) => {
    if (event.type === 'progress' && progress) {
      const now = Date.now();
      if (now - lastDraw < 100 && event.done < event.total) return;
      lastDraw = now;
      ctx.drawProgress(formatProgress(event, ctx.language));
      drawn = true;
    } else if (event.type === 'finished') {
      settle.resolve(event);
    } else if (event.type === 'failed') {
      settle.reject(AppFailure.relay(event.error));
    }
  };
  let interrupts = 0;
  let scanId: string | undefined;
  const chosenId = randomUUID();
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1 || !scanId) process.exit(EXIT.interrupted);
    clearLine();
    ctx.stderr.write(`${ctx.text('commands.scan.cancelling')}\n`);
    // Its finished event still comes, with what was found.
    void ctx.app.call('scan.cancel', { scanId }).catch(() => undefined);
  };
  process.on('SIGINT', onSigint);
  try {
    ({ scanId } = await ctx.app.call(
      'scan.start',
      { ...request, scanId: chosenId },
      (event, payload) => {
        if (event === 'scan.event') onEvent(payload as ScanUpdate);
      },
    ));
    return await finished;
  } finally {
    process.off('SIGINT', onSigint);
    clearLine();
  }
}

/**
 * Whether a scan has anything to judge: an open port, or a device port seen filtered (this PC's
 * own outbound rule may be what hides it).
 */
export function hasVerdicts(result: ScanResult): boolean {
  return result.hosts.some((h) =>
    h.ports.some((p) => p.state === 'open' || (p.state === 'filtered' && !h.isLocal)),
  );
}

const scan: CliCommand = (program: Command, ctx: CliContext) => {
  program
    .command('scan')
    .description(ctx.text('commands.scan.description'))
    .argument(
      // Several arguments are one list, as the help says (`scan 10.0.0.1 10.0.0.2`), as nmap reads them.
      `<${ctx.text('placeholder.targets')}...>`,
      ctx.text('commands.scan.argument'),
    )
    .option(
      `-p, --ports <${ctx.text('placeholder.spec')}>`,
      ctx.text('commands.scan.option.ports'),
      'top1000',
    )
    .option(`--json <${ctx.text('placeholder.file')}>`, ctx.text('commands.scan.option.json'))
    .option('--yes', ctx.text('commands.scan.option.yes'))
    .option(
      `--include-adapter <${ctx.text('placeholder.name')}>`,
      ctx.text('commands.scan.option.includeAdapter'),
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--skip-discovery', ctx.text('commands.scan.option.skipDiscovery'))
    .option(`--report <${ctx.text('placeholder.file')}>`, ctx.text('commands.scan.option.report'))
    .option(`--lang <${ctx.text('placeholder.lang')}>`, ctx.text('commands.scan.option.lang'))
    .action(async (targets: string[], options: ScanOptions) => {
      const request = toRequest(targets.join(' '), options);
      const jsonPath = options.json ? await checkJsonPath(options.json) : undefined;
      const reportPath = options.report ? await checkReportPath(options.report) : undefined;
      // Its format too, before the scan: an unknown extension is refused before anything runs.
      const reportFormat = reportPath ? formatFor(reportPath, undefined) : undefined;
      const reportLang = languageFor(options.lang, ctx);
      const end = await runScan(request, ctx);
      const notKept = warnNotKept(ctx, end.notice);
      // Read once the scan is over: the verdicts the app gives next carry the rules as they are.
      if (end.counts.openPorts > 0 || reportPath) await readFirewallRules(ctx, notKept);
      const kept = await readKeptScan(ctx, end.scanId);
      const result = kept.scan;
      const assessment = hasVerdicts(result) ? kept.assessment : undefined;
      ctx.stdout.write(formatScanResult(result, ctx.language, serviceName, assessment));
      if (jsonPath) {
        // With this PC's name and addresses: `report FILE.json` then knows the file is its own.
        const json = scanJsonOf(result, os.hostname(), localAddresses());
        // Whole or not at all, a link planted there replaced, never followed (writeWholeFile).
        await writeJsonOutput(jsonPath, (write) => write(`${JSON.stringify(json, null, 2)}\n`));
      }
      if (reportPath && reportFormat) {
        // The kept scan with the same verdicts and rules as the table above.
        await writeReport({ scanId: end.scanId }, reportPath, reportFormat, reportLang, ctx);
      }
      if (result.cancelled) ctx.setExitCode(EXIT.interrupted);
    });
};

export default scan;
