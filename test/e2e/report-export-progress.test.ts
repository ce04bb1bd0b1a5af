import { describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { ReportPage } from './pages/report.js';
import { useAppInBrowser } from './support/app-in-browser.js';
import { generateNmapXml } from '../lab/nmap-xml.js';

/** Enough devices for a PDF of hundreds of pages: seconds of work to watch and to cancel. */
const HOSTS = 2000;

/**
 * The PDF of a big import shows its progress and can be cancelled (review 13 N5: 166 s with a
 * bare "Préparation du rapport…" and no way out).
 */
describe('Export progress and Cancel of a big nmap import in Chromium (browser mode)', () => {
  const app = useAppInBrowser('export-progress');

  test('the PDF shows a progress bar in words, and Cancel stops it with no file', async () => {
    const shell = new AppShell(app.browser.page, 'fr');
    const report = new ReportPage(shell);
    await report.openNmapTool();
    await report.chooseFile('big.xml', generateNmapXml(HOSTS));
    const scanner = new OpenPortsPage(shell);
    await scanner.resultPages.waitFor({ timeout: 240_000 });

    let downloads = 0;
    app.browser.page.on('download', () => (downloads += 1));
    await report.exportButton.click();
    await report.formatItem('pdf').click();
    // The bar, named, with its progress in French words and numbers, then the Cancel button.
    await expect
      .poll(() => report.exportProgress.getAttribute('aria-valuetext'), { timeout: 240_000 })
      .toMatch(/^(Appareils mis dans le rapport|Mise en page|Pages écrites)\u00a0: [\d\u202f]+/);
    const said = (await report.exportProgress.getAttribute('aria-valuetext'))!;
    if (said.startsWith('Appareils')) expect(said).toMatch(/ sur 2\u202f000$/);
    await report.cancelExportButton.click();
    await report.exportCancelled.waitFor({ timeout: 60_000 });
    expect(await report.exportCancelled.textContent()).toBe(
      'Export annulé\u00a0: aucun fichier n’a été enregistré.',
    );
    // Gone with the export: the bar and its Cancel; no file came, and the button is free again.
    await expect(report.exportProgress.count()).resolves.toBe(0);
    await expect(report.cancelExportButton.count()).resolves.toBe(0);
    expect(downloads).toBe(0);
    expect(await report.exportButton.getAttribute('aria-disabled')).toBe('false');

    // A CSV of the same scan then arrives.
    const csv = await report.export('csv', 240_000);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    expect(downloads).toBe(1);
    expect(app.browser.errors).toEqual([]);
  }, 600_000);
});
