import type { CliContext } from './context.js';

/**
 * Prints on stderr what the app says before a firewall command — why its journal is only in
 * memory (a damaged or read-only store), interrupted changes it repaired — skipping the first
 * `skip` notices, already printed, and any whose words `said` already holds (the store failure a
 * scan's "not kept" sentence gave). Returns how many there are now.
 */
export async function showFirewallNotices(ctx: CliContext, skip = 0, said = ''): Promise<number> {
  const { notices } = await ctx.app.call('firewall.notices', {});
  for (const notice of notices.slice(skip)) {
    const text = ctx.say(notice);
    if (said === '' || !said.includes(text)) ctx.stderr.write(`${text}\n`);
  }
  return notices.length;
}

/**
 * On a terminal, says that a permission prompt is about to open (a window, or pkexec's own
 * password question), since the command then waits for it without a word.
 */
export async function announcePrompt(ctx: CliContext): Promise<void> {
  if (!ctx.stderr.isTTY) return;
  const { elevation } = await ctx.app.call('firewall.notices', { elevation: true });
  if (elevation === 'pkexec' || elevation === 'uac') {
    ctx.stderr.write(
      `${ctx.text(elevation === 'uac' ? 'firewall.promptUac' : 'firewall.promptPolkit')}\n`,
    );
  }
}
