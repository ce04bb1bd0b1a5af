import type { Command } from 'commander';
import { formatRuleTable, vanishedRulesLine } from '../../../app/firewall/format.js';
import type { CliCommand, CliContext } from '../context.js';
import { showFirewallNotices } from '../firewall-notices.js';

const rules: CliCommand = (program: Command, ctx: CliContext) => {
  program
    .command('rules')
    .description(ctx.text('commands.rules.description'))
    .option('--json', ctx.text('commands.rules.option.json'))
    .action(async (options: { json?: boolean }) => {
      const known = await showFirewallNotices(ctx);
      const list = await ctx.app.call('firewall.list', {});
      // What reading the firewall set right (a journal edited by another program, say).
      await showFirewallNotices(ctx, known);
      if (options.json) {
        ctx.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (!list.verified) {
        ctx.stderr.write(`${ctx.text('commands.rules.notVerified')}\n`);
      }
      if (list.rules.length === 0) {
        ctx.stdout.write(`${ctx.text('commands.rules.none')}\n`);
        return;
      }
      for (const line of formatRuleTable(list.rules, ctx.language)) ctx.stdout.write(`${line}\n`);
      const gone = vanishedRulesLine(
        list.rules.filter((r) => r.present === false).length,
        ctx.language,
      );
      if (gone) ctx.stderr.write(`${gone}\n`);
    });
};

export default rules;
