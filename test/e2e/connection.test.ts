import { afterEach, beforeAll, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { launchBrowser, type LaunchedBrowser } from './support/browser.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { startBuiltWebHost, type RunningHost } from './support/web-host.js';

let host: RunningHost | undefined;
let browser: LaunchedBrowser | undefined;

beforeAll(() => {
  assertInsideLabNamespace();
});

afterEach(async () => {
  await browser?.close();
  await host?.close();
});

test('when the host goes away the UI says the connection is lost instead of hanging', async () => {
  host = await startBuiltWebHost({ LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
  browser = await launchBrowser({ locale: 'fr-FR' });
  const shell = new AppShell(browser.page, 'fr');
  await shell.open(host.url);
  const scanner = await OpenPortsPage.open(shell);
  expect(await shell.connectionLost.count()).toBe(0);

  await host.close();
  await shell.connectionLost.waitFor({ timeout: 30_000 });
  expect(await shell.connectionLost.innerText()).toBe(shell.t('connection.lost'));

  // A scan asked for while disconnected fails with the same explanation, and the button comes back.
  await scanner.scanNow();
  await scanner.error.waitFor({ timeout: 30_000 });
  expect(await scanner.error.getAttribute('data-error-code')).toBe('connection.lost');
  await expect(scanner.scanButton.isEnabled()).resolves.toBe(true);
  await browser.page.screenshot({ path: 'test/artifacts/connection-lost.png', fullPage: true });
});
