import type { Locator } from 'playwright-core';
import type { AppShell } from './app-shell.js';
import { exact } from '../support/strings.js';

/** The Settings screen: language and theme. */
export class SettingsPage {
  constructor(readonly shell: AppShell) {}

  static async open(shell: AppShell): Promise<SettingsPage> {
    await shell.openSettings();
    return new SettingsPage(shell);
  }

  get languageGroup(): Locator {
    return this.shell.page.getByRole('radiogroup', {
      name: this.shell.t('settings:language.title'),
    });
  }

  /** Languages are named in their own language, so these names do not depend on the UI language. */
  async chooseLanguage(lang: 'fr' | 'en'): Promise<void> {
    await this.languageGroup
      .getByRole('radio', { name: exact(this.shell.t(`settings:language.${lang}`)) })
      .check();
  }

  async chooseTheme(theme: 'system' | 'light' | 'dark'): Promise<void> {
    await this.shell.page
      .getByRole('radiogroup', { name: this.shell.t('settings:theme.title') })
      .getByRole('radio', { name: exact(this.shell.t(`settings:theme.${theme}`)) })
      .check();
  }

  /** The "À propos" section (a region named by its heading). */
  get about(): Locator {
    return this.shell.page.getByRole('region', {
      name: exact(this.shell.t('settings:about.title')),
    });
  }

  /** "Ordinateur : nom (système)": the About line naming this computer and its OS. */
  get machineLine(): Locator {
    const prefix = this.shell.t('settings:about.machine').split('{{')[0]!;
    return this.about.getByText(prefix, { exact: false });
  }

  /** "Nombre d’analyses gardées": how many scans the history keeps. */
  async chooseKeptScans(count: number): Promise<void> {
    await this.shell.page
      .getByRole('combobox', { name: this.shell.t('settings:history.keepScans') })
      .click();
    const label = this.shell.t(`settings:history.scans_${count === 1 ? 'one' : 'other'}`);
    await this.shell.page
      .getByRole('option', { name: exact(label.replace(/{{count(, number)?}}/, String(count))) })
      .click();
  }
}
