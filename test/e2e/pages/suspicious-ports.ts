import type { Locator } from 'playwright-core';
import type { AppShell } from './app-shell.js';
import { exact } from '../support/strings.js';

/** The "Suspicious open ports" part of the Open ports tab: summary bar, filter, verdicts per IP. */
export class SuspiciousPortsPage {
  constructor(readonly shell: AppShell) {}

  private get page() {
    return this.shell.page;
  }
  private t(key: string) {
    return this.shell.t(`risk:${key}`);
  }

  get section(): Locator {
    return this.page.getByRole('region', { name: exact(this.t('title')) });
  }

  get heading(): Locator {
    return this.page.getByRole('heading', { level: 2, name: exact(this.t('title')) });
  }

  count(severity: string): Locator {
    return this.page.getByTestId(`risk-count-${severity}`);
  }

  get showInfoSwitch(): Locator {
    return this.page.getByRole('switch', { name: exact(this.t('filter.showInfo')) });
  }

  get hiddenInfo(): Locator {
    return this.page.getByTestId('risk-hidden-info');
  }

  /**
   * Starts recording where the results begin on screen (the top of the scan results, in CSS
   * pixels, sampled at every frame the browser paints); stop() returns each distinct position seen,
   * in order. A list of one means nothing above the results moved meanwhile, so a click aimed at a
   * result could not land beside it.
   */
  async watchResultsTop(): Promise<{ stop(): Promise<number[]> }> {
    await this.page.evaluate(() => {
      const seen: number[] = [];
      const w = window as unknown as { __resultsTop?: { seen: number[]; on: boolean } };
      w.__resultsTop = { seen, on: true };
      const sample = () => {
        const el = document.querySelector('[data-testid="scan-results"]');
        const top = el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : -1;
        if (seen.at(-1) !== top) seen.push(top);
        if (w.__resultsTop?.on) requestAnimationFrame(sample);
      };
      sample();
    });
    return {
      stop: () =>
        this.page.evaluate(() => {
          const w = window as unknown as { __resultsTop?: { seen: number[]; on: boolean } };
          if (w.__resultsTop) w.__resultsTop.on = false;
          return w.__resultsTop?.seen ?? [];
        }),
    };
  }

  /** Waits until the verdicts of one address are on screen (the assessment has answered). */
  async waitForVerdicts(address: string, timeoutMs = 30_000): Promise<Locator> {
    const verdicts = this.page.getByTestId(`host-verdicts-${address}`);
    await verdicts.waitFor({ timeout: timeoutMs });
    await this.page
      .getByTestId('risk-assessing')
      .waitFor({ state: 'detached', timeout: timeoutMs });
    return verdicts;
  }

  verdicts(address: string): Locator {
    return this.page
      .getByTestId(`host-verdicts-${address}`)
      .locator('[data-testid^="verdict-"][data-port]');
  }

  /**
   * The line under a card's first verdicts counting those not drawn yet per level ("190 autres
   * ports évalués ne sont pas encore affichés : …"); its `data-count` is how many.
   */
  moreVerdicts(address: string): Locator {
    return this.page.getByTestId(`host-more-verdicts-${address}`);
  }

  /** That line's button drawing the next ones ("Afficher les 50 ports évalués suivants"). */
  moreVerdictsButton(address: string): Locator {
    const [before, after] = this.t('host.moreVerdicts_other').split(/\{\{count[^}]*\}\}/);
    return this.moreVerdicts(address).getByRole('button', {
      name: new RegExp(`^${(before ?? '').trim()} .+ ${(after ?? '').trim()}$`),
    });
  }

  verdict(address: string, port: number): Locator {
    return this.page.getByTestId(`verdict-${address}-${port}`);
  }

  /** Ports in the order the card lists them. */
  async portOrder(address: string): Promise<number[]> {
    const ports = await this.verdicts(address).evaluateAll((els) =>
      els.map((el) => Number(el.getAttribute('data-port'))),
    );
    return ports;
  }

  async chip(address: string, port: number): Promise<{ severity: string | null; text: string }> {
    const chip = this.verdict(address, port).getByTestId('severity-chip');
    return {
      severity: await chip.getAttribute('data-severity'),
      text: (await chip.innerText()).trim(),
    };
  }

  /** The chip saying what a Port Auditor rule does to the port (absent when none does). */
  coverage(address: string, port: number): Locator {
    return this.verdict(address, port).getByTestId('verdict-firewall');
  }

  /** "N ports bloqués par Port Auditor", absent when none is. */
  get blockedCount(): Locator {
    return this.page.getByTestId('risk-count-blocked');
  }

  /**
   * A verdict's header as a heading of `level` (4 under its device's h3) whose short name is
   * `name` ("Critique, 23/TCP, telnet, python3", catalogue risk:port.heading).
   */
  portHeading(address: string, port: number, level: number, name: string): Locator {
    return this.verdict(address, port).getByRole('heading', { level, name: exact(name) });
  }

  /** The header's button: named like its heading, the headline and firewall chip its description. */
  portButton(address: string, port: number, name: string): Locator {
    return this.verdict(address, port).getByRole('button', { name: exact(name) });
  }

  /** The text a screen reader reads after a verdict's name (its aria-describedby, in order). */
  async portDescription(address: string, port: number): Promise<string> {
    return this.verdict(address, port)
      .locator('[aria-controls]')
      .evaluate((el) =>
        (el.getAttribute('aria-describedby') ?? '')
          .split(/\s+/)
          .filter(Boolean)
          .map((id) => document.getElementById(id)?.textContent?.trim() ?? `(no #${id})`)
          .join(' '),
      );
  }

  /**
   * The page's headings in reading order as the browser's accessibility tree gives them (what a
   * screen reader's heading list shows): `{ level, name }` for each, from `main`'s ARIA snapshot.
   */
  async outline(): Promise<{ level: number; name: string }[]> {
    const snapshot = await this.page.locator('main').ariaSnapshot();
    return [...snapshot.matchAll(/heading "((?:[^"\\]|\\.)*)" \[level=(\d)\]/g)].map((m) => ({
      level: Number(m[2]),
      name: JSON.parse(`"${m[1]}"`) as string,
    }));
  }

  /** The sentence under the port's line (its verdict's first reason). */
  async headline(address: string, port: number): Promise<string> {
    return (await this.verdict(address, port).getByTestId('verdict-headline').innerText()).trim();
  }

  async program(address: string, port: number): Promise<string> {
    return (await this.verdict(address, port).getByTestId('verdict-program').innerText()).trim();
  }

  /** Opens a verdict's details panel and returns its reasons, as the user reads them. */
  async openDetails(
    address: string,
    port: number,
  ): Promise<{ reasons: string[]; advice: string; references: string[] }> {
    const verdict = this.verdict(address, port);
    const toggle = verdict.getByRole('button').first();
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    const details = verdict.getByTestId('verdict-details');
    await details.waitFor();
    // Let the panel finish unfolding, so screenshots show it whole.
    await verdict.locator('.MuiCollapse-entered').waitFor();
    const reasons = await details.getByTestId('verdict-reasons').locator('li').allInnerTexts();
    const advice = (await details.getByTestId('verdict-advice').innerText()).trim();
    const references = await details
      .getByTestId('verdict-references')
      .locator('li')
      .allInnerTexts();
    return {
      reasons: reasons.map((r) => r.trim()),
      advice,
      references: references.map((r) => r.trim()),
    };
  }
}
