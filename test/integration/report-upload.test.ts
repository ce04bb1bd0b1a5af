import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localClient, type LocalClient } from '../../app/api/local-client.js';
import { AppFailure } from '../../app/errors.js';
import { generateNmapXml } from '../lab/nmap-xml.js';

/**
 * An nmap XML sent in pieces as the page sends it (report.importBegin / importChunk / importEnd):
 * the pieces wait in a file of the app's data folder that only this user can read, and that file
 * is gone once the import ends, whether it succeeded or not.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(): { dir: string; app: LocalClient } {
  const dir = mkdtempSync(path.join(tmpdir(), `pa-upload-${process.pid}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const app = localClient({ host: 'web', dataDir: dir }, 'page-1');
  cleanups.push(() => app.dispose());
  return { dir, app };
}

async function send(app: LocalClient, bytes: Buffer, fileName = 'lan.xml') {
  const { uploadId, chunkBytes } = await app.call('report.importBegin', {
    fileName,
    size: bytes.length,
  });
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    const piece = bytes.subarray(offset, offset + chunkBytes);
    await app.call('report.importChunk', {
      uploadId,
      offset,
      dataBase64: piece.toString('base64'),
    });
  }
  return uploadId;
}

describe('an nmap XML sent in pieces', () => {
  it('waits in a private spool file, is imported from it, and the file is removed', async () => {
    const { dir, app } = setup();
    const xml = Buffer.from(generateNmapXml(400), 'utf8');
    expect(xml.length).toBeGreaterThan(2 * 128 * 1024);
    const uploadId = await send(app, xml);
    const spool = path.join(dir, 'imports');
    expect(readdirSync(spool)).toEqual([`${uploadId}.xml`]);
    expect(statSync(spool).mode & 0o777).toBe(0o700);
    const file = statSync(path.join(spool, `${uploadId}.xml`));
    expect(file.mode & 0o777).toBe(0o600);
    expect(file.size).toBe(xml.length);
    const imported = await app.call('report.importEnd', { uploadId });
    expect(imported.kept).toBe(true);
    const page = await app.call('scan.get', { scanId: imported.scanId, offset: 0, limit: 500 });
    expect(page.total).toBe(400);
    expect(readdirSync(spool)).toEqual([]);
  });

  it('removes the spool file of an import that fails', async () => {
    const { dir, app } = setup();
    const uploadId = await send(app, Buffer.from('<nmaprun scanner="nmap">\n<host>\n</nmaprun>'));
    const failure = await app.call('report.importEnd', { uploadId }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppFailure);
    expect((failure as AppFailure).appError.code).toBe('report.nmap-invalid-xml');
    expect(readdirSync(path.join(dir, 'imports'))).toEqual([]);
  });
});
