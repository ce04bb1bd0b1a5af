import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { HistoryPage } from './pages/history.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { ReportPage } from './pages/report.js';
import { launchBrowser, type LaunchedBrowser } from './support/browser.js';
import { wcag22Violations } from './support/axe.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import type { Lang } from './support/strings.js';
import { listenOnLoopback, type Listener } from './support/tcp-listener.js';
import { startBuiltWebHost, type RunningHost } from './support/web-host.js';

/** The catalogue's `{{name}}` placeholders filled in, as i18next does for plain values. */
function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
}

/** One whole-text match, any run of spaces (U+00A0, U+202F) matching any other. */
function loose(text: string): RegExp {
  return new RegExp(
    `^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[\s\u00a0\u202f]+/g, '\\s+')}$`,
  );
}

// Issue 13: a JSON report (the page's own JSON export here) opens through the page like an nmap
// XML file, on the same chunked upload road, and is named as a JSON report with its file name.
describe.each<[Lang, string]>([
  ['fr', 'fr_FR.UTF-8'],
  ['en', 'en_US.UTF-8'],
])('Opening a JSON report from the page (%s, browser mode)', (lang, locale) => {
  let host: RunningHost;
  let browser: LaunchedBrowser;
  let listener: Listener;

  beforeAll(async () => {
    assertInsideLabNamespace();
    listener = await listenOnLoopback();
    host = await startBuiltWebHost({ LANG: locale, LC_ALL: '', LC_MESSAGES: '' });
    browser = await launchBrowser({ locale: lang === 'fr' ? 'fr-FR' : 'en-US' });
    await new AppShell(browser.page, lang).open(host.url);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await listener?.close();
  });

  test('a JSON export of a 127.0.0.1 scan opens through the picker, shows its host and is in History', async () => {
    const shell = new AppShell(browser.page, lang);
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets({ custom: '127.0.0.1' });
    await scanner.choosePorts({ custom: String(listener.port) });
    await scanner.scanNow();
    await scanner.waitForSummary();
    const report = new ReportPage(shell);
    const download = await report.export('json');
    const json = await readFile((await download.path())!, 'utf8');
    expect((JSON.parse(json) as { format: string }).format).toBe('port-auditor-report');

    // The tool's name says both kinds of file; its picker takes both.
    await report.openNmapTool();
    await report.chooseFileButton.waitFor();
    expect(await report.pageHeadings.allInnerTexts()).toEqual([shell.t('report:tool.label')]);
    expect(shell.t('report:tool.label')).toMatch(/JSON/);
    expect((await report.acceptedTypes()).split(',')).toEqual(
      expect.arrayContaining(['.xml', '.json']),
    );
    expect(await wcag22Violations(browser.page)).toEqual([]);

    const fileName = 'audit-127.0.0.1.json';
    await report.chooseFile(fileName, json, 'application/json');
    await scanner.hostCard('127.0.0.1').waitFor({ timeout: 30_000 });
    await expect(scanner.portState('127.0.0.1', listener.port)).resolves.toMatch(
      lang === 'fr' ? /ouvert/ : /open/,
    );
    expect(await scanner.summary.innerText()).toContain(shell.t('scan:summary.importedJsonTitle'));
    expect(await scanner.summary.getByTestId('summary-imported-file').innerText()).toContain(
      fileName,
    );
    expect(await wcag22Violations(browser.page)).toEqual([]);

    // History: the newest row is the report, named as one with its file name; the scan that
    // made it is the row below, a scan of this app.
    const history = await HistoryPage.open(shell);
    await history.rows.first().waitFor();
    expect(await history.rows.count()).toBe(2);
    const [, source] = await history.rowTexts(0);
    expect(source).toMatch(loose(fill(shell.t('history:source.jsonReport'), { file: fileName })));
    const [, engine] = await history.rowTexts(1);
    expect(engine).toBe(shell.t('history:source.engine'));
    expect(await wcag22Violations(browser.page)).toEqual([]);

    // Its button names the report and opens it again.
    await history.reopen(0);
    await scanner.hostCard('127.0.0.1').waitFor({ timeout: 30_000 });
    expect(await scanner.summary.getByTestId('summary-imported-file').innerText()).toContain(
      fileName,
    );
    expect(browser.errors).toEqual([]);
  });
});
