import type { ExportProgress, Language } from '../../app/contract/index.js';
import { textFor } from '../../app/text/catalogue.js';

/** One `report.exportProgress` event, without its export's id. */
export type ExportStepProgress = Pick<ExportProgress, 'step' | 'done' | 'total'>;

/** Pages laid out between two plain lines while the page count is still unknown. */
const LAYOUT_PAGES_PER_LINE = 100;

/**
 * How far an export's step has got, for the plain lines: its quarter (0–4) when it has a total,
 * else a hundred pages laid out. Rule: `floor(done × 4 / total)`; a total of 0 is the whole.
 */
function milestone(event: ExportStepProgress): number {
  if (event.total === null) return Math.floor(event.done / LAYOUT_PAGES_PER_LINE);
  if (event.total === 0) return 4;
  return Math.floor((event.done * 4) / event.total);
}

/**
 * Whether `event` earns a plain progress line when stderr is not a terminal (a log, a pipe):
 * the first event of each step, then each quarter of a step with a total (25, 50, 75, 100 %)
 * and each hundred pages of the layout, whose page count is unknown. `previous` is the last
 * event that got a line (null: none yet). So a 5,000-device PDF writes about a dozen lines,
 * never one per device or page.
 */
export function isProgressMilestone(
  previous: ExportStepProgress | null,
  event: ExportStepProgress,
): boolean {
  if (!previous || previous.step !== event.step) return true;
  return milestone(event) > milestone(previous);
}

/**
 * An export's progress in words, in `language` (the `cli` catalogue's progress.export…): the
 * share of devices put in the report or of pages written, with the counts, or the pages laid out
 * so far (pdfmake knows their count only at the end).
 */
export function formatExportProgress(event: ExportStepProgress, language: Language): string {
  const cli = textFor(language, 'cli');
  const t = (key: string, params: Record<string, unknown>) => String(cli(key, params));
  if (event.total === null) return t('progress.exportLayout', { count: event.done });
  const share = event.total > 0 ? Math.floor((event.done / event.total) * 100) / 100 : 1;
  const params = {
    percent: new Intl.NumberFormat(language, { style: 'percent' }).format(share),
    done: event.done,
    total: event.total,
  };
  return t(event.step === 'pages' ? 'progress.exportPages' : 'progress.exportDevices', params);
}
