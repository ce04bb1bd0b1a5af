import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../app/api/core.js';
import { Code, type MethodName, type MethodParams } from '../../app/contract/index.js';
import { generateNmapXml } from '../lab/nmap-xml.js';

/**
 * Review 13, F4: an import kept running after the page that started it closed, holding an import
 * slot and keeping the file in the history with nobody waiting. Now a client's close stops its
 * imports as it stops its exports: the real import thread is terminated, the begun scan removed
 * and the slot freed (real core, real worker, real SQLite store in this test's temp folder).
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), `pa-import-closed-${process.pid}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let nextId = 1;
/** One request of `client`'s, as a host dispatches it; the response as the host would send it. */
function call<M extends MethodName>(
  core: Core,
  client: string,
  method: M,
  params: MethodParams<M>,
) {
  return core.dispatch(
    { kind: 'request', id: nextId++, method, params },
    { client, emit: () => undefined },
  );
}

describe('an import whose page closed', () => {
  it('is stopped: its thread ends, nothing is kept, and its slot is free again', async () => {
    const dir = dataDir();
    // One import at a time overall: the next import is accepted only if the slot was freed.
    const core = createCore({
      host: 'web',
      dataDir: dir,
      limits: { importsPerClient: 1, importsOverall: 1 },
    });
    cleanups.push(() => core.dispose());
    // 5,000 hosts (3.5 MB): far longer to import than the thread takes to start.
    const bytes = Buffer.from(generateNmapXml(5000), 'utf8');
    const begun = await call(core, 'page', 'report.importBegin', {
      fileName: 'orphan.xml',
      size: bytes.length,
    });
    if (!begun.ok) throw new Error(JSON.stringify(begun.error));
    const { uploadId, chunkBytes } = begun.result as { uploadId: string; chunkBytes: number };
    for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
      const piece = await call(core, 'page', 'report.importChunk', {
        uploadId,
        offset,
        dataBase64: bytes.subarray(offset, offset + chunkBytes).toString('base64'),
      });
      expect(piece.ok).toBe(true);
    }
    const ended = call(core, 'page', 'report.importEnd', { uploadId });
    // The transfer is over (the import under way) once the upload is no longer the page's.
    while (core.ownsUpload('page', uploadId)) await new Promise((r) => setImmediate(r));
    await core.clientClosed('page');

    const response = await ended;
    expect(response.ok).toBe(false);
    expect(!response.ok && response.error.code).toBe(Code['report.import-stopped']);
    // Nothing kept: the begun scan went with its thread.
    const list = await call(core, 'other', 'scan.list', { offset: 0, limit: 50 });
    expect(list.ok && list.result).toMatchObject({ total: 0, scans: [] });
    // The spool file is gone too.
    expect(readdirSync(path.join(dir, 'imports'))).toEqual([]);
    // The one import slot is free: another client's import runs and is kept.
    const next = await call(core, 'other', 'report.importNmapXml', {
      xml: generateNmapXml(3),
      fileName: 'next.xml',
    });
    expect(next.ok).toBe(true);
    const after = await call(core, 'other', 'scan.list', { offset: 0, limit: 50 });
    expect(after.ok && after.result).toMatchObject({ total: 1 });
  });
});
