import type { Locator, Page } from 'playwright-core';
import type { AppShell } from './app-shell.js';
import { exact } from '../support/strings.js';

/** The "Bloquer ce port" stepper dialog. */
export class BlockWizard {
  constructor(readonly shell: AppShell) {}

  private get page(): Page {
    return this.shell.page;
  }
  private t(key: string) {
    return this.shell.t(`firewall:${key}`);
  }

  /** Expands a port's verdict and clicks its "Bloquer ce port" button. */
  static async openFromVerdict(
    shell: AppShell,
    address: string,
    port: number,
  ): Promise<BlockWizard> {
    const verdict = shell.page.getByTestId(`verdict-${address}-${port}`);
    await verdict.waitFor({ timeout: 90_000 });
    await verdict.getByRole('button', { expanded: false }).first().click();
    await shell.page.getByTestId(`block-port-${address}-${port}`).click();
    const wizard = new BlockWizard(shell);
    await wizard.dialog.waitFor();
    return wizard;
  }

  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  /** The dialog's title, as the user reads it. */
  async title(): Promise<string> {
    return (await this.dialog.getByRole('heading').first().innerText()).trim();
  }

  /** The "Appliquer" step's sentence about the permission prompt. */
  get applyIntro(): Locator {
    return this.dialog.getByTestId('block-apply-intro');
  }

  /** Said on the first step when the service only listens on 127.0.0.1. */
  get needless(): Locator {
    return this.dialog.getByTestId('block-needless');
  }

  /** Said under the addresses field when an address typed there is this PC's own (loopback too). */
  get ownAddress(): Locator {
    return this.dialog.getByTestId('block-own-address');
  }

  /** The preview step's notices (what the rule does and does not cover), read in place. */
  get previewNotes(): Locator {
    return this.dialog.getByTestId('block-step-preview').getByRole('note');
  }

  /** The sentence that introduces the commands under "Détails techniques". */
  get technicalIntro(): Locator {
    return this.dialog.getByTestId('block-rule-name');
  }

  direction(value: 'in' | 'out'): Locator {
    return this.dialog.getByRole('radio', {
      name: this.t(value === 'in' ? 'wizard.directionIn' : 'wizard.directionOut'),
    });
  }

  get remote(): Locator {
    return this.dialog.getByTestId('block-remote');
  }

  /** The addresses field as a screen reader finds it: a text box named by its one label. */
  get remoteByName(): Locator {
    return this.dialog.getByRole('textbox', { name: exact(this.t('wizard.remote')) });
  }

  /** How many times the dialog's text carries the addresses field's label (legends included). */
  async remoteLabelCount(): Promise<number> {
    const text = (await this.dialog.textContent()) ?? '';
    return text.split(this.t('wizard.remote')).length - 1;
  }

  /** What the first step says the port is and why it was flagged. */
  get why(): Locator {
    return this.dialog.getByTestId('block-why');
  }

  /** Everything in the dialog announced as an alert (only live changes should be). */
  get alerts(): Locator {
    return this.dialog.getByRole('alert');
  }

  /** The field's own message under it, through its aria-describedby (its help, or its error). */
  async remoteDescription(): Promise<string> {
    return this.remote.evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
        .join(' '),
    );
  }

  /** "Suivant", by its name. */
  get nextButton(): Locator {
    return this.dialog.getByRole('button', { name: exact(this.t('wizard.next')) });
  }

  async next(): Promise<void> {
    await this.nextButton.click();
  }

  /** The plain sentence the preview starts with. */
  get summary(): Locator {
    return this.dialog.getByTestId('block-summary');
  }

  /** Opens "Détails techniques" and returns the commands shown there. */
  async technicalCommands(): Promise<Locator> {
    await this.dialog.getByRole('button', { name: exact(this.t('wizard.technical')) }).click();
    await this.commands.first().waitFor();
    return this.commands;
  }

  get commands(): Locator {
    return this.dialog.getByTestId('block-command');
  }

  /** The generated name the preview shows (inside "Détails techniques"). */
  async previewedRuleName(): Promise<string> {
    const text = await this.dialog.getByTestId('block-rule-name').innerText();
    return /PortAuditor-[0-9a-f-]{36}/.exec(text)?.[0] ?? '';
  }

  get deviceNote(): Locator {
    return this.dialog.getByTestId('block-device-note');
  }

  async apply(): Promise<void> {
    await this.dialog.getByRole('button', { name: exact(this.t('wizard.apply')) }).click();
  }

  /** After an attempt that changed nothing: "Réessayer" once declined, "Appliquer" after an error. */
  async applyAgain(): Promise<void> {
    const either = [exact(this.t('wizard.apply')), exact(this.t('wizard.retry'))];
    await this.dialog
      .getByRole('button', { name: new RegExp(either.map((r) => `(${r.source})`).join('|')) })
      .click();
  }

  /** What an attempt that changed nothing says: an error, or "declined, nothing changed". */
  get failedAttempt(): Locator {
    return this.dialog.getByTestId(/^block-(error|cancelled)$/);
  }

  get verifyStep(): Locator {
    return this.dialog.getByTestId('block-step-verify');
  }

  get verdict(): Locator {
    return this.dialog.getByTestId('block-verdict');
  }

  check(name: 'readback' | 'firewall-on'): Locator {
    return this.dialog.getByTestId(`check-${name}`);
  }

  get rescanResult(): Locator {
    return this.dialog.getByTestId('block-rescan-result');
  }

  /** "Non vérifiable d’ici": what cannot be checked from this PC. */
  get notChecked(): Locator {
    return this.dialog.getByTestId('block-not-checked');
  }

  get error(): Locator {
    return this.dialog.getByTestId('block-error');
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: exact(this.t('wizard.close')) }).click();
    await this.dialog.waitFor({ state: 'detached' });
  }

  /** "Annuler": leaves the wizard before anything is applied. */
  get cancelButton(): Locator {
    return this.dialog.getByRole('button', { name: exact(this.t('wizard.cancel')) });
  }

  async cancel(): Promise<void> {
    await this.cancelButton.click();
    await this.dialog.waitFor({ state: 'detached' });
  }
}

