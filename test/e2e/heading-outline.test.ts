import { describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { ReportPage } from './pages/report.js';
import { SuspiciousPortsPage } from './pages/suspicious-ports.js';
import { wcag22Violations } from './support/axe.js';
import { strings, type Lang } from './support/strings.js';
import { useAppInBrowser } from './support/app-in-browser.js';

// An import: nothing is scanned, these addresses are only names in the file.
const NAS = '192.168.1.20';
const PRINTER = '192.168.1.21';
const PORTS = [
  { port: 22, service: 'ssh' },
  { port: 23, service: 'telnet' },
];

/** nmap -sT of two devices of the office, each with telnet and ssh open. */
function twoDevicesXml(): string {
  const host = (address: string, name: string, mac: string) => `
<host><status state="up" reason="arp-response"/>
<address addr="${address}" addrtype="ipv4"/><address addr="${mac}" addrtype="mac"/>
<hostnames><hostname name="${name}" type="PTR"/></hostnames>
<ports>${PORTS.map(
    ({ port, service }) =>
      `<port protocol="tcp" portid="${port}"><state state="open" reason="syn-ack"/><service name="${service}" method="table" conf="3"/></port>`,
  ).join('')}</ports></host>`;
  return `<?xml version="1.0"?>
<nmaprun scanner="nmap" args="nmap -sT -p 22,23 ${NAS} ${PRINTER}" start="1700000000">
${host(NAS, 'nas.lan', '52:54:00:00:00:20')}${host(PRINTER, 'printer.lan', '52:54:00:00:00:21')}
<runstats><finished time="1700000010"/><hosts up="2" down="0" total="2"/></runstats></nmaprun>`;
}

for (const lang of ['fr', 'en'] as Lang[]) {
  describe(`The results' headings after an nmap import of two devices (${lang})`, () => {
    const app = useAppInBrowser(`headings-${lang}`, lang);
    const t = strings(lang);

    test('h1 page, h2 sections, h3 devices, h4 ports named shortly, headline as description (review F9)', async () => {
      const shell = new AppShell(app.browser.page, lang);
      const report = new ReportPage(shell);
      await report.openNmapTool();
      await report.chooseFile('office.xml', twoDevicesXml());
      const risk = new SuspiciousPortsPage(shell);
      for (const address of [NAS, PRINTER]) await risk.waitForVerdicts(address, 60_000);

      // Each port's name: its level as its chip says it, port/protocol, service; no program in a file.
      const names = new Map<string, string>();
      for (const address of [NAS, PRINTER]) {
        for (const { port, service } of PORTS) {
          const severity = await risk.verdict(address, port).getAttribute('data-severity');
          const name = t('risk:port.headingNoProgram')
            .replace('{{level}}', t(`vocabulary:severity.${severity}`))
            .replace('{{port}}', String(port))
            .replace('{{protocol}}', 'TCP')
            .replace('{{service}}', service);
          names.set(`${address}:${port}`, name);
          await risk.portHeading(address, port, 4, name).waitFor();
          await risk.portButton(address, port, name).waitFor();
          // The headline sentence stays on screen, outside the button (Label in Name), and is
          // read after the name as its description.
          const headline = await risk.headline(address, port);
          expect(headline.length).toBeGreaterThan(20);
          expect(name).not.toContain(headline);
          expect(
            await risk.verdict(address, port).getByTestId('verdict-headline').isVisible(),
          ).toBe(true);
          expect(
            await risk.portButton(address, port, name).getByTestId('verdict-headline').count(),
          ).toBe(0);
          expect(await risk.portDescription(address, port)).toMatch(
            new RegExp(`${headline.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
          );
        }
      }

      const outline = await risk.outline();
      // One h1, first; never a level skipped going down (WCAG 1.3.1).
      expect(outline.filter((h) => h.level === 1)).toHaveLength(1);
      expect(outline[0]!.level).toBe(1);
      outline.forEach((h, i) => {
        if (i > 0) expect(h.level, h.name).toBeLessThanOrEqual(outline[i - 1]!.level + 1);
      });
      // Each device an h3, its ports (worst first) and its scan details the h4s under it.
      for (const address of [NAS, PRINTER]) {
        const at = outline.findIndex((h) => h.level === 3 && h.name === address);
        expect(at, address).toBeGreaterThan(0);
        const end = outline.findIndex((h, i) => i > at && h.level <= 3);
        const under = outline.slice(at + 1, end === -1 ? undefined : end);
        const order = await risk.portOrder(address);
        expect(under).toEqual([
          ...order.map((port) => ({ level: 4, name: names.get(`${address}:${port}`)! })),
          { level: 4, name: t('risk:host.scanDetails') },
        ]);
      }

      // Inside an opened verdict, its own headings are one level below it.
      await risk.openDetails(NAS, 23);
      const panel = risk.verdict(NAS, 23).getByTestId('verdict-details');
      for (const key of ['risk:port.why', 'risk:port.advice']) {
        await panel.getByRole('heading', { level: 5, name: t(key) }).waitFor();
      }
      await expect(wcag22Violations(app.browser.page)).resolves.toEqual([]);
      expect(app.browser.errors).toEqual([]);
    });
  });
}
