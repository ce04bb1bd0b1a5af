import type { FirewallRule } from '../../app/contract/index.js';
import { AppFailure } from '../../app/errors.js';
import { openFirewallService } from '../../app/firewall/format.js';
import type { CliContext } from './context.js';

/**
 * Port Auditor's rules as the firewall holds them now, read the way `port-auditor rules` reads
 * them (directly as root, else through the read-only helper, which never prompts), so verdicts
 * and reports say a port is blocked only when the firewall was seen holding the rule. When the
 * firewall cannot be read the journal's rules come back with `present: null` (verdicts then say
 * "not verified") and stderr says why; undefined when even the journal cannot be opened.
 */
export async function readFirewallRules(ctx: CliContext): Promise<FirewallRule[] | undefined> {
  const warn = (fr: string, en: string) => ctx.stderr.write(`${ctx.say({ fr, en })}\n`);
  const detailOf = (error: unknown) =>
    error instanceof AppFailure ? error.appError.message[ctx.language] : String(error);
  try {
    const service = await openFirewallService((t) => ctx.stderr.write(`${ctx.say(t)}\n`));
    try {
      const known = service.repairsMade().length;
      const list = await service.list().catch((error: unknown) => {
        // The journal still says which rules exist; none of them counts as read in the firewall.
        warn(
          `Le pare-feu n’a pas pu être lu (${detailOf(error)}) : règles tirées du journal, non vérifiées.`,
          `The firewall could not be read (${detailOf(error)}): rules taken from the journal, not verified.`,
        );
        return {
          rules: service.knownRules().map((r) => ({ ...r, present: null })),
          verified: false,
        };
      });
      for (const repair of service.repairsMade().slice(known)) {
        ctx.stderr.write(`${ctx.say(repair)}\n`);
      }
      if (!list.verified && list.rules.some((r) => r.state === 'active')) {
        warn(
          'Le pare-feu n’a pas pu être lu : les ports que les règles de Port Auditor devraient bloquer sont dits « blocage non vérifié » (voir port-auditor firewall-status pour la raison).',
          'The firewall could not be read: the ports Port Auditor’s rules should block are shown as “block not verified” (see port-auditor firewall-status for the reason).',
        );
      }
      return list.rules;
    } finally {
      service.close();
    }
  } catch (error) {
    warn(
      `Règles de pare-feu de Port Auditor non lues : ${detailOf(error)}`,
      `Port Auditor’s firewall rules not read: ${detailOf(error)}`,
    );
    return undefined;
  }
}
