import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCore } from '../../../app/api/core.js';

export interface RawResponse {
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: { fr: string; en: string } };
}

/**
 * What the app itself answers to one contract request (e.g. the exact error text to expect),
 * from the app's core run in the test process over a data folder of its own. Not over the page's
 * WebSocket: the host holds a tab's session for that tab's one connection, and refuses a second
 * one presenting it (docs/browser-mode.md).
 */
export async function rawCall(method: string, params: unknown): Promise<RawResponse> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `pa-e2e-raw-${process.pid}-`));
  const core = createCore({ host: 'web', dataDir });
  try {
    const response = await core.dispatch(
      { kind: 'request', id: 1, method, params },
      { client: 'e2e-raw', emit() {} },
    );
    return response as RawResponse;
  } finally {
    await core.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
