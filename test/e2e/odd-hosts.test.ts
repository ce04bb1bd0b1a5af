import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { SuspiciousPortsPage } from './pages/suspicious-ports.js';
import { ARTIFACTS, useAppInBrowser } from './support/app-in-browser.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';

const run = promisify(execFile);

// Inside the lab namespace only (run-in-netns.sh): 127.0.0.2 is made a tarpit — nft redirects
// every TCP port of it to one listener — and 10.77.250.255 is the broadcast address of the lab
// interface, which this PC refuses to connect to.
const TARPIT = '127.0.0.2';
const BROADCAST = '10.77.250.255';
const TABLE = `pa-e2e-tarpit-${process.pid}`;

describe('Hosts that are not what they seem: a tarpit and an address this PC cannot probe', () => {
  const app = useAppInBrowser('odd', 'fr');
  let listener: net.Server;

  // The tarpit, before any scan; nft only ever inside the lab namespace.
  beforeAll(async () => {
    assertInsideLabNamespace();
    listener = net.createServer((socket) => socket.on('error', () => undefined).end());
    await new Promise<void>((resolve) => listener.listen(7777, '127.0.0.1', resolve));
    const rules = `table inet ${TABLE} {\n chain output {\n  type nat hook output priority -100; policy accept;\n  ip daddr ${TARPIT} tcp dport != 7777 redirect to :7777\n }\n}\n`;
    const child = execFile('nft', ['-f', '-']);
    child.stdin!.end(rules);
    await new Promise<void>((resolve, reject) =>
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`nft exited ${code}`)),
      ),
    );
  });

  afterAll(async () => {
    await run('nft', ['delete', 'table', 'inet', TABLE]).catch(() => undefined);
    await new Promise((resolve) => listener?.close(resolve));
  });

  test('one grouped verdict for the tarpit, and the broadcast address reported as not scanned', async () => {
    const fr = new AppShell(app.browser.page, 'fr');
    const scanner = await OpenPortsPage.open(fr);
    await scanner.chooseTargets({ custom: `${TARPIT} ${BROADCAST}` });
    await scanner.choosePorts({ custom: '1-100' });
    await scanner.scanNow();
    await scanner.waitForSummary();

    const notice = app.browser.page.getByTestId(`host-every-port-${TARPIT}`);
    await notice.waitFor();
    expect(await notice.innerText()).toContain('Tout port répond\u00a0: pare-feu, proxy ou piège');
    expect(await notice.innerText()).toContain('100 des 100 ports sondés ont accepté la connexion');

    const risk = new SuspiciousPortsPage(fr);
    const grouped = app.browser.page.getByTestId(`host-grouped-verdict-${TARPIT}`);
    await grouped.waitFor();
    expect(await grouped.innerText()).toContain('Un seul verdict pour tous ses ports');
    // Not a hundred alarms: no per-port verdict, one medium in the counts.
    expect(await app.browser.page.locator(`[data-testid^="verdict-${TARPIT}-"]`).count()).toBe(0);
    expect(await risk.count('medium').innerText()).toBe('Moyen\u00a0: 1');
    expect(await risk.count('critical').innerText()).toBe('Critique\u00a0: 0');

    const unprobed = app.browser.page.getByTestId('unprobed-hosts');
    expect(await unprobed.innerText()).toContain('1 adresse n’a pas pu être analysée depuis ce PC');
    expect(await app.browser.page.getByTestId(`unprobed-${BROADCAST}`).innerText()).toContain(
      'adresse de diffusion',
    );
    expect(await scanner.hostCard(BROADCAST).count()).toBe(0);
    await app.browser.page.screenshot({
      path: path.join(ARTIFACTS, 'odd-hosts-fr.png'),
      fullPage: true,
    });
  });
});
