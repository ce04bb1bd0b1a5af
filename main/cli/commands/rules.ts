import type { Command } from 'commander';
import { formatRule, openFirewallService } from '../../../app/firewall/format.js';
import type { CliCommand, CliContext } from '../context.js';

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
      const service = await openFirewallService((t) => ctx.stderr.write(`${ctx.say(t)}\n`));
      try {
        const list = await service.list();
        if (options.json) {
          ctx.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        if (!list.verified) {
          ctx.stderr.write(
            `${ctx.say({
              fr: 'Le pare-feu n’a pas pu être lu (droits administrateur requis) : liste tirée du journal.',
              en: 'The firewall could not be read (administrator rights required): list taken from the journal.',
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
      } finally {
        service.close();
      }
    });
};

export default rules;
