import type { Locator, Page } from 'playwright-core';
import { exact, strings, type Lang } from '../support/strings.js';

/** The frame around every screen: app bar, Toolbox menu, connection banner. */
export class AppShell {
  readonly t: (key: string) => string;
  constructor(
    readonly page: Page,
    readonly lang: Lang,
  ) {
    this.t = strings(lang);
  }

  /** Opens the token URL; the page trades the fragment's token for a session over the socket. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.navigation.waitFor();
  }

  /** Every page's notice that the app's database is read-only: a status, named by its title. */
  get storeReadOnly(): Locator {
    return this.page.getByRole('status').filter({ hasText: this.t('history:readOnly.title') });
  }

  /** Reloads the page as the browser's reload button does (same tab, same session). */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.navigation.waitFor();
  }

  /**
   * Edits the page's address to name another shown scan (`?scan=` after the screen's path, as
   * the page writes it), then reloads: what a bookmark or an old tab of a removed scan does.
   */
  async reloadNamingScan(scanId: string): Promise<void> {
    await this.page.evaluate((id) => {
      const hash = window.location.hash;
      const path = hash.includes('?') ? hash.slice(0, hash.indexOf('?')) : hash || '#/';
      window.history.replaceState(null, '', `${path}?scan=${encodeURIComponent(id)}`);
    }, scanId);
    await this.reload();
  }

  /** The kept scan the page's address names (`?scan=`), or null. */
  async scanInAddress(): Promise<string | null> {
    return this.page.evaluate(() => {
      const hash = window.location.hash;
      const query = hash.indexOf('?');
      return query === -1 ? null : new URLSearchParams(hash.slice(query + 1)).get('scan');
    });
  }

  get navigation(): Locator {
    return this.page.getByRole('navigation', { name: this.t('nav.label') });
  }

  get toolboxButton(): Locator {
    return this.navigation.getByRole('button', { name: exact(this.t('nav.toolbox')) });
  }

  /** Expands the Toolbox group when it is folded, then returns its menu. */
  async openToolbox(): Promise<Locator> {
    if ((await this.toolboxButton.getAttribute('aria-expanded')) !== 'true') {
      await this.toolboxButton.click();
    }
    const menu = this.navigation.getByRole('list', { name: this.t('nav.toolbox') });
    await menu.waitFor();
    return menu;
  }

  async openTool(labelKey: string): Promise<void> {
    const menu = await this.openToolbox();
    await menu.getByRole('button', { name: exact(this.t(labelKey)) }).click();
    await this.page.getByRole('heading', { level: 1, name: exact(this.t(labelKey)) }).waitFor();
  }

  /**
   * What the window sees when the user comes back to it from another one (a terminal): the
   * browser's focus event. Headless Chromium has no other window to switch from.
   */
  async returnToWindow(): Promise<void> {
    await this.page.evaluate(() => window.dispatchEvent(new Event('focus')));
  }

  async openSettings(): Promise<void> {
    await this.page
      .getByRole('banner')
      .getByRole('button', { name: this.t('nav.settings') })
      .click();
    await this.page
      .getByRole('heading', { level: 1, name: exact(this.t('settings:title')) })
      .waitFor();
  }

  /**
   * The banner that says what happened to the link with the app, by its role and words; for a
   * refused page (`token-used`, `refused`), the full-page refusal, whose alert holds a title and
   * a second sentence beside these words.
   */
  connectionBanner(
    state: 'lost' | 'unreachable' | 'stopped' | 'token-used' | 'refused' | 'rate-limited',
  ): Locator {
    const words = this.t(`connection.${state}`);
    const retrying = state === 'lost' || state === 'unreachable';
    return this.page
      .getByRole(retrying ? 'status' : 'alert')
      .filter({ hasText: retrying || state === 'stopped' ? exact(words) : words });
  }

  get connectionLost(): Locator {
    return this.connectionBanner('lost');
  }

  /** The same shell in the other language, after the UI switched. */
  as(lang: Lang): AppShell {
    return new AppShell(this.page, lang);
  }
}
