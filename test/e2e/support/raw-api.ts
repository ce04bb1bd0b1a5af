import type { Page } from 'playwright-core';

export interface RawResponse {
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: { fr: string; en: string } };
}

/**
 * Sends one contract request from inside the page over a new WebSocket (same origin, and the same
 * session secret as the UI, from the tab's sessionStorage), to learn what the app itself answers,
 * e.g. the exact error text to expect.
 */
export async function rawCall(page: Page, method: string, params: unknown): Promise<RawResponse> {
  const text = await page.evaluate(
    async ({ method, params }) => {
      const ws = new WebSocket(`ws://${location.host}/api`);
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      const reply = new Promise<string>((resolve) => {
        ws.onmessage = (event) => {
          const data = String(event.data);
          if ((JSON.parse(data) as { kind?: string }).kind === 'response') resolve(data);
        };
      });
      const session = sessionStorage.getItem('port-auditor.session');
      ws.send(JSON.stringify({ kind: 'hello', session }));
      ws.send(JSON.stringify({ kind: 'request', id: 1, method, params }));
      const data = await reply;
      ws.close();
      return data;
    },
    { method, params },
  );
  return JSON.parse(text) as RawResponse;
}
