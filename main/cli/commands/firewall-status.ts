import type { Command } from 'commander';
import { formatStatus } from '../../../app/firewall/format.js';
import type { CliCommand, CliContext } from '../context.js';
import { showFirewallNotices } from '../firewall-notices.js';

const firewallStatus: CliCommand = (program: Command, ctx: CliContext) => {
  program
    .command('firewall-status')
    .description(ctx.text('commands.firewallStatus.description'))
    .option('--json', ctx.text('commands.firewallStatus.option.json'))
    .action(async (options: { json?: boolean }) => {
      await showFirewallNotices(ctx);
      const status = await ctx.app.call('firewall.status', {});
      ctx.stdout.write(
        options.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status, ctx.language),
      );
    });
};

export default firewallStatus;
