import type { Locator } from 'playwright-core';
import type { AppShell } from './app-shell.js';
import { exact, startingWith } from '../support/strings.js';
import { notShownText } from '../../../app/contract/vocabulary.js';
import { textFor } from '../../../app/text/catalogue.js';

export type Targets = 'this-pc' | 'local-network' | { custom: string };
export type Ports = 'top1000' | 'all' | { custom: string };

/** Toolbox → Network scanner → Open ports. */
export class OpenPortsPage {
  constructor(readonly shell: AppShell) {}

  /** Clicks through the Toolbox to the Open ports tab, as a user would. */
  static async open(shell: AppShell): Promise<OpenPortsPage> {
    await shell.openTool('scan:tool.label');
    const page = new OpenPortsPage(shell);
    await page.tab.click();
    await page.scanButton.waitFor();
    return page;
  }

  private get page() {
    return this.shell.page;
  }
  private t(key: string) {
    return this.shell.t(`scan:${key}`);
  }

  get tab(): Locator {
    return this.page.getByRole('tab', { name: exact(this.t('tabs.openPorts')) });
  }

  get scanButton(): Locator {
    return this.page.getByRole('button', { name: exact(this.t('actions.scanNow')) });
  }

  get cancelButton(): Locator {
    return this.page.getByRole('button', { name: exact(this.t('actions.cancel')) });
  }

  get progress(): Locator {
    return this.page.getByTestId('scan-progress');
  }

  get progressBar(): Locator {
    return this.progress.getByRole('progressbar', { name: this.t('progress.label') });
  }

  get summary(): Locator {
    return this.page.getByTestId('scan-summary');
  }

  /** The app's error: under the field it is about, else in the banner above the results. */
  get error(): Locator {
    return this.page.getByTestId('scan-error');
  }

  /** The custom targets field, by its label. */
  get customTargetsField(): Locator {
    return this.page.getByRole('textbox', { name: this.t('form.targets.customLabel') });
  }

  /** The custom ports field, by its label. */
  get customPortsField(): Locator {
    return this.page.getByRole('textbox', { name: this.t('form.ports.customLabel') });
  }

  /** What a field says about itself (the text of its aria-describedby), as a screen reader reads it. */
  async fieldDescription(field: Locator): Promise<string> {
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    const texts = await Promise.all(ids.map((id) => this.page.locator(`[id="${id}"]`).innerText()));
    return texts.join(' ').trim();
  }

  /** The button of the confirmation question ("Je confirme, lancer l’analyse"). */
  get confirmButton(): Locator {
    return this.page.getByRole('button', { name: exact(this.t('actions.confirmAndScan')) });
  }

  get emptyState(): Locator {
    return this.page.getByTestId('scan-empty');
  }

  /** Every device card drawn on the page (one page of results at most). */
  get hostCards(): Locator {
    return this.page.locator('[data-testid^="host-card-"]');
  }

  /** The results' page navigation (shown when more devices answered than one page holds). */
  get resultPages(): Locator {
    return this.page.getByTestId('hosts-pages').first();
  }

  /** Goes to page `n` (from 1) of the results. */
  async goToPage(n: number): Promise<void> {
    await this.resultPages
      .getByRole('button', { name: exact(this.t('pages.page').replace('{{page}}', String(n))) })
      .click();
  }

  hostCard(address: string): Locator {
    return this.page.getByTestId(`host-card-${address}`);
  }

  /** The title of the device card named by `address` (its first address): "Ce PC" for this PC. */
  deviceTitle(address: string): Locator {
    return this.hostCard(address).getByRole('heading', { level: 3 }).first();
  }

  /** The line listing a device's addresses, when it has several or is this PC. */
  deviceAddresses(address: string): Locator {
    return this.hostCard(address).getByTestId('device-addresses');
  }

  /** A device's host name on its card (its PTR name, or the name typed as a target). */
  deviceName(address: string): Locator {
    return this.hostCard(address).getByTestId('device-name');
  }

  /** A device's "Adresse MAC : … · maker" line, for a device on this PC's network. */
  deviceMac(address: string): Locator {
    return this.hostCard(address).getByTestId('device-mac');
  }

  /**
   * The part of a device card listing the services its first address lacks, open on `address`
   * (first) and maybe others: "Seulement sur 127.0.0.1 (…)".
   */
  onlyOnSection(address: string): Locator {
    return this.page.getByTestId(`device-extra-${address}`);
  }

