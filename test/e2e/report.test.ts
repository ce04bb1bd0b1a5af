import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatDateTime } from '../../app/contract/datetime.js';
import { AppShell } from './pages/app-shell.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { ReportPage } from './pages/report.js';
import { launchBrowser, type LaunchedBrowser } from './support/browser.js';
import { wcag22Violations } from './support/axe.js';
import { describeFocus, hasFocus } from './support/focus.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { listenOnLoopback, type Listener } from './support/tcp-listener.js';
import { typeset } from '../unit/support/typography.js';
import { ROOT, startBuiltWebHost, type RunningHost } from './support/web-host.js';

const run = promisify(execFile);
const ARTIFACTS = path.join(ROOT, 'test/artifacts');

describe('Report export and nmap XML import in Chromium (browser mode)', () => {
  let host: RunningHost;
  let browser: LaunchedBrowser;
  let listener: Listener;

  beforeAll(async () => {
    assertInsideLabNamespace();
    await mkdir(ARTIFACTS, { recursive: true });
    listener = await listenOnLoopback();
    host = await startBuiltWebHost({ LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
    browser = await launchBrowser({ locale: 'fr-FR' });
    await new AppShell(browser.page, 'fr').open(host.url);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await listener?.close();
  });

  test('"Exporter le rapport" downloads a PDF and a JSON of the scan that parse', async () => {
    const shell = new AppShell(browser.page, 'fr');
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets({ custom: '127.0.0.1' });
    await scanner.choosePorts({ custom: String(listener.port) });
    await scanner.scanNow();
    await scanner.waitForSummary();

    const report = new ReportPage(shell);
    const pdf = await report.export('pdf');
    expect(pdf.suggestedFilename()).toMatch(/^port-auditor-rapport-.*\.pdf$/);
    const pdfPath = path.join(ARTIFACTS, 'e2e-report.pdf');
    await pdf.saveAs(pdfPath);
    const bytes = await readFile(pdfPath);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { stdout: text } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', pdfPath, '-']);
    expect(text).toContain('Rapport d’audit des ports réseau');
    expect(text).toContain('127.0.0.1');
    expect(text).toContain(String(listener.port));
    // The firewall section lists the rules this app made (read at export), even if none.
    expect(text).toContain('Pare-feu');
    expect(text).not.toContain('n’a pas été jointe');
    await report.exportDone.waitFor();
    // Review 15, F8: choosing a format gives the focus back to "Exporter le rapport", not <body>.
    expect(await hasFocus(report.exportButton), await describeFocus(browser.page)).toBe(true);

    const json = await report.export('json');
    const doc = JSON.parse(await readFile((await json.path())!, 'utf8')) as {
      format: string;
      language: string;
      scan: { hosts: Array<{ address: string; ports: Array<{ port: number; state: string }> }> };
      findings: Array<{ port: number; severity: string | null }>;
    };
    expect(doc.format).toBe('port-auditor-report');
    expect(doc.language).toBe('fr');
    const loopback = doc.scan.hosts.find((h) => h.address === '127.0.0.1')!;
    expect(loopback.ports.find((p) => p.port === listener.port)?.state).toBe('open');
    expect(doc.findings.find((f) => f.port === listener.port)?.severity).not.toBeNull();
    expect(browser.errors).toEqual([]);
  });

  test('"Ouvrir un XML nmap…" shows the hosts of a real nmap file; a hostile file is refused', async () => {
    const shell = new AppShell(browser.page, 'fr');
    const report = new ReportPage(shell);
    await report.openNmapTool();
    await report.chooseFileButton.waitFor();
    // Review 15b: one h1, the tool's name; the card's title is a level below.
    expect(await report.pageHeadings.allInnerTexts()).toEqual([shell.t('report:tool.label')]);

    await report.importFile(
      'bomb.xml',
      '<!DOCTYPE nmaprun [<!ENTITY a "a">]><nmaprun scanner="nmap">&a;</nmaprun>',
    );
    await report.importError.waitFor();
    await expect(report.importError.innerText()).resolves.toMatch(/entités/);
    // A refused file: the focus is back on the button, which names the error.
    expect(await hasFocus(report.chooseFileButton), await describeFocus(browser.page)).toBe(true);
    const why = await report.description(report.chooseFileButton);
    expect(why).toBe((await report.importError.innerText()).trim());
    expect(why).toMatch(/entités/);
    expect(await wcag22Violations(browser.page)).toEqual([]);

    // While a file is read the button stays focusable and says why it does nothing: every state
    // it goes through is recorded as it happens (a MutationObserver, no timing guess).
    await report.chooseFileButton.evaluate((button) => {
      const seen: Array<{
        ariaDisabled: string | null;
        disabled: boolean;
        why: string;
        focused: boolean;
      }> = [];
      (window as unknown as { __importButton: typeof seen }).__importButton = seen;
      new MutationObserver(() =>
        seen.push({
          ariaDisabled: button.getAttribute('aria-disabled'),
          disabled: button.hasAttribute('disabled'),
          why: (button.getAttribute('aria-describedby') ?? '')
            .split(' ')
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join(' '),
          focused: document.activeElement === button,
        }),
      ).observe(button, { attributes: true, childList: true, subtree: true, characterData: true });
    });
    const xml = await readFile(path.join(ROOT, 'test/fixtures/nmap/loopback-sT.xml'), 'utf8');
    // Through the button, as a user: the page's own file chooser opens (no host dialog here).
    await report.chooseFile('loopback-sT.xml', xml);
    const scanner = new OpenPortsPage(shell);
    await scanner.hostCard('127.77.141.97').waitFor({ timeout: 30_000 });
    const states = await browser.page.evaluate(
      () =>
        (
          window as unknown as {
            __importButton: Array<{
              ariaDisabled: string | null;
              disabled: boolean;
              why: string;
              focused: boolean;
            }>;
          }
        ).__importButton,
    );
    const busy = states.filter((state) => state.ariaDisabled === 'true');
    expect(busy.length).toBeGreaterThan(0);
    expect(states.some((state) => state.disabled)).toBe(false);
    for (const state of busy) {
      expect(state.focused).toBe(true);
      expect(state.why).toBe(shell.t('report:import.unavailable'));
    }
    await expect(scanner.portState('127.77.141.97', 23)).resolves.toMatch(/ouvert/);
    // The file's scan date, in the words every other date of the app uses.
    const started = new Date(1795464333 * 1000).toISOString();
    expect(await scanner.summary.getByTestId('summary-imported-file').innerText()).toBe(
      typeset(
        `Lus dans le fichier « loopback-sT.xml » : aucune analyse n’a été lancée. Analyse du ${formatDateTime(started, 'fr')}.`,
      ),
    );
    await report.exportButton.waitFor();
    await browser.page.screenshot({ path: path.join(ARTIFACTS, 'report-nmap-import.png') });
  });
});
