import { ScanId } from '../../app/contract/index.js';
import { fail } from '../../app/errors.js';
import { oneLine } from '../../app/text/control-characters.js';
import type { CliContext } from './context.js';

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
    fail(
      'cli.scan-id-short',
      {
        fr: `« ${given} » est trop court pour désigner une analyse : donnez au moins ${MIN_PREFIX} caractères de son identifiant (port-auditor history les liste).`,
        en: `“${given}” is too short to name a scan: give at least ${MIN_PREFIX} characters of its id (port-auditor history lists them).`,
      },
      { id: given, min: MIN_PREFIX },
    );
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
      fail(
        'cli.show-ambiguous',
        {
          fr: `Plusieurs analyses ont un identifiant qui commence par « ${given} » : donnez-en plus (port-auditor history les liste).`,
          en: `Several scans have an id starting with “${given}”: give more of it (port-auditor history lists them).`,
        },
        { id: given },
      );
    }
  }
  fail(
    'scan.not-found',
    {
      fr: `Aucune analyse conservée n’a l’identifiant « ${oneLine(given).slice(0, 60)} » : port-auditor history liste celles qui le sont.`,
      en: `No kept scan has the id “${oneLine(given).slice(0, 60)}”: port-auditor history lists those kept.`,
    },
    { id: given.slice(0, 60) },
  );
}
