import type { Locator } from 'playwright-core';
import type { AppShell } from './app-shell.js';
import { exact } from '../support/strings.js';

/** The "Historique" page: kept scans and imports, newest first, each reopened by its button. */
export class HistoryPage {
  constructor(readonly shell: AppShell) {}

  /** Through the left menu, as a user would. */
  static async open(shell: AppShell): Promise<HistoryPage> {
    await shell.navigation.getByRole('button', { name: exact(shell.t('nav.history')) }).click();
    const page = new HistoryPage(shell);
    await page.heading.waitFor();
    return page;
  }

  private t(key: string) {
    return this.shell.t(`history:${key}`);
  }

  get heading(): Locator {
    return this.shell.page.getByRole('heading', { level: 1, name: exact(this.t('title')) });
  }

  /** Said when no scan is kept yet. */
  get empty(): Locator {
    return this.shell.page.getByTestId('history-empty');
  }

  get table(): Locator {
    return this.shell.page.getByTestId('history-table');
  }

  /** The table's body rows, newest first. */
  get rows(): Locator {
    return this.table.locator('tbody').getByRole('row');
  }

  /** The cells of one row (date, source, targets, devices, open ports), as shown. */
  async rowTexts(index: number): Promise<string[]> {
    return (await this.rows.nth(index).getByRole('cell').allInnerTexts()).slice(0, 5);
  }

  /** Reopens the scan of row `index` ("Ouvrir l’analyse du …"). */
  async reopen(index: number): Promise<void> {
    await this.rows
      .nth(index)
      .getByRole('button', { name: new RegExp(`^${this.t('openShort')}`) })
      .click();
  }
}
