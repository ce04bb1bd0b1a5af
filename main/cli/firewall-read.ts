import type { FirewallRule } from '../../app/contract/index.js';
import { AppFailure } from '../../app/errors.js';
import type { CliContext } from './context.js';
import { showFirewallNotices } from './firewall-notices.js';
import { errorLine } from './text.js';

/**
 * Port Auditor's rules as the firewall holds them now, read through the app (firewall.list, as
 * `port-auditor rules` reads them: directly as root, else through the read-only helper, which
 * never prompts), so verdicts and reports say a port is blocked only when the firewall was seen
 * holding the rule: the app's risk.assess then uses what this read found. When the firewall cannot
 * be read, stderr says why and the verdicts say "not verified"; undefined then. `said`: what the
 * command already printed on stderr (a notice saying it again is left out).
 */
export async function readFirewallRules(
  ctx: CliContext,
  said = '',
): Promise<FirewallRule[] | undefined> {
  const warn = (key: string, params?: Record<string, unknown>) =>
    ctx.stderr.write(`${ctx.text(key, params)}\n`);
  const detailOf = (error: unknown) =>
    errorLine(error instanceof AppFailure ? error.appError.message[ctx.language] : String(error));
  try {
    const known = await showFirewallNotices(ctx, 0, said);
    const list = await ctx.app.call('firewall.list', {}).catch((error: unknown) => {
      warn('firewall.readFailed', { detail: detailOf(error) });
      return null;
    });
    await showFirewallNotices(ctx, known, said);
    if (list === null) return undefined;
    if (!list.verified && list.rules.some((r) => r.state === 'active')) {
      warn('firewall.notVerified');
    }
    return list.rules;
  } catch (error) {
    warn('firewall.rulesNotRead', { detail: detailOf(error) });
    return undefined;
  }
}
