import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { formatDateTime } from '../../app/contract/datetime.js';
import {
  FIREWALL_SYSTEM_DIRS,
  startMountSandbox,
  type MountSandbox,
} from '../lab/mount-sandbox.js';
import { addPeerDevice, listenTcp, TCP_PROBE } from '../lab/firewall-lab.js';
import { execIn, NetnsLab, run, uniqueName } from '../lab/netns.js';
import { AppShell } from './pages/app-shell.js';
import { BlockWizard, RulesPage, UnblockFromResults } from './pages/firewall.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { ReportPage } from './pages/report.js';
import { SuspiciousPortsPage } from './pages/suspicious-ports.js';
import { axeViolations } from './support/axe.js';
import { hasFocus } from './support/focus.js';
import { launchBrowser, screenshotOnFailure, type LaunchedBrowser } from './support/browser.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { typeset } from '../unit/support/typography.js';
import { ROOT, startBuiltWebHost, type RunningHost } from './support/web-host.js';

/**
 * What the results say once Port Auditor's rules are in the firewall, for real (the host as root in
 * the e2e lab namespace edits that namespace's nftables; a peer namespace plays a device and a
 * client): chips and counts follow the firewall when it changes behind the app's back (a flush, a
 * rule added from the CLI), exports say what the screen says, Débloquer asks first and says what it
 * did, the wizard's words match the rule's scope, and a port this PC's own rule hides stays a
 * finding.
 */
const ARTIFACTS = path.join(ROOT, 'test/artifacts');
const LAB_ADDR = '10.77.250.1';
const PC_ADDR = '10.77.253.1';
const PEER_ADDR = '10.77.253.2';
const PC_PORT = 445;
const LOCAL_ONLY_PORT = 5432;
const DEVICE_PORT = 23;
const exec = promisify(execFile);

