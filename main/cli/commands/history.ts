import os from 'node:os';
import type { Command } from 'commander';
import type { ScanRecord } from '../../../app/contract/index.js';
import { formatDateTime } from '../../../app/contract/datetime.js';
import { textFor } from '../../../app/text/catalogue.js';
import {
  capped,
  codePointLength,
  oneLine,
  quotable,
} from '../../../app/text/control-characters.js';
import type { CliCommand, CliContext } from '../context.js';
import { readFirewallRules } from '../firewall-read.js';
import { printKeptScan, readKeptScan } from '../kept-scan.js';
import { LIST_PAGE, resolveScanId } from '../scan-id.js';
import { serviceName } from '../../../app/risk/knowledge-base.js';
import { scanJsonOf } from '../../../app/report/json-import.js';
import { localAddresses } from '../../../app/api/report-handlers.js';

function source(row: ScanRecord, ctx: CliContext): string {
  if (row.kind === 'nmap-import') {
    const file = quotable(row.fileName ?? 'nmap.xml', SOURCE_WIDTH);
    return ctx.text('commands.history.source.nmapFile', { file });
  }
  if (row.kind === 'json-report') {
    const file = quotable(row.fileName ?? 'report.json', SOURCE_WIDTH);
    return ctx.text('commands.history.source.jsonReport', { file });
  }
  return row.cancelled
    ? ctx.text('commands.history.source.cancelled')
    : ctx.text('commands.history.source.scan');
}

/** Widest a cell of the file's words gets, in code points, so the table stays readable at 80–120 columns. */
const SOURCE_WIDTH = 40;
const TARGETS_WIDTH = 40;

/**
 * A scan's targets as the page names them ("Ce PC", "Réseau local"), addresses as given, one
 * separator between two ("Ce PC, 10.77.0.2"); an import's are words of the file's command line,
 * quoted as the file's so they never read as the app's (issue 15, F2).
 */
function targetsText(row: ScanRecord, ctx: CliContext): string {
  if (row.kind === 'nmap-import' || row.kind === 'json-report') {
    return ctx.text('commands.history.fileTargets', {
      targets: quotable(row.targets, TARGETS_WIDTH - 4),
    });
  }
  const targets = row.targets;
  const t = textFor(ctx.language, 'scan');
  const words: Record<string, string> = {
    'this-pc': t('form.targets.thisPc'),
    'local-network': t('form.targets.localNetwork'),
  };
  // One separator between targets, whatever the request used: "Ce PC, 10.77.0.2", never
  // "Ce PC 10.77.0.2" where the words of one target ran into the next (review 13 N3).
  return oneLine(targets)
    .split(/[\s,]+/)
    .filter((part) => part !== '')
    .map((part) => words[part.toLowerCase()] ?? part)
    .join(', ');
}

/**
 * The history as a table: one line per kept scan, newest kept first (the order of the list), with
 * the date it was kept, the date it was scanned (nmap's for an import, when the file says), and
 * the id `show` takes.
 */
export function formatHistory(rows: ScanRecord[], total: number, ctx: CliContext): string {
  if (rows.length === 0) {
    return `${ctx.text('commands.history.empty')}\n`;
  }
  const number = new Intl.NumberFormat(ctx.language);
  const head = ['kept', 'scanned', 'source', 'targets', 'devices', 'open', 'id'].map((key) =>
    ctx.text(`commands.history.head.${key}`),
  );
  const lines = rows.map((row) => [
    formatDateTime(row.savedAt, ctx.language),
    row.dateKnown
      ? formatDateTime(row.startedAt, ctx.language)
      : ctx.text('commands.history.dateUnknown'),
    source(row, ctx),
    capped(targetsText(row, ctx), TARGETS_WIDTH),
    number.format(row.counts.devicesUp),
    number.format(row.counts.openPorts),
    row.scanId,
  ]);
  // Widths in code points: an accent, an emoji or U+FFFD is one column, not two UTF-16 units.
  const widths = head.map((h, i) =>
    Math.max(codePointLength(h), ...lines.map((l) => codePointLength(l[i] ?? ''))),
  );
  const format = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) + 2 - codePointLength(c)),
      )
      .join('')
      .trimEnd();
  const more =
    total > rows.length
      ? `${ctx.text('commands.history.more', { count: total - rows.length })}\n`
      : '';
  // The counts are the store's columns, which any program of the user can edit (review 13 A4):
  // said as recorded, as the page says them; `show ID` counts the kept rows again.
  const recorded = `${ctx.text('commands.history.recorded')}\n`;
  return `${[format(head), ...lines.map(format)].join('\n')}\n${more}${recorded}`;
}

