import { ruleCalled } from '../../../app/firewall/labels.js';
import type { Command } from 'commander';
import { formatRuleTable, formatVerification } from '../../../app/firewall/format.js';
import { AppFailure } from '../../../app/errors.js';
import type { CliCommand, CliContext } from '../context.js';
import { announcePrompt, showFirewallNotices } from '../firewall-notices.js';
import { EXIT_CANCELLED, EXIT_NOT_EFFECTIVE } from './block.js';
import { cliMessage } from '../text.js';

/**
 * `reapply ID | --all`: puts back rules the firewall lost (nftables after a reboot without the
 * boot unit, a firewall reset), with their names, as the Rules page's "Ré-appliquer" does: each
 * rule's content is printed first, and root puts back only those its own record vouches for.
 */
const reapply: CliCommand = (program: Command, ctx: CliContext) => {
  program
    .command('reapply')
    .description(ctx.text('commands.reapply.description'))
    .argument(`[${ctx.text('placeholder.id')}]`, ctx.text('commands.reapply.argument'))
    .option('--all', ctx.text('commands.reapply.option.all'))
    .action(async (id: string | undefined, options: { all?: boolean }) => {
      if ((id === undefined) === !options.all) {
        throw new AppFailure('cli.reapply-usage', cliMessage('failure.idOrAll'));
      }
      await showFirewallNotices(ctx);
      const { rules } = await ctx.app.call('firewall.list', {});
      const ids =
        id !== undefined ? [id] : rules.filter((r) => r.present === false).map((r) => r.id);
      if (ids.length === 0) {
        ctx.stdout.write(`${ctx.text('commands.reapply.noneVanished')}\n`);
        return;
      }
      // What each rule blocks, before any prompt: the prompt names the same on its command line.
      // An id the list lacks (another program's rule named like ours, issue 15 N3) has no content
      // to show: the app refuses it below, with its reason, and no empty table comes first.
      const listed = rules.filter((r) => ids.includes(r.id));
      if (listed.length > 0) {
        ctx.stdout.write(`${ctx.text('commands.reapply.toReapply')}\n`);
        for (const line of formatRuleTable(listed, ctx.language, { reapplying: true })) {
          ctx.stdout.write(`  ${line}\n`);
        }
      }
      const backendOf = (ruleId: string) => rules.find((r) => r.id === ruleId)?.backend;
      // Named by date and port (issue 15); an id the list lacks only by the id the user gave.
      const called = (ruleId: string) => {
        const rule = rules.find((r) => r.id === ruleId);
        return rule ? ctx.say(ruleCalled(rule)) : ruleId;
      };
      await announcePrompt(ctx);
      const outcome = await ctx.app.call('firewall.reapply', { ids });
      if (outcome.outcome === 'cancelled') {
        ctx.stderr.write(`${ctx.say(outcome.message)}\n`);
        ctx.setExitCode(EXIT_CANCELLED);
        return;
      }
      // `reapplied` lists only rules read back in the firewall after the change: said as `block`
      // says its read-back, and the rule that is still missing as a failed one.
      for (const back of outcome.reapplied) {
        const verification = outcome.verifications?.[back];
        ctx.stdout.write(
          `${ctx.text('commands.reapply.reapplied', { called: called(back) })}\n${
            verification
              ? formatVerification(verification, ctx.language, backendOf(back))
              : `  ✓ ${ctx.text('commands.reapply.readBackYes')}\n`
          }`,
        );
      }
      if (Object.values(outcome.verifications ?? {}).some((v) => v.effective === 'no')) {
        ctx.setExitCode(EXIT_NOT_EFFECTIVE);
      }
      for (const left of outcome.stillMissing) {
        ctx.stderr.write(
          `${ctx.text('commands.reapply.stillMissing', { called: called(left) })}\n  ✗ ${ctx.text('commands.reapply.readBackNo')}\n`,
        );
      }
      for (const problem of outcome.problems ?? []) ctx.stderr.write(`${ctx.say(problem)}\n`);
      if (outcome.stillMissing.length > 0) ctx.setExitCode(EXIT_NOT_EFFECTIVE);
    });
};

export default reapply;
