import dgram from 'node:dgram';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { SuspiciousPortsPage } from './pages/suspicious-ports.js';
import { launchBrowser, screenshotOnFailure, type LaunchedBrowser } from './support/browser.js';
import { axeViolations } from './support/axe.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { ROOT, startBuiltWebHost, type RunningHost } from './support/web-host.js';

const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const FRENCH_OS = { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
/** This PC's address on the lab network (run-in-netns.sh): a service there faces the network. */
const PC = '10.77.250.1';

/** A UDP socket on this PC's lab address: `answer` replies to each datagram, else it is silent. */
async function udpService(port: number, answer?: (query: Buffer) => Buffer): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (query, from) => {
    if (answer) socket.send(answer(query), from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, PC, resolve);
  });
  return socket;
}

// Inside the lab namespace only (run-in-netns.sh): its addresses are the test's own, so memcached's
// and NTP's ports are free, and no other program of this machine is scanned.
describe('UDP on the page: the common UDP services, a UDP port with its verdict, TCP only said', () => {
  let host: RunningHost;
  let browser: LaunchedBrowser;
  let dataDir: string;
  const services: dgram.Socket[] = [];

  beforeAll(async () => {
    assertInsideLabNamespace();
    await mkdir(ARTIFACTS, { recursive: true });
    dataDir = await mkdtemp(path.join(tmpdir(), `pa-e2e-udp-${process.pid}-`));
    // memcached's UDP frame (request id, sequence 0, 1 datagram) and a version line, as
    // `memcached -U 11211` answers "version": a real reply on the port the set probes.
    services.push(
      await udpService(11211, (query) =>
        Buffer.concat([
          query.subarray(0, 2),
          Buffer.from([0, 0, 0, 1, 0, 0]),
          Buffer.from('VERSION 1.6.21\r\n'),
        ]),
      ),
    );
    // A listener that never answers: NTP's port, silent, is what nmap calls open|filtered.
    services.push(await udpService(123));
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
    for (const socket of services) socket.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('a TCP-only scan says so', async () => {
    const fr = new AppShell(browser.page, 'fr');
    const scanner = await OpenPortsPage.open(fr);
    await scanner.chooseTargets({ custom: PC });
    await scanner.choosePorts({ custom: '22' });
    expect(await scanner.commonUdpBox.isChecked()).toBe(false);
    await scanner.scanNow();
    await scanner.waitForSummary();
    await expect(scanner.protocolsNote.innerText()).resolves.toBe(fr.t('scan:summary.tcpOnly'));
  });

  test('"Services UDP courants" finds the UDP service with its verdict, and the silent port as open or filtered', async () => {
    const fr = new AppShell(browser.page, 'fr');
    const scanner = await OpenPortsPage.open(fr);
    await scanner.chooseTargets({ custom: PC });
    await scanner.choosePorts({ custom: '22' });
    await scanner.commonUdpBox.check();
    await scanner.scanNow();
    await scanner.waitForSummary();
    await expect(scanner.protocolsNote.innerText()).resolves.toBe(fr.t('scan:summary.withUdp'));

    // memcached over UDP: open, and the knowledge base's amplification verdict, critical.
    await expect(scanner.portState(PC, 11211)).resolves.toBe(fr.t('vocabulary:portState.open'));
    await expect(scanner.portProtocol(PC, 11211)).resolves.toBe('udp');
    const risk = new SuspiciousPortsPage(fr);
    await risk.waitForVerdicts(PC);
    await expect(risk.chip(PC, 11211)).resolves.toMatchObject({ severity: 'critical' });
    await expect(risk.verdict(PC, 11211).getByTestId('verdict-port').innerText()).resolves.toBe(
      '11211/UDP',
    );

    // NTP's port took the probe and said nothing: "ouvert ou filtré", explained, not open.
    await scanner.openScanDetails(PC);
    await scanner.showOthersButton(PC).click();
    await expect(scanner.portState(PC, 123)).resolves.toBe(
      fr.t('vocabulary:portState.open|filtered'),
    );
    await expect(scanner.portRow(PC, 123).getAttribute('data-state')).resolves.toBe(
      'open|filtered',
    );
    await scanner.openFilteredHelp(PC).waitFor();
    // A closed UDP port of the set (DNS: nothing listens on 53 here) is closed, not silent.
    await expect(scanner.portState(PC, 53)).resolves.toBe(fr.t('vocabulary:portState.closed'));
    // The box, the open|filtered chip and its sentence pass axe like the rest of the page.
    await expect(axeViolations(browser.page)).resolves.toEqual([]);
  });
});
