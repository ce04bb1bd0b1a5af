import { describe, expect, test } from 'vitest';
import { MAX_PORTS_PER_HOST_PAGE } from '../../app/contract/index.js';
import { AppShell } from './pages/app-shell.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { ReportPage } from './pages/report.js';
import { axeViolations } from './support/axe.js';
import { useAppInBrowser } from './support/app-in-browser.js';

// An import: nothing is scanned, 192.168.1.5 is only a name in the file.
const TARPIT = '192.168.1.5';

/** nmap -p- against a tarpit: one host, ports 1..`open` open (review 13b attacker A1). */
function tarpitXml(open: number): string {
  const ports = Array.from(
    { length: open },
    (_, i) =>
      `<port protocol="tcp" portid="${i + 1}"><state state="open" reason="syn-ack"/></port>`,
  ).join('\n');
  return `<?xml version="1.0"?>
<nmaprun scanner="nmap" args="nmap -p- ${TARPIT}" start="1700000000">
<host><status state="up" reason="syn-ack"/><address addr="${TARPIT}" addrtype="ipv4"/>
<ports>${ports}</ports></host>
<runstats><finished time="1700000060"/><hosts up="1" down="0" total="1"/></runstats></nmaprun>`;
}

describe('An nmap file of a host answering on 30,000 ports, opened in Chromium', () => {
  const app = useAppInBrowser('tarpit');

  test('shows the host with its one grouped verdict and a bounded port table', async () => {
    const shell = new AppShell(app.browser.page, 'fr');
    const report = new ReportPage(shell);
    await report.openNmapTool();
    await report.chooseFile('tarpit.xml', tarpitXml(30_000));

    const scanner = new OpenPortsPage(shell);
    await scanner.hostCard(TARPIT).waitFor({ timeout: 60_000 });
    await scanner.everyPortNotice(TARPIT).waitFor();
    expect(await scanner.everyPortNotice(TARPIT).innerText()).toContain(
      'Tout port répond\u00a0: pare-feu, proxy ou piège',
    );
    await app.browser.page.getByTestId(`host-grouped-verdict-${TARPIT}`).waitFor();
    await expect(scanner.hostCard(TARPIT).innerText()).resolves.toMatch(/30\s?000 ports ouverts/);
    await scanner.portsLeftOut(TARPIT).waitFor();
    await scanner
      .hostCard(TARPIT)
      .getByRole('button', { name: shell.t('risk:host.scanDetails') })
      .click();
    // The page's rows: a header and the ports the page carries, not 30,000.
    await expect(scanner.portsTable(TARPIT).getByRole('row').count()).resolves.toBe(
      MAX_PORTS_PER_HOST_PAGE + 1,
    );
    await expect(scanner.hostCards.count()).resolves.toBe(1);
    // The scan form keeps its own settings and says they are not what the file's nmap used
    // (review 13c new user #6).
    await expect(app.browser.page.getByTestId('form-import-shown').innerText()).resolves.toBe(
      shell.t('scan:form.forImportShown').replace('{{file}}', 'tarpit.xml'),
    );
    expect(app.browser.errors).toEqual([]);
  });

  test('"Afficher les 200 ports suivants" appends the next rows and takes the focus there', async () => {
    const shell = new AppShell(app.browser.page, 'fr');
    const scanner = new OpenPortsPage(shell);
    const button = scanner.morePortsButton(TARPIT);
    await expect(button.innerText()).resolves.toMatch(/Afficher les 200 ports suivants/);
    await button.click();
    const rows = scanner.portsTable(TARPIT).getByRole('row');
    await app.browser.page
      .getByTestId(`port-row-${TARPIT}-${MAX_PORTS_PER_HOST_PAGE + 1}`)
      .waitFor();
    await expect(rows.count()).resolves.toBe(2 * MAX_PORTS_PER_HOST_PAGE + 1);
    // The focus is on the first new row, not lost at the top of the page.
    await expect(
      app.browser.page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
    ).resolves.toBe(`port-row-${TARPIT}-${MAX_PORTS_PER_HOST_PAGE + 1}`);
    await expect(scanner.portsLeftOut(TARPIT).innerText()).resolves.toMatch(
      /29\s?600 autres ports/,
    );
    await expect(axeViolations(app.browser.page)).resolves.toEqual([]);
    expect(app.browser.errors).toEqual([]);
  });

  test('with the keyboard too, and the focus never falls to <body> (review 13c new user #5)', async () => {
    const shell = new AppShell(app.browser.page, 'fr');
    const scanner = new OpenPortsPage(shell);
    const focused = () =>
      app.browser.page.evaluate(() =>
        document.activeElement === document.body
          ? 'body'
          : (document.activeElement?.getAttribute('data-testid') ??
            document.activeElement?.textContent),
      );
    const button = scanner.morePortsButton(TARPIT);
    await button.focus();
    await app.browser.page.keyboard.press('Enter');
    const first = 2 * MAX_PORTS_PER_HOST_PAGE + 1;
    await app.browser.page.getByTestId(`port-row-${TARPIT}-${first}`).waitFor();
    await expect(focused()).resolves.toBe(`port-row-${TARPIT}-${first}`);
    // Technical details closed: the new rows are not drawn; the focus stays on the button once
    // they came (the count of ports left says so).
    await scanner
      .hostCard(TARPIT)
      .getByRole('button', { name: shell.t('risk:host.scanDetails') })
      .click();
    await scanner.portsTable(TARPIT).waitFor({ state: 'hidden' });
    await button.focus();
    await app.browser.page.keyboard.press('Space');
    await expect
      .poll(() => scanner.portsLeftOut(TARPIT).innerText(), { timeout: 30_000 })
      .toMatch(/29\s?200 autres ports/);
    await expect(focused()).resolves.toMatch(/Afficher les 200 ports suivants/);
    expect(app.browser.errors).toEqual([]);
  });
});
