import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  FIREWALL_SYSTEM_DIRS,
  startMountSandbox,
  type MountSandbox,
} from '../lab/mount-sandbox.js';
import { NetnsLab, run } from '../lab/netns.js';
import { AppShell } from './pages/app-shell.js';
import { BlockWizard, RulesPage } from './pages/firewall.js';
import { HistoryPage } from './pages/history.js';
import { HomePage } from './pages/home.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { SettingsPage } from './pages/settings.js';
import { SuspiciousPortsPage } from './pages/suspicious-ports.js';
import { seriousAxeViolations } from './support/axe.js';
import { launchBrowser, screenshotOnFailure, type LaunchedBrowser } from './support/browser.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import type { Lang } from './support/strings.js';
import { ROOT, startBuiltWebHost, type RunningHost } from './support/web-host.js';

/**
 * WCAG 2.2 AA as axe-core sees it, on every screen a user meets, in light and dark and in French
 * and English: no serious or critical violation. The scan is of 127.0.0.1 only, on ports this test
 * opens itself (inside the e2e lab namespace) with one of each severity; the one block applied
 * (for the Rules page with a rule) goes to the lab namespace's nftables, from a host whose system
 * folders are a mount sandbox's tmpfs.
 */
const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const ADDRESS = '127.0.0.1';
/** Critical (telnet, RDP open to all), high (VNC), medium (SSH), low (8080) and info (HTTP), per the knowledge base. */
const PORTS = [23, 5900, 3389, 22, 8080, 80];
const BLOCKED = 3389;
const COMBOS: { lang: Lang; theme: 'light' | 'dark' }[] = [
  { lang: 'fr', theme: 'light' },
  { lang: 'fr', theme: 'dark' },
  { lang: 'en', theme: 'light' },
  { lang: 'en', theme: 'dark' },
];
const exec = promisify(execFile);

