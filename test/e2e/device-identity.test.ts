import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { launchBrowser, screenshotOnFailure, type LaunchedBrowser } from './support/browser.js';
import { axeViolations } from './support/axe.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { exact } from './support/strings.js';
import { ROOT, startBuiltWebHost, type RunningHost } from './support/web-host.js';
import { addAddresses, ip, NetnsLab, run, uniqueName } from '../lab/netns.js';
import { startListeners } from '../lab/scan-lab.js';

const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const FRENCH_OS = { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
/** This PC's end of the link to the lab device, and the device (a Raspberry Pi by its MAC). */
const PC = '10.79.1.1';
const DEVICE = '10.79.1.2';
const DEVICE_MAC = 'b8:27:eb:16:01:02';
const NAME = 'raspberrypi.lab.test';

// Inside the lab namespace only (run-in-netns.sh): a device namespace the test makes, joined to
// this PC by a veth, with a set MAC address, an SSH-port listener and a real dnsmasq holding its
// PTR record. `ip netns exec` gave this test a private mount namespace, so the resolv.conf bound
// over /etc/resolv.conf here (naming the lab's dnsmasq) is this test's and its app's only: the
// app asks its system resolver, as it would at home.
describe('a LAN device’s card: its name (PTR), MAC address and maker', () => {
  const lab = new NetnsLab();
  let host: RunningHost;
  let browser: LaunchedBrowser;
  let dataDir: string;
  let mounted = false;

  beforeAll(async () => {
    assertInsideLabNamespace();
    await mkdir(ARTIFACTS, { recursive: true });
    dataDir = await mkdtemp(path.join(tmpdir(), `pa-e2e-identity-${process.pid}-`));
    const device = await lab.namespace(uniqueName('ident', 'h'));
    const here = `pid${process.pid % 100000}`.slice(0, 12);
    await run('ip', ['link', 'add', `${here}a`, 'type', 'veth', 'peer', 'name', `${here}b`]);
    lab.rootLink(`${here}a`);
    await run('ip', ['link', 'set', `${here}b`, 'netns', device, 'name', 'eth0']);
    await ip(device, ['link', 'set', 'eth0', 'address', DEVICE_MAC]);
    await run('ip', ['addr', 'add', `${PC}/24`, 'dev', `${here}a`]);
    await run('ip', ['link', 'set', `${here}a`, 'up']);
    await addAddresses(device, 'eth0', [`${DEVICE}/24`]);
    await ip(device, ['link', 'set', 'eth0', 'up']);
    await startListeners(lab, device, [{ port: 22, banner: 'SSH-2.0-OpenSSH_9.2p1\r\n' }]);
    const log = path.join(dataDir, 'dnsmasq.log');
    lab.spawn(
      device,
      '/usr/sbin/dnsmasq',
      [
        '--keep-in-foreground',
        '--no-resolv',
        '--no-hosts',
        '--conf-file=/dev/null',
        `--listen-address=${DEVICE}`,
        '--bind-interfaces',
        '--user=root',
        `--pid-file=${path.join(dataDir, 'dnsmasq.pid')}`,
        `--host-record=${NAME},${DEVICE}`,
        '--bogus-priv',
        `--log-facility=${log}`,
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 200; i++) {
      if ((await readFile(log, 'utf8').catch(() => '')).includes('started')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const resolvConf = path.join(dataDir, 'resolv.conf');
    await writeFile(resolvConf, `nameserver ${DEVICE}\noptions timeout:1 attempts:1\n`);
    await run('mount', ['--bind', resolvConf, '/etc/resolv.conf']);
    mounted = true;
    host = await startBuiltWebHost({ ...FRENCH_OS, PORT_AUDITOR_DATA_DIR: dataDir });
    browser = await launchBrowser({ locale: 'fr-FR' });
    await new AppShell(browser.page, 'fr').open(host.url);
  }, 120_000);

  afterEach(async (context) => {
    await screenshotOnFailure(browser.page, context.task, ARTIFACTS);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    if (mounted) await run('umount', ['/etc/resolv.conf']).catch(() => undefined);
    await lab.teardown();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('the card names the device, says how, and gives its MAC address and maker', async () => {
    const fr = new AppShell(browser.page, 'fr');
    const scanner = await OpenPortsPage.open(fr);
    await scanner.chooseTargets({ custom: DEVICE });
    await scanner.choosePorts({ custom: '22' });
    await scanner.scanNow();
    await scanner.waitForSummary();
    await expect(scanner.deviceTitle(DEVICE).innerText()).resolves.toBe(DEVICE);
    await expect(scanner.deviceName(DEVICE).innerText()).resolves.toBe(NAME);
    const macLine = fr
      .t('vocabulary:term.macLine')
      .replace('{{mac}}', DEVICE_MAC.toUpperCase())
      .replace('{{maker}}', 'Raspberry Pi Foundation');
    await expect(scanner.deviceMac(DEVICE).innerText()).resolves.toMatch(exact(macLine));
    // The name line says how the name was found, in the catalogue's words.
    const nameLine = await scanner.deviceName(DEVICE).locator('..').innerText();
    expect(nameLine).toContain(`${NAME} · ${fr.t('vocabulary:hostnameMethod.ptr')}`);
    await expect(axeViolations(browser.page)).resolves.toEqual([]);
  });
});
