import type { Command } from 'commander';
import { ruleCalled } from '../../../app/firewall/labels.js';
import { AppFailure } from '../../../app/errors.js';
import type { CliCommand, CliContext } from '../context.js';
import { announcePrompt, showFirewallNotices } from '../firewall-notices.js';
import { EXIT_CANCELLED, EXIT_NOT_EFFECTIVE } from './block.js';
import { cliMessage } from '../text.js';

const unblock: CliCommand = (program: Command, ctx: CliContext) => {
  program
    .command('unblock')
    .description(ctx.text('commands.unblock.description'))
    .argument(`[${ctx.text('placeholder.id')}]`, ctx.text('commands.unblock.argument'))
    .option('--all', ctx.text('commands.unblock.option.all'))
    .action(async (id: string | undefined, options: { all?: boolean }) => {
      if ((id === undefined) === !options.all) {
        throw new AppFailure('cli.unblock-usage', cliMessage('failure.idOrAll'));
      }
      await showFirewallNotices(ctx);
      // Listed before the change: a removed rule is gone from the list afterwards, and each line
      // names it by its date and port (issue 15 N3), an id the list lacks by the id itself.
      const { rules } = await ctx.app.call('firewall.list', {});
      const called = (ruleId: string) => {
        const rule = rules.find((r) => r.id === ruleId);
        return rule ? ctx.say(ruleCalled(rule)) : ruleId;
      };
      await announcePrompt(ctx);
      const outcome =
        id !== undefined
          ? await ctx.app.call('firewall.remove', { ids: [id] })
          : await ctx.app.call('firewall.removeAll', {});
      if (outcome.outcome === 'cancelled') {
        ctx.stderr.write(`${ctx.say(outcome.message)}\n`);
        ctx.setExitCode(EXIT_CANCELLED);
        return;
      }
      for (const removed of outcome.removed) {
        ctx.stdout.write(`${ctx.text('commands.unblock.removed', { called: called(removed) })}\n`);
      }
      for (const left of outcome.stillPresent) {
        ctx.stderr.write(
          `${ctx.text('commands.unblock.stillPresent', { called: called(left) })}\n`,
        );
      }
      if (outcome.removed.length === 0 && outcome.stillPresent.length === 0) {
        ctx.stdout.write(`${ctx.text('commands.unblock.none')}\n`);
      }
      if (outcome.stillPresent.length > 0) ctx.setExitCode(EXIT_NOT_EFFECTIVE);
    });
};

export default unblock;