/** Toolbox → Firewall rules. */
export class RulesPage {
  constructor(readonly shell: AppShell) {}

  static async open(shell: AppShell): Promise<RulesPage> {
    await shell.openTool('firewall:tool.label');
    const page = new RulesPage(shell);
    // Once this visit's read is back: the rows and the banners above them no longer move.
    await page.root.and(shell.page.locator('[aria-busy="false"]')).waitFor();
    return page;
  }

  private t(key: string) {
    return this.shell.t(`firewall:${key}`);
  }

  get root(): Locator {
    return this.shell.page.getByTestId('firewall-rules');
  }

  /** The firewall's standing notices above the rules (the nftables reboot notice…). */
  get warnings(): Locator {
    return this.shell.page.getByTestId('firewall-warning');
  }

  get rows(): Locator {
    return this.root.locator('[data-testid^="rule-row-"]');
  }

  get empty(): Locator {
    return this.root.getByTestId('rules-empty');
  }

  /** The empty list once read ("Aucune règle active…"), not while it still says "Chargement…". */
  get emptyRead(): Locator {
    return this.empty.filter({ hasText: this.t('rules.empty') });
  }

  /** Rows of rules found in the firewall without a journal entry, by their "found" chip. */
  get foundRows(): Locator {
    return this.rows.filter({ has: this.shell.page.locator('[data-testid^="rule-found-"]') });
  }

  get notice(): Locator {
    return this.root.getByTestId('firewall-notice');
  }

  /** Each rule's own "Débloquer" (named after its port), not "Tout débloquer". */
  undoButtons(): Locator {
    const prefix = this.t('rules.undoLabel').split('{{port}}')[0] ?? '';
    return this.root.getByRole('button', { name: new RegExp(`^${prefix}`) });
  }

  async refresh(): Promise<void> {
    await this.root.getByRole('button', { name: exact(this.t('rules.refresh')) }).click();
    await this.root.getByTestId('firewall-reading').waitFor({ state: 'detached' });
  }

  /** The "Créée le" cell of a rule, as shown. */
  async created(id: string): Promise<string> {
    return (await this.row(id).getByTestId('rule-created').innerText()).trim();
  }

  /** "Tout débloquer", then the confirmation it asks for ("Tout débloquer ?"). */
  async undoAll(): Promise<void> {
    await this.root.getByRole('button', { name: exact(this.t('rules.undoAll')) }).click();
    const confirm = this.shell.page.getByRole('dialog', {
      name: exact(this.t('rules.confirmTitle')),
    });
    await confirm.getByRole('button', { name: exact(this.t('rules.confirm')) }).click();
    await confirm.waitFor({ state: 'detached' });
  }

  /** The row of one rule, by its id. */
  row(id: string): Locator {
    return this.root.getByTestId(`rule-row-${id}`);
  }
}

/** "Débloquer" on a verdict of the results, and the confirmation it asks for. */
export class UnblockFromResults {
  constructor(
    readonly shell: AppShell,
    readonly address: string,
    readonly port: number,
  ) {}

  private t(key: string, values: Record<string, string | number> = {}) {
    let text = this.shell.t(`firewall:${key}`);
    for (const [name, value] of Object.entries(values)) {
      text = text.replaceAll(`{{${name}}}`, String(value));
    }
    return text;
  }

  get button(): Locator {
    return this.shell.page.getByRole('button', {
      name: exact(
        this.t('unblock.label', { port: this.port, protocol: 'TCP', address: this.address }),
      ),
    });
  }

  /** The confirmation dialog, by its title ("Débloquer le port 3389/TCP ?"). */
  get dialog(): Locator {
    return this.shell.page.getByRole('dialog', {
      name: exact(this.t('unblock.confirm.title', { port: this.port, protocol: 'TCP' })),
    });
  }

  /** Clicks "Débloquer" on the verdict (opening its details first) and waits for the dialog. */
  async open(): Promise<Locator> {
    const verdict = this.shell.page.getByTestId(`verdict-${this.address}-${this.port}`);
    const toggle = verdict.getByRole('button').first();
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await this.button.click();
    await this.dialog.waitFor();
    return this.dialog;
  }

  async confirm(): Promise<void> {
    await this.dialog
      .getByRole('button', { name: exact(this.t('unblock.confirm.action')) })
      .click();
    await this.dialog.waitFor({ state: 'detached' });
  }

  async keep(): Promise<void> {
    await this.dialog.getByRole('button', { name: exact(this.t('unblock.confirm.keep')) }).click();
    await this.dialog.waitFor({ state: 'detached' });
  }

  /** What the unblock did, said above the results. */
  get notice(): Locator {
    return this.shell.page.getByTestId('unblock-notice');
  }
}
