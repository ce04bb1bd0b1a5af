import { randomUUID } from 'node:crypto';
import { constants, rmSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { Code, Language, ReportFormat, type ExportProgress } from '../../../app/contract/index.js';
import { AppFailure, fail } from '../../../app/errors.js';
import { EXIT, type CliCommand, type CliContext } from '../context.js';
import { formatExportProgress, isProgressMilestone } from '../export-progress.js';
import { writeWholeFile } from '../whole-file.js';
import { readFirewallRules } from '../firewall-read.js';
import { importNmapFile } from '../import-file.js';
import { MAX_NMAP_XML_BYTES } from '../../../app/report/nmap-xml-import.js';
import { warnNotKept } from '../kept-scan.js';
import { isScanIdPrefix, resolveScanId } from '../scan-id.js';
import { cliMessage, errorLine, fileProblem } from '../text.js';
import { openRegularFile } from '../regular-file.js';
import { fileHead, looksLikeJson } from '../../../app/api/import-json-rows.js';

const EXTENSION_FORMAT: Record<string, ReportFormat> = {
  '.pdf': 'pdf',
  '.json': 'json',
  '.csv': 'csv',
  '.xml': 'nmap-xml',
};

/**
 * What `report` was given: a file when one exists by that name, else a kept scan's id or the start
 * of one (as `show` takes it), else the file (whose read then says it is missing).
 */
export async function resolveReportArgument(
  given: string,
  ctx: CliContext,
): Promise<{ scanId: string }> {
  const exists = await stat(given).then(
    () => true,
    () => false,
  );
  if (!exists && (isScanIdPrefix(given) || /^[0-9a-f]{1,3}$/i.test(given))) {
    return { scanId: await resolveScanId(given, ctx) };
  }
  return readReportSource(given, ctx);
}

/**
 * What a report can be made from: an nmap XML file or a JSON report (a report, a scan saved by
 * `scan --json`, `show ID --json`), each imported by the app into its store (its hosts checked
 * and assessed again by this PC there) and reported by the kept scan's id.
 */
export async function readReportSource(file: string, ctx: CliContext): Promise<{ scanId: string }> {
  if (file.toLowerCase().endsWith('.xml')) {
    // Kept like any import (it joins the history), then reported by id; streamed to the app in
    // pieces, so a 60 MB file is never held whole.
    const imported = await importNmapFile(ctx, file, 'cli.report-read');
    warnNotKept(ctx, imported.notice);
    return { scanId: imported.scanId };
  }
  const readFailed = (error: unknown): never => {
    const detail = (error as NodeJS.ErrnoException).code ?? String(error);
    fail('cli.report-read', cliMessage('failure.reportRead', { file, why: fileProblem(error) }), {
      file,
      detail,
    });
  };
  // A regular file only (a device or FIFO has no end), its size first, from fstat: a file over
  // the import limit is refused before a byte is read, in the words of a report file.
  const { handle, size } = await openRegularFile(file).catch(readFailed);
  let head: Uint8Array;
  try {
    head = size > MAX_NMAP_XML_BYTES ? new Uint8Array() : await fileHead(handle).catch(readFailed);
  } finally {
    await handle.close();
  }
  if (size > MAX_NMAP_XML_BYTES) {
    // MiB rounded up to a tenth, so a file just over the limit never reads as the limit itself;
    // the language formats the number ("64,1 Mo" / "64.1 MB", review 15 N5).
    const shown = Math.ceil((size / 1048576) * 10) / 10;
    fail(
      'cli.report-too-large',
      cliMessage('failure.reportTooLarge', {
        file,
        size: shown,
        limit: MAX_NMAP_XML_BYTES / 1048576,
      }),
      { file, bytes: size, limit: MAX_NMAP_XML_BYTES },
    );
  }
  const text = Buffer.from(head)
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  if (!looksLikeJson(head) && !text.trimStart().startsWith('<')) {
    fail('cli.report-not-json', cliMessage('failure.notJsonNorXml', { file }), { file });
  }
  // nmap XML under another name, or a JSON report (a report, `scan --json`, `show ID --json`):
  // imported by the app as an nmap file is (issue 13, A15), kept, then reported by id. Its hosts
  // are read one at a time and worked out again there, never the file's verdicts or claims.
  try {
    const imported = await importNmapFile(ctx, file, 'cli.report-read');
    warnNotKept(ctx, imported.notice);
    return { scanId: imported.scanId };
  } catch (error) {
    const params = error instanceof AppFailure ? error.params : undefined;
    if (!(error instanceof AppFailure) || error.code !== 'report.json-invalid') throw error;
    // The CLI names the file by the path it was given, as it always did.
    if (params?.problem === 'syntax') {
      fail('cli.report-not-json', cliMessage('failure.notJsonNorXml', { file }), { file });
    }
    const field = typeof params?.field === 'string' ? params.field : '';
    return invalidScan(file, field, params?.problem === 'fieldMissing');
  }
}

/** Refuses a scan file whose field `where` (dotted, empty: the whole) the contract refuses. */
function invalidScan(file: string, where: string, missing: boolean): never {
  const key = !where
    ? 'failure.invalidScanFile'
    : missing
      ? 'failure.invalidScanFieldMissing'
      : 'failure.invalidScanFieldValue';
  fail('cli.report-invalid-scan', cliMessage(key, { file, field: where }), { file, path: where });
}

/**
 * The report format: `--format` when given, else from the output file's extension (.pdf, .json,
 * .csv, .xml; none means PDF). An unknown extension is refused with the accepted ones named.
 */
export function formatFor(output: string, explicit: string | undefined): ReportFormat {
  if (explicit !== undefined) {
    const parsed = ReportFormat.safeParse(explicit);
    if (!parsed.success) {
      fail('cli.report-format', cliMessage('failure.reportFormat', { format: explicit }), {
        format: explicit,
      });
    }
    return parsed.data;
  }
  const extension = path.extname(output).toLowerCase();
  // No extension: a PDF, as the help says. An extension no format has (.docx, .txt…) is refused
  // rather than given a file whose content is not what its name says.
  if (extension === '') return 'pdf';
  const format = EXTENSION_FORMAT[extension];
  if (format === undefined) {
    const extensions = Object.keys(EXTENSION_FORMAT);
    fail(
      'cli.report-extension',
      cliMessage('failure.reportExtension', {
        file: output,
        extension,
        accepted: {
          fr: new Intl.ListFormat('fr', { type: 'disjunction' }).format(extensions),
          en: new Intl.ListFormat('en', { type: 'disjunction' }).format(extensions),
        },
      }),
      { file: output, extension, accepted: extensions.join(' ') },
    );
  }
  return format;
}

export function languageFor(explicit: string | undefined, ctx: CliContext): Language {
  if (explicit === undefined) return ctx.language;
  const parsed = Language.safeParse(explicit.toLowerCase());
  if (!parsed.success) {
    fail('cli.report-lang', cliMessage('failure.reportLanguage', { lang: explicit }), {
      lang: explicit,
    });
  }
  return parsed.data;
}

/** Refuses an unwritable report path before a scan runs rather than failing after it. */
export async function checkReportPath(file: string): Promise<string> {
  const target = path.resolve(file);
  try {
    await access(path.dirname(target), constants.W_OK);
  } catch {
    fail('cli.report-path', cliMessage('failure.reportFolder', { file }), { file });
  }
  return target;
}

/**
 * Builds the report of kept scan `source.scanId` and writes it; used by `report` (a file given is
 * imported first, see readReportSource) and by `scan --report`. Its verdicts are worked out again
 * with its rules as last read. The export shows its progress on stderr (exportProgressView);
 * Ctrl+C cancels it in the app (`report.exportCancel`: its thread stopped); the file is written
 * whole or not at all (writeWholeFile), so a Ctrl+C at any point leaves no partial file. A
 * cancelled export says so (fr/en) and sets the exit code 130.
 */
export async function writeReport(
  source: { scanId: string },
  output: string,
  format: ReportFormat,
  lang: Language,
  ctx: CliContext,
): Promise<void> {
  const interrupt = new ReportInterrupt(ctx);
  try {
    if (format !== 'nmap-xml') await readFirewallRules(ctx);
    const exportId = randomUUID();
    const view = exportProgressView(ctx);
    interrupt.listen(() => {
      view.clear();
      void ctx.app.call('report.exportCancel', { exportId }).catch((): undefined => undefined);
    });
    let file;
    try {
      file = await ctx.app.call(
        'report.export',
        { scanId: source.scanId, format, lang, exportId },
        (event, payload) => {
          if (event === 'report.exportProgress') view.show(payload as ExportProgress);
        },
      );
    } finally {
      view.clear();
    }
    if (interrupt.heard) throw new AppFailure(Code['report.export-cancelled']);
    const written = await writeWholeFile(
      output,
      Buffer.from(file.dataBase64, 'base64'),
      () => interrupt.heard,
      (partial) => interrupt.removeOnQuit(partial),
    ).catch((error: unknown) => {
      const detail = (error as NodeJS.ErrnoException).code ?? String(error);
      fail(
        'cli.report-write',
        cliMessage('failure.reportWrite', { file: output, why: fileProblem(error) }),
        { file: output, detail },
      );
    });
    if (!written) throw new AppFailure(Code['report.export-cancelled']);
  } catch (error) {
    if (!(error instanceof AppFailure) || error.code !== Code['report.export-cancelled']) {
      throw error;
    }
    ctx.stderr.write(`${errorLine(error.appError.message[ctx.language])}\n`);
    ctx.setExitCode(EXIT.interrupted);
    return;
  } finally {
    interrupt.dispose();
  }
  ctx.stderr.write(`${ctx.text('commands.report.written', { file: output })}\n`);
}

/**
 * Ctrl+C (SIGINT) while a report is made or written: the first one says the export is being
 * cancelled and runs the given cancel; the second quits at once (exit code 130), removing the
 * partial file being written, if any. Listens from `listen` until `dispose`.
 */
class ReportInterrupt {
  heard = false;
  private partial: string | undefined;
  private cancel: () => void = () => undefined;
  private readonly onSigint = () => {
    if (this.heard) {
      if (this.partial) rmSync(this.partial, { force: true });
      process.exit(EXIT.interrupted);
    }
    this.heard = true;
    this.cancel();
    this.ctx.stderr.write(`${this.ctx.text('commands.report.cancelling')}\n`);
  };
  private listening = false;

  constructor(private readonly ctx: CliContext) {}

  listen(cancel: () => void): void {
    this.cancel = cancel;
    if (!this.listening) process.on('SIGINT', this.onSigint);
    this.listening = true;
  }

  /** The partial file a quit must remove (undefined: none any more). */
  removeOnQuit(partial: string | undefined): void {
    this.partial = partial;
  }

  dispose(): void {
    if (this.listening) process.off('SIGINT', this.onSigint);
    this.listening = false;
  }
}

/**
 * Shows an export's progress on stderr: one line redrawn in place on a terminal (at most ten
 * times a second, the last of each step always), else a plain line at each milestone
 * (isProgressMilestone), as a log or a pipe keeps them. `clear` removes the terminal's line.
 */
function exportProgressView(ctx: CliContext): {
  show(event: ExportProgress): void;
  clear(): void;
} {
  const terminal = ctx.stderr.isTTY === true;
  let lastDraw = 0;
  let drawn = false;
  let lastLine: ExportProgress | null = null;
  return {
    show(event) {
      if (!terminal) {
        if (!isProgressMilestone(lastLine, event)) return;
        lastLine = event;
        ctx.stderr.write(`${formatExportProgress(event, ctx.language)}\n`);
        return;
      }
      const now = Date.now();
      if (now - lastDraw < 100 && event.done !== event.total) return;
      lastDraw = now;
      ctx.drawProgress(formatExportProgress(event, ctx.language));
      drawn = true;
    },
    clear() {
      if (drawn) ctx.drawProgress('');
      drawn = false;
    },
  };
}

interface ReportOptions {
  format?: string;
  lang?: string;
  output: string;
}

const report: CliCommand = (program: Command, ctx: CliContext) => {
  program
    .command('report')
    .description(ctx.text('commands.report.description'))
    .argument(`<${ctx.text('placeholder.scan')}>`, ctx.text('commands.report.argument'))
    .requiredOption(
      `-o, --output <${ctx.text('placeholder.file')}>`,
      ctx.text('commands.report.option.output'),
    )
    .option(
      `-f, --format <${ctx.text('placeholder.format')}>`,
      ctx.text('commands.report.option.format'),
    )
    .option(`--lang <${ctx.text('placeholder.lang')}>`, ctx.text('commands.report.option.lang'))
    .action(async (scanFile: string, options: ReportOptions) => {
      const format = formatFor(options.output, options.format);
      const lang = languageFor(options.lang, ctx);
      const source = await resolveReportArgument(scanFile, ctx);
      await writeReport(source, options.output, format, lang, ctx);
    });
};

export default report;
