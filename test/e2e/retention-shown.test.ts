import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import Database from 'better-sqlite3';
import { localClient, type LocalClient } from '../../app/api/local-client.js';
import { databasePath } from '../../app/store/database.js';
import { generateNmapXml } from '../lab/nmap-xml.js';
import { AppShell } from './pages/app-shell.js';
import { HistoryPage } from './pages/history.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { ReportPage } from './pages/report.js';
import { useAppInBrowser } from './support/app-in-browser.js';

const GONE =
  'Cette analyse n’est plus conservée (limite de l’historique) : relancez-la ou rouvrez-en une autre depuis l’historique.';
/** A text with its no-break spaces (French typography) read as spaces. */
const spaced = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

/**
 * A scan the page shows is kept past the history limit another client (the CLI) applies; deleted
 * anyway (by another program), its export and its other pages are refused with the reason, never
 * an empty "clean" report.
 */
describe('A shown scan that leaves the history (browser mode)', () => {
  const app = useAppInBrowser('retention', 'fr');
  /** A second program of the app on the same data folder, as the CLI would be. */
  let cli: LocalClient;

  // After the app's own: its data folder exists. Its after-all runs before the app's (hooks
  // unwind), so the client is gone before the folder is removed.
  beforeAll(() => {
    cli = localClient({ host: 'cli', dataDir: app.dataDir });
  });

  afterAll(async () => {
    await cli?.dispose();
  });

  test('it survives the history limit while shown; gone anyway, its export and pages are refused with the reason', async () => {
    const shell = new AppShell(app.browser.page, 'fr');
    const report = new ReportPage(shell);
    const scanner = new OpenPortsPage(shell);
    await report.openNmapTool();
    await report.importFile('reseau-120.xml', generateNmapXml(120));
    await scanner.resultPages.waitFor({ timeout: 60_000 });
    // About 1,020 closed ports per host, grouped as Intl does; no "filtrés 0" (nit 5).
    const notShown = scanner.hostCards.first().getByText(/^Ports non affichés/);
    expect(spaced(await notShown.innerText())).toMatch(
      /^Ports non affichés ?: 1 0\d\d ports fermés$/,
    );
    await report.openNmapTool();
    await report.importFile('reseau-3.xml', generateNmapXml(3));
    await scanner.summary
      .getByTestId('summary-imported-file')
      .filter({ hasText: 'reseau-3.xml' })
      .waitFor({ timeout: 30_000 });
    await report.export('csv');
    await report.exportDone.waitFor();

    // The 120-host scan reopened from the History: the notice of the file made of the other one
    // goes (nit 3). Then the CLI's history limit removes it while it is on show.
    const history = await HistoryPage.open(shell);
    await history.table.waitFor();
    // Each row's button named by its file, not only by a date two rows may share (nit 4).
    for (const file of ['reseau-3.xml', 'reseau-120.xml']) {
      const text = `Ouvrir le fichier nmap « ${file} » conservé le `;
      // Any space of French typography (no-break, narrow) where the pattern has one.
      const name = new RegExp(
        `^${text.replace(/\./g, '\\.').replace(/ /g, '[\\s\\u00a0\\u202f]')}`,
      );
      expect(await app.browser.page.getByRole('button', { name }).count()).toBe(1);
    }
    await history.reopen(1);
    await scanner.resultPages.waitFor();
    expect(await report.exportDone.count()).toBe(0);
    await cli.call('settings.set', { history: { keepScans: 1, keepDays: 90 } });
    // The sweep keeps the newest and the one the page shows (its lease), whoever runs it.
    const listed = (await cli.call('scan.list', {})).scans;
    expect(listed.map((r) => r.fileName)).toEqual(['reseau-3.xml', 'reseau-120.xml']);
    await report.export('csv');
    await report.exportDone.waitFor();

    // Gone anyway (another program deleted it from the store): refused with the reason.
    const shownId = listed[1]?.scanId as string;
    const db = new Database(databasePath(app.dataDir));
    db.prepare('DELETE FROM scans WHERE id = ?').run(shownId);
    db.close();
    await report.exportButton.click();
    await report.formatItem('pdf').click();
    const refused = app.browser.page.getByTestId('report-error');
    await refused.waitFor();
    expect(spaced(await refused.innerText())).toContain(GONE);
    expect(await report.exportDone.count()).toBe(0);

    await scanner.goToPage(2);
    await scanner.error.waitFor();
    expect(spaced(await scanner.error.innerText())).toContain(GONE);
    expect(app.browser.errors).toEqual([]);
  }, 180_000);
});