/**
 * A history row as `history --json` prints it: the verdict counts the store recorded when the
 * scan was kept are `recordedSeverities`, never `severities` (review 13 A3b), and its device and
 * port counts `recordedCounts`, never `counts` (review 13 A4: the same editable columns). The store is a file
 * any program of the user can edit, so they may say "0 critical" while `show ID`, which works the
 * verdicts out again (reassessKept), says otherwise; the help (option.jsonList) says so in both
 * languages. Checking them here instead would mean reading every kept port of every listed scan
 * at each listing, and a port-alone floor would overstate this PC's loopback-only services (Info
 * live, higher alone): the name tells the truth at no cost.
 */
export function asRecorded(row: ScanRecord): Omit<ScanRecord, 'severities' | 'counts'> & {
  recordedCounts: ScanRecord['counts'];
  recordedSeverities: ScanRecord['severities'];
} {
  const { severities, counts, ...rest } = row;
  return { ...rest, recordedCounts: counts, recordedSeverities: severities };
}

/** What the history says of kept scans whose row no longer reads (left out of the list). */
export function unreadableNotice(n: number, ctx: CliContext): string {
  return ctx.text('commands.history.unreadable', { count: n });
}

const history: CliCommand = (program: Command, ctx: CliContext) => {
  program
    .command('history')
    .description(ctx.text('commands.history.description'))
    .option('--json', ctx.text('commands.history.option.jsonList'))
    .option('--all', ctx.text('commands.history.option.all'))
    .action(async (options: { json?: boolean; all?: boolean }) => {
      const first = await ctx.app.call('scan.list', {
        offset: 0,
        limit: options.all ? LIST_PAGE : 50,
      });
      const rows: ScanRecord[] = [...first.scans];
      const { total } = first;
      const unreadable = first.unreadable ?? 0;
      while (options.all && rows.length < total) {
        const page = await ctx.app.call('scan.list', { offset: rows.length, limit: LIST_PAGE });
        if (page.scans.length === 0) break;
        rows.push(...page.scans);
      }
      if (first.notice) ctx.stderr.write(`${ctx.say(first.notice.message)}\n`);
      if (unreadable > 0) ctx.stderr.write(`${unreadableNotice(unreadable, ctx)}\n`);
      if (options.json) {
        const scans = rows.map(asRecorded);
        ctx.stdout.write(
          `${JSON.stringify({ total, scans, ...(unreadable > 0 ? { unreadable } : {}) }, null, 2)}\n`,
        );
        return;
      }
      ctx.stdout.write(formatHistory(rows, total, ctx));
    });

  program
    .command('show')
    .description(ctx.text('commands.history.show.description'))
    .argument(`<${ctx.text('placeholder.id')}>`, ctx.text('commands.history.show.argument'))
    .option('--json', ctx.text('commands.history.option.json'))
    .action(async (given: string, options: { json?: boolean }) => {
      const scanId = await resolveScanId(given, ctx);
      // The verdicts shown carry Port Auditor's rules as the firewall holds them now.
      if (!options.json) {
        // The store first: when it cannot be read, its failure is said once, as `history` says
        // it, not once as the firewall's notice and again as the failure that stops `show`.
        const listed = await ctx.app.call('scan.list', { offset: 0, limit: 1 });
        const said = listed.notice ? ctx.say(listed.notice.message) : '';
        if (said) ctx.stderr.write(`${said}\n`);
        // The firewall's notices name the same store failure (its journal lives there too):
        // left out when already said above (review 13 N6).
        await readFirewallRules(ctx, said);
        // A page of hosts at a time: a 65,000-host import is never held whole here.
        await printKeptScan(ctx, scanId, serviceName);
        return;
      }
      // The JSON document is assembled whole (the scan and its verdicts side by side). A report
      // source too (README, History): with this PC's name and addresses, as `scan --json` writes
      // them (scanJsonOf), `report FILE.json` on this PC knows the scan is its own and rates its
      // ports as `show` does, not as another PC's (review 13 final, F4).
      const kept = await readKeptScan(ctx, scanId);
      const { pcName, ...scan } = scanJsonOf(kept.scan, os.hostname(), localAddresses());
      const document = {
        record: kept.details,
        pcName,
        scan,
        assessment: kept.assessment ?? null,
        macAddresses: kept.macAddresses,
      };
      ctx.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    });
};

export default history;
