import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  FIREWALL_SYSTEM_DIRS,
  startMountSandbox,
  type MountSandbox,
} from '../lab/mount-sandbox.js';
import { addPeerDevice, listenTcp, TCP_PROBE } from '../lab/firewall-lab.js';
import { execIn, NetnsLab, run, uniqueName } from '../lab/netns.js';
import { AppShell } from './pages/app-shell.js';
import { BlockWizard, RulesPage } from './pages/firewall.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { ReportPage } from './pages/report.js';
import { launchBrowser, screenshotOnFailure, type LaunchedBrowser } from './support/browser.js';
import { hasFocus } from './support/focus.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { ROOT, startBuiltWebHost, type RunningHost } from './support/web-host.js';

/**
 * Block this port through the UI, for real: the web host runs in the e2e lab namespace (this "PC"),
 * so its backend edits that namespace's nftables; a peer namespace made here plays a device on the
 * network and a client of this PC. Outbound: scan → block → the wizard's rescan shows filtered →
 * undo on the Rules page → open. Inbound on this PC: the wizard explains loopback and the peer sees
 * the port filtered until "Tout annuler".
 */
const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const PC_ADDR = '10.77.251.1';
const PEER_ADDR = '10.77.251.2';
const DEVICE_PORT = 23;
const PC_PORT = 3389;
const exec = promisify(execFile);

async function probeFromHere(host: string, port: number): Promise<string> {
  const { stdout } = await exec(process.execPath, ['-e', TCP_PROBE, host, String(port)]);
  return stdout.trim();
}

