import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { CloseCode } from '../../app/contract/index.js';
import { launchTokenOf, WebClient } from '../lab/web-client.js';
import { AppShell } from './pages/app-shell.js';
import { SettingsPage } from './pages/settings.js';
import { axeViolations } from './support/axe.js';
import { CHROMIUM_PATH, launchBrowser, type LaunchedBrowser } from './support/browser.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { startBuiltWebHost, type RunningHost } from './support/web-host.js';

const ENGLISH_OS = { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

/** Every request another server on 127.0.0.1 receives, head and all, as raw text. */
async function recordingServer(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}\n${req.rawHeaders.join('\n')}`);
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>other service</title><p>other</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function until<T>(what: string, probe: () => T | undefined | null, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The command lines of every process on this machine, NULs as spaces. */
function allCommandLines(): string[] {
  const lines: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      lines.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      // Gone since the listing.
    }
  }
  return lines;
}

/** The pids of the processes whose command line contains `text`. */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text)) pids.push(Number(pid));
    } catch {
      // Gone since the listing.
    }
  }
  return pids;
}

describe('Browser-mode sessions', () => {
  let host: RunningHost | undefined;
  let browser: LaunchedBrowser | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(() => {
    assertInsideLabNamespace();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await browser?.close();
    await host?.close();
    browser = undefined;
    host = undefined;
  });

  test('another server on 127.0.0.1 the browser visits never receives the token or the session', async () => {
    const other = await recordingServer();
    cleanups.push(() => other.close());
    host = await startBuiltWebHost(ENGLISH_OS);
    browser = await launchBrowser({ locale: 'en-US' });
    const shell = new AppShell(browser.page, 'en');
    await shell.open(host.url);
    // The token left the address bar once traded.
    expect(browser.page.url()).toBe(`${host.origin}/`);
    const session = await browser.page.evaluate(() =>
      sessionStorage.getItem('port-auditor.session'),
    );
    expect(session).toMatch(/^[\w-]{40,}$/);

    // The same browser, another tab, another service on 127.0.0.1 (cookies ignore ports).
    const tab = await browser.context.newPage();
    await tab.goto(other.url);
    await tab.reload();
    await tab.close();
    expect(other.seen.length).toBeGreaterThan(0);
    for (const request of other.seen) {
      expect(request).not.toContain(launchTokenOf(host.url));
      expect(request).not.toContain(session);
      expect(request.toLowerCase()).not.toMatch(/^cookie$/m);
    }
    // A reload keeps the session (sessionStorage), without the token.
    await browser.page.reload();
    await shell.navigation.waitFor();
    expect(await shell.connectionBanner('refused').count()).toBe(0);
  });

  test('a second client with the same address is refused with a warning, in the page and on the console', async () => {
    host = await startBuiltWebHost({ LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
    browser = await launchBrowser({ locale: 'fr-FR' });
    const first = new AppShell(browser.page, 'fr');
    await first.open(host.url);

    const secondPage = await browser.context.newPage();
    const second = new AppShell(secondPage, 'fr');
    await secondPage.goto(host.url);
    await second.connectionBanner('token-used').waitFor({ timeout: 30_000 });
    await secondPage.screenshot({ path: 'test/artifacts/session-token-used.png', fullPage: true });
    expect(host.stderr()).toContain(
      'Attention\u00a0: un second programme a essayé d’ouvrir Port Auditor avec son adresse à usage unique, déjà utilisée.',
    );
    // A program outside the browser fares no better.
    expect(
      await WebClient.hello(Number(new URL(host.origin).port), { token: launchTokenOf(host.url) }),
    ).toMatchObject({
      welcomed: false,
      code: CloseCode.tokenUsed,
    });
    // The first tab still works.
    await SettingsPage.open(first);
  });

  test('the browser closed and opened again on the printed address: only the refusal, saying to restart (review 13 N4)', async () => {
    host = await startBuiltWebHost({ LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
    browser = await launchBrowser({ locale: 'fr-FR' });
    await new AppShell(browser.page, 'fr').open(host.url);
    await browser.close();

    // A fresh browser (no session kept), the same address, as a user reopening it from the terminal.
    browser = await launchBrowser({ locale: 'fr-FR' });
    const again = new AppShell(browser.page, 'fr');
    await browser.page.goto(host.url);
    const refusal = again.connectionBanner('token-used');
    await refusal.waitFor({ timeout: 30_000 });
    await browser.page.screenshot({ path: 'test/artifacts/session-reopened.png', fullPage: true });
    const text = await refusal.innerText();
    expect(again.t('connection.token-used')).toBe(
      'Cette adresse a déjà servi. Pour rouvrir Port Auditor, arrêtez-le (Ctrl+C dans son terminal) et relancez-le\u00a0: il affichera une nouvelle adresse.',
    );
    // The way back first, then the warning for the case it was not the user.
    expect(text.indexOf(again.t('connection.token-used'))).toBeGreaterThanOrEqual(0);
    expect(text.indexOf(again.t('connection.tokenUsedWarning'))).toBeGreaterThan(
      text.indexOf(again.t('connection.token-used')),
    );
    // The tab names the page as every page of the app does (WCAG 2.4.2).
    expect(await browser.page.title()).toBe('Accès refusé — Port Auditor');
    // Nothing of the app behind it: no menu, no scan button, no other alert.
    expect(await again.navigation.count()).toBe(0);
    expect(
      await browser.page.getByRole('button', { name: again.t('scan:actions.scanNow') }).count(),
    ).toBe(0);
    expect(await browser.page.getByRole('button').count()).toBe(0);
    expect(await browser.page.getByRole('alert').count()).toBe(1);
    // The refusal has the focus, so a screen reader reads it first.
    expect(
      await browser.page.evaluate(() => document.activeElement?.getAttribute('role') ?? null),
    ).toBe('alert');
    expect(await axeViolations(browser.page)).toEqual([]);
    // The console says how to get a new address too.
    expect(host.stderr()).toContain(
      'Si c’était vous (navigateur fermé puis rouvert, second onglet), arrêtez Port Auditor (Ctrl+C) et relancez-le\u00a0: il donnera une nouvelle adresse.',
    );
  });

  test('a page with neither the launch address nor a session is refused, its tab titled (en)', async () => {
    host = await startBuiltWebHost(ENGLISH_OS);
    browser = await launchBrowser({ locale: 'en-US' });
    const shell = new AppShell(browser.page, 'en');
    await browser.page.goto(`${host.origin}/`);
    await shell.connectionBanner('refused').waitFor({ timeout: 30_000 });
    expect(await browser.page.title()).toBe('Access refused — Port Auditor');
    expect(await shell.navigation.count()).toBe(0);
  });

  test('after a restart on the same port, its new address pasted in the same tab opens the app', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = http.createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const hostArgs = ['--port', String(port), '--no-open'];
    host = await startBuiltWebHost(ENGLISH_OS, 30_000, (argv) => argv, hostArgs);
    browser = await launchBrowser({ locale: 'en-US' });
    const shell = new AppShell(browser.page, 'en');
    await shell.open(host.url);
    await host.close();
    await shell.connectionBanner('stopped').waitFor({ timeout: 30_000 });

    host = await startBuiltWebHost(ENGLISH_OS, 30_000, (argv) => argv, hostArgs);
    // Same origin and path: only the fragment differs, as when the user pastes the new address.
    await browser.page.goto(host.url);
    // The app answers again: a setting is saved by the new host.
    const settings = await SettingsPage.open(shell);
    await settings.chooseTheme('dark');
    await browser.page
      .getByRole('status')
      .filter({ hasText: shell.t('settings:saved') })
      .waitFor({ timeout: 30_000 });
    expect(await shell.connectionBanner('stopped').count()).toBe(0);
    expect(await shell.connectionBanner('refused').count()).toBe(0);
    expect(host.stderr()).not.toContain('second');
  });

  test('--port 80 works: the address printed is the one that opens', async () => {
    host = await startBuiltWebHost(ENGLISH_OS, 30_000, (argv) => argv, [
      '--port',
      '80',
      '--no-open',
    ]);
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1\/#token=[\w-]+$/);
    browser = await launchBrowser({ locale: 'en-US' });
    const shell = new AppShell(browser.page, 'en');
    await shell.open(host.url);
    const settings = await SettingsPage.open(shell);
    await settings.chooseTheme('dark');
    await browser.page
      .getByRole('status')
      .filter({ hasText: shell.t('settings:saved') })
      .waitFor();
    expect(browser.errors).toEqual([]);
  });

  test('the browser is opened without the token on any command line', async () => {
    const lab = mkdtempSync(path.join(os.tmpdir(), `pa-e2e-open-${process.pid}-`));
    cleanups.push(() =>
      rmSync(lab, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 }),
    );
    // A desktop whose default browser for .html is headless Chromium, through a wrapper that
    // notes the argv xdg-open gave it and its pid (to stop it afterwards).
    const apps = path.join(lab, 'data', 'applications');
    mkdirSync(apps, { recursive: true });
    mkdirSync(path.join(lab, 'config'));
    const wrapper = path.join(lab, 'browser.sh');
    writeFileSync(
      wrapper,
      [
        '#!/bin/sh',
        `printf '%s\\n' "$@" >> ${lab}/argv.log`,
        `echo $$ > ${lab}/browser.pid`,
        `exec ${CHROMIUM_PATH} --headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --user-data-dir=${lab}/profile "$@"`,
        '',
      ].join('\n'),
    );
    chmodSync(wrapper, 0o755);
    writeFileSync(
      path.join(apps, 'pa-test-browser.desktop'),
      `[Desktop Entry]\nType=Application\nName=Test browser\nExec=${wrapper} %f\nMimeType=text/html;\n`,
    );
    writeFileSync(
      path.join(lab, 'config', 'mimeapps.list'),
      '[Default Applications]\ntext/html=pa-test-browser.desktop\n',
    );
    cleanups.push(async () => {
      // Every process of that profile, not only the first: Chromium's zygote and renderers outlive
      // a kill of its main process a moment and keep writing to the profile the next cleanup
      // removes. Killed until none is left (each round lets the kernel reap them).
      for (let round = 0; round < 100; round++) {
        const pids = processesMentioning(`${lab}/profile`);
        if (pids.length === 0) return;
        for (const pid of pids) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
        await new Promise<void>((resolve) => setTimeout(resolve, 50));
      }
    });

    host = await startBuiltWebHost(
      {
        ...ENGLISH_OS,
        DISPLAY: ':99',
        WAYLAND_DISPLAY: '',
        XDG_CURRENT_DESKTOP: '',
        BROWSER: '',
        XDG_DATA_HOME: path.join(lab, 'data'),
        // The system's own share too: xdg-mime reads the MIME database there (through `mimetype`
        // when libfile-mimeinfo-perl is installed, which finds none without it); the default for
        // text/html still comes from this lab's mimeapps.list, read first.
        XDG_DATA_DIRS: `${path.join(lab, 'data')}:/usr/share`,
        XDG_CONFIG_HOME: path.join(lab, 'config'),
      },
      30_000,
      (argv) => argv,
      ['--port', '0'],
    );
    const token = launchTokenOf(host.url);
    const opened = await until('the browser to be started', () => {
      const log = path.join(lab, 'argv.log');
      // The shell creates the file (>>) a moment before printf writes the line into it.
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
      return text.endsWith('\n') ? text.trim() : null;
    });
    expect(opened).not.toContain(token);
    expect(opened).toMatch(/^\/.+\/open-port-auditor\.html$/);
    // The launch page is this user's alone, and goes once the browser has traded the token.
    await until('the launch page to be used and removed', () => !existsSync(opened), 60_000);
    const leaking = allCommandLines().filter((line) => line.includes(token));
    expect(leaking).toEqual([]);
    expect(await WebClient.hello(Number(new URL(host.origin).port), { token })).toMatchObject({
      welcomed: false,
      code: CloseCode.tokenUsed,
    });
  });
});