describe('Every screen passes axe-core (WCAG 2.2 AA) in light and dark, French and English', () => {
  const lab = new NetnsLab();
  let dataDir = '';
  let mounts: MountSandbox;
  let host: RunningHost;
  let browser: LaunchedBrowser;
  const servers: net.Server[] = [];
  /** Screen → its violations, filled as the test goes so one run names every screen that fails. */
  let found: Record<string, string[]> = {};
  /** The UI's language now (the host's is French). */
  let current: Lang = 'fr';

  async function check(shell: AppShell, theme: string, screen: string): Promise<void> {
    const violations = await seriousAxeViolations(shell.page);
    if (violations.length > 0) found[`${shell.lang}/${theme}/${screen}`] = violations;
  }

  /** Language and theme through Settings, as a user sets them; returns the shell in that language. */
  async function use(lang: Lang, theme: 'light' | 'dark'): Promise<AppShell> {
    const settings = await SettingsPage.open(new AppShell(browser.page, current));
    await settings.chooseLanguage(lang);
    current = lang;
    const shell = new AppShell(browser.page, lang);
    await new SettingsPage(shell).chooseTheme(theme);
    return shell;
  }

  beforeAll(async () => {
    assertInsideLabNamespace();
    await mkdir(ARTIFACTS, { recursive: true });
    mounts = await startMountSandbox(FIREWALL_SYSTEM_DIRS);
    lab.onTeardown(() => mounts.close());
    dataDir = mkdtempSync(path.join(tmpdir(), 'pa-a11y-e2e-'));
    lab.onTeardown(() => rmSync(dataDir, { recursive: true, force: true }));
    for (const port of PORTS) {
      const server = net.createServer((s) => s.end());
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(port, '0.0.0.0', resolve));
    }
    host = await startBuiltWebHost(
      { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '', PORT_AUDITOR_DATA_DIR: dataDir },
      30_000,
      mounts.enter,
    );
    browser = await launchBrowser({ locale: 'fr-FR' });
    await new AppShell(browser.page, 'fr').open(host.url);
  });

  afterEach(async (context) => {
    await screenshotOnFailure(browser.page, context.task, ARTIFACTS);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await run('nft', ['delete', 'table', 'inet', 'port_auditor']).catch(() => undefined);
    await lab.teardown();
  });

  test('before any scan: settings, home, empty rules, empty scanner, empty history', async () => {
    found = {};
    for (const { lang, theme } of COMBOS) {
      const shell = await use(lang, theme);
      await check(shell, theme, 'settings');
      await HomePage.open(shell);
      await check(shell, theme, 'home');
      const rules = await RulesPage.open(shell);
      await rules.emptyRead.waitFor();
      await check(shell, theme, 'rules-empty');
      const scanner = await OpenPortsPage.open(shell);
      await scanner.emptyState.waitFor();
      await check(shell, theme, 'scanner-empty');
      const history = await HistoryPage.open(shell);
      await history.empty.waitFor();
      await check(shell, theme, 'history-empty');
    }
    expect(found).toEqual({});
  });

  test('scanner (running, cancelled, results), verdict details, wizard steps, history', async () => {
    found = {};
    for (const { lang, theme } of COMBOS) {
      const shell = await use(lang, theme);
      let scanner = await OpenPortsPage.open(shell);
      await scanner.chooseTargets({ custom: ADDRESS });
      await scanner.choosePorts('all');
      await scanner.scanNow();
      await scanner.progressBar.waitFor();
      await check(shell, theme, 'scanner-running');
      await scanner.cancelButton.click();
      await scanner.waitForSummary(30_000);
      await check(shell, theme, 'scanner-cancelled');

      scanner = await OpenPortsPage.open(shell);
      await scanner.chooseTargets({ custom: ADDRESS });
      await scanner.choosePorts({ custom: PORTS.join(',') });
      await scanner.scanNow();
      await scanner.waitForSummary();
      const risk = new SuspiciousPortsPage(shell);
      await risk.waitForVerdicts(ADDRESS);
      await check(shell, theme, 'scanner-results');
      await risk.showInfoSwitch.click();
      await risk.openDetails(ADDRESS, BLOCKED);
      await check(shell, theme, 'verdict-details');

      const wizard = await BlockWizard.openFromVerdict(shell, ADDRESS, 23);
      await check(shell, theme, 'wizard-scope');
      await wizard.next();
      await wizard.summary.waitFor();
      await wizard.technicalCommands();
      await check(shell, theme, 'wizard-preview');
      await wizard.next();
      await wizard.applyIntro.waitFor();
      await check(shell, theme, 'wizard-apply');
      await wizard.cancel();

      const history = await HistoryPage.open(shell);
      await history.rows.first().waitFor();
      await check(shell, theme, 'history');
    }
    expect(found).toEqual({});
  });

  test('the Rules page with a rule, and the wizard’s last step', async () => {
    found = {};
    let shell = await use('fr', 'light');
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets({ custom: ADDRESS });
    await scanner.choosePorts({ custom: String(BLOCKED) });
    await scanner.scanNow();
    await scanner.waitForSummary();
    const wizard = await BlockWizard.openFromVerdict(shell, ADDRESS, BLOCKED);
    await wizard.next();
    await wizard.next();
    await wizard.apply();
    await wizard.verdict.waitFor({ timeout: 60_000 });
    await check(shell, 'light', 'wizard-verified');
    await wizard.close();
    try {
      for (const { lang, theme } of COMBOS) {
        shell = await use(lang, theme);
        const rules = await RulesPage.open(shell);
        await rules.rows.first().waitFor();
        await check(shell, theme, 'rules-with-rule');
      }
    } finally {
      const [file, ...args] = mounts.enter([
        process.execPath,
        'dist/main/cli.mjs',
        'unblock',
        '--all',
      ]);
      await exec(file as string, args, {
        cwd: ROOT,
        env: { ...process.env, PORT_AUDITOR_DATA_DIR: dataDir, LANG: 'fr_FR.UTF-8' },
      });
    }
    expect(found).toEqual({});
  });
});