  /**
   * A device card's line counting the ports it does not list: the vocabulary's "Ports non
   * affichés : 1 026 ports fermés", worded by the catalogue (plurals, Intl numbers) as the page,
   * the CLI and the PDF word it.
   */
  hiddenPorts(address: string, counts: { closed: number; filtered: number }): Locator {
    const t = textFor(this.shell.lang);
    const text = notShownText({ ...counts, open: 0 }, (key, params) =>
      String(t(key, params ?? {})),
    );
    return this.hostCard(address).getByText(exact(text ?? ''));
  }

  /** The level ("Niveau de risque le plus élevé") a verdict block shows, as `data-severity`. */
  async worstLevel(section: Locator): Promise<string | null> {
    return section.getByTestId('host-worst').getAttribute('data-severity');
  }

  portRow(address: string, port: number): Locator {
    return this.page.getByTestId(`port-row-${address}-${port}`);
  }

  /** The dialog naming the networks "local network" leaves out, before the scan starts. */
  get adapterChoice(): Locator {
    return this.page.getByRole('dialog', { name: exact(this.t('adapters.title')) });
  }

  /** The checkbox of one left-out network in that dialog. */
  adapterCheckbox(name: string, network: string): Locator {
    return this.adapterChoice.getByRole('checkbox', {
      name: exact(
        this.t('adapters.network').replace('{{name}}', name).replace('{{network}}', network),
      ),
    });
  }

  /** The dialog's button that starts the scan with `count` ticked networks. */
  adapterScanButton(count: number): Locator {
    const key = count === 0 ? 'zero' : count === 1 ? 'one' : 'other';
    return this.adapterChoice.getByRole('button', {
      name: exact(this.t(`adapters.scan_${key}`).replace(/{{count(, number)?}}/, String(count))),
    });
  }

  /** The radio button of a targets choice, by its label. */
  targetsChoice(choice: 'this-pc' | 'local-network' | 'custom'): Locator {
    const label = {
      'this-pc': 'form.targets.thisPc',
      'local-network': 'form.targets.localNetwork',
      custom: 'form.targets.custom',
    }[choice];
    return this.page
      .getByRole('radiogroup', { name: this.t('form.targets.legend') })
      .getByRole('radio', { name: new RegExp(`^${this.t(label)}`) });
  }

  /** The radio button of a ports choice, by its label. */
  portsChoice(choice: 'top1000' | 'all' | 'custom'): Locator {
    const label = {
      top1000: 'form.ports.top1000',
      all: 'form.ports.all',
      custom: 'form.ports.custom',
    }[choice];
    return this.page
      .getByRole('radiogroup', { name: this.t('form.ports.legend') })
      .getByRole('radio', { name: new RegExp(`^${this.t(label)}`) });
  }

  async chooseTargets(targets: Targets): Promise<void> {
    const group = this.page.getByRole('radiogroup', { name: this.t('form.targets.legend') });
    const label =
      targets === 'this-pc'
        ? 'form.targets.thisPc'
        : targets === 'local-network'
          ? 'form.targets.localNetwork'
          : 'form.targets.custom';
    await group.getByRole('radio', { name: new RegExp(`^${this.t(label)}`) }).check();
    if (typeof targets === 'object') {
      await this.page
        .getByRole('textbox', { name: this.t('form.targets.customLabel') })
        .fill(targets.custom);
    }
  }

  async choosePorts(ports: Ports): Promise<void> {
    const group = this.page.getByRole('radiogroup', { name: this.t('form.ports.legend') });
    const label =
      ports === 'top1000'
        ? 'form.ports.top1000'
        : ports === 'all'
          ? 'form.ports.all'
          : 'form.ports.custom';
    await group.getByRole('radio', { name: new RegExp(`^${this.t(label)}`) }).check();
    if (typeof ports === 'object') {
      await this.page
        .getByRole('textbox', { name: this.t('form.ports.customLabel') })
        .fill(ports.custom);
    }
  }

  /** The "Services UDP courants" box next to the TCP port choices, by its label. */
  get commonUdpBox(): Locator {
    return this.page.getByRole('checkbox', {
      name: startingWith(this.t('form.ports.commonUdp')),
    });
  }

  /** The summary's line saying which protocols the scan covered ("TCP uniquement : …"). */
  get protocolsNote(): Locator {
    return this.summary.getByTestId('summary-protocols');
  }

