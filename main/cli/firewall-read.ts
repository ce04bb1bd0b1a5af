import type { FirewallRule } from '../../app/contract/index.js';
import { AppFailure } from '../../app/errors.js';
import type { CliContext } from './context.js';
import { showFirewallNotices } from './firewall-notices.js';

/**
 * Port Auditor's rules as the firewall holds them now, read through the app (firewall.list, as
 * `port-auditor rules` reads them: directly as root, else through the read-only helper, which
 * never prompts), so verdicts and reports say a port is blocked only when the firewall was seen
 * holding the rule: the app's risk.assess then uses what this read found. When the firewall cannot
 * be read, stderr says why and the verdicts say "not verified"; undefined then.
 */
export async function readFirewallRules(ctx: CliContext): Promise<FirewallRule[] | undefined> {
  const warn = (fr: string, en: string) => ctx.stderr.write(`${ctx.say({ fr, en })}\n`);
  const detailOf = (error: unknown) =>
    error instanceof AppFailure ? error.appError.message[ctx.language] : String(error);
  try {
    const known = await showFirewallNotices(ctx);
    const list = await ctx.app.call('firewall.list', {}).catch((error: unknown) => {
      warn(
        `Le pare-feu n’a pas pu être lu (${detailOf(error)}) : règles tirées du journal, non vérifiées.`,
        `The firewall could not be read (${detailOf(error)}): rules taken from the journal, not verified.`,
      );
      return null;
    });
    await showFirewallNotices(ctx, known);
    if (list === null) return undefined;
    if (!list.verified && list.rules.some((r) => r.state === 'active')) {
      warn(
        'Le pare-feu n’a pas pu être lu : les ports que les règles de Port Auditor devraient bloquer sont dits « blocage non vérifié » (voir port-auditor firewall-status pour la raison).',
        'The firewall could not be read: the ports Port Auditor’s rules should block are shown as “block not verified” (see port-auditor firewall-status for the reason).',
      );
    }
    return list.rules;
  } catch (error) {
    warn(
      `Règles de pare-feu de Port Auditor non lues : ${detailOf(error)}`,
      `Port Auditor’s firewall rules not read: ${detailOf(error)}`,
    );
    return undefined;
  }
}