describe('Block this port, through the UI, verified for real', () => {
  const lab = new NetnsLab();
  const peer = uniqueName('fw', 'e2e');
  const hostLink = `pafw${process.pid % 100000}`;
  let dataDir = '';
  let host: RunningHost;
  let browser: LaunchedBrowser;
  let server: net.Server | undefined;
  let mounts: MountSandbox;

  async function probeFromPeer(port: number): Promise<string> {
    return (
      await execIn(peer, process.execPath, ['-e', TCP_PROBE, PC_ADDR, String(port)])
    ).stdout.trim();
  }

  beforeAll(async () => {
    assertInsideLabNamespace();
    await mkdir(ARTIFACTS, { recursive: true });
    // The host runs as root, so it changes the firewall itself and writes the policy backup to
    // /var/lib/port-auditor: a private mount namespace keeps that folder a tmpfs of this test.
    mounts = await startMountSandbox(FIREWALL_SYSTEM_DIRS);
    lab.onTeardown(() => mounts.close());
    dataDir = mkdtempSync(path.join(tmpdir(), 'pa-fw-e2e-'));
    lab.onTeardown(() => rmSync(dataDir, { recursive: true, force: true }));
    await addPeerDevice(lab, { peer, hostLink, pcAddr: PC_ADDR, peerAddr: PEER_ADDR });
    await listenTcp(lab, peer, DEVICE_PORT);
    server = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => server?.listen(PC_PORT, '0.0.0.0', resolve));

    host = await startBuiltWebHost(
      { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '', PORT_AUDITOR_DATA_DIR: dataDir },
      30_000,
      mounts.enter,
    );
    browser = await launchBrowser({ locale: 'fr-FR' });
    await new AppShell(browser.page, 'fr').open(host.url);
  });

  afterEach(async (context) => {
    await screenshotOnFailure(browser.page, context.task, ARTIFACTS);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    // The app's table lives in this lab namespace; leave it as the suite found it.
    await run('nft', ['delete', 'table', 'inet', 'port_auditor']).catch(() => undefined);
    await lab.teardown();
  });

  test('outbound block of a device port: rescan shows open → filtered, Undo reopens it', async () => {
    expect(await probeFromHere(PEER_ADDR, DEVICE_PORT)).toBe('open');
    const shell = new AppShell(browser.page, 'fr');
    await shell.open(`${host.origin}/`);
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets({ custom: PEER_ADDR });
    await scanner.choosePorts({ custom: String(DEVICE_PORT) });
    await scanner.scanNow();
    await scanner.waitForSummary();

    const wizard = await BlockWizard.openFromVerdict(shell, PEER_ADDR, DEVICE_PORT);
    // Said first: Port Auditor cannot close a port on another device.
    expect(await wizard.deviceNote.innerText()).toContain(shell.t('firewall:wizard.device.title'));
    await expect(wizard.direction('out').isChecked()).resolves.toBe(true);
    await expect(wizard.remote.inputValue()).resolves.toBe(PEER_ADDR);
    await wizard.next();
    await wizard.summary.waitFor();
    expect(await wizard.summary.innerText()).toBe(
      `Ce PC ne pourra plus se connecter au port ${DEVICE_PORT} (TCP) de ${PEER_ADDR}. Cela ne ferme pas ce port sur l’appareil\u00a0: les autres appareils pourront toujours s’y connecter.`,
    );
    const command = await (await wizard.technicalCommands()).first().innerText();
    expect(command).toContain('nft -j -e -a -f -');
    expect(command).toContain(`"right": ${DEVICE_PORT}`);
    expect(command).toContain(`"right": "${PEER_ADDR}"`);
    await wizard.next();
    await wizard.apply();
    await wizard.verifyStep.waitFor({ timeout: 60_000 });
    await expect(wizard.check('readback').getAttribute('data-value')).resolves.toBe('true');
    await expect(wizard.check('firewall-on').getAttribute('data-value')).resolves.toBe('true');
    await wizard.verdict.waitFor({ timeout: 60_000 });
    await expect(wizard.rescanResult.getAttribute('data-state')).resolves.toBe('filtered');
    expect(await wizard.rescanResult.innerText()).toContain('ouvert → maintenant filtré');
    // Neutral, never a green "verified": the port stays open on the device for everyone else.
    await expect(wizard.verdict.getAttribute('data-verdict')).resolves.toBe('this-pc-only');
    await expect(wizard.verdict.getAttribute('class')).resolves.toContain('Info');
    await browser.page.screenshot({ path: path.join(ARTIFACTS, 'firewall-verified.png') });
    await wizard.close();
    expect(await probeFromHere(PEER_ADDR, DEVICE_PORT)).toBe('filtered');

    const rules = await RulesPage.open(shell);
    await rules.rows.first().waitFor();
    await expect(rules.rows.count()).resolves.toBe(1);
    await expect(rules.rows.first().getAttribute('data-port')).resolves.toBe(String(DEVICE_PORT));
    await rules.undoButtons().first().click();
    await rules.empty.waitFor();
    await expect(rules.notice.getAttribute('class')).resolves.toContain('Success');
    expect(await probeFromHere(PEER_ADDR, DEVICE_PORT)).toBe('open');
    expect(browser.errors).toEqual([]);
  });

  test('inbound block on this PC: the wizard explains loopback, the peer sees it filtered, Undo all reopens', async () => {
    expect(await probeFromPeer(PC_PORT)).toBe('open');
    const shell = new AppShell(browser.page, 'fr');
    await shell.open(`${host.origin}/`);
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets('this-pc');
    await scanner.choosePorts({ custom: String(PC_PORT) });
    await scanner.scanNow();
    await scanner.waitForSummary();

    const wizard = await BlockWizard.openFromVerdict(shell, '10.77.250.1', PC_PORT);
    await expect(wizard.direction('in').isChecked()).resolves.toBe(true);
    // Review 15 #15: the port's reason is a note read in place, not an alert announced each time
    // the wizard opens; the addresses field is named by one label, not label plus legend.
    await expect(wizard.why.getAttribute('role')).resolves.toBe('note');
    await expect(wizard.alerts.count()).resolves.toBe(0);
    await expect(wizard.remoteByName.count()).resolves.toBe(1);
    await expect(wizard.remoteLabelCount()).resolves.toBe(1);
    await expect(wizard.remote.inputValue()).resolves.toBe('');
    // Review 15, F2: a refused address is the field's own error (aria-invalid, described by it),
    // the focus goes to the field, and the refusal goes once the user edits what it was about.
    await wizard.remote.fill('zz');
    await wizard.next();
    await expect.poll(() => wizard.remote.getAttribute('aria-invalid')).toBe('true');
    await expect(wizard.error.getAttribute('data-error-code')).resolves.toBe(
      'firewall.invalid-remote',
    );
    const refusal = (await wizard.error.innerText()).trim();
    expect(refusal).toContain('zz');
    expect(await wizard.remoteDescription()).toBe(refusal);
    await expect.poll(() => hasFocus(wizard.remote)).toBe(true);
    await expect(wizard.error.count()).resolves.toBe(1);
    await wizard.remote.fill('10.77.251.9');
    await expect(wizard.remote.getAttribute('aria-invalid')).resolves.toBe('false');
    await expect(wizard.error.count()).resolves.toBe(0);
    expect(await wizard.remoteDescription()).toBe(shell.t('firewall:wizard.remoteHelpIn'));
    await wizard.remote.fill('');
    await wizard.next();
    await wizard.summary.waitFor();
    expect(await wizard.summary.innerText()).toBe(
      `Les autres appareils ne pourront plus se connecter au port ${PC_PORT} (TCP) de ce PC. Ce PC lui-même n’est pas affecté.`,
    );
    expect(await wizard.dialog.innerText()).toContain('loopback');
    await wizard.technicalCommands();
    const previewed = await wizard.previewedRuleName();
    expect(previewed).toMatch(/^PortAuditor-/);
    await wizard.next();
    await wizard.apply();
    await wizard.verifyStep.waitFor({ timeout: 60_000 });
    await expect(wizard.check('readback').getAttribute('data-value')).resolves.toBe('true');
    expect(await wizard.notChecked.innerText()).toContain('depuis un autre appareil');
    await expect(wizard.verdict.getAttribute('data-verdict')).resolves.toBe('in-place');
    await wizard.close();
    // What the wizard cannot see from this PC, the peer can: the port is filtered from outside.
    expect(await probeFromPeer(PC_PORT)).toBe('filtered');
    expect(await probeFromHere('127.0.0.1', PC_PORT)).toBe('open');

    // The results know it now: a "blocked" chip, Débloquer instead of Bloquer, out of the counts.
    const verdict = browser.page.getByTestId(`verdict-10.77.250.1-${PC_PORT}`);
    const chip = verdict.getByTestId('verdict-firewall');
    await chip.waitFor();
    await expect(chip.getAttribute('data-effect')).resolves.toBe('blocked');
    expect(await chip.innerText()).toBe(shell.t('risk:firewall.blocked'));
    await expect(verdict.getAttribute('data-blocked')).resolves.toBe('true');
    // The verdict the wizard was opened from is still open: its button now unblocks.
    await browser.page.getByTestId(`unblock-port-10.77.250.1-${PC_PORT}`).waitFor();
    await expect(
      browser.page.getByTestId(`block-port-10.77.250.1-${PC_PORT}`).count(),
    ).resolves.toBe(0);
    await browser.page.getByTestId('risk-count-blocked').waitFor();

    // The PDF no longer lists it among the most urgent findings, and says it is blocked.
    const pdf = await new ReportPage(shell).export('pdf');
    const pdfPath = path.join(ARTIFACTS, 'e2e-firewall-blocked.pdf');
    await pdf.saveAs(pdfPath);
    const { stdout: text } = await exec('pdftotext', ['-raw', '-enc', 'UTF-8', pdfPath, '-']);
    const urgent = text.slice(
      text.indexOf('Les constats les plus urgents'),
      text.indexOf('Appareils'),
    );
    expect(urgent).not.toContain(`${PC_PORT}/TCP`);
    // Words, not lines: the reason cell wraps where its width says (it begins with the addresses
    // of this PC the port is open on).
    // The rule is named by its date and port, never by its UUID name (review 15b).
    const words = text.replace(/\s+/g, ' ');
    expect(words).toContain(`Bloqué par Port Auditor (règle du `);
    expect(words).toContain(` pour le port ${PC_PORT}/tcp, relue dans le pare-feu)`);
    expect(words).not.toContain(previewed);

    // The rule applied is the one the preview named.
    const rules = await RulesPage.open(shell);
    await rules.rows.first().waitFor();
    await rules.row(previewed.slice('PortAuditor-'.length)).waitFor();
    // Review 15 #15: the firewall's standing notices (here, nftables without the boot unit) are
    // notes, not alerts announced each visit; and they do not send the reader to this very page.
    await expect(rules.warnings.count()).resolves.toBeGreaterThan(0);
    for (const notice of await rules.warnings.all()) {
      await expect(notice.getAttribute('role')).resolves.toBe('note');
      expect(await notice.innerText()).not.toContain('page Règles');
    }
    await rules.undoAll();
    await rules.empty.waitFor();
    expect(await probeFromPeer(PC_PORT)).toBe('open');
    expect(browser.errors).toEqual([]);
  });

  test('a rule of ours unknown to the journal is listed as found and Undo all removes it', async () => {
    // Made by the CLI with another data folder: as if the app's folder had been deleted since.
    const otherData = mkdtempSync(path.join(tmpdir(), 'pa-fw-e2e-other-'));
    lab.onTeardown(() => rmSync(otherData, { recursive: true, force: true }));
    const [file, ...args] = mounts.enter([
      process.execPath,
      'dist/main/cli.mjs',
      'block',
      '--port',
      String(PC_PORT),
      '--proto',
      'tcp',
    ]);
    await exec(file as string, args, {
      cwd: ROOT,
      env: { ...process.env, PORT_AUDITOR_DATA_DIR: otherData },
    });
    expect(await probeFromPeer(PC_PORT)).toBe('filtered');

    const shell = new AppShell(browser.page, 'fr');
    await shell.open(`${host.origin}/`);
    const rules = await RulesPage.open(shell);
    await rules.foundRows.first().waitFor();
    await expect(rules.rows.count()).resolves.toBe(1);
    await expect(rules.foundRows.first().getAttribute('data-port')).resolves.toBe(String(PC_PORT));
    // The words of `port-auditor rules` and the PDF (review 13 N7).
    expect(await rules.foundRows.first().innerText()).toContain(
      'active (trouvée dans le pare-feu\u202f; l’historique de Port Auditor ne la connaissait pas)',
    );
    await rules.undoAll();
    await rules.empty.waitFor();
    expect(await probeFromPeer(PC_PORT)).toBe('open');
    expect(browser.errors).toEqual([]);
  });
});
