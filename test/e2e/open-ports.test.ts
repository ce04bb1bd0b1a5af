import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { HistoryPage } from './pages/history.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { SuspiciousPortsPage } from './pages/suspicious-ports.js';
import { rawCall } from './support/raw-api.js';
import { launchBrowser, screenshotOnFailure, type LaunchedBrowser } from './support/browser.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { listenOn, listenOnLoopback, type Listener } from './support/tcp-listener.js';
import { typeset } from '../unit/support/typography.js';
import { ROOT, startBuiltWebHost, type RunningHost } from './support/web-host.js';

const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const execFileAsync = promisify(execFile);

describe('Open ports, through the real browser-mode host and engine', () => {
  let host: RunningHost;
  let browser: LaunchedBrowser;
  let listener: Listener | undefined;

  beforeAll(async () => {
    assertInsideLabNamespace();
    await mkdir(ARTIFACTS, { recursive: true });
    host = await startBuiltWebHost({ LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
    browser = await launchBrowser({ locale: 'fr-FR' });
    // The printed token works once; it leaves a session cookie that later page loads reuse.
    await new AppShell(browser.page, 'fr').open(host.url);
  });

  afterEach(async (context) => {
    await screenshotOnFailure(browser.page, context.task, ARTIFACTS);
    await listener?.close();
    listener = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  test('clicking "Analyser maintenant" shows the port this test opened, open, under 127.0.0.1', async () => {
    listener = await listenOnLoopback();
    const shell = new AppShell(browser.page, 'fr');
    await shell.open(`${host.origin}/`);
    const scanner = await OpenPortsPage.open(shell);
    await expect(scanner.emptyState.isVisible()).resolves.toBe(true);
    expect(await scanner.scanButton.innerText()).toContain('Analyser maintenant');

    await scanner.chooseTargets('this-pc');
    // Common ports plus ours, so the scan is a realistic one that must still find the random port.
    await scanner.choosePorts({ custom: `21-25,80,443,3389,${listener.port}` });
    await scanner.scanNow();

    const summary = await scanner.waitForSummary();
    expect(await summary.getAttribute('data-cancelled')).toBe('false');
    // When it ran and what it covered, in the form's words (shown again when reopened or reloaded).
    expect(await summary.getByTestId('summary-scan-of').innerText()).toMatch(
      new RegExp(
        `^Analyse du \\d{1,2}(?:er)? \\S+ \\d{4}, \\d\\d:\\d\\d · cibles\u00a0: Ce PC · ports\u00a0: 21-25,80,443,3389,${listener.port}$`,
      ),
    );
    const card = scanner.hostCard('127.0.0.1');
    await card.waitFor();
    // The row sits in the folded technical details once the risk verdicts are shown: opened…
    await scanner.showPortTable('127.0.0.1');
    const row = scanner.portRow('127.0.0.1', listener.port);
    await row.waitFor({ state: 'attached' });
    expect(await row.getAttribute('data-state')).toBe('open');
    expect(await row.getAttribute('data-protocol')).toBe('tcp');
    expect(await scanner.portState('127.0.0.1', listener.port)).toBe('ouvert');
    await scanner.foldPortTable('127.0.0.1');
    // …while the port number itself is visible on the 127.0.0.1 card once information ports are
    // shown: a listener only this PC can reach is Info, hidden by default and counted.
    const risk = new SuspiciousPortsPage(new AppShell(browser.page, 'fr'));
    await risk.waitForVerdicts('127.0.0.1');
    expect(await risk.hiddenInfo.getAttribute('data-count')).toBe('1');
    await risk.showInfoSwitch.check();
    expect(await card.innerText()).toContain(String(listener.port));
    // The other ports tested are all closed on every address: none of them is reported open.
    expect(Number(await browser.page.getByTestId('summary-open-ports').innerText())).toBe(1);
    // This PC's addresses come first.
    const firstCard = browser.page.locator('[data-testid^="host-card-"]').first();
    expect(await firstCard.getAttribute('data-testid')).toMatch(
      /^host-card-(127\.0\.0\.1|::1|10\.77\.250\.1)$/,
    );
    await expect(scanner.scanButton.isEnabled()).resolves.toBe(true);
    await expect(scanner.progress.count()).resolves.toBe(0);

    await browser.page.screenshot({ path: path.join(ARTIFACTS, 'results.png'), fullPage: true });
    expect(browser.errors).toEqual([]);
  });

  test('a service on 127.0.0.1 only is listed "Seulement sur 127.0.0.1", at its own level', async () => {
    // 4444 (a backdoor's port, critical) on every IPv4 address, 443 (HTTPS, info) on loopback only.
    const everywhere = await listenOn(4444, '0.0.0.0');
    const loopbackOnly = await listenOn(443, '127.0.0.1');
    try {
      const shell = new AppShell(browser.page, 'fr');
      await shell.open(`${host.origin}/`);
      const scanner = await OpenPortsPage.open(shell);
      await scanner.chooseTargets('this-pc');
      await scanner.choosePorts({ custom: '400-450,4444' });
      await scanner.scanNow();
      await scanner.waitForSummary();

      const card = scanner.hostCard('10.77.250.1');
      await card.getByTestId('host-verdicts-10.77.250.1').waitFor();
      expect(await scanner.worstLevel(card.getByTestId('host-verdicts-10.77.250.1'))).toBe(
        'critical',
      );
      const only = scanner.onlyOnSection('127.0.0.1');
      await only.getByTestId('host-verdicts-127.0.0.1').waitFor();
      expect(await only.getByRole('heading', { level: 4 }).innerText()).toBe(
        'Seulement sur 127.0.0.1 (joignable depuis ce PC uniquement)',
      );
      // The level of the ports listed there (443, info), not of every port of 127.0.0.1.
      expect(await scanner.worstLevel(only)).toBe('info');
      // 52 ports per address, 2 listed (4444, 443): 50 not shown, not the LAN address's 51
      // (review 13, new user #10).
      await expect(
        scanner.hiddenPorts('10.77.250.1', { closed: 50, filtered: 0 }).count(),
      ).resolves.toBe(1);
      expect(browser.errors).toEqual([]);
    } finally {
      await everywhere.close();
      await loopbackOnly.close();
    }
  });

  test('two programs on one port at 127.0.0.1 and 127.0.0.5: the card lists each, with its own verdict', async () => {
    // Review 13 F2: this test's node process on 127.0.0.1:P and a python3 child on 127.0.0.5:P.
    const code = [
      'import socket',
      's = socket.socket()',
      "s.bind(('127.0.0.5', 0))",
      's.listen(8)',
      'print(s.getsockname()[1], flush=True)',
      'while True:',
      '    c, _ = s.accept()',
      '    c.close()',
    ].join('\n');
    const python = spawn('python3', ['-c', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        python.on('error', reject);
        python.stdout.setEncoding('utf8').once('data', (d: string) => resolve(Number(d.trim())));
      });
      listener = await listenOn(port, '127.0.0.1');
      const shell = new AppShell(browser.page, 'fr');
      await shell.open(`${host.origin}/`);
      const scanner = await OpenPortsPage.open(shell);
      await scanner.chooseTargets({ custom: '127.0.0.1,127.0.0.5' });
      await scanner.choosePorts({ custom: String(port) });
      await scanner.scanNow();
      await scanner.waitForSummary();
      const risk = new SuspiciousPortsPage(shell);
      await risk.waitForVerdicts('127.0.0.1');
      // Both listen on loopback only (Info): shown once information ports are.
      await risk.showInfoSwitch.check();
      const card = scanner.hostCard('127.0.0.1');
      expect(await card.getByTestId('host-open-count-127.0.0.1').innerText()).toMatch(/^2\b/);
      const only = scanner.onlyOnSection('127.0.0.5');
      await only.getByTestId('host-verdicts-127.0.0.5').waitFor();
      expect(await only.getByRole('heading', { level: 4 }).innerText()).toBe(
        'Seulement sur 127.0.0.5 (joignable depuis ce PC uniquement)',
      );
      const programs = await card.getByTestId('verdict-program').allInnerTexts();
      expect(programs.join('\n')).toContain(`node (PID ${process.pid})`);
      expect(await only.getByTestId('verdict-program').allInnerTexts()).toEqual([
        `python3 (PID ${python.pid})`,
      ]);
      // Review 13 N7: one port number, two lines; each says its address in the line itself,
      // the first one too (not only the one under its "only on" heading).
      expect(await only.getByTestId('verdict-addresses').allInnerTexts()).toEqual([
        'sur 127.0.0.5',
      ]);
      expect(await card.getByTestId('verdict-addresses').allInnerTexts()).toEqual([
        'sur 127.0.0.1',
        'sur 127.0.0.5',
      ]);
      expect(browser.errors).toEqual([]);
    } finally {
      python.kill();
    }
  });

  test('the form is set to the scan on show after a reload, and to an older one reopened from the History', async () => {
    // Review 13, new user #4: "Ports courants (1 000)" stayed above a reopened scan of 1,028 ports.
    const shell = new AppShell(browser.page, 'fr');
    await shell.open(`${host.origin}/`);
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets('this-pc');
    await scanner.choosePorts({ custom: '21-25,80' });
    await scanner.scanNow();
    await scanner.waitForSummary();
    // Changed without scanning, then the page reloaded: the form says what the scan shown covered.
    await scanner.choosePorts('top1000');
    await browser.page.reload();
    await shell.navigation.waitFor();
    await scanner.summary.waitFor({ timeout: 60_000 });
    await expect(scanner.targetsChoice('this-pc').isChecked()).resolves.toBe(true);
    await expect(scanner.portsChoice('custom').isChecked()).resolves.toBe(true);
    await expect(scanner.customPortsField.inputValue()).resolves.toBe('21-25,80');

    await scanner.chooseTargets({ custom: '127.0.0.1' });
    await scanner.choosePorts('top1000');
    await scanner.scanNow();
    await scanner.waitForSummary();
    const history = await HistoryPage.open(shell);
    await history.table.waitFor();
    await history.reopen(1);
    await scanner.summary.waitFor();
    await expect(scanner.targetsChoice('this-pc').isChecked()).resolves.toBe(true);
    await expect(scanner.portsChoice('custom').isChecked()).resolves.toBe(true);
    await expect(scanner.customPortsField.inputValue()).resolves.toBe('21-25,80');
    await (await HistoryPage.open(shell)).reopen(0);
    await scanner.summary.waitFor();
    await expect(scanner.targetsChoice('custom').isChecked()).resolves.toBe(true);
    await expect(scanner.customTargetsField.inputValue()).resolves.toBe('127.0.0.1');
    await expect(scanner.portsChoice('top1000').isChecked()).resolves.toBe(true);
    expect(browser.errors).toEqual([]);
  });

  test('a scan of all ports can be cancelled and the UI shows it stopped', async () => {
    const shell = new AppShell(browser.page, 'fr');
    await shell.open(`${host.origin}/`);
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets('this-pc');
    await scanner.choosePorts('all');
    await scanner.scanNow();

    await scanner.progressBar.waitFor();
    await expect(scanner.scanButton.isDisabled()).resolves.toBe(true);
    await scanner.cancelButton.click();

    const summary = await scanner.waitForSummary(30_000);
    expect(await summary.getAttribute('data-cancelled')).toBe('true');
    expect(await browser.page.getByTestId('scan-summary-title').innerText()).toBe(
      'Analyse annulée',
    );
    await expect(scanner.progress.count()).resolves.toBe(0);
    await expect(scanner.cancelButton.count()).resolves.toBe(0);
    await expect(scanner.scanButton.isEnabled()).resolves.toBe(true);
    await browser.page.screenshot({ path: path.join(ARTIFACTS, 'cancelled.png'), fullPage: true });
    expect(browser.errors).toEqual([]);
  });

  test('an invalid custom target shows the app’s own error, in the UI language', async () => {
    const shell = new AppShell(browser.page, 'fr');
    await shell.open(`${host.origin}/`);
    const scanner = await OpenPortsPage.open(shell);
    const target = '10.77.250.0/40';
    await scanner.chooseTargets({ custom: target });
    await scanner.choosePorts('top1000');
    await scanner.scanNow();

    await scanner.error.waitFor();
    // What the app itself answers for this request (its core, in the test process).
    const expected = await rawCall('scan.start', {
      scanId: randomUUID(),
      targets: target,
      ports: 'top1000',
    });
    expect(expected.ok).toBe(false);
    expect(expected.error?.code).toMatch(/^scan\.targets\./);
    expect(await scanner.error.getAttribute('data-error-code')).toBe(expected.error?.code);
    expect((await scanner.error.innerText()).trim()).toContain(expected.error?.message.fr);
    // Said under the field it is about, which is marked invalid, described by it, and focused.
    const field = scanner.customTargetsField;
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    expect(describedBy.split(' ')).toContain(await scanner.error.getAttribute('id'));
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);
    // Once: not also in a banner far from the field.
    await expect(scanner.error.count()).resolves.toBe(1);
    await expect(scanner.error.evaluate((el) => el.tagName)).resolves.toBe('P');
    await expect(scanner.scanButton.isEnabled()).resolves.toBe(true);
    await browser.page.screenshot({ path: path.join(ARTIFACTS, 'error.png'), fullPage: true });
    expect(browser.errors).toEqual([]);
  });

  test('"Analyser maintenant" with the custom ports emptied says a port is missing, under the field, in place of the older error', async () => {
    // Review 13, new user #6: the error about "0" stayed, and the empty field was not marked.
    const shell = new AppShell(browser.page, 'fr');
    await shell.open(`${host.origin}/`);
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets('this-pc');
    await scanner.choosePorts({ custom: '0' });
    await scanner.scanNow();
    await scanner.error.waitFor();
    expect(await scanner.error.getAttribute('data-error-code')).toBe('scan.ports.invalid');
    expect(await scanner.error.innerText()).toContain('«\u00a00\u00a0»');

    await scanner.choosePorts({ custom: '' });
    await scanner.scanNow();
    const field = scanner.customPortsField;
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await scanner.fieldDescription(field)).toBe(shell.t('scan:form.ports.missing'));
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect(scanner.error.count()).resolves.toBe(0);
    await expect(browser.page.getByText(typeset('« 0 »')).count()).resolves.toBe(0);
    await expect(
      browser.page
        .getByRole('alert')
        .filter({ hasText: shell.t('scan:form.ports.missing') })
        .count(),
    ).resolves.toBe(1);

    // An error about another value (the targets) gives way too: that value was not asked about.
    await scanner.chooseTargets({ custom: '10.77.250.0/40' });
    await scanner.choosePorts({ custom: '80' });
    await scanner.scanNow();
    await scanner.error.waitFor();
    expect(await scanner.error.getAttribute('data-error-code')).toMatch(/^scan\.targets\./);
    await scanner.choosePorts({ custom: '   ' });
    await scanner.scanNow();
    expect(await scanner.fieldDescription(scanner.customPortsField)).toBe(
      shell.t('scan:form.ports.missing'),
    );
    await expect(scanner.error.count()).resolves.toBe(0);
    expect(await scanner.customTargetsField.getAttribute('aria-invalid')).toBe('false');
    expect(browser.errors).toEqual([]);
  });

  test('editing the targets withdraws a confirmation question: "Je confirme" never answers for other targets', async () => {
    const shell = new AppShell(browser.page, 'fr');
    await shell.open(`${host.origin}/`);
    const scanner = await OpenPortsPage.open(shell);
    // Documentation space: needs confirmation; never confirmed here, so nothing is scanned.
    await scanner.chooseTargets({ custom: '203.0.113.7' });
    await scanner.choosePorts({ custom: '80' });
    await scanner.scanNow();
    await scanner.error.waitFor();
    expect(await scanner.error.getAttribute('data-error-code')).toBe('scan.confirmationRequired');
    expect(await scanner.error.innerText()).toContain('203.0.113.7 est publique');
    await expect(scanner.confirmButton.count()).resolves.toBe(1);

    await scanner.chooseTargets({ custom: '100.64.9.9' });
    // The question was about 203.0.113.7: it goes, and its button with it.
    await expect(scanner.error.count()).resolves.toBe(0);
    await expect(scanner.confirmButton.count()).resolves.toBe(0);

    await scanner.scanNow();
    await scanner.error.waitFor();
    const asked = await scanner.error.innerText();
    expect(asked).toContain('100.64.9.9');
    expect(asked).toContain('autres abonnés de votre fournisseur');
    expect(asked).not.toContain('203.0.113.7');
    // Editing the ports withdraws it too.
    await scanner.choosePorts({ custom: '81' });
    await expect(scanner.confirmButton.count()).resolves.toBe(0);
    expect(browser.errors).toEqual([]);
  });

  test('"Je confirme" starts the scan it was asked about (more than 65,536 loopback addresses)', async () => {
    const shell = new AppShell(browser.page, 'fr');
    await shell.open(`${host.origin}/`);
    const scanner = await OpenPortsPage.open(shell);
    // Loopback only: 131,072 addresses ask for confirmation; the scan is cancelled at once.
    await scanner.chooseTargets({ custom: '127.0.0.0/15' });
    await scanner.choosePorts({ custom: '1' });
    await scanner.scanNow();
    await scanner.error.waitFor();
    expect(await scanner.error.innerText()).toContain('131\u202f072 adresses');
    // The page sends the question's fingerprint; the app starts what it asked about.
    await scanner.confirmButton.click();
    await scanner.progressBar.waitFor();
    await expect(scanner.error.count()).resolves.toBe(0);
    await scanner.cancelButton.click();
    const summary = await scanner.waitForSummary(60_000);
    expect(await summary.getAttribute('data-cancelled')).toBe('true');
    expect(browser.errors).toEqual([]);
  });

  test('"Réseau local" names the virtual switch it leaves out, and scans it only once ticked', async () => {
    // A container bridge of this PC (inside the test's namespace), as Docker would make it.
    await execFileAsync('ip', ['link', 'add', 'docker0', 'type', 'bridge']);
    try {
      await execFileAsync('ip', ['addr', 'add', '10.77.251.1/30', 'dev', 'docker0']);
      await execFileAsync('ip', ['link', 'set', 'docker0', 'up']);
      const shell = new AppShell(browser.page, 'fr');
      await shell.open(`${host.origin}/`);
      const scanner = await OpenPortsPage.open(shell);
      await scanner.chooseTargets('local-network');
      await scanner.choosePorts({ custom: '22' });
      await scanner.scanNow();

      await scanner.adapterChoice.waitFor();
      const dialogText = await scanner.adapterChoice.innerText();
      expect(dialogText).toContain(
        'Un commutateur virtuel de ce PC, pour ses propres machines virtuelles ou conteneurs.',
      );
      // The network scanned whatever the answer is named too.
      expect(dialogText).toMatch(/Sera analysé\u00a0: \S+ — 10\.77\.\d+\.0\/24\./);
      const docker = scanner.adapterCheckbox('docker0', '10.77.251.0/30');
      await expect(docker.isChecked()).resolves.toBe(false);
      await docker.check();
      await scanner.adapterScanButton(1).click();

      // The lab's /24 without its broadcast address, and the bridge's /30 without its own (the
      // summary of the scan before stays on screen until this one ends, so wait for its own).
      await browser.page
        .getByTestId('scan-summary')
        .filter({ hasText: 'Adresses analysées : 258' })
        .waitFor({ timeout: 120_000 });
      await expect(scanner.adapterChoice.count()).resolves.toBe(0);

      // The bridge goes away (Docker stopped): the earlier choice names an adapter that is gone,
      // and the next scan of the local network goes ahead without it instead of failing.
      await execFileAsync('ip', ['link', 'del', 'docker0']);
      await scanner.scanNow();
      await browser.page
        .getByTestId('scan-summary')
        .filter({ hasText: 'Adresses analysées : 255' })
        .waitFor({ timeout: 120_000 });
      await expect(scanner.error.count()).resolves.toBe(0);

      // Back again: the dialog comes back with the earlier choice ticked, so it can be unticked.
      await execFileAsync('ip', ['link', 'add', 'docker0', 'type', 'bridge']);
      await execFileAsync('ip', ['addr', 'add', '10.77.251.1/30', 'dev', 'docker0']);
      await execFileAsync('ip', ['link', 'set', 'docker0', 'up']);
      await scanner.scanNow();
      await scanner.adapterChoice.waitFor();
      await expect(docker.isChecked()).resolves.toBe(true);
      await docker.uncheck();
      await scanner.adapterScanButton(0).click();
      await browser.page
        .getByTestId('scan-summary')
        .filter({ hasText: 'Adresses analysées : 255' })
        .waitFor({ timeout: 120_000 });
      expect(browser.errors).toEqual([]);
    } finally {
      await execFileAsync('ip', ['link', 'del', 'docker0']).catch(() => undefined);
    }
  });
});
