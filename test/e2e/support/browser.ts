import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface LaunchedBrowser {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, so a test can assert the UI ran cleanly. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, with a fresh profile each time (no settings or cookies leak
 * between tests) and with everything that would phone home switched off.
 */
export async function launchBrowser(options: { locale: string }): Promise<LaunchedBrowser> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'pa-e2e-chromium-'));
  const lang = options.locale;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    locale: lang,
    viewport: { width: 1280, height: 860 },
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      `--lang=${lang}`,
    ],
    env: {
      ...process.env,
      LANG: `${lang.replace('-', '_')}.UTF-8`,
      LANGUAGE: lang.replace('-', '_'),
    },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`http ${response.status()}: ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Keeps a full-page picture of a failed test's screen, named after the test, for the CI log. */
export async function screenshotOnFailure(
  page: Page,
  task: { name: string; result?: { state?: string } },
  dir: string,
): Promise<void> {
  if (task.result?.state !== 'fail') return;
  const name = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  await page.screenshot({ path: path.join(dir, `failure-${name}.png`), fullPage: true });
}
