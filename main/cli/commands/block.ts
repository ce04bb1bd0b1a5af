import type { Command } from 'commander';
import { formatPreview, formatVerification } from '../../../app/firewall/format.js';
import { ruleCalled } from '../../../app/firewall/labels.js';
import { OUTSIDE_WORDS_MAX, quotable } from '../../../app/contract/outside-words.js';
import { EXIT, type CliCommand, type CliContext } from '../context.js';
import { announcePrompt, showFirewallNotices } from '../firewall-notices.js';

interface BlockOptions {
  port: string;
  proto: string;
  dir: string;
  remote?: string;
  dryRun?: boolean;
  ruleId?: string;
}

/** Exit code when the user declined the elevation prompt: nothing changed, not an error. */
export const EXIT_CANCELLED = 3;
/** Exit code when the rule was written but a check says it does not take effect. */
export const EXIT_NOT_EFFECTIVE = 4;
/** Exit code when the change ran but could not be read back: checked again at the next read. */
export const EXIT_UNKNOWN = 5;

const block: CliCommand = (program: Command, ctx: CliContext) => {
  program
    .command('block')
    .description(ctx.text('commands.block.description'))
    // -p as in `scan -p`: what worked there works here, and a missing port is named by both
    // forms (review 15, F8).
    .requiredOption(
      `-p, --port <${ctx.text('placeholder.port')}>`,
      ctx.text('commands.block.option.port'),
    )
    // TCP unless told: scans are TCP unless asked for UDP, so the port just scanned is TCP.
    .option(
      `--proto <${ctx.text('placeholder.protocol')}>`,
      ctx.text('commands.block.option.proto'),
      'tcp',
    )
    .option(
      `--dir <${ctx.text('placeholder.direction')}>`,
      ctx.text('commands.block.option.dir'),
      'in',
    )
    .option(
      `--remote <${ctx.text('placeholder.addresses')}>`,
      ctx.text('commands.block.option.remote'),
    )
    .option('--dry-run', ctx.text('commands.block.option.dryRun'))
    .option(`--rule-id <${ctx.text('placeholder.id')}>`, ctx.text('commands.block.option.ruleId'))
    .action(async (options: BlockOptions) => {
      await showFirewallNotices(ctx);
      const input = {
        protocol: options.proto,
        port: options.port,
        direction: options.dir,
        ...(options.remote !== undefined ? { remote: options.remote } : {}),
        ...(options.ruleId !== undefined ? { ruleId: options.ruleId } : {}),
      };
      if (options.dryRun) {
        ctx.stdout.write(
          formatPreview(await ctx.app.call('firewall.preview', input), ctx.language),
        );
        return;
      }
      await announcePrompt(ctx);
      const outcome = await ctx.app.call('firewall.block', input);
      if (outcome.outcome === 'cancelled') {
        ctx.stderr.write(`${ctx.say(outcome.message)}\n`);
        ctx.setExitCode(EXIT_CANCELLED);
        return;
      }
      if (outcome.outcome === 'unknown') {
        ctx.stdout.write(`${outcome.rule.id} (${outcome.rule.name})\n`);
        ctx.stderr.write(`${ctx.say(outcome.message)}\n`);
        ctx.setExitCode(EXIT_UNKNOWN);
        return;
      }
      ctx.stdout.write(
        `${ctx.text(outcome.restored ? 'commands.block.restored' : 'commands.block.created', {
          // Named by date and port in the sentence (review 15b); the id only in the command that
          // removes it (`--json` keeps every field).
          called: ctx.say(ruleCalled(outcome.rule)),
          id: outcome.rule.id,
        })}\n`,
      );
      ctx.stdout.write(
        formatVerification(outcome.verification, ctx.language, outcome.rule.backend),
      );
      if (outcome.backupPath) {
        ctx.stdout.write(
          `${ctx.text('commands.block.backup')} ${quotable(outcome.backupPath, OUTSIDE_WORDS_MAX.path)}\n`,
        );
      }
      if (outcome.verification.effective === 'no') ctx.setExitCode(EXIT_NOT_EFFECTIVE);
      else ctx.setExitCode(EXIT.ok);
    });
};

export default block;
