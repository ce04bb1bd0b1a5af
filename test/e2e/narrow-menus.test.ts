import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { wcag22Violations } from './support/axe.js';
import { useAppInBrowser } from './support/app-in-browser.js';
import { describeFocus, hasFocus, tabTo } from './support/focus.js';
import { exact } from './support/strings.js';

// Issue 15, item 2: at 320 CSS px (a 1280 px window at 400 % zoom, WCAG 1.4.10) the menu folds
// into a drawer behind the app bar's "Ouvrir le menu". Driven by keyboard only, in fr and en: the
// drawer opens, each entry is reached, axe-core finds nothing with it open, nothing scrolls
// sideways, and the focus goes somewhere sensible when it closes (WCAG 2.4.3).
const NARROW = { width: 320, height: 640 };

/** How far the page scrolls sideways (0 when it reflows). */
function sideways(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.scrollingElement as Element;
    return root.scrollWidth - root.clientWidth;
  });
}

/** Whether the focus is on `locator` or inside it. */
function focusWithin(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el.contains(document.activeElement));
}

for (const lang of ['fr', 'en'] as const) {
  describe(`the menu at 320 CSS px, by keyboard (${lang})`, () => {
    const app = useAppInBrowser(`narrow-menus-${lang}`, lang);

    test('opens from the app bar, reaches every entry, is axe-clean, closes back to its button', async () => {
      const page = app.browser.page;
      const shell = new AppShell(page, lang);
      const t = shell.t;
      await page.setViewportSize(NARROW);
      await page.waitForFunction((width) => window.innerWidth === width, NARROW.width);
      const menuButton = page.getByRole('button', { name: exact(t('nav.openMenu')) });
      await menuButton.waitFor();
      // The permanent menu is gone: its entries are behind the button.
      expect(await shell.navigation.count()).toBe(0);
      expect(await sideways(page)).toBe(0);

      // From the top of the page: the skip link, then the menu's button.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await tabTo(page, menuButton, 5);
      await page.keyboard.press('Enter');
      await shell.navigation.waitFor();
      await expect.poll(() => focusWithin(shell.navigation.locator('xpath=..'))).toBe(true);
      expect(await wcag22Violations(page)).toEqual([]);
      expect(await sideways(page)).toBe(0);

      // Each entry, by Tab, in the drawer: Accueil, Boîte à outils (open), its tools, Historique,
      // Paramètres.
      const entries = [
        t('nav.home'),
        t('nav.toolbox'),
        t('scan:tool.label'),
        t('firewall:tool.label'),
        t('report:tool.label'),
        t('nav.history'),
        t('nav.settings'),
      ];
      for (const name of entries) {
        const entry = shell.navigation.getByRole('button', { name: exact(name) });
        await tabTo(page, entry, 10);
        expect(await entry.isVisible(), name).toBe(true);
      }
      // The focus stays in the open drawer (a modal): Tab past the last entry comes back to it.
      await page.keyboard.press('Tab');
      expect(
        await focusWithin(shell.navigation.locator('xpath=..')),
        await describeFocus(page),
      ).toBe(true);

      // Escape closes it, and the focus is back on the button that opened it.
      await page.keyboard.press('Escape');
      await shell.navigation.waitFor({ state: 'hidden' });
      await expect.poll(() => hasFocus(menuButton)).toBe(true);

      // Open again, go to Scanner réseau: the drawer closes and the page's title has the focus.
      await page.keyboard.press('Enter');
      await shell.navigation.waitFor();
      const scanner = shell.navigation.getByRole('button', { name: exact(t('scan:tool.label')) });
      await tabTo(page, scanner, 10);
      await page.keyboard.press('Enter');
      await shell.navigation.waitFor({ state: 'hidden' });
      const title = page.getByRole('heading', { level: 1, name: exact(t('scan:tool.label')) });
      await title.waitFor();
      await expect.poll(() => hasFocus(title), { timeout: 10_000 }).toBe(true);
      // The Open ports tab is the next thing a keyboard reaches on the page.
      const openPorts = page.getByRole('tab', { name: exact(t('scan:tabs.openPorts')) });
      await tabTo(page, openPorts, 10);
      expect(await wcag22Violations(page)).toEqual([]);
      expect(await sideways(page)).toBe(0);
    });
  });
}