describe('The results follow the firewall', () => {
  const lab = new NetnsLab();
  const peer = uniqueName('fwr', 'e2e');
  const hostLink = `pafr${process.pid % 100000}`;
  let dataDir = '';
  let host: RunningHost;
  let browser: LaunchedBrowser;
  const servers: net.Server[] = [];
  let mounts: MountSandbox;
  let shell: AppShell;

  async function probeFromPeer(port: number): Promise<string> {
    return (
      await execIn(peer, process.execPath, ['-e', TCP_PROBE, PC_ADDR, String(port)])
    ).stdout.trim();
  }

  /** The CLI on the app's own data folder, as another window of the same user would run it. */
  async function cli(...args: string[]): Promise<string> {
    const [file, ...rest] = mounts.enter([process.execPath, 'dist/main/cli.mjs', ...args]);
    const { stdout } = await exec(file as string, rest, {
      cwd: ROOT,
      env: { ...process.env, PORT_AUDITOR_DATA_DIR: dataDir, LANG: 'fr_FR.UTF-8' },
    });
    return stdout;
  }

  async function listen(port: number, address: string): Promise<void> {
    const server = net.createServer((s) => s.end());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(port, address, resolve));
  }

  async function scan(targets: string, ports: string): Promise<OpenPortsPage> {
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets({ custom: targets });
    await scanner.choosePorts({ custom: ports });
    await scanner.scanNow();
    await scanner.waitForSummary();
    return scanner;
  }

  async function exportJson(name: string): Promise<{
    summary: { blockedByPortAuditor: number };
    findings: { address: string; port: number; portAuditorRule: { effect: string } | null }[];
    firewallRules: { present: boolean | null }[] | null;
  }> {
    const download = await new ReportPage(shell).export('json');
    const file = path.join(ARTIFACTS, name);
    await download.saveAs(file);
    return JSON.parse(readFileSync(file, 'utf8'));
  }

  function say(key: string, values: Record<string, string | number> = {}): string {
    let text = shell.t(key);
    for (const [name, value] of Object.entries(values)) {
      text = text.replaceAll(`{{${name}}}`, String(value));
    }
    return text;
  }

  beforeAll(async () => {
    assertInsideLabNamespace();
    await mkdir(ARTIFACTS, { recursive: true });
    mounts = await startMountSandbox(FIREWALL_SYSTEM_DIRS);
    lab.onTeardown(() => mounts.close());
    dataDir = mkdtempSync(path.join(tmpdir(), 'pa-fwr-e2e-'));
    lab.onTeardown(() => rmSync(dataDir, { recursive: true, force: true }));
    await addPeerDevice(lab, { peer, hostLink, pcAddr: PC_ADDR, peerAddr: PEER_ADDR });
    await listenTcp(lab, peer, DEVICE_PORT);
    await listen(PC_PORT, '0.0.0.0');
    await listen(LOCAL_ONLY_PORT, '127.0.0.1');

    host = await startBuiltWebHost(
      { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '', PORT_AUDITOR_DATA_DIR: dataDir },
      30_000,
      mounts.enter,
    );
    browser = await launchBrowser({ locale: 'fr-FR' });
    shell = new AppShell(browser.page, 'fr');
    await shell.open(host.url);
  });

  // Each test starts with no rule of ours, whatever the one before left behind when it failed.
  beforeEach(async () => {
    await cli('unblock', '--all');
  });

  afterEach(async (context) => {
    await screenshotOnFailure(browser.page, context.task, ARTIFACTS);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await run('nft', ['delete', 'table', 'inet', 'port_auditor']).catch(() => undefined);
    await lab.teardown();
  });

  test('chips, counts and exports follow blocks, an outside flush, a rule from the CLI, and Débloquer', async () => {
    const risk = new SuspiciousPortsPage(shell);
    await scan('this-pc', String(PC_PORT));
    await risk.waitForVerdicts(LAB_ADDR);
    const highBefore = await risk.count('high').innerText();

    // The wizard of a port of this PC speaks of this PC, not of the one address scanned.
    const wizard = await BlockWizard.openFromVerdict(shell, LAB_ADDR, PC_PORT);
    expect(await wizard.title()).toBe(`Bloquer le port ${PC_PORT}/TCP de ce PC`);
    expect(await wizard.dialog.innerText()).toContain(
      `bloque le port ${PC_PORT}/TCP de ce PC, sur toutes ses adresses`,
    );
    await wizard.next();
    await wizard.summary.waitFor();
    // Nothing ran yet: the commands are those that will run, and no prompt is announced twice
    // in two different ways.
    await wizard.technicalCommands();
    expect(await wizard.technicalIntro.innerText()).toMatch(
      /^Commandes qui seront exécutées \(règle PortAuditor-[0-9a-f-]{36}\)[\s\u00a0]:$/,
    );
    expect(await axeViolations(browser.page, '[role="dialog"]')).toEqual([]);
    expect(await wizard.dialog.innerText()).toContain(say('firewall:wizard.elevation.none'));
    await wizard.next();
    expect(await wizard.applyIntro.innerText()).toBe(say('firewall:wizard.applyIntro.none'));
    await wizard.apply();
    await wizard.verdict.waitFor({ timeout: 60_000 });
    expect(await wizard.verdict.innerText()).toBe(say('firewall:wizard.verdict.in-place'));
    // What was checked is headed as checked from here, beside what cannot be.
    await expect(
      wizard.dialog.getByRole('heading', { name: say('firewall:wizard.checkedTitle') }).count(),
    ).resolves.toBe(1);
    expect(await axeViolations(browser.page, '[role="dialog"]')).toEqual([]);
    await wizard.close();
    expect(await probeFromPeer(PC_PORT)).toBe('filtered');

    // One port of one device blocked, whatever the number of this PC's addresses: This PC is one
    // card, named by its first address, listing the service once with every address it is open
    // on, so no other address of this PC has a verdict (or a chip) of its own for it.
    await expect(risk.coverage(LAB_ADDR, PC_PORT).getAttribute('data-effect')).resolves.toBe(
      'blocked',
    );
    await expect(risk.verdict(PC_ADDR, PC_PORT).count()).resolves.toBe(0);
    await expect(risk.verdict('127.0.0.1', PC_PORT).count()).resolves.toBe(0);
    expect(await risk.blockedCount.innerText()).toBe('1 port bloqué par Port Auditor');
    expect(await risk.count('high').innerText()).toBe(
      `${say('vocabulary:severity.high')}\u00a0: 0`,
    );
    // The outlined severity is said "mitigated" to screen readers too, not only drawn: the
    // verdict's button name ends with it (after the words the button shows, WCAG 2.5.3).
    const summary = risk.verdict(LAB_ADDR, PC_PORT).locator('[aria-controls]').first();
    expect(await summary.getAttribute('aria-label')).toMatch(
      new RegExp(
        `^${say(`vocabulary:severity.${await risk.verdict(LAB_ADDR, PC_PORT).getByTestId('severity-chip').getAttribute('data-severity')}`)}, .*${say('risk:severity.mitigatedSuffix')}$`,
      ),
    );

    // At 1280 px, no chip is cut: each label shows its whole text.
    // The results with their chips and counts, as axe-core sees them.
    expect(await axeViolations(browser.page)).toEqual([]);
    const cut = await browser.page
      .locator('[data-testid="verdict-firewall"] .MuiChip-label')
      .evaluateAll((els) =>
        els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent),
      );
    expect(cut).toEqual([]);

    // The details say it too, and no longer that other devices can connect.
    const { reasons } = await risk.openDetails(LAB_ADDR, PC_PORT);
    // By its date and port, never its UUID name (review 15b).
    expect(reasons[0]).toMatch(
      /^Bloqué par Port Auditor \(règle du \d+(er)? [^ ]+ \d{4}, \d\d:\d\d pour le port \d+\/tcp, relue/,
    );
    expect(reasons).toContain(
      'Il écoute sur toutes les interfaces réseau, mais la règle Port Auditor empêche les autres appareils de s’y connecter.',
    );
    expect(reasons.join(' ')).not.toContain('si le pare-feu le permet');
    const reachable = await risk
      .verdict(LAB_ADDR, PC_PORT)
      .getByTestId('verdict-facts')
      .innerText();
    for (const address of [LAB_ADDR, PC_ADDR, '127.0.0.1']) expect(reachable).toContain(address);
    const blocked = await exportJson('e2e-results-blocked.json');
    expect(blocked.summary.blockedByPortAuditor).toBe(1);
    expect(blocked.firewallRules?.map((r) => r.present)).toEqual([true]);
    expect(
      blocked.findings.find((f) => f.address === LAB_ADDR && f.port === PC_PORT)?.portAuditorRule,
    ).toMatchObject({ effect: 'blocked' });

    // Behind the app's back (a firewall reload, a reboot without the boot unit): the Rules page's
    // refresh sees the rule gone, and the results follow at once.
    await run('nft', ['delete', 'table', 'inet', 'port_auditor']);
    const rules = await RulesPage.open(shell);
    await rules.refresh();
    await rules.root.getByTestId('rules-missing').waitFor();
    // The Rules page with a vanished rule and its "Réappliquer", as axe-core sees it.
    expect(await axeViolations(browser.page)).toEqual([]);
    await OpenPortsPage.open(shell);
    // The row says the block is gone, first among its reasons, and offers to put it back.
    await risk.verdict(LAB_ADDR, PC_PORT).locator('[data-effect="vanished"]').waitFor();
    expect(await risk.coverage(LAB_ADDR, PC_PORT).innerText()).toBe(say('risk:firewall.vanished'));
    await risk.blockedCount.waitFor({ state: 'detached' });
    expect(await risk.count('high').innerText()).toBe(highBefore);
    const gone = await risk.openDetails(LAB_ADDR, PC_PORT);
    expect(gone.reasons[0]).toMatch(
      /^Selon le journal de Port Auditor, la règle du \d+(er)? [^ ]+ \d{4}, \d\d:\d\d pour le port \d+\/tcp bloquait ce port\u202f; elle est introuvable dans le pare-feu/,
    );
    const reapply = risk.verdict(LAB_ADDR, PC_PORT).getByRole('button', {
      name: say('firewall:rules.reapplyLabel', { port: PC_PORT, protocol: 'TCP' }),
    });
    expect(await axeViolations(browser.page)).toEqual([]);
    const vanished = await exportJson('e2e-results-vanished.json');
    expect(vanished.summary.blockedByPortAuditor).toBe(0);
    expect(vanished.firewallRules?.map((r) => r.present)).toEqual([false]);
    expect(vanished.findings.map((f) => f.portAuditorRule)).not.toContainEqual(
      expect.objectContaining({ effect: 'blocked' }),
    );
    expect(
      vanished.findings.find((f) => f.address === LAB_ADDR && f.port === PC_PORT)?.portAuditorRule,
    ).toMatchObject({ effect: 'vanished' });
    // One click on the row puts the same rule back; the chip and the peer follow.
    await reapply.click();
    await risk.verdict(LAB_ADDR, PC_PORT).locator('[data-effect="blocked"]').waitFor();
    expect(await probeFromPeer(PC_PORT)).toBe('filtered');

    // "Tout débloquer ?" / "Tout débloquer", then a list that says no rule is active.
    const rulesAgain = await RulesPage.open(shell);
    await rulesAgain.undoAll();
    await rulesAgain.emptyRead.waitFor();
    expect(await rulesAgain.empty.innerText()).toBe(say('firewall:rules.empty'));

    // A rule added from the CLI while the app is open: the next scan knows it without a visit to
    // the Rules page.
    await cli('block', '--port', String(PC_PORT), '--proto', 'tcp');
    await scan('this-pc', String(PC_PORT));
    await risk.coverage(LAB_ADDR, PC_PORT).waitFor();
    await expect(risk.coverage(LAB_ADDR, PC_PORT).getAttribute('data-effect')).resolves.toBe(
      'blocked',
    );
    // Removed, then put back from the terminal while the results stay on screen: coming back to
    // the window is enough for the chip and the counts to follow, without a new scan.
    await cli('unblock', '--all');
    // The verdicts are worked out again in the background: nothing above the results moves
    // meanwhile (a click under way would land beside its button).
    const top = await risk.watchResultsTop();
    await shell.returnToWindow();
    await risk.coverage(LAB_ADDR, PC_PORT).waitFor({ state: 'detached' });
    await risk.blockedCount.waitFor({ state: 'detached' });
    expect(await top.stop()).toHaveLength(1);
    expect(await risk.count('high').innerText()).toBe(highBefore);
    await cli('block', '--port', String(PC_PORT), '--proto', 'tcp');
    await shell.returnToWindow();
    await risk.coverage(LAB_ADDR, PC_PORT).waitFor();
    expect(await risk.blockedCount.innerText()).toBe('1 port bloqué par Port Auditor');
    // Dated as the CLI and the PDF date it, in the same words for "every address".
    const [cliRule] = (
      JSON.parse(await cli('rules', '--json')) as {
        rules: { id: string; createdAt: string }[];
      }
    ).rules;
    const listed = await RulesPage.open(shell);
    await listed.row(cliRule!.id).waitFor();
    expect(await axeViolations(browser.page)).toEqual([]);
    expect(await listed.created(cliRule!.id)).toBe(formatDateTime(cliRule!.createdAt, 'fr'));
    expect(await listed.row(cliRule!.id).innerText()).toContain('toutes les adresses');

    // Débloquer from the results asks first, names the port and what changes, then says it.
    await OpenPortsPage.open(shell);
    const unblock = new UnblockFromResults(shell, LAB_ADDR, PC_PORT);
    const dialog = await unblock.open();
    expect(await dialog.innerText()).toContain(
      `les autres appareils pourront de nouveau se connecter au port ${PC_PORT} (TCP) de ce PC.`,
    );
    expect(await axeViolations(browser.page, '[role="dialog"]')).toEqual([]);
    await unblock.keep();
    expect(await probeFromPeer(PC_PORT)).toBe('filtered');
    await unblock.open();
    await unblock.confirm();
    await unblock.notice.waitFor({ timeout: 60_000 });
    expect(await unblock.notice.innerText()).toBe(
      say('firewall:unblock.done.removed', { port: PC_PORT, protocol: 'TCP' }),
    );
    await risk.coverage(LAB_ADDR, PC_PORT).waitFor({ state: 'detached' });
    expect(await probeFromPeer(PC_PORT)).toBe('open');
    expect(browser.errors).toEqual([]);
  });

  test('the wizard says what a scoped rule blocks, and that a loopback-only service needs none', async () => {
    await scan('this-pc', `${PC_PORT},${LOCAL_ONLY_PORT}`);
    const wizard = await BlockWizard.openFromVerdict(shell, LAB_ADDR, PC_PORT);
    // This PC's own address as the remote: the wizard says such a rule changes nothing.
    await wizard.remote.fill(`${PEER_ADDR}, ${PC_ADDR}`);
    expect(await wizard.ownAddress.innerText()).toBe(
      say('firewall:wizard.ownAddress_one', { addresses: PC_ADDR }),
    );
    expect(await wizard.ownAddress.innerText()).toContain(
      `${PC_ADDR} est une adresse de ce PC, pas d’un autre appareil.`,
    );
    // Review 15b: the field's own error, under it (aria-invalid, described by it), not a banner.
    await expect(wizard.remote.getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await wizard.remoteDescription()).toBe(await wizard.ownAddress.innerText());
    expect(await axeViolations(browser.page, '[role="dialog"]')).toEqual([]);
    // Loopback is this PC too: 127.0.0.1 typed is refused the same way, as it is typed.
    await wizard.remote.fill('127.0.0.1');
    await expect
      .poll(() => wizard.ownAddress.innerText())
      .toBe(say('firewall:wizard.ownAddress_one', { addresses: '127.0.0.1' }));
    await expect(wizard.remote.getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await wizard.remoteDescription()).toBe(
      say('firewall:wizard.ownAddress_one', { addresses: '127.0.0.1' }),
    );
    await expect(wizard.alerts.count()).resolves.toBe(1);
    // No way on to a preview whose first sentence would be false (the service refuses it too):
    // "Suivant" stays focusable and sends the focus to the field whose error says why.
    await wizard.next();
    await expect.poll(() => hasFocus(wizard.remote)).toBe(true);
    await expect(wizard.summary.count()).resolves.toBe(0);
    await wizard.remote.fill(PEER_ADDR);
    await wizard.ownAddress.waitFor({ state: 'detached' });
    await expect(wizard.remote.getAttribute('aria-invalid')).resolves.toBe('false');
    await wizard.next();
    await wizard.summary.waitFor();
    // The preview's notices are notes read in place, not alerts announced as the step opens.
    expect(await wizard.previewNotes.count()).toBeGreaterThan(0);
    await expect(wizard.alerts.count()).resolves.toBe(0);
    await wizard.next();
    await wizard.apply();
    await wizard.verdict.waitFor({ timeout: 60_000 });
    await expect(wizard.verdict.getAttribute('data-verdict')).resolves.toBe('in-place');
    expect(await wizard.verdict.innerText()).toBe(
      say('firewall:wizard.verdict.in-place-scoped_one', { addresses: PEER_ADDR }),
    );
    expect(await wizard.verdict.innerText()).toContain(
      `Règle en place\u00a0: les connexions depuis l’adresse ${PEER_ADDR} vers ce port de ce PC sont bloquées.`,
    );
    await wizard.close();
    const risk = new SuspiciousPortsPage(shell);
    await expect(risk.coverage(LAB_ADDR, PC_PORT).getAttribute('data-effect')).resolves.toBe(
      'partial',
    );
    const unblock = new UnblockFromResults(shell, LAB_ADDR, PC_PORT);
    expect(await (await unblock.open()).innerText()).toContain(
      `l’adresse ${PEER_ADDR} pourra de nouveau se connecter au port ${PC_PORT} (TCP) de ce PC.`,
    );
    await unblock.confirm();
    await unblock.notice.waitFor({ timeout: 60_000 });

    // Listening on 127.0.0.1 only: no other device can connect already, so it is Info (shown on
    // request); the wizard says it needs no rule.
    await risk.showInfoSwitch.check();
    await expect(risk.chip('127.0.0.1', LOCAL_ONLY_PORT)).resolves.toMatchObject({
      severity: 'info',
    });
    const local = await BlockWizard.openFromVerdict(shell, '127.0.0.1', LOCAL_ONLY_PORT);
    expect(await local.needless.innerText()).toBe(say('firewall:wizard.loopbackOnly'));
    expect(await axeViolations(browser.page, '[role="dialog"]')).toEqual([]);
    await local.next();
    await local.summary.waitFor();
    expect(await local.summary.innerText()).toBe(say('firewall:wizard.loopbackOnlySummary'));
    await local.dialog.getByRole('button', { name: 'Annuler' }).click();
    await local.dialog.waitFor({ state: 'detached' });
    expect(browser.errors).toEqual([]);
  });

  test('a device port this PC’s own outbound rule hides stays a finding, with its severity', async () => {
    const risk = new SuspiciousPortsPage(shell);
    await scan(PEER_ADDR, String(DEVICE_PORT));
    await risk.waitForVerdicts(PEER_ADDR);
    const before = await risk.chip(PEER_ADDR, DEVICE_PORT);
    expect(before.severity).toBe('critical');

    const wizard = await BlockWizard.openFromVerdict(shell, PEER_ADDR, DEVICE_PORT);
    await wizard.next();
    await wizard.next();
    await wizard.apply();
    await wizard.verdict.waitFor({ timeout: 60_000 });
    expect(await wizard.verdict.innerText()).toBe(say('firewall:wizard.verdict.this-pc-only'));
    await wizard.close();

    // Scanned again, the port is filtered from here: it stays, as telnet, with the rule named.
    await scan(PEER_ADDR, String(DEVICE_PORT));
    await risk.waitForVerdicts(PEER_ADDR);
    const chip = risk.coverage(PEER_ADDR, DEVICE_PORT);
    await expect(chip.getAttribute('data-effect')).resolves.toBe('scan-blocked');
    expect(await chip.innerText()).toBe(say('risk:firewall.scan-blocked'));
    expect(await axeViolations(browser.page)).toEqual([]);
    expect(await risk.chip(PEER_ADDR, DEVICE_PORT)).toEqual(before);
    expect(await risk.count('critical').innerText()).toBe(
      typeset(`${say('vocabulary:severity.critical')} : 1`),
    );
    const { reasons } = await risk.openDetails(PEER_ADDR, DEVICE_PORT);
    expect(reasons[0]).toMatch(
      /^Ce PC bloque ses propres connexions vers ce port \(règle du \d+(er)? [^ ]+ \d{4}, \d\d:\d\d pour le port \d+\/tcp\)\u00a0: l’analyse ne peut pas voir au-delà/,
    );
    expect(reasons).toContainEqual(expect.stringMatching(/^Vu ouvert par une analyse précédente/));
    await browser.page.screenshot({ path: path.join(ARTIFACTS, 'firewall-results-hidden.png') });
    const csv = await new ReportPage(shell).export('csv');
    const csvPath = path.join(ARTIFACTS, 'e2e-results-hidden.csv');
    await csv.saveAs(csvPath);
    const row = readFileSync(csvPath, 'utf8')
      .split('\r\n')
      .find((r) => r.startsWith(`${PEER_ADDR},`));
    // The port's addresses, then its product, TLS and HTTP facts (none: a filtered port was never
    // asked what it runs).
    expect(row).toMatch(
      /,filtered,[a-z-]+,telnet,.*,critical,.*,PortAuditor-[0-9a-f-]{36},scan-blocked,10\.77\.253\.2,,,$/,
    );

    const unblock = new UnblockFromResults(shell, PEER_ADDR, DEVICE_PORT);
    expect(await (await unblock.open()).innerText()).toContain(
      `les programmes de ce PC pourront de nouveau se connecter au port ${DEVICE_PORT} (TCP) de ${PEER_ADDR}.`,
    );
    await unblock.confirm();
    await unblock.notice.waitFor({ timeout: 60_000 });
    expect(await unblock.notice.getAttribute('data-result')).toBe('removed');
    expect(browser.errors).toEqual([]);
  });
});

