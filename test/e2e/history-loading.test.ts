import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateNmapXml } from '../lab/nmap-xml.js';
import { AppShell } from './pages/app-shell.js';
import { HistoryPage } from './pages/history.js';
import { launchBrowser, type LaunchedBrowser } from './support/browser.js';
import { assertInsideLabNamespace } from './support/namespace-guard.js';
import { exact } from './support/strings.js';
import { ROOT, startBuiltWebHost, type RunningHost } from './support/web-host.js';

/**
 * Review 13 N1: while the list of kept scans has not arrived (a large last scan takes seconds to
 * open), History says it is loading, never "no scan yet". The answers to `scan.list` are held
 * on the socket (Playwright's WebSocket route) until the page has been looked at.
 */
describe('History while its list is on its way (browser mode)', () => {
  let host: RunningHost;
  let browser: LaunchedBrowser;
  let dataDir: string;
  const held: (() => void)[] = [];
  let holding = true;

  beforeAll(async () => {
    assertInsideLabNamespace();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pa-e2e-hist-load-'));
    const file = path.join(dataDir, 'kept.xml');
    writeFileSync(file, generateNmapXml(3));
    // One kept import, made before the page opens.
    execFileSync(process.execPath, [path.join(ROOT, 'bin/port-auditor.mjs'), 'import', file], {
      env: { ...process.env, PORT_AUDITOR_DATA_DIR: dataDir, LANG: 'fr_FR.UTF-8' },
      stdio: 'ignore',
    });
    host = await startBuiltWebHost({
      LANG: 'fr_FR.UTF-8',
      LC_ALL: '',
      LC_MESSAGES: '',
      PORT_AUDITOR_DATA_DIR: dataDir,
    });
    browser = await launchBrowser({ locale: 'fr-FR' });
    const lists = new Set<number>();
    await browser.page.routeWebSocket(/./, (ws: WebSocketRoute) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const sent = JSON.parse(String(message)) as { method?: string; id?: number };
        if (sent.method === 'scan.list' && typeof sent.id === 'number') lists.add(sent.id);
        server.send(message);
      });
      server.onMessage((message) => {
        const answer = JSON.parse(String(message)) as { kind?: string; id?: number };
        const isList = answer.kind === 'response' && lists.has(answer.id ?? -1);
        if (isList && holding) held.push(() => ws.send(message));
        else ws.send(message);
      });
    });
    await new AppShell(browser.page, 'fr').open(host.url);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a progress bar named in words until the list arrives, then the kept scan; never "none"', async () => {
    const shell = new AppShell(browser.page, 'fr');
    const history = await HistoryPage.open(shell);
    const loading = browser.page.getByRole('progressbar', {
      name: exact('Chargement de l’historique…'),
    });
    await loading.waitFor();
    expect(await history.empty.count()).toBe(0);
    holding = false;
    for (const release of held.splice(0)) release();
    await history.rows.first().waitFor();
    expect(await history.rows.count()).toBe(1);
    expect(await loading.count()).toBe(0);
    expect(await history.empty.count()).toBe(0);
  });
});
