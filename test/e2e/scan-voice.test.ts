import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppShell } from './pages/app-shell.js';
import { OpenPortsPage } from './pages/open-ports.js';
import { useAppInBrowser } from './support/app-in-browser.js';

// Issue 15, item 1: what the live regions of the page say during a scan of 127.0.0.1 — one polite
// announcement per phase change and one at the end, never the end twice (the summary and the
// announcer both spoke it).

/** One thing a live region said: the region (its test id or role) and its words. */
interface Said {
  region: string;
  live: string;
  text: string;
}

for (const lang of ['fr', 'en'] as const) {
  describe(`a scan of 127.0.0.1 heard through the live regions (${lang})`, () => {
    const app = useAppInBrowser(`scan-voice-${lang}`, lang);
    let server: net.Server;
    let port = 0;

    beforeAll(async () => {
      // A port of this test's own, in the test's network namespace.
      server = net.createServer((socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
    });

    test('each phase is said once, and the end once, by one polite region', async () => {
      const shell = new AppShell(app.browser.page, lang);
      const page = app.browser.page;
      const scanner = await OpenPortsPage.open(shell);
      await scanner.chooseTargets({ custom: '127.0.0.1' });
      await scanner.choosePorts({ custom: String(port) });
      // Every region a screen reader speaks from ([role=status|alert|log], [aria-live] but off):
      // its words each time they change, and a region put in the page with words already in it
      // (some screen readers speak those too), as the page changes.
      await page.evaluate(() => {
        const w = window as unknown as { __said: Said[] };
        w.__said = [];
        const last = new WeakMap<Element, string>();
        const LIVE =
          '[role="status"], [role="alert"], [role="log"], [aria-live]:not([aria-live="off"])';
        const record = () => {
          for (const region of Array.from(document.querySelectorAll(LIVE))) {
            const text = (region.textContent ?? '').replace(/[ \t\n\r]+/gu, ' ').trim();
            if (last.get(region) === text) continue;
            last.set(region, text);
            if (text === '') continue;
            const role = region.getAttribute('role') ?? '';
            w.__said.push({
              region: region.getAttribute('data-testid') ?? role,
              live: region.getAttribute('aria-live') ?? (role === 'alert' ? 'assertive' : 'polite'),
              text,
            });
          }
        };
        record();
        new MutationObserver(record).observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
        });
      });
      const said = () => page.evaluate(() => [...(window as unknown as { __said: Said[] }).__said]);

      await scanner.scanNow();
      await scanner.waitForSummary();
      const ended = shell.t('scan:progress.ended');
      const title = shell.t('scan:summary.title');
      const found = shell.t('scan:progress.openFound_one').replace('{{count, number}}', '1');
      const end = ended.replace('{{title}}', title).replace('{{found}}', found);
      await expect.poll(async () => (await said()).at(-1)?.text).toBe(end);

      const heard = await said();
      // The end, once, by the announcer, politely: no other region says the summary's title.
      expect(heard.filter((s) => s.text.includes(title))).toEqual([
        { region: 'scan-announcer', live: 'polite', text: end },
      ]);
      // Every phase change said once, by the announcer, politely (preparing and running only when
      // they last long enough to be drawn: a one-port scan may end first), and nothing else.
      const phases = [shell.t('scan:progress.preparing'), shell.t('scan:progress.running'), end];
      expect(heard.map((s) => s.text)).toEqual(
        phases.filter((p) => heard.some((s) => s.text === p)),
      );
      expect(heard.every((s) => s.region === 'scan-announcer' && s.live === 'polite')).toBe(true);
    });
  });
}
