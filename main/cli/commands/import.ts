import type { Command } from 'commander';
import type { CliCommand, CliContext } from '../context.js';
import { importNmapFile } from '../import-file.js';
import { printKeptScan, warnNotKept, writeKeptScanJson } from '../kept-scan.js';
import { readFirewallRules } from '../firewall-read.js';
import { serviceName } from '../../../app/risk/knowledge-base.js';
import { writeJsonOutput } from '../whole-file.js';

const importCommand: CliCommand = (program: Command, ctx: CliContext) => {
  program
    .command('import')
    .description(ctx.text('commands.import.description'))
    .argument(`<${ctx.text('placeholder.nmapXml')}>`, ctx.text('commands.import.argument'))
    .option(`--json <${ctx.text('placeholder.file')}>`, ctx.text('commands.import.option.json'))
    .action(async (file: string, options: { json?: string }) => {
      // Streamed to the app in pieces: a 60 MB file is never held whole, here or in the app.
      const imported = await importNmapFile(ctx, file, 'cli.import-read');
      const notKept = warnNotKept(ctx, imported.notice);
      // Reads Port Auditor's rules in the firewall first: the verdicts then say what it holds.
      await readFirewallRules(ctx, notKept);
      // The same table as "scan": verdicts, programs on this PC and reasons beside each open port,
      // a page of hosts at a time (a 65,000-host file is never held whole here).
      await printKeptScan(ctx, imported.scanId, serviceName);
      if (options.json) {
        // Whole or not at all, a link planted there replaced, never followed (writeWholeFile).
        await writeJsonOutput(options.json, (write) =>
          writeKeptScanJson(ctx, imported.scanId, write),
        );
      }
    });
};

export default importCommand;
