import { ScanId } from '../../app/contract/index.js';
import { fail } from '../../app/errors.js';
import type { CliContext } from './context.js';
import { cliMessage } from './text.js';

/** Rows asked for per `scan.list` call while looking for an id prefix. */
export const LIST_PAGE = 200;

/** The fewest characters of an id `show` and `report` take: 65,536 ids per prefix at most. */
export const MIN_PREFIX = 4;

/** Whether `text` could be a kept scan's id or its start (`history` prints them; any case). */
export function isScanIdPrefix(text: string): boolean {
  return /^[0-9a-f-]{4,36}$/i.test(text);
}

/**
 * The kept scan `given` names: its whole id, or the start of one (as `history` prints it) when
 * exactly one kept scan's id starts so. Refused in the user's language otherwise: AppFailure
 * `cli.scan-id-short` (under 4 characters), `cli.show-ambiguous`, `scan.not-found`.
 */
export async function resolveScanId(given: string, ctx: CliContext): Promise<string> {
  const full = ScanId.safeParse(given);
  if (full.success) return full.data;
  const prefix = given.toLowerCase();
  if (/^[0-9a-f-]{1,3}$/.test(prefix)) {
    fail('cli.scan-id-short', cliMessage('failure.scanIdShort', { id: given, min: MIN_PREFIX }), {
      id: given,
      min: MIN_PREFIX,
    });
  }
  if (isScanIdPrefix(prefix)) {
    const found: string[] = [];
    for (let offset = 0; ; offset += LIST_PAGE) {
      const page = await ctx.app.call('scan.list', { offset, limit: LIST_PAGE });
      found.push(...page.scans.map((s) => s.scanId).filter((id) => id.startsWith(prefix)));
      if (offset + page.scans.length >= page.total || page.scans.length === 0) break;
    }
    if (found.length === 1) return found[0] as string;
    if (found.length > 1) {
      fail('cli.show-ambiguous', cliMessage('failure.scanIdAmbiguous', { id: given }), {
        id: given,
      });
    }
  }
  fail('scan.not-found', cliMessage('failure.scanNotFound', { id: given }), {
    id: given.slice(0, 60),
  });
}