  /** Opens a card's "Détails techniques de l’analyse" (its table of ports), once. */
  async openScanDetails(address: string): Promise<void> {
    const button = this.hostCard(address).getByRole('button', {
      name: exact(this.shell.t('risk:host.scanDetails')),
    });
    if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  }

  /** The button listing a card's closed, filtered and silent ports ("Afficher les … autres"). */
  showOthersButton(address: string): Locator {
    const starts = ['host.showOthers_one', 'host.showOthers_other'].map(
      (key) =>
        startingWith(
          this.t(key)
            .split(/\{\{count[^}]*\}\}/)[0]!
            .trim(),
        ).source,
    );
    return this.hostCard(address).getByRole('button', {
      name: new RegExp(starts.map((s) => `(?:${s})`).join('|')),
    });
  }

  /** The sentence under a card's table saying what "ouvert ou filtré" means. */
  openFilteredHelp(address: string): Locator {
    return this.hostCard(address).getByText(
      exact(this.shell.t('vocabulary:portStateHelp.open|filtered')),
    );
  }

  /** A port row's protocol (`data-protocol`: tcp, udp). */
  async portProtocol(address: string, port: number): Promise<string | null> {
    return this.portRow(address, port).getAttribute('data-protocol');
  }

  async scanNow(): Promise<void> {
    await this.scanButton.click();
  }

  /** Waits for the final summary of the scan (finished or cancelled). */
  async waitForSummary(timeoutMs = 90_000): Promise<Locator> {
    await this.summary.waitFor({ timeout: timeoutMs });
    return this.summary;
  }

  /** The table of ports of the card of `address`, by its accessible name. */
  portsTable(address: string): Locator {
    return this.page.getByRole('table', {
      name: exact(this.t('host.portsLabel').replace('{{address}}', address)),
    });
  }

  /** The notice of a device answering on every port ("Tout port répond…"). */
  everyPortNotice(address: string): Locator {
    return this.page.getByTestId(`host-every-port-${address}`);
  }

  /** The line saying how many of the ports of `address` this page does not list. */
  portsLeftOut(address: string): Locator {
    return this.hostCard(address).getByText(this.leftOutPattern);
  }

  /** The "Show the next N ports" button under a host whose ports the page left out. */
  morePortsButton(address: string): Locator {
    const other = this.t('host.morePorts_other').split(/\{\{count[^}]*\}\}/);
    return this.hostCard(address).getByRole('button', {
      name: new RegExp(`^${(other[0] ?? '').trim()}.*${(other[1] ?? '').trim()}$`),
    });
  }

  private get leftOutPattern(): RegExp {
    const other = this.t('host.portsLeftOut_other').split(/\{\{count[^}]*\}\}/)[1] ?? '';
    return new RegExp(other.trim().slice(0, 20));
  }

  /**
   * Shows the port table of `address` as a user would and returns it: once the risk verdicts are
   * on the card, the table sits in its folded "Détails techniques de l’analyse" and is drawn only
   * when that is opened; before them (or without any), the card shows it as it is.
   */
  async showPortTable(address: string): Promise<Locator> {
    const table = this.portsTable(address);
    const toggle = this.page
      .getByTestId(`host-verdicts-${address}`)
      .getByRole('button', { name: exact(this.shell.t('risk:host.scanDetails')) });
    await table.or(toggle).first().waitFor();
    if ((await toggle.count()) > 0 && (await toggle.getAttribute('aria-expanded')) !== 'true') {
      await toggle.click();
    }
    await table.waitFor();
    return table;
  }

  /** Folds the technical details of `address` back (its port table is no longer drawn). */
  async foldPortTable(address: string): Promise<void> {
    const toggle = this.page
      .getByTestId(`host-verdicts-${address}`)
      .getByRole('button', { name: exact(this.shell.t('risk:host.scanDetails')) });
    if ((await toggle.getAttribute('aria-expanded')) === 'true') await toggle.click();
    await this.portsTable(address).waitFor({ state: 'detached' });
  }

  /** The state shown on a port row, as the user reads it (its table shown first). */
  async portState(address: string, port: number): Promise<string> {
    await this.showPortTable(address);
    const text = await this.portRow(address, port).getByTestId('port-state').textContent();
    return (text ?? '').trim();
  }
}
