import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { SettingsPage } from './pages/settings.js';
import { launchBrowser, type LaunchedBrowser } from './support/browser.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { rawCall } from './support/raw-api.js';
import { startBuiltWebHost, type RunningHost } from './support/web-host.js';

// The host's own OS language is English here, so the browser's locale alone decides "auto".
const ENGLISH_OS = { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

describe('Language', () => {
  let host: RunningHost | undefined;
  let browser: LaunchedBrowser | undefined;

  beforeAll(() => {
    assertInsideLabNamespace();
  });

  afterEach(async () => {
    await browser?.close();
    await host?.close();
    browser = undefined;
    host = undefined;
  });

  test('French by default on a French browser; the switch goes to English, survives a reload, and comes back', async () => {
    host = await startBuiltWebHost(ENGLISH_OS);
    browser = await launchBrowser({ locale: 'fr-FR' });
    const page = browser.page;
    const fr = new AppShell(page, 'fr');
    await fr.open(host.url);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await OpenPortsPage.open(fr);
    await page.getByRole('button', { name: 'Analyser maintenant' }).waitFor();

    const settings = await SettingsPage.open(fr);
    // Review 15b: the OS as its users name it (os-release's PRETTY_NAME), not "linux".
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(
      readFileSync('/etc/os-release', 'utf8'),
    )?.[1];
    expect(pretty).toBeTruthy();
    expect(await settings.machineLine.innerText()).toBe(
      `Ordinateur\u00a0: ${os.hostname()} (${pretty})`,
    );
    await page.screenshot({ path: 'test/artifacts/settings-fr.png', fullPage: true });
    await settings.chooseLanguage('en');
    const en = fr.as('en');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(en.toolboxButton.innerText()).resolves.toBe('Toolbox');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await OpenPortsPage.open(en);
    await page.getByRole('button', { name: 'Scan now' }).waitFor();
    expect(await page.getByRole('button', { name: 'Analyser maintenant' }).count()).toBe(0);

    // The app's errors follow the UI language too.
    const scanner = new OpenPortsPage(en);
    await scanner.chooseTargets({ custom: '10.77.250.9-10.77.250.1' });
    await scanner.scanNow();
    await scanner.error.waitFor();
    const expected = await rawCall('scan.start', {
      scanId: randomUUID(),
      targets: '10.77.250.9-10.77.250.1',
      ports: 'top1000',
    });
    expect(expected.ok).toBe(false);
    expect((await scanner.error.innerText()).trim()).toBe(expected.error?.message.en);

    const back = await SettingsPage.open(en);
    await back.chooseLanguage('fr');
    await page.getByRole('heading', { level: 1, name: 'Paramètres' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await OpenPortsPage.open(fr);
    // The error still on screen is now shown in French.
    expect((await scanner.error.innerText()).trim()).toBe(expected.error?.message.fr);
    expect(browser.errors).toEqual([]);
  });

  test('English by default on an English browser and OS', async () => {
    host = await startBuiltWebHost(ENGLISH_OS);
    browser = await launchBrowser({ locale: 'en-US' });
    const en = new AppShell(browser.page, 'en');
    await en.open(host.url);
    expect(await browser.page.getAttribute('html', 'lang')).toBe('en');
    await OpenPortsPage.open(en);
    await browser.page.getByRole('button', { name: 'Scan now' }).waitFor();
    expect(browser.errors).toEqual([]);
  });
});
