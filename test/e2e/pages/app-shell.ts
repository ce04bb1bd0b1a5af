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

  /** The banner that says what happened to the link with the app, by its role and words. */
  connectionBanner(state: 'lost' | 'stopped' | 'token-used' | 'refused'): Locator {
    return this.page
      .getByRole(state === 'lost' ? 'status' : 'alert')
      .filter({ hasText: exact(this.t(`connection.${state}`)) });
  }

  get connectionLost(): Locator {
    return this.connectionBanner('lost');
  }

  /** The same shell in the other language, after the UI switched. */
  as(lang: Lang): AppShell {
    return new AppShell(this.page, lang);
  }
}
