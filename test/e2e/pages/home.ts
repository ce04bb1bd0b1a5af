import type { Locator } from 'playwright-core';
import type { AppShell } from './app-shell.js';
import { exact } from '../support/strings.js';

/** The home screen: the welcome card and one card per tool. */
export class HomePage {
  constructor(readonly shell: AppShell) {}

  /** Through the left menu, as a user would. */
  static async open(shell: AppShell): Promise<HomePage> {
    await shell.navigation.getByRole('button', { name: exact(shell.t('nav.home')) }).click();
    const page = new HomePage(shell);
    await page.heading.waitFor();
    return page;
  }

  get heading(): Locator {
    return this.shell.page.getByRole('heading', {
      level: 1,
      name: exact(this.shell.t('home.title')),
    });
  }
}
