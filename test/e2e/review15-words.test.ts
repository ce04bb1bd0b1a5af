import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { RulesPage } from './pages/firewall.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { ReportPage } from './pages/report.js';
import { SuspiciousPortsPage } from './pages/suspicious-ports.js';
import { wcag22Violations } from './support/axe.js';
import { useAppInBrowser } from './support/app-in-browser.js';
import { hasFocus } from './support/focus.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';

// Review 15 (one voice, WCAG 2.2 AA) as a new user: what is spoken and shown around a scan, its
// verdicts and its export (findings R2, R4, R5, R6, R8, R9 of the rev15user review).

const ADDRESS = '127.0.0.1';
/** Redis: critical on every address (ports-kb), so its verdict is listed without "show info". */
const PORT = 6379;
/**
 * Folders as long as a Windows AppData path, with no space and no hyphen (a browser may break a
 * line after a hyphen): the path is one unbroken word in a reason, as /root/.pyenv/… was.
 */
const LONG_FOLDERS = ['opt', 'vendorsoftwarecollection', 'versions', '3.11.7', 'bin'];

/** `text` as a regular expression matching it, any run of spaces as any. */
function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}

/**
 * Starts recording, in the page, every text a live region (role status or alert, aria-live) takes:
 * what a screen reader is told, in order. Returns the reader of the record.
 */
async function recordAnnouncements(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { __said: string[]; __seen: Map<Element, string> };
    w.__said = [];
    w.__seen = new Map();
    const record = () => {
      const live = document.querySelectorAll(
        '[role="status"], [role="alert"], [aria-live="polite"], [aria-live="assertive"]',
      );
      for (const el of Array.from(live)) {
        const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
        if (text !== (w.__seen.get(el) ?? '')) {
          w.__seen.set(el, text);
          if (text) w.__said.push(text);
        }
      }
    };
    record();
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
  return () => page.evaluate(() => [...(window as unknown as { __said: string[] }).__said]);
}

describe('Review 15: what is spoken and shown around a scan (fr)', () => {
  const app = useAppInBrowser('review15-words');
  let folder = '';
  let listener: ChildProcess | undefined;
  let executable = '';

  // A program of this PC listening on the port, from a path long enough to overflow a 320 px
  // panel: a copy of Node under LONG_FOLDERS (what the verdict names is the executable's path).
  beforeAll(async () => {
    assertInsideLabNamespace();
    folder = await mkdtemp(path.join(tmpdir(), 'pa_e2e_review15_'));
    const dir = path.join(folder, ...LONG_FOLDERS);
    await mkdir(dir, { recursive: true });
    executable = path.join(dir, 'nodelistener20.11');
    await copyFile(process.execPath, executable);
    const child = spawn(
      executable,
      [
        '-e',
        `require('node:net').createServer((s) => s.end()).listen(${PORT}, '0.0.0.0', () => console.log('ready'))`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    listener = child;
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`listener exited (${code})`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
    });
  }, 60_000);

  afterAll(async () => {
    if (listener && listener.exitCode === null) {
      const gone = new Promise((resolve) => listener!.once('exit', resolve));
      listener.kill();
      await gone;
    }
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  test('the Rules page on Linux says nothing about Windows while it reads (R4)', async () => {
    const shell = new AppShell(app.browser.page, 'fr');
    const said = await recordAnnouncements(shell.page);
    await RulesPage.open(shell);
    const texts = await said();
    expect(texts).toContain(shell.t('firewall:rules.reading'));
    expect(texts.filter((text) => /Windows/.test(text))).toEqual([]);
  });

  test('a request refused by validation announces no preparation, only its error (R6)', async () => {
    const shell = new AppShell(app.browser.page, 'fr');
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets({ custom: `${ADDRESS}, 300.1.1.1` });
    await scanner.choosePorts({ custom: String(PORT) });
    const said = await recordAnnouncements(shell.page);
    await scanner.scanNow();
    await scanner.error.waitFor();
    expect(await scanner.customTargetsField.getAttribute('aria-invalid')).toBe('true');
    const texts = await said();
    expect(texts).not.toContain(shell.t('scan:progress.preparing'));
    expect(texts.some((text) => text.includes('300.1.1.1'))).toBe(true);
  });

  test('at 320 px an open verdict’s reasons wrap inside the panel and none is said twice (R2, R5)', async () => {
    const page = app.browser.page;
    const shell = new AppShell(page, 'fr');
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets({ custom: ADDRESS });
    await scanner.choosePorts({ custom: String(PORT) });
    await scanner.scanNow();
    await scanner.waitForSummary();
    const risk = new SuspiciousPortsPage(shell);
    await risk.waitForVerdicts(ADDRESS, 60_000);
    await page.setViewportSize({ width: 320, height: 800 });
    try {
      const verdict = risk.verdict(ADDRESS, PORT);
      const headline = await risk.headline(ADDRESS, PORT);
      const { reasons } = await risk.openDetails(ADDRESS, PORT);
      // The reason naming the program quotes its whole path, and every line of it is drawn
      // inside the panel (nothing cut at its right edge, nothing to scroll to).
      expect(reasons.some((reason) => reason.replace(/\s+/g, '').includes(executable))).toBe(true);
      const overflow = await verdict.getByTestId('verdict-reasons').evaluate((list) => {
        const panel = list.closest('section') ?? list.closest('.MuiPaper-root') ?? document.body;
        const edge = Math.min(panel.getBoundingClientRect().right, window.innerWidth);
        return Array.from(list.querySelectorAll('li'), (item) => {
          const range = document.createRange();
          range.selectNodeContents(item);
          return Math.max(0, Math.ceil(range.getBoundingClientRect().right - edge));
        });
      });
      expect(overflow).toEqual(overflow.map(() => 0));
      // Open, the first reason is said once: in the list, not also in the line under the header.
      expect(reasons[0]).toBe(headline);
      expect(await verdict.getByTestId('verdict-headline').count()).toBe(0);
      const shown = await verdict.innerText();
      expect(shown.split(headline).length - 1).toBe(1);
      // Folded again, the line under the header says it again.
      await verdict.getByRole('button').first().click();
      await expect.poll(() => risk.headline(ADDRESS, PORT)).toBe(headline);
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  test('the export menu lies in a landmark and says the CSV carries codes (R9, R8)', async () => {
    const page = app.browser.page;
    const shell = new AppShell(page, 'fr');
    const report = new ReportPage(shell);
    await report.exportButton.click();
    // Named with its hint: a person choosing it is told it holds codes, not words.
    const csv = page.getByRole('menuitem', {
      name: new RegExp(`^CSV\\s+${escaped(shell.t('report:formats.csv.hint'))}$`),
    });
    await csv.waitFor();
    expect(await wcag22Violations(page)).toEqual([]);
    expect(shell.t('report:formats.csv.hint')).toMatch(/codes anglais \(open, critical…\)$/);
    await page.keyboard.press('Escape');
    await expect.poll(() => hasFocus(report.exportButton)).toBe(true);
  });
});
