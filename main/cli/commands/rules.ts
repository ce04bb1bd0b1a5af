import type { Command } from 'commander';
import { formatRule, vanishedRulesLine } from '../../../app/firewall/format.js';
import type { CliCommand, CliContext } from '../context.js';
import { showFirewallNotices } from '../firewall-notices.js';

const rules: CliCommand = (program: Command, ctx: CliContext) => {
  program
    .command('rules')
    .description(
      ctx.say({
        fr: 'liste les règles de pare-feu créées par Port Auditor',
        en: 'lists the firewall rules Port Auditor created',
      }),
    )
    .option('--json', ctx.say({ fr: 'sortie JSON', en: 'JSON output' }))
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
        ctx.stderr.write(
          `${ctx.say({
            fr: 'Le pare-feu n’a pas pu être relu : liste tirée du journal (voir port-auditor firewall-status pour la raison).',
            en: 'The firewall could not be read: list taken from the journal (see port-auditor firewall-status for the reason).',
          })}\n`,
        );
      }
      if (list.rules.length === 0) {
        ctx.stdout.write(
          `${ctx.say({ fr: 'Aucune règle Port Auditor.', en: 'No Port Auditor rules.' })}\n`,
        );
        return;
      }
      for (const rule of list.rules) ctx.stdout.write(`${formatRule(rule, ctx.language)}\n`);
      const gone = vanishedRulesLine(
        list.rules.filter((r) => r.present === false).length,
        ctx.language,
      );
      if (gone) ctx.stderr.write(`${gone}\n`);
    });
};

export default rules;
