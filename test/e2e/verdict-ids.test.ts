import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { ReportPage } from './pages/report.js';
import { SuspiciousPortsPage } from './pages/suspicious-ports.js';
import { wcag22Violations } from './support/axe.js';
import { ARTIFACTS, useAppInBrowser } from './support/app-in-browser.js';

// An import: nothing is scanned, these addresses are only names in the file.
const NAS = '192.168.1.20';
const PRINTER = '192.168.1.21';
/** Ports both devices have open: their verdicts share a port number (review N2). */
const SHARED = [22, 3389];

/** nmap -sT of two devices of the office with the same open ports, each with a name and a MAC. */
function twoDevicesXml(): string {
  const host = (address: string, name: string, mac: string) => `
<host><status state="up" reason="arp-response"/>
<address addr="${address}" addrtype="ipv4"/><address addr="${mac}" addrtype="mac"/>
<hostnames><hostname name="${name}" type="PTR"/></hostnames>
<ports>${SHARED.map(
    (port) => `<port protocol="tcp" portid="${port}"><state state="open" reason="syn-ack"/></port>`,
  ).join('')}</ports></host>`;
  return `<?xml version="1.0"?>
<nmaprun scanner="nmap" args="nmap -sT -p 22,3389 ${NAS} ${PRINTER}" start="1700000000">
${host(NAS, 'nas.lan', '52:54:00:00:00:20')}${host(PRINTER, 'printer.lan', '52:54:00:00:00:21')}
<runstats><finished time="1700000010"/><hosts up="2" down="0" total="2"/></runstats></nmaprun>`;
}

describe('Two devices with the same open ports, opened from an nmap file in Chromium', () => {
  const app = useAppInBrowser('verdict-ids');

  test('each verdict’s header controls its own panel: no id twice on the page (review N2)', async () => {
    const shell = new AppShell(app.browser.page, 'fr');
    const report = new ReportPage(shell);
    await report.openNmapTool();
    await report.chooseFile('office.xml', twoDevicesXml());
    const risk = new SuspiciousPortsPage(shell);
    await risk.waitForVerdicts(NAS, 60_000);
    await risk.waitForVerdicts(PRINTER, 60_000);
    // Every shared port's details open on both devices: each panel is in the page at once.
    for (const address of [NAS, PRINTER]) {
      for (const port of SHARED) await risk.openDetails(address, port);
    }
    const page = await app.browser.page.evaluate(() => {
      const ids = Array.from(document.querySelectorAll('[id]'), (el) => el.id);
      const controls = Array.from(document.querySelectorAll('[aria-controls]'), (el) => {
        const verdict = el.closest('[data-port]');
        return {
          verdict: verdict?.getAttribute('data-testid') ?? null,
          targets: (el.getAttribute('aria-controls') ?? '').split(/\s+/).map((id: string) => {
            const found = document.querySelectorAll(`[id="${CSS.escape(id)}"]`);
            return {
              id,
              count: found.length,
              sameVerdict:
                found.length === 1 &&
                found[0]!.closest('[data-port]')?.getAttribute('data-testid') ===
                  verdict?.getAttribute('data-testid'),
            };
          }),
        };
      });
      return { ids, controls };
    });
    const twice = page.ids.filter((id, i) => page.ids.indexOf(id) !== i);
    expect(twice).toEqual([]);
    const verdictControls = page.controls.filter((c) => c.verdict?.startsWith('verdict-'));
    // One header per open verdict: 2 devices × 2 ports, each naming one element of its own verdict.
    expect(verdictControls.map((c) => c.verdict).sort()).toEqual(
      [NAS, PRINTER].flatMap((a) => SHARED.map((p) => `verdict-${a}-${p}`)).sort(),
    );
    for (const control of verdictControls) {
      expect(control.targets, control.verdict!).toEqual([
        { id: control.targets[0]!.id, count: 1, sameVerdict: true },
      ]);
    }
    const panels = verdictControls.map((c) => c.targets[0]!.id);
    expect(new Set(panels).size).toBe(panels.length);
    await expect(wcag22Violations(app.browser.page)).resolves.toEqual([]);
    expect(app.browser.errors).toEqual([]);
  });

  test('a device card’s icon, title and open-port chip sit on one line, the lines below under the title (review N14)', async () => {
    const shell = new AppShell(app.browser.page, 'fr');
    const card = new OpenPortsPage(shell).hostCard(NAS);
    const box = async (locator: ReturnType<typeof card.getByTestId>) => {
      const b = await locator.boundingBox();
      if (!b) throw new Error('not drawn');
      return { top: b.y, left: b.x, middle: b.y + b.height / 2 };
    };
    const icon = await box(card.getByTestId('card-title-icon'));
    const title = await box(card.getByTestId('card-title-row').getByRole('heading', { level: 3 }));
    const chip = await box(card.getByTestId(`host-open-count-${NAS}`));
    const name = await box(card.getByTestId('device-name'));
    // Centred on the title's line to the pixel (rounding of half pixels aside).
    expect(Math.abs(icon.middle - title.middle)).toBeLessThanOrEqual(1);
    expect(Math.abs(chip.middle - title.middle)).toBeLessThanOrEqual(1);
    // The host name starts under the title, below it.
    expect(Math.abs(name.left - title.left)).toBeLessThanOrEqual(1);
    expect(name.top).toBeGreaterThan(title.top);
    await card.screenshot({ path: path.join(ARTIFACTS, 'host-card-title-fr.png') });
  });
});
