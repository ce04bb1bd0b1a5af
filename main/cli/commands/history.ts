import type { Command } from 'commander';
import type { ScanRecord } from '../../../app/contract/index.js';
import { formatDateTime } from '../../../app/contract/datetime.js';
import { oneLine } from '../../../app/text/control-characters.js';
import { counted } from '../../../app/text/plural.js';
import type { CliCommand, CliContext } from '../context.js';
import { readFirewallRules } from '../firewall-read.js';
import { printKeptScan, readKeptScan } from '../kept-scan.js';
import { LIST_PAGE, resolveScanId } from '../scan-id.js';
import { serviceName } from '../../../app/risk/knowledge-base.js';

function source(row: ScanRecord, ctx: CliContext): string {
  if (row.kind === 'nmap-import') {
    const file = oneLine(row.fileName ?? 'nmap.xml');
    return ctx.say({ fr: `fichier nmap « ${file} »`, en: `nmap file “${file}”` });
  }
  return row.cancelled
    ? ctx.say({ fr: 'analyse annulée', en: 'cancelled scan' })
    : ctx.say({ fr: 'analyse', en: 'scan' });
}

/** The history as a table: one line per kept scan, newest first, with the id `show` takes. */
export function formatHistory(rows: ScanRecord[], total: number, ctx: CliContext): string {
  if (rows.length === 0) {
    return `${ctx.say({
      fr: 'Aucune analyse conservée : lancez port-auditor scan, ou importez un fichier nmap.',
      en: 'No kept scan: run port-auditor scan, or import an nmap file.',
    })}\n`;
  }
  const number = new Intl.NumberFormat(ctx.language);
  const head =
    ctx.language === 'fr'
      ? ['DATE', 'ORIGINE', 'CIBLES', 'APPAREILS', 'PORTS OUVERTS', 'ID']
      : ['DATE', 'SOURCE', 'TARGETS', 'DEVICES', 'OPEN PORTS', 'ID'];
  const lines = rows.map((row) => [
    formatDateTime(row.dateKnown ? row.startedAt : row.savedAt, ctx.language),
    source(row, ctx),
    oneLine(row.targets).slice(0, 40),
    number.format(row.counts.devicesUp),
    number.format(row.counts.openPorts),
    row.scanId,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 2)))
      .join('')
      .trimEnd();
  const more =
    total > rows.length
      ? `${ctx.say({
          fr: `… et ${number.format(total - rows.length)} de plus (--all pour toutes).`,
          en: `… and ${number.format(total - rows.length)} more (--all for every one).`,
        })}\n`
      : '';
  return `${[format(head), ...lines.map(format)].join('\n')}\n${more}`;
}

/** What the history says of kept scans whose row no longer reads (left out of the list). */
export function unreadableNotice(n: number, ctx: CliContext): string {
  return ctx.say({
    fr: `${counted(n, 'fr', 'analyse conservée est illisible', 'analyses conservées sont illisibles')} (base de données modifiée, ou écrite par une autre version) : ${n > 1 ? 'elles ne sont pas listées' : 'elle n’est pas listée'} ; les autres le sont.`,
    en: `${counted(n, 'en', 'kept scan cannot be read', 'kept scans cannot be read')} (the database was edited, or written by another version): left out of the list; the others are listed.`,
  });
}

const history: CliCommand = (program: Command, ctx: CliContext) => {
  program
    .command('history')
    .description(
      ctx.say({
        fr: 'liste les analyses et les imports conservés, du plus récent au plus ancien',
        en: 'lists the kept scans and imports, newest first',
      }),
    )
    .option('--json', ctx.say({ fr: 'sortie JSON', en: 'JSON output' }))
    .option(
      '--all',
      ctx.say({ fr: 'toutes, pas seulement les 50 dernières', en: 'all, not only the last 50' }),
    )
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
      if (unreadable > 0) ctx.stderr.write(`${unreadableNotice(unreadable, ctx)}\n`);
      if (options.json) {
        ctx.stdout.write(
          `${JSON.stringify({ total, scans: rows, ...(unreadable > 0 ? { unreadable } : {}) }, null, 2)}\n`,
        );
        return;
      }
      ctx.stdout.write(formatHistory(rows, total, ctx));
    });

  program
    .command('show')
    .description(
      ctx.say({
        fr: 'montre une analyse conservée, avec ses verdicts',
        en: 'shows a kept scan, with its verdicts',
      }),
    )
    .argument(
      '<id>',
      ctx.say({
        fr: 'identifiant donné par port-auditor history (ou son début)',
        en: 'id given by port-auditor history (or its start)',
      }),
    )
    .option('--json', ctx.say({ fr: 'sortie JSON', en: 'JSON output' }))
    .action(async (given: string, options: { json?: boolean }) => {
      const scanId = await resolveScanId(given, ctx);
      // The verdicts shown carry Port Auditor's rules as the firewall holds them now.
      if (!options.json) {
        await readFirewallRules(ctx);
        // A page of hosts at a time: a 65,000-host import is never held whole here.
        await printKeptScan(ctx, scanId, serviceName);
        return;
      }
      // The JSON document is assembled whole (the scan and its verdicts side by side).
      const { details, scan, assessment, macAddresses } = await readKeptScan(ctx, scanId);
      ctx.stdout.write(
        `${JSON.stringify({ record: details, scan, assessment: assessment ?? null, macAddresses }, null, 2)}\n`,
      );
    });
};

export default history;