describe('A firewall the app cannot read', () => {
  const PORT = 3389;
  let dataDir = '';
  let mounts: MountSandbox;
  let host: RunningHost | undefined;
  let browser: LaunchedBrowser | undefined;
  let server: net.Server | undefined;

  /** The CLI as root on the app's data folder: it can read and change the firewall. */
  async function rootCli(...args: string[]): Promise<void> {
    const [file, ...rest] = mounts.enter([process.execPath, 'dist/main/cli.mjs', ...args]);
    await exec(file as string, rest, {
      cwd: ROOT,
      env: { ...process.env, PORT_AUDITOR_DATA_DIR: dataDir },
    });
  }

  beforeAll(async () => {
    assertInsideLabNamespace();
    mounts = await startMountSandbox(FIREWALL_SYSTEM_DIRS);
    dataDir = mkdtempSync(path.join(tmpdir(), 'pa-fwr-unread-'));
    server = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => server?.listen(PORT, '0.0.0.0', resolve));
    // The rule really is in the firewall, and in the journal…
    await rootCli('block', '--port', String(PORT), '--proto', 'tcp');
    await run('chown', ['-R', 'nobody', dataDir]);
    // …but the app runs as a user with no way to read the firewall (no helper installed here).
    host = await startBuiltWebHost(
      { LANG: 'fr_FR.UTF-8', LC_ALL: '', LC_MESSAGES: '', PORT_AUDITOR_DATA_DIR: dataDir },
      30_000,
      (argv) => ['runuser', '-u', 'nobody', '--', ...argv],
    );
    browser = await launchBrowser({ locale: 'fr-FR' });
  });

  afterEach(async (context) => {
    if (browser) await screenshotOnFailure(browser.page, context.task, ARTIFACTS);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await rootCli('unblock', '--all').catch(() => undefined);
    await run('nft', ['delete', 'table', 'inet', 'port_auditor']).catch(() => undefined);
    await mounts?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a rule it could not read back is "Blocage non vérifié", never blocked, and still counted', async () => {
    const shell = new AppShell(browser!.page, 'fr');
    await shell.open(host!.url);
    const scanner = await OpenPortsPage.open(shell);
    await scanner.chooseTargets({ custom: LAB_ADDR });
    await scanner.choosePorts({ custom: String(PORT) });
    await scanner.scanNow();
    await scanner.waitForSummary();
    const risk = new SuspiciousPortsPage(shell);
    await risk.waitForVerdicts(LAB_ADDR);
    const chip = risk.coverage(LAB_ADDR, PORT);
    await expect(chip.getAttribute('data-effect')).resolves.toBe('unverified');
    expect(await chip.innerText()).toBe(shell.t('risk:firewall.unverified'));
    expect(await axeViolations(browser!.page)).toEqual([]);
    await expect(risk.verdict(LAB_ADDR, PORT).getAttribute('data-blocked')).resolves.toBeNull();
    await expect(risk.blockedCount.count()).resolves.toBe(0);
    expect(await risk.count('high').innerText()).toBe(
      `${shell.t('vocabulary:severity.high')}\u00a0: 1`,
    );
    const { reasons } = await risk.openDetails(LAB_ADDR, PORT);
    expect(reasons[0]).toMatch(
      /^Selon le journal de Port Auditor, la règle du \d+(er)? [^ ]+ \d{4}, \d\d:\d\d pour le port \d+\/tcp bloque ce port\u202f; le pare-feu n’a pas pu être lu pour le confirmer\./,
    );
    const download = await new ReportPage(shell).export('json');
    const file = path.join(ARTIFACTS, 'e2e-results-unverified.json');
    await download.saveAs(file);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      findings: { port: number; portAuditorRule: { effect: string } | null }[];
      firewallRules: { present: boolean | null }[];
    };
    expect(doc.firewallRules.map((r) => r.present)).toEqual([null]);
    expect(doc.findings.find((f) => f.port === PORT)?.portAuditorRule).toMatchObject({
      effect: 'unverified',
    });

    // Débloquer cannot work without the helper: the failure is said under this verdict (not
    // under every verdict with a rule), and nothing claims the port was unblocked.
    const unblock = new UnblockFromResults(shell, LAB_ADDR, PORT);
    await unblock.open();
    await unblock.confirm();
    const failure = risk.verdict(LAB_ADDR, PORT).getByTestId('unblock-error');
    await failure.waitFor({ timeout: 60_000 });
    expect(await failure.innerText()).not.toBe('');
    await expect(unblock.notice.count()).resolves.toBe(0);
    await expect(browser!.page.getByTestId('unblock-error').count()).resolves.toBe(1);
    expect(await axeViolations(browser!.page)).toEqual([]);
    expect(browser!.errors).toEqual([]);
  });
});
