import type { WebSocketRoute } from 'playwright-core';
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

test('when the host stops, the page says so and to start it again, instead of reconnecting forever', async () => {
  host = await startBuiltWebHost({ LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
  browser = await launchBrowser({ locale: 'fr-FR' });
  const shell = new AppShell(browser.page, 'fr');
  await shell.open(host.url);
  const scanner = await OpenPortsPage.open(shell);
  expect(await shell.connectionBanner('stopped').count()).toBe(0);

  await host.close();
  await shell.connectionBanner('stopped').waitFor({ timeout: 30_000 });
  expect(shell.t('connection.stopped')).toBe('Port Auditor s’est arrêté\u00a0: relancez-le.');
  expect(await shell.connectionLost.count()).toBe(0);

  // A scan asked for afterwards fails with the same explanation, and the button comes back.
  await scanner.scanNow();
  await scanner.error.waitFor({ timeout: 30_000 });
  expect(await scanner.error.getAttribute('data-error-code')).toBe('connection.stopped');
  await expect(scanner.scanButton.isEnabled()).resolves.toBe(true);
  await browser.page.screenshot({ path: 'test/artifacts/connection-stopped.png', fullPage: true });
});

// A page cannot tell a port nobody listens on from a host that accepts and cuts its connections
// (a flood from another program, review 13 F1): it keeps trying and never claims "stopped".
test('a host killed without a word is retried, then said unreachable for now, not stopped', async () => {
  host = await startBuiltWebHost({ LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
  browser = await launchBrowser({ locale: 'en-US' });
  const shell = new AppShell(browser.page, 'en');
  await shell.open(host.url);
  await OpenPortsPage.open(shell);

  await host.kill();
  await shell.connectionLost.waitFor({ timeout: 30_000 });
  await shell.connectionBanner('unreachable').waitFor({ timeout: 60_000 });
  expect(await shell.connectionBanner('unreachable').innerText()).toBe(
    'Port Auditor cannot be reached right now: trying again every few seconds. If you closed it, start it again.',
  );
  expect(await shell.connectionBanner('stopped').count()).toBe(0);
});

test.each([
  ['fr', 'fr_FR.UTF-8', 'fr-FR', 'Trop de messages\u00a0: la connexion a été fermée'],
  ['en', 'en_US.UTF-8', 'en-US', 'Too many messages: the connection was closed'],
] as const)(
  'a page cut for flooding says so in its language (%s), from the close code, and to reload',
  async (lang, locale, browserLocale, start) => {
    host = await startBuiltWebHost({ LANG: locale, LC_ALL: '', LC_MESSAGES: '' });
    browser = await launchBrowser({ locale: browserLocale });
    // The page's own socket, passed through to the real host unchanged; the test speaks on it
    // as a runaway page would, so the host's real limit cuts it (main/web/server.ts).
    let toHost: WebSocketRoute | undefined;
    await browser.page.routeWebSocket(/\/api$/u, (route) => {
      toHost = route.connectToServer();
    });
    const shell = new AppShell(browser.page, lang);
    await shell.open(host.url);
    const scanner = await OpenPortsPage.open(shell);
    // The scanner is on show: the page was welcomed and its socket goes through the route.
    await scanner.scanButton.waitFor();
    expect(toHost).toBeDefined();
    const banner = shell.connectionBanner('rate-limited');
    // Batches until the host cuts (burst 200, then 50/s): on a loaded machine the sends may
    // spread out, so the test keeps on rather than guessing how fast they go.
    let id = 1_000_000;
    for (let batch = 0; batch < 100 && (await banner.count()) === 0; batch++) {
      for (let n = 0; n < 100; n++) {
        toHost!.send(JSON.stringify({ kind: 'request', id: id++, method: 'app.info', params: {} }));
      }
    }
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.innerText()).toBe(shell.t('connection.rate-limited'));
    expect(shell.t('connection.rate-limited').startsWith(start)).toBe(true);
    expect(shell.t('connection.rate-limited')).toMatch(/Rechargez la page\.$|Reload the page\.$/u);
    // Not a drop being retried, nor a stopped host.
    expect(await shell.connectionLost.count()).toBe(0);
    expect(await shell.connectionBanner('stopped').count()).toBe(0);

    // A scan asked for afterwards fails with the same words and code.
    await scanner.scanNow();
    await scanner.error.waitFor({ timeout: 30_000 });
    expect(await scanner.error.getAttribute('data-error-code')).toBe('connection.rate-limited');

    // Reloading, as the words say, brings the page back on the tab's session.
    await shell.reload();
    expect(await shell.connectionBanner('rate-limited').count()).toBe(0);
  },
);
