// Takes the README's screenshots: the built browser-mode host, Debian's Chromium, a click on
// "Analyser maintenant"/"Scan now" with a few demo services listening. It scans this PC, so it must
// run inside the lab namespace: `npm run docs:screenshot`.
import net from 'node:net';
import path from 'node:path';
import { AppShell } from '../test/e2e/pages/app-shell.js';
import { OpenPortsPage } from '../test/e2e/pages/open-ports.js';
import { launchBrowser } from '../test/e2e/support/browser.js';
import { assertInsideLabNamespace } from '../test/e2e/support/namespace-guard.js';
import type { Lang } from '../test/e2e/support/strings.js';
import { ROOT, startBuiltWebHost } from '../test/e2e/support/web-host.js';

// Ports a home PC commonly has open, some of them risky (SMB, RDP, VNC, Telnet).
const DEMO_PORTS = [22, 23, 80, 445, 3389, 5900];

async function listen(port: number): Promise<net.Server> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', resolve);
  });
  return server;
}

async function shoot(lang: Lang, file: string): Promise<void> {
  const env = lang === 'fr' ? 'fr_FR.UTF-8' : 'en_US.UTF-8';
  const host = await startBuiltWebHost({ LANG: env, LC_ALL: '', LC_MESSAGES: '' });
  const browser = await launchBrowser({ locale: lang === 'fr' ? 'fr-FR' : 'en-US' });
  try {
    const shell = new AppShell(browser.page, lang);
    await shell.open(host.url);
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets('this-pc');
    await scanner.choosePorts({ custom: '1-1024,3389,5900' });
    await scanner.scanNow();
    await scanner.waitForSummary();
    // The verdicts are on screen (445's among them).
    await browser.page.locator('[data-testid^="verdict-"][data-port="445"]').first().waitFor();
    // Off the button just clicked, so it shows its normal red and not its darker hover shade.
    await browser.page.mouse.move(1270, 850);
    await browser.page.waitForTimeout(500);
    // Down to the end of the first host card: the settings, the summary, and one IP's verdicts.
    await browser.page.screenshot({
      path: file,
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: 1720 },
    });
    console.log(`wrote ${path.relative(ROOT, file)}`);
  } finally {
    await browser.close();
    await host.close();
  }
}

assertInsideLabNamespace();
const servers = await Promise.all(DEMO_PORTS.map(listen));
try {
  await shoot('en', path.join(ROOT, 'docs', 'screenshot-open-ports.png'));
  await shoot('fr', path.join(ROOT, 'docs', 'screenshot-open-ports-fr.png'));
} finally {
  for (const server of servers) server.close();
}
