import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../app/api/core.js';
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

describe('the spool folder (issue 13 attacker review F6, F7)', () => {
  const stale = new Date(Date.now() - 2 * 60 * 60_000);
  const uuidName = '0b3e1c2a-1111-4222-8333-444455556666.xml';

  it('never follows a link planted as the spool folder, and deletes nothing it points to', async () => {
    const { dir, app } = setup();
    const victim = mkdtempSync(path.join(tmpdir(), `pa-victim-${process.pid}-`));
    cleanups.push(() => rmSync(victim, { recursive: true, force: true }));
    for (const name of ['thesis.txt', uuidName]) {
      writeFileSync(path.join(victim, name), 'precious');
      utimesSync(path.join(victim, name), stale, stale);
    }
    symlinkSync(victim, path.join(dir, 'imports'));
    const uploadId = await send(app, Buffer.from(generateNmapXml(3), 'utf8'));
    expect(readdirSync(victim).sort()).toEqual([uuidName, 'thesis.txt'].sort());
    const spool = lstatSync(path.join(dir, 'imports'));
    expect(spool.isDirectory()).toBe(true);
    expect(spool.mode & 0o777).toBe(0o700);
    expect(readdirSync(path.join(dir, 'imports'))).toEqual([`${uploadId}.xml`]);
    expect((await app.call('report.importEnd', { uploadId })).kept).toBe(true);
  });

  it('sweeps only stale spool files, skipping folders and other names, and the import works', async () => {
    const { dir, app } = setup();
    const spool = path.join(dir, 'imports');
    mkdirSync(path.join(spool, 'olddir'), { recursive: true, mode: 0o755 });
    mkdirSync(path.join(spool, '0b3e1c2a-1111-4222-8333-444455550000.xml'));
    writeFileSync(path.join(spool, uuidName), '<nmaprun');
    writeFileSync(path.join(spool, 'notes.txt'), 'kept');
    for (const name of readdirSync(spool)) utimesSync(path.join(spool, name), stale, stale);
    const uploadId = await send(app, Buffer.from(generateNmapXml(3), 'utf8'));
    expect(readdirSync(spool).sort()).toEqual(
      ['0b3e1c2a-1111-4222-8333-444455550000.xml', 'notes.txt', 'olddir', `${uploadId}.xml`].sort(),
    );
    // Opened to others by a restored backup: ours, so closed again rather than refused.
    expect(lstatSync(spool).mode & 0o777).toBe(0o700);
    expect((await app.call('report.importEnd', { uploadId })).kept).toBe(true);
  });

  it('drops a closed connection’s transfer and its spool file at once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `pa-upload-${process.pid}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const core = createCore({ host: 'web', dataDir: dir });
    cleanups.push(() => core.dispose());
    const call = async (client: string, method: string, params: unknown) => {
      const response = await core.dispatch(
        { kind: 'request', id: 1, method, params },
        { client, emit: () => undefined },
      );
      if (!response.ok) throw AppFailure.relay(response.error);
      return response.result as { uploadId: string };
    };
    const mine = await call('web-1', 'report.importBegin', { fileName: 'a.xml', size: 10 });
    const other = await call('web-2', 'report.importBegin', { fileName: 'b.xml', size: 10 });
    await call('web-1', 'report.importChunk', {
      uploadId: mine.uploadId,
      offset: 0,
      dataBase64: Buffer.from('<nmaprun ').toString('base64'),
    });
    await core.clientClosed('web-1');
    expect(readdirSync(path.join(dir, 'imports'))).toEqual([`${other.uploadId}.xml`]);
    const after = await call('web-1', 'report.importChunk', {
      uploadId: mine.uploadId,
      offset: 9,
      dataBase64: Buffer.from('>').toString('base64'),
    }).catch((e: unknown) => e);
    expect((after as AppFailure).appError.code).toBe('report.upload-unknown');
    await core.clientClosed('web-2');
    expect(readdirSync(path.join(dir, 'imports'))).toEqual([]);
  });

  it('says a piece going past the announced size as such, in both languages, and drops the transfer', async () => {
    const { dir, app } = setup();
    const { uploadId } = await app.call('report.importBegin', { fileName: 'x.xml', size: 10 });
    const refused = await app
      .call('report.importChunk', {
        uploadId,
        offset: 0,
        dataBase64: Buffer.alloc(435, 0x61).toString('base64'),
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppFailure);
    const { code, message } = (refused as AppFailure).appError;
    expect(code).toBe('report.upload-mismatch');
    expect(message.en).toBe(
      'The file transfer went wrong: the file was announced as 10 bytes long, but the pieces sent add up to 435: open the file again.',
    );
    expect(message.fr).toBe(
      'Envoi du fichier incohérent\u00a0: le fichier était annoncé à 10 octets, mais les morceaux envoyés en font 435\u00a0: ouvrez le fichier à nouveau.',
    );
    // The offset case keeps its own sentence.
    const second = await app.call('report.importBegin', { fileName: 'y.xml', size: 10 });
    const ahead = await app
      .call('report.importChunk', {
        uploadId: second.uploadId,
        offset: 4,
        dataBase64: Buffer.from('ab').toString('base64'),
      })
      .catch((e: unknown) => e);
    expect((ahead as AppFailure).appError.message.en).toBe(
      'The file transfer went wrong (byte 4 received, 0 expected): open the file again.',
    );
    await until(() => readdirSync(path.join(dir, 'imports')).length === 0);
  });
});

/** Resolves once `condition` holds, checking every 20 ms (the test's own timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}
