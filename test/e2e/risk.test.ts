import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { SettingsPage } from './pages/settings.js';
import { SuspiciousPortsPage } from './pages/suspicious-ports.js';
import { launchBrowser, type LaunchedBrowser } from './support/browser.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { ROOT, startBuiltWebHost, type RunningHost } from './support/web-host.js';

const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const ENGLISH_OS = { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

interface KbFile {
  entries: Array<{ port: number; protocols: string[]; reason: { fr: string; en: string } }>;
}
const kb = JSON.parse(readFileSync(path.join(ROOT, 'assets/data/ports-kb.json'), 'utf8')) as KbFile;
const kbReason = (port: number) =>
  kb.entries.find((e) => e.port === port && e.protocols.includes('tcp'))!.reason;

/**
 * A separate node process owns the ports, so the app must find it among this PC's listeners:
 * 4444 (Metasploit/Blaster backdoor port, critical), 443 (HTTPS, info) and a random free port
 * that the knowledge base does not list (an ephemeral port can be a known backdoor's, 54321…).
 */
const CHILD = `
const net = require('node:net');
const listen = (port) => new Promise((resolve, reject) => {
  const server = net.createServer((socket) => socket.end());
  server.once('error', reject);
  server.listen(port, '127.0.0.1', () => resolve(server.address().port));
});
const known = new Set(JSON.parse(process.env.KB_PORTS));
const unlisted = async () => {
  for (;;) {
    const server = await new Promise((resolve, reject) => {
      const s = net.createServer((socket) => socket.end());
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
    if (!known.has(server.address().port)) return server.address().port;
    server.close();
  }
};
Promise.all([listen(4444), listen(443), unlisted()]).then((ports) => {
  process.stdout.write(JSON.stringify(ports) + '\\n');
}, (error) => { process.stderr.write(String(error)); process.exit(1); });
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

describe('Suspicious open ports: verdicts per IP, this PC first, in French and English', () => {
  let host: RunningHost;
  let browser: LaunchedBrowser;
  let child: ChildProcess;
  let randomPort: number;

  beforeAll(async () => {
    assertInsideLabNamespace();
    await mkdir(ARTIFACTS, { recursive: true });
    const kbPorts = kb.entries.filter((e) => e.protocols.includes('tcp')).map((e) => e.port);
    child = spawn(process.execPath, ['-e', CHILD], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, KB_PORTS: JSON.stringify(kbPorts) },
    });
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    const ports = JSON.parse(line.toString()) as number[];
    expect(ports.slice(0, 2)).toEqual([4444, 443]);
    randomPort = ports[2]!;
    host = await startBuiltWebHost(ENGLISH_OS);
    browser = await launchBrowser({ locale: 'fr-FR' });
    await new AppShell(browser.page, 'fr').open(host.url);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    child?.stdin?.end();
    child?.kill();
  });

  test('a critical backdoor port and information ports on 127.0.0.1: order, chips, program, reasons, filter', async () => {
    const fr = new AppShell(browser.page, 'fr');
    const scanner = await OpenPortsPage.open(fr);
    await scanner.chooseTargets('this-pc');
    await scanner.choosePorts({ custom: `443,4444,${randomPort}` });
    await scanner.scanNow();
    await scanner.waitForSummary();

    const risk = new SuspiciousPortsPage(fr);
    await risk.waitForVerdicts('127.0.0.1');
    await expect(risk.heading.innerText()).resolves.toBe('Ports ouverts suspects');

    // This PC first, named by 127.0.0.1 (its address with the open ports); it is one device: the
    // lab interface address, without an open port, is named on its card, not a card of its own.
    const cards = await browser.page
      .locator('[data-testid^="host-card-"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
    expect(cards[0]).toBe('host-card-127.0.0.1');
    expect(cards).not.toContain('host-card-10.77.250.1');
    expect(
      (await scanner.hostCard('127.0.0.1').getAttribute('data-addresses'))?.split(' '),
    ).toContain('10.77.250.1');
    // Titled "Ce PC" though only its loopback address has open ports, its addresses listed; the
    // card is the region of that name.
    await expect(scanner.deviceTitle('127.0.0.1').innerText()).resolves.toBe('Ce PC');
    await expect(
      browser.page.getByRole('region', { name: 'Ce PC', exact: true }).getAttribute('data-testid'),
    ).resolves.toBe('host-card-127.0.0.1');
    const listed = await scanner.deviceAddresses('127.0.0.1').innerText();
    expect(listed).toMatch(/^Adresses de ce PC\u00a0: 127\.0\.0\.1, /);
    expect(listed).toContain('10.77.250.1');
    await expect(
      scanner.hostCard('127.0.0.1').getByText('Ce PC', { exact: true }).isVisible(),
    ).resolves.toBe(true);

    // Worst first; the info ports (443, and the unlisted port that only this PC can reach) are
    // hidden by default and counted.
    expect(await risk.portOrder('127.0.0.1')).toEqual([4444]);
    await expect(risk.chip('127.0.0.1', 4444)).resolves.toEqual({
      severity: 'critical',
      text: 'Critique',
    });
    expect(await risk.hiddenInfo.getAttribute('data-count')).toBe('2');
    expect(await risk.hiddenInfo.innerText()).toBe('2 ports d’information masqués');
    expect(await risk.count('critical').innerText()).toBe('Critique\u00a0: 1');
    expect(await risk.count('info').innerText()).toBe('Info\u00a0: 2');

    // The owning program is the node process this test started.
    expect(await risk.program('127.0.0.1', 4444)).toBe(`node (PID ${child.pid})`);

    const details = await risk.openDetails('127.0.0.1', 4444);
    expect(details.reasons[0]).toBe(kbReason(4444).fr);
    expect(details.reasons.join(' ')).toContain('port de porte dérobée est suspect en soi');
    expect(details.advice).toMatch(/^Identifiez immédiatement le programme/);
    expect(details.references).toEqual(['Metasploit default handler port', 'MS03-026']);
    await browser.page.screenshot({ path: path.join(ARTIFACTS, 'risk-fr.png'), fullPage: true });

    await risk.showInfoSwitch.check();
    expect(await risk.portOrder('127.0.0.1')).toEqual([4444, 443, randomPort]);
    await expect(risk.chip('127.0.0.1', 443)).resolves.toEqual({ severity: 'info', text: 'Info' });
    // A listener only this PC can reach is Info, named by the program that owns it.
    await expect(risk.chip('127.0.0.1', randomPort)).resolves.toEqual({
      severity: 'info',
      text: 'Info',
    });
    expect(await risk.program('127.0.0.1', randomPort)).toBe(`node (PID ${child.pid})`);
    expect(await risk.hiddenInfo.innerText()).toBe('Aucun port masqué');
    const https = await risk.openDetails('127.0.0.1', 443);
    expect(https.reasons[0]).toBe(kbReason(443).fr);
    expect(https.reasons.join(' ')).toContain(
      'aucun autre appareil du réseau ne peut s’y connecter',
    );

    // Same verdicts in English after switching the language.
    const settings = await SettingsPage.open(fr);
    await settings.chooseLanguage('en');
    const en = fr.as('en');
    const scannerEn = await OpenPortsPage.open(en);
    await scannerEn.summary.waitFor();
    const riskEn = new SuspiciousPortsPage(en);
    await riskEn.waitForVerdicts('127.0.0.1');
    await expect(riskEn.heading.innerText()).resolves.toBe('Suspicious open ports');
    expect(await riskEn.portOrder('127.0.0.1')).toEqual([4444, 443, randomPort]);
    await expect(riskEn.chip('127.0.0.1', 4444)).resolves.toEqual({
      severity: 'critical',
      text: 'Critical',
    });
    await expect(riskEn.chip('127.0.0.1', randomPort)).resolves.toEqual({
      severity: 'info',
      text: 'Info',
    });
    await riskEn.showInfoSwitch.uncheck();
    expect(await riskEn.hiddenInfo.innerText()).toBe('2 information ports hidden');
    expect(await riskEn.program('127.0.0.1', 4444)).toBe(`node (PID ${child.pid})`);
    const detailsEn = await riskEn.openDetails('127.0.0.1', 4444);
    expect(detailsEn.reasons[0]).toBe(kbReason(4444).en);
    expect(detailsEn.reasons.join(' ')).toContain(
      'a program listening on a backdoor port is suspicious in itself',
    );
    expect(detailsEn.advice).toMatch(/^Identify the listening program right away/);
    await browser.page.screenshot({ path: path.join(ARTIFACTS, 'risk-en.png'), fullPage: true });

    expect(browser.errors).toEqual([]);
  });
});
