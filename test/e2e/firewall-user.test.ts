import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { addPeerDevice, TCP_PROBE } from '../lab/firewall-lab.js';
import { execIn, NetnsLab, run, uniqueName } from '../lab/netns.js';
import { startPolkitSandbox, type PolkitSandbox } from '../lab/polkit-sandbox.js';
import { AppShell } from './pages/app-shell.js';
import { BlockWizard, RulesPage, UnblockFromResults } from './pages/firewall.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshotOnFailure, type LaunchedBrowser } from './support/browser.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { ROOT, startBuiltWebHost, type RunningHost } from './support/web-host.js';

/**
 * The desktop path of a normal Linux user, through the real interface: the browser-mode host runs
 * as a test user (not root), so "Appliquer" goes through Debian's pkexec, a real polkitd and the
 * helper installed root-owned by scripts/install-helper.ts (see test/lab/polkit-sandbox.ts). A
 * peer namespace plays another device and sees the port filtered, then open after "Unblock" in the
 * results (confirmed in its dialog).
 */
const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const PC_ADDR = '10.77.252.1';
const PEER_ADDR = '10.77.252.2';
const PC_PORT = 5900;
const exec = promisify(execFile);

describe('Block this port as a normal user, through polkit, in the UI', () => {
  const lab = new NetnsLab();
  const peer = uniqueName('fwu', 'e2e');
  const hostLink = `pafu${process.pid % 100000}`;
  let sandbox: PolkitSandbox;
  let host: RunningHost;
  let browser: LaunchedBrowser;
  let server: net.Server | undefined;

  async function probeFromPeer(): Promise<string> {
    const { stdout } = await execIn(peer, process.execPath, [
      '-e',
      TCP_PROBE,
      PC_ADDR,
      String(PC_PORT),
    ]);
    return stdout.trim();
  }

  beforeAll(async () => {
    assertInsideLabNamespace();
    await mkdir(ARTIFACTS, { recursive: true });
    sandbox = await startPolkitSandbox(path.join(ROOT, 'dist/main/firewall-helper.mjs'));
    lab.onTeardown(() => sandbox.close());
    const dataDir = mkdtempSync(path.join(tmpdir(), 'pa-fwu-e2e-'));
    chownSync(dataDir, sandbox.user.uid, sandbox.user.gid);
    lab.onTeardown(() => rmSync(dataDir, { recursive: true, force: true }));
    await addPeerDevice(lab, { peer, hostLink, pcAddr: PC_ADDR, peerAddr: PEER_ADDR });
    server = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => server?.listen(PC_PORT, '0.0.0.0', resolve));

    host = await startBuiltWebHost({}, 30_000, (argv) =>
      sandbox.asUser(argv, { env: { PORT_AUDITOR_DATA_DIR: dataDir, LANG: 'en_US.UTF-8' } }),
    );
    browser = await launchBrowser({ locale: 'en-US' });
  });

  afterEach(async (context) => {
    await screenshotOnFailure(browser.page, context.task, ARTIFACTS);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await run('nft', ['delete', 'table', 'inet', 'port_auditor']).catch(() => undefined);
    await lab.teardown();
  });

  test('scan → block (polkit) → the peer sees filtered → Unblock, confirmed (polkit) → open', async () => {
    // The host really is the test user's, not root's.
    const owner = await exec('ps', ['-o', 'user=', '-C', 'node']);
    expect(owner.stdout).toContain(sandbox.user.name);
    expect(await probeFromPeer()).toBe('open');

    const shell = new AppShell(browser.page, 'en');
    await shell.open(host.url);
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets('this-pc');
    await scanner.choosePorts({ custom: String(PC_PORT) });
    await scanner.scanNow();
    await scanner.waitForSummary();

    const wizard = await BlockWizard.openFromVerdict(shell, '10.77.250.1', PC_PORT);
    expect(await wizard.title()).toBe(`Block port ${PC_PORT}/TCP of this PC`);
    await wizard.next();
    await wizard.summary.waitFor();
    expect(await wizard.summary.innerText()).toBe(
      `Other devices will no longer be able to connect to port ${PC_PORT} (TCP) of this PC. This PC itself is not affected.`,
    );
    const previewText = await wizard.dialog.innerText();
    expect(previewText, previewText).toContain(shell.t('firewall:wizard.elevation.pkexec'));
    await wizard.next();
    // The step that applies says the same about the prompt as the preview did.
    expect(await wizard.applyIntro.innerText()).toBe(
      'Click “Apply”: a permission window (polkit) will ask for the administrator password. Nothing changes if you decline it.',
    );
    // A refused prompt (a wrong password) changes nothing; once polkit accepts, trying again
    // applies (the refused attempt's rule id is not offered twice).
    await sandbox.setRefused(true);
    await wizard.apply();
    await wizard.failedAttempt.waitFor({ timeout: 60_000 });
    expect(await probeFromPeer()).toBe('open');
    await sandbox.setRefused(false);
    await wizard.applyAgain();
    await wizard.verifyStep.waitFor({ timeout: 60_000 });
    await expect(wizard.check('readback').getAttribute('data-value')).resolves.toBe('true');
    // Linux has no firewall "profiles": the check says what it is here.
    expect(await wizard.check('firewall-on').innerText()).toBe(
      'nftables filtering available (Linux firewall): yes',
    );
    await expect(wizard.verdict.getAttribute('data-verdict')).resolves.toBe('in-place');
    await browser.page.screenshot({ path: path.join(ARTIFACTS, 'firewall-user-verified.png') });
    await wizard.close();
    expect(await probeFromPeer()).toBe('filtered');
    // The results know it, in English too.
    const verdict = browser.page.getByTestId(`verdict-10.77.250.1-${PC_PORT}`);
    expect(await verdict.getByTestId('verdict-firewall').innerText()).toBe(
      'Blocked by Port Auditor',
    );
    // The results in English with the block on them, as axe-core sees them.
    expect(await axeViolations(browser.page)).toEqual([]);
    // Unblock from the results asks first (through polkit again once confirmed) and says it did.
    const unblock = new UnblockFromResults(shell, '10.77.250.1', PC_PORT);
    expect(await unblock.button.innerText()).toBe('Unblock');
    const dialog = await unblock.open();
    expect(await dialog.innerText()).toContain(
      `other devices will be able to connect to port ${PC_PORT} (TCP) of this PC again.`,
    );
    expect(await axeViolations(browser.page, '[role="dialog"]')).toEqual([]);
    await unblock.confirm();
    await unblock.notice.waitFor({ timeout: 60_000 });
    expect(await unblock.notice.innerText()).toBe(
      `Port ${PC_PORT}/TCP unblocked: the rule is removed and, read back, it is no longer in the firewall.`,
    );
    await verdict.getByTestId('verdict-firewall').waitFor({ state: 'detached' });
    expect(await probeFromPeer()).toBe('open');

    const rules = await RulesPage.open(shell);
    await rules.emptyRead.waitFor();
    expect(await rules.empty.innerText()).toBe(
      'No active rule: no port is blocked by Port Auditor.',
    );
    expect(browser.errors).toEqual([]);
  });
});
