import type { Download, Locator } from 'playwright-core';
import type { AppShell } from './app-shell.js';
import { exact } from '../support/strings.js';

/**
 * The "Exporter le rapport" button of the results, and Toolbox → "Ouvrir un fichier (XML nmap ou
 * rapport JSON)…".
 */
export class ReportPage {
  constructor(readonly shell: AppShell) {}

  private get page() {
    return this.shell.page;
  }
  private t(key: string) {
    return this.shell.t(`report:${key}`);
  }

  get exportButton(): Locator {
    return this.page.getByRole('button', { name: exact(this.t('export.button')) });
  }

  formatItem(format: 'pdf' | 'json' | 'csv' | 'nmap-xml'): Locator {
    return this.page.getByRole('menuitem', {
      name: new RegExp(`^${this.t(`formats.${format}.label`)}`),
    });
  }

  /** The export's progress bar, named "Avancement du rapport" / "Report progress". */
  get exportProgress(): Locator {
    return this.page.getByRole('progressbar', { name: exact(this.t('export.progressLabel')) });
  }

  /** "Annuler l’export": stops the report being made. */
  get cancelExportButton(): Locator {
    return this.page.getByRole('button', { name: exact(this.t('export.cancel')) });
  }

  /** The note that the export was cancelled and no file saved. */
  get exportCancelled(): Locator {
    return this.page.getByRole('status').filter({ hasText: this.t('export.cancelled') });
  }

  get exportDone(): Locator {
    return this.page.getByTestId('export-done');
  }

  /**
   * Chooses a format and returns the file the browser received. `timeoutMs`: how long the export
   * may take (a 5,000-host PDF takes tens of seconds on a busy 2-core machine).
   */
  async export(format: 'pdf' | 'json' | 'csv' | 'nmap-xml', timeoutMs = 60_000): Promise<Download> {
    await this.exportButton.click();
    const [download] = await Promise.all([
      this.page.waitForEvent('download', { timeout: timeoutMs }),
      this.formatItem(format).click(),
    ]);
    return download;
  }

  /** The file types the page's file chooser offers (its input's `accept`). */
  async acceptedTypes(): Promise<string> {
    return (await this.page.getByTestId('nmap-file-input').getAttribute('accept')) ?? '';
  }

  async openNmapTool(): Promise<void> {
    await this.shell.openTool('report:tool.label');
  }

  get chooseFileButton(): Locator {
    return this.page.getByRole('button', { name: exact(this.t('import.button')) });
  }

  async importFile(name: string, content: string): Promise<void> {
    await this.page.getByTestId('nmap-file-input').setInputFiles({
      name,
      mimeType: 'application/xml',
      buffer: Buffer.from(content, 'utf8'),
    });
  }

  /**
   * Clicks "Choisir un fichier XML…" as a user does and picks the file in the browser's own file
   * chooser: in browser mode the host has no open dialog of its own (AppInfo.filePicker false), so
   * the page's chooser opens and the page sends the file in pieces.
   */
  async chooseFile(name: string, content: string, mimeType = 'application/xml'): Promise<void> {
    const [chooser] = await Promise.all([
      this.page.waitForEvent('filechooser'),
      this.chooseFileButton.click(),
    ]);
    await chooser.setFiles({
      name,
      mimeType,
      buffer: Buffer.from(content, 'utf8'),
    });
  }

  get importError(): Locator {
    return this.page.getByTestId('import-error');
  }

  /** The page's level-1 headings: one, the tool's name. */
  get pageHeadings(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  /** The text `locator`'s aria-describedby points at ('' when it names nothing). */
  async description(locator: Locator): Promise<string> {
    return locator.evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
        .join(' ')
        .trim(),
    );
  }
}
