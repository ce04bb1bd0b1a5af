import { existsSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { generateNmapXml } from '../lab/nmap-xml.js';
import { afterMountSetup, readOnlyBind } from '../lab/private-mounts.js';
import { AppShell } from './pages/app-shell.js';
import { HistoryPage } from './pages/history.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { ReportPage } from './pages/report.js';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshotOnFailure, type LaunchedBrowser } from './support/browser.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { ROOT, startBuiltWebHost, type RunningHost } from './support/web-host.js';

const ARTIFACTS = path.join(ROOT, 'test/artifacts');

/** A French user's system locale, the data in `dataDir`. */
const frenchWith = (dataDir: string) => ({
  LANG: 'fr_FR.UTF-8',
  LC_ALL: '',
  LC_MESSAGES: '',
  PORT_AUDITOR_DATA_DIR: dataDir,
});

/**
 * A data folder that cannot be written (review 13, read-only store): the CLI says so before
 * `history` and `show`; the page must too, on every screen, while the kept scans still open.
 */
describe('a read-only data folder in Chromium (browser mode)', () => {
  let dataDir: string;
  let host: RunningHost | undefined;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    assertInsideLabNamespace();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pa-e2e-read-only-'));
    browser = await launchBrowser({ locale: 'fr-FR' });
  });

  afterEach(async (context) => {
    await screenshotOnFailure(browser.page, context.task, ARTIFACTS);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('every page says nothing new is kept, naming the database, and the kept scan still opens', async () => {
    const french = frenchWith(dataDir);
    // First a writable folder: one nmap file kept, and no notice.
    host = await startBuiltWebHost(french);
    const shell = new AppShell(browser.page, 'fr');
    await shell.open(host.url);
    const report = new ReportPage(shell);
    await report.openNmapTool();
    await report.importFile('bureau.xml', generateNmapXml(3));
    await new OpenPortsPage(shell).summary.waitFor({ timeout: 60_000 });
    const history = await HistoryPage.open(shell);
    await history.rows.first().waitFor();
    expect(await shell.storeReadOnly.count()).toBe(0);
    await host.close();
    host = undefined;

    // The same folder, read-only: the page says so, in French, with the file and the way out.
    // In a mount namespace of the host's own where the folder is a read-only bind mount of itself,
    // as the CLI's test does (test/integration/store-damage.test.ts); it dies with the host.
    host = await startBuiltWebHost(french, 30_000, (argv) =>
      afterMountSetup(readOnlyBind(dataDir), argv),
    );
    await shell.open(host.url);
    await shell.storeReadOnly.waitFor();
    const text = await shell.storeReadOnly.innerText();
    expect(text).toContain('Rien de nouveau n’est conservé');
    expect(text).toContain('les nouvelles analyses et les réglages modifiés ne sont pas conservés');
    expect(text).toContain(path.join(dataDir, 'port-auditor.sqlite'));
    expect(await shell.storeReadOnly.getAttribute('data-error-code')).toBe('store.read-only');
    // The kept scan is listed and the notice stays on the History page too.
    const readable = await HistoryPage.open(shell);
    await readable.rows.first().waitFor();
    expect(await readable.rows.count()).toBe(1);
    expect(await shell.storeReadOnly.count()).toBe(1);

    // A new scan cannot be kept: History lists it, but never as kept (review 13 user F2).
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets({ custom: '127.0.0.1' });
    await scanner.choosePorts({ custom: '20-25' });
    await scanner.scanNow();
    await scanner.waitForSummary();
    const after = await HistoryPage.open(shell);
    await after.rows.nth(1).waitFor();
    expect(await after.rows.count()).toBe(2);
    const [newDate] = await after.rowTexts(0);
    expect(newDate).toMatch(
      /^Non conservée — perdue à la fermeture de Port Auditor \(analyse du .+\)$/,
    );
    expect(await after.rows.nth(0).getByTestId('history-not-kept').count()).toBe(1);
    // The scan kept before the folder became read-only is still said as kept.
    expect(await after.rows.nth(1).getByTestId('history-not-kept').count()).toBe(0);
    const [oldDate] = await after.rowTexts(1);
    expect(oldDate).not.toContain('Non conservée');
    expect(await axeViolations(browser.page)).toEqual([]);
    expect(browser.errors).toEqual([]);
  });

  test('a damaged database is announced from start, on every page, before any scan (review 13 N8)', async () => {
    // The previous test's page leaves first: its reloads against the host stopped here are not
    // this test's errors.
    await browser.page.goto('about:blank');
    browser.errors.length = 0;
    await host?.close();
    host = undefined;
    const damagedDir = mkdtempSync(path.join(os.tmpdir(), 'pa-e2e-damaged-'));
    try {
      const french = frenchWith(damagedDir);
      // A healthy database first: the History page makes the app open (and create) it.
      host = await startBuiltWebHost(french);
      const shell = new AppShell(browser.page, 'fr');
      await shell.open(host.url);
      await HistoryPage.open(shell);
      // Left before its host stops: the page's reloads against a stopped host are not errors of
      // the damaged database's announcement.
      await browser.page.goto('about:blank');
      await host.close();
      host = undefined;
      const dbFile = path.join(damagedDir, 'port-auditor.sqlite');
      expect(existsSync(dbFile)).toBe(true);
      // Cut short, as a crash or a full disk leaves it (the review's repro).
      truncateSync(dbFile, Math.floor(statSync(dbFile).size / 3));
      for (const extra of ['-wal', '-shm']) rmSync(`${dbFile}${extra}`, { force: true });

      host = await startBuiltWebHost(french);
      await shell.open(host.url);
      // On the home page, with nothing run yet: an alert (nothing is kept), naming the file.
      const unusable = browser.page
        .getByRole('alert')
        .filter({ hasText: shell.t('history:unusable.title') });
      await unusable.waitFor({ timeout: 30_000 });
      const text = await unusable.innerText();
      expect(text).toContain(shell.t('history:unusable.body'));
      expect(text).toContain(dbFile);
      expect(text).toContain('déplacez ce fichier ailleurs');
      expect(await unusable.getAttribute('data-error-code')).toMatch(/^store\./);
      expect(await shell.storeReadOnly.count()).toBe(0);
      // Still there on another screen (the Scanner, where a long scan would start).
      const scanner = await OpenPortsPage.open(shell);
      await scanner.scanButton.waitFor();
      expect(await unusable.count()).toBe(1);
      expect(await axeViolations(browser.page)).toEqual([]);
      expect(browser.errors).toEqual([]);
      await host.close();
      host = undefined;
    } finally {
      rmSync(damagedDir, { recursive: true, force: true });
    }
  });
  test('a database overwritten while the app runs is announced by the first operation that meets it, then on every page (review 13)', async () => {
    await host?.close();
    host = undefined;
    const liveDir = mkdtempSync(path.join(os.tmpdir(), 'pa-e2e-damaged-live-'));
    try {
      host = await startBuiltWebHost({
        LANG: 'fr_FR.UTF-8',
        LC_ALL: '',
        LC_MESSAGES: '',
        PORT_AUDITOR_DATA_DIR: liveDir,
      });
      const shell = new AppShell(browser.page, 'fr');
      await shell.open(host.url);
      const report = new ReportPage(shell);
      await report.openNmapTool();
      await report.importFile('bureau.xml', generateNmapXml(3));
      await new OpenPortsPage(shell).summary.waitFor({ timeout: 60_000 });
      const unusable = browser.page
        .getByRole('alert')
        .filter({ hasText: shell.t('history:unusable.title') });
      expect(await unusable.count()).toBe(0);

      // Another program of the user overwrites the store while the host runs.
      const dbFile = path.join(liveDir, 'port-auditor.sqlite');
      writeFileSync(dbFile, Buffer.alloc(statSync(dbFile).size, 0x5a));

      // The next import meets it: the page says it as a damaged store at start, naming the file.
      await report.openNmapTool();
      await report.importFile('atelier.xml', generateNmapXml(2));
      await unusable.waitFor({ timeout: 60_000 });
      const text = await unusable.innerText();
      expect(text).toContain(shell.t('history:unusable.body'));
      expect(text).toContain(dbFile);
      expect(text).toContain('déplacez ce fichier ailleurs');
      expect(text).toContain('Vos règles de pare-feu restent dans le pare-feu');
      expect(await unusable.getAttribute('data-error-code')).toMatch(/^store\./);
      // From then on, on every page of the app.
      const scanner = await OpenPortsPage.open(shell);
      await scanner.scanButton.waitFor();
      expect(await unusable.count()).toBe(1);
      await HistoryPage.open(shell);
      expect(await unusable.count()).toBe(1);
      expect(await axeViolations(browser.page)).toEqual([]);
      expect(browser.errors).toEqual([]);
      await host.close();
      host = undefined;
    } finally {
      rmSync(liveDir, { recursive: true, force: true });
    }
  });
});
