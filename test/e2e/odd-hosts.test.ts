import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { SuspiciousPortsPage } from './pages/suspicious-ports.js';
import { launchBrowser, screenshotOnFailure, type LaunchedBrowser } from './support/browser.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { ROOT, startBuiltWebHost, type RunningHost } from './support/web-host.js';

const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const FRENCH_OS = { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

const run = promisify(execFile);

// Inside the lab namespace only (run-in-netns.sh): 127.0.0.2 is made a tarpit — nft redirects
// every TCP port of it to one listener — and 10.77.250.255 is the broadcast address of the lab
// interface, which this PC refuses to connect to.
const TARPIT = '127.0.0.2';
const BROADCAST = '10.77.250.255';
const TABLE = `pa-e2e-tarpit-${process.pid}`;

describe('Hosts that are not what they seem: a tarpit and an address this PC cannot probe', () => {
  let host: RunningHost;
  let browser: LaunchedBrowser;
  let listener: net.Server;
  let dataDir: string;

  beforeAll(async () => {
    assertInsideLabNamespace();
    await mkdir(ARTIFACTS, { recursive: true });
    dataDir = await mkdtemp(path.join(tmpdir(), 'pa-e2e-odd-'));
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
    host = await startBuiltWebHost({ ...FRENCH_OS, PORT_AUDITOR_DATA_DIR: dataDir });
    browser = await launchBrowser({ locale: 'fr-FR' });
    await new AppShell(browser.page, 'fr').open(host.url);
  });

  afterEach(async (context) => {
    await screenshotOnFailure(browser.page, context.task, ARTIFACTS);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await run('nft', ['delete', 'table', 'inet', TABLE]).catch(() => undefined);
    await new Promise((resolve) => listener?.close(resolve));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('one grouped verdict for the tarpit, and the broadcast address reported as not scanned', async () => {
    const fr = new AppShell(browser.page, 'fr');
    const scanner = await OpenPortsPage.open(fr);
    await scanner.chooseTargets({ custom: `${TARPIT} ${BROADCAST}` });
    await scanner.choosePorts({ custom: '1-100' });
    await scanner.scanNow();
    await scanner.waitForSummary();

    const notice = browser.page.getByTestId(`host-every-port-${TARPIT}`);
    await notice.waitFor();
    expect(await notice.innerText()).toContain('Tout port répond\u00a0: pare-feu, proxy ou piège');
    expect(await notice.innerText()).toContain('100 des 100 ports sondés ont accepté la connexion');

    const risk = new SuspiciousPortsPage(fr);
    const grouped = browser.page.getByTestId(`host-grouped-verdict-${TARPIT}`);
    await grouped.waitFor();
    expect(await grouped.innerText()).toContain('Un seul verdict pour tous ses ports');
    // Not a hundred alarms: no per-port verdict, one medium in the counts.
    expect(await browser.page.locator(`[data-testid^="verdict-${TARPIT}-"]`).count()).toBe(0);
    expect(await risk.count('medium').innerText()).toBe('Moyen\u00a0: 1');
    expect(await risk.count('critical').innerText()).toBe('Critique\u00a0: 0');

    const unprobed = browser.page.getByTestId('unprobed-hosts');
    expect(await unprobed.innerText()).toContain('1 adresse n’a pas pu être analysée depuis ce PC');
    expect(await browser.page.getByTestId(`unprobed-${BROADCAST}`).innerText()).toContain(
      'adresse de diffusion',
    );
    expect(await scanner.hostCard(BROADCAST).count()).toBe(0);
    await browser.page.screenshot({
      path: path.join(ARTIFACTS, 'odd-hosts-fr.png'),
      fullPage: true,
    });
  });
});
