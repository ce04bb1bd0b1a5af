import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { AppShell } from '../pages/app-shell.js';
import { launchBrowser, screenshotOnFailure, type LaunchedBrowser } from './browser.js';
import { assertInsideLabNamespace } from './namespace-guard.js';
import { ROOT, startBuiltWebHost, type RunningHost } from './web-host.js';

/** Where a failing test's screenshot goes. */
export const ARTIFACTS = path.join(ROOT, 'test/artifacts');

/** The app of one describe block: its browser-mode host, its Chromium page, its own data folder. */
export interface AppInBrowser {
  readonly host: RunningHost;
  readonly browser: LaunchedBrowser;
  readonly dataDir: string;
}

/**
 * Registers the usual life of a describe block's app: before all, a fresh data folder
 * (`pa-e2e-<name>-<pid>-…`), the built host started with a French or English system locale and
 * Chromium opened on it in that language; after each test, a screenshot when it failed; after all,
 * browser, host and folder gone (also when a test failed). Must be called inside `describe`.
 * The fields throw when read before `beforeAll` ran: a test never works on a half-made app.
 */
export function useAppInBrowser(name: string, lang: 'fr' | 'en' = 'fr'): AppInBrowser {
  let started: AppInBrowser | undefined;
  let dataDir: string | undefined;
  let host: RunningHost | undefined;
  let browser: LaunchedBrowser | undefined;

  beforeAll(async () => {
    assertInsideLabNamespace();
    await mkdir(ARTIFACTS, { recursive: true });
    dataDir = await mkdtemp(path.join(tmpdir(), `pa-e2e-${name}-${process.pid}-`));
    host = await startBuiltWebHost({
      LANG: lang === 'fr' ? 'fr_FR.UTF-8' : 'en_US.UTF-8',
      LC_ALL: '',
      LC_MESSAGES: '',
      PORT_AUDITOR_DATA_DIR: dataDir,
    });
    browser = await launchBrowser({ locale: lang === 'fr' ? 'fr-FR' : 'en-US' });
    await new AppShell(browser.page, lang).open(host.url);
    started = { host, browser, dataDir };
  });

  afterEach(async (context) => {
    if (browser) await screenshotOnFailure(browser.page, context.task, ARTIFACTS);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const ready = (): AppInBrowser => {
    if (!started) throw new Error('the app of this describe block has not started');
    return started;
  };
  return {
    get host() {
      return ready().host;
    },
    get browser() {
      return ready().browser;
    },
    get dataDir() {
      return ready().dataDir;
    },
  };
}
