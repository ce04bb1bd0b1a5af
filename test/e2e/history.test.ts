import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { formatDateTime } from '../../app/contract/datetime.js';
import { generateNmapXml } from '../lab/nmap-xml.js';
import { AppShell } from './pages/app-shell.js';
import { HistoryPage } from './pages/history.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { ReportPage } from './pages/report.js';
import { SettingsPage } from './pages/settings.js';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshotOnFailure, type LaunchedBrowser } from './support/browser.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { listenOnLoopback, type Listener } from './support/tcp-listener.js';
import { typeset } from '../unit/support/typography.js';
import { ARTIFACTS, useAppInBrowser } from './support/app-in-browser.js';
import { ROOT, startBuiltWebHost, type RunningHost } from './support/web-host.js';

/** French digit grouping (a narrow no-break space), as Intl writes it. */
const fr = (n: number) => new Intl.NumberFormat('fr').format(n);

/**
 * A large network kept by the app, through the real browser-mode host in Chromium: a 5,000-host
 * nmap file imported from the page (in pieces, past the transport's cap), paged rather than drawn
 * whole, exported, still there after a reload, and reopened from the History page.
 */
describe('History and large imports in Chromium (browser mode)', () => {
  const app = useAppInBrowser('history', 'fr');

  test('a 5,000-host nmap file opened in the page is shown a page of devices at a time', async () => {
    const shell = new AppShell(app.browser.page, 'fr');
    const report = new ReportPage(shell);
    const scanner = new OpenPortsPage(shell);
    const xml = generateNmapXml(5000);
    expect(xml.length).toBeGreaterThan(3_000_000);

    await report.openNmapTool();
    await report.importFile('reseau-5000.xml', xml);
    await scanner.summary.waitFor({ timeout: 90_000 });
    expect(await scanner.summary.getByTestId('summary-hosts-up').innerText()).toBe(fr(5000));
    // One page of devices, never 5,000 cards at once; the others a page away.
    await scanner.resultPages.waitFor();
    expect(await scanner.hostCards.count()).toBe(50);
    const firstPage = await scanner.hostCards.first().getAttribute('data-testid');
    await scanner.goToPage(100);
    // The first page's cards stay until the 100th page arrives: wait for another first card.
    await app.browser.page.waitForFunction(
      (first) =>
        document.querySelector('[data-testid^="host-card-"]')?.getAttribute('data-testid') !==
        first,
      firstPage,
    );
    await scanner.hostCards.nth(49).waitFor();
    expect(await scanner.hostCards.count()).toBe(50);
    expect(await scanner.hostCards.first().getAttribute('data-testid')).not.toBe(firstPage);
    // Verdicts came with the page: telnet (23) is critical wherever it is open.
    expect(await app.browser.page.getByTestId('risk-count-critical').innerText()).toMatch(/[1-9]/);
    expect(await axeViolations(app.browser.page, '[data-testid="hosts-pages"]')).toEqual([]);
    expect(app.browser.errors).toEqual([]);
  });

  test('its PDF and CSV reports both arrive, made by the app from the kept scan', async () => {
    const report = new ReportPage(new AppShell(app.browser.page, 'fr'));
    const pdf = await report.export('pdf', 200_000);
    const pdfBytes = await readFile((await pdf.path())!);
    expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const csv = await report.export('csv');
    const csvText = await readFile((await csv.path())!, 'utf8');
    expect(csv.suggestedFilename()).toMatch(/^port-auditor-rapport-.*\.csv$/);
    expect(csvText).toContain('10.200.0.1');
    expect(csvText).toContain('10.200.19.250');
    expect(app.browser.errors).toEqual([]);
  }, 300_000);

  test('a refused scan leaves it on show, and so does a reload', async () => {
    const shell = new AppShell(app.browser.page, 'fr');
    const scanner = new OpenPortsPage(shell);
    // A refused request leaves the results on show.
    await scanner.tab.click();
    await scanner.chooseTargets({ custom: '127.0.0.1' });
    await scanner.choosePorts({ custom: '22,70000' });
    await scanner.scanNow();
    await scanner.error.waitFor();
    expect(await scanner.hostCards.count()).toBe(50);
    expect(await scanner.summary.getByTestId('summary-hosts-up').innerText()).toBe(fr(5000));

    // A reload (same session): the app shows the scan it kept last.
    await app.browser.page.reload();
    await shell.navigation.waitFor();
    await scanner.summary.waitFor({ timeout: 60_000 });
    expect(await scanner.summary.getByTestId('summary-imported-file').innerText()).toContain(
      typeset('« reseau-5000.xml »'),
    );
    expect(await scanner.hostCards.count()).toBe(50);
    expect(app.browser.errors).toEqual([]);
  });

  test('History lists the scans kept and reopens an older one with its verdicts', async () => {
    const shell = new AppShell(app.browser.page, 'fr');
    const report = new ReportPage(shell);
    const scanner = new OpenPortsPage(shell);
    const small = await readFile(path.join(ROOT, 'test/fixtures/nmap/loopback-sT.xml'), 'utf8');
    await report.openNmapTool();
    await report.importFile('loopback-sT.xml', small);
    await scanner.hostCard('127.77.141.97').waitFor({ timeout: 30_000 });

    const history = await HistoryPage.open(shell);
    await history.table.waitFor();
    expect(await history.rows.count()).toBe(2);
    const started = new Date(1795464333 * 1000).toISOString();
    // When the app kept it leads (the rows' order), then when nmap ran, named so.
    const nmapRan = `analyse nmap du ${formatDateTime(started, 'fr')}`;
    const [keptFirst, ...first] = await history.rowTexts(0);
    expect(keptFirst).toMatch(
      new RegExp(`^\\d{1,2}(?:er)? \\S+ \\d{4}, \\d\\d:\\d\\d\\n+${nmapRan}$`),
    );
    // An import's targets are the file's words, quoted and labelled as the file's (issue 15, F2).
    expect(first).toEqual([
      typeset('Fichier nmap « loopback-sT.xml »'),
      typeset('« 127.77.141.97 » (d’après le fichier nmap)'),
      '1',
      '3',
    ]);
    const [keptSecond, ...second] = await history.rowTexts(1);
    expect(keptSecond).toMatch(new RegExp(`\\n+${nmapRan}$`));
    expect(second).toEqual([
      typeset('Fichier nmap « reseau-5000.xml »'),
      typeset('« 10.200.0.0/16 » (d’après le fichier nmap)'),
      fr(5000),
      fr(11_666),
    ]);
    expect(await axeViolations(app.browser.page)).toEqual([]);

    await history.reopen(1);
    await scanner.summary.waitFor();
    expect(await scanner.summary.getByTestId('summary-hosts-up').innerText()).toBe(fr(5000));
    expect(await scanner.hostCards.count()).toBe(50);
    await app.browser.page.getByTestId('risk-count-critical').waitFor();
    await report.exportButton.waitFor();
    const reopened = await shell.scanInAddress();
    expect(reopened).toMatch(/^[0-9a-f-]{36}$/);

    // A reload shows the scan reopened from the history, not the one the app kept last.
    await shell.reload();
    await scanner.summary.waitFor({ timeout: 60_000 });
    expect(await scanner.summary.getByTestId('summary-imported-file').innerText()).toContain(
      typeset('« reseau-5000.xml »'),
    );
    expect(await scanner.summary.getByTestId('summary-hosts-up').innerText()).toBe(fr(5000));
    expect(await shell.scanInAddress()).toBe(reopened);
    expect(await scanner.error.count()).toBe(0);

    // The retention is a setting of the app: a smaller one applies at once, the newest stays.
    const settings = await SettingsPage.open(shell);
    await settings.chooseKeptScans(20);
    await app.browser.page.getByRole('status').filter({ hasText: 'Choix enregistré' }).waitFor();
    expect(await axeViolations(app.browser.page)).toEqual([]);
    const again = await HistoryPage.open(shell);
    await app.browser.page.getByText('Port Auditor garde les 20 derniers').waitFor();
    expect(await again.rows.count()).toBe(2);
    expect(app.browser.errors).toEqual([]);
  });

  test('an address naming a scan no longer kept says so and shows the last one', async () => {
    const shell = new AppShell(app.browser.page, 'fr');
    const scanner = await OpenPortsPage.open(shell);
    const gone = typeset(
      'L’analyse que cette page affichait n’est plus conservée (retirée de l’historique par la durée de conservation, ou adresse de la page modifiée) : la dernière analyse conservée est affichée à sa place.',
    );
    // A well-formed id the app never kept (removed by retention), then one that is no id at all.
    for (const named of ['0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b', '<script>']) {
      await shell.reloadNamingScan(named);
      await scanner.error.waitFor({ timeout: 60_000 });
      expect(await scanner.error.innerText()).toBe(gone);
      await scanner.hostCard('127.77.141.97').waitFor({ timeout: 60_000 });
      expect(await scanner.summary.getByTestId('summary-imported-file').innerText()).toContain(
        typeset('« loopback-sT.xml »'),
      );
      // The address now names the scan on show.
      expect(await shell.scanInAddress()).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(app.browser.errors).toEqual([]);
  });

  test('Back to a screen left before another scan came on show names the one on show', async () => {
    const shell = new AppShell(app.browser.page, 'fr');
    const report = new ReportPage(shell);
    const scanner = new OpenPortsPage(shell);
    const before = await shell.scanInAddress();
    await report.openNmapTool();
    const small = await readFile(path.join(ROOT, 'test/fixtures/nmap/loopback-sT.xml'), 'utf8');
    await report.importFile('loopback-again.xml', small);
    await app.browser.page
      .getByTestId('summary-imported-file')
      .filter({ hasText: 'loopback-again.xml' })
      .waitFor({ timeout: 30_000 });
    const now = await shell.scanInAddress();
    expect(now).not.toBe(before);

    // Back from the results the import opened on: the nmap tool's entry, written while the older
    // scan was on show.
    await app.browser.page.goBack();
    await report.chooseFileButton.waitFor();
    await expect.poll(() => shell.scanInAddress()).toBe(now);
    await shell.reload();
    await OpenPortsPage.open(shell);
    await scanner.summary.waitFor({ timeout: 60_000 });
    expect(await scanner.summary.getByTestId('summary-imported-file').innerText()).toContain(
      typeset('« loopback-again.xml »'),
    );
    expect(app.browser.errors).toEqual([]);
  });
});

describe('A damaged store in Chromium (browser mode)', () => {
  let host: RunningHost;
  let browser: LaunchedBrowser;
  let listener: Listener;
  let dataDir: string;

  beforeAll(async () => {
    assertInsideLabNamespace();
    dataDir = mkdtempSync(path.join(os.tmpdir(), `pa-e2e-damaged-${process.pid}-`));
    writeFileSync(path.join(dataDir, 'port-auditor.sqlite'), 'not a database\n'.repeat(100));
    listener = await listenOnLoopback();
    host = await startBuiltWebHost({
      LANG: 'fr_FR.UTF-8',
      LC_ALL: '',
      LC_MESSAGES: '',
      PORT_AUDITOR_DATA_DIR: dataDir,
    });
    browser = await launchBrowser({ locale: 'fr-FR' });
    await new AppShell(browser.page, 'fr').open(host.url);
  });

  afterEach(async (context) => {
    await screenshotOnFailure(browser.page, context.task, ARTIFACTS);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await listener?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('a scan still runs and shows, with a notice that it was not kept, naming the file', async () => {
    const shell = new AppShell(browser.page, 'fr');
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets({ custom: '127.0.0.1' });
    await scanner.choosePorts({ custom: String(listener.port) });
    await scanner.scanNow();
    await scanner.waitForSummary();
    await scanner.hostCard('127.0.0.1').waitFor();
    const notice = browser.page.getByTestId('scan-not-kept');
    expect(await notice.innerText()).toContain(
      typeset(
        `Cette analyse n’a pas été conservée dans l’historique. Ce fichier n’est pas une base de données de Port Auditor (il a été remplacé ou tronqué) : ${path.join(dataDir, 'port-auditor.sqlite')}.`,
      ),
    );
    // Its report is made all the same, from the scan the app holds in memory.
    const csv = await new ReportPage(shell).export('csv');
    expect(await readFile((await csv.path())!, 'utf8')).toContain(String(listener.port));
  });
});
