import { execFileSync } from 'node:child_process';
import { renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { lazyAppStore } from '../../app/api/settings-handlers.js';
import { databasePath } from '../../app/store/database.js';
import { StoreFailure } from '../../app/store/failure.js';
import { headerDamage, identityOf, storeFileChange } from '../../app/store/file-check.js';
import { ScanStore } from '../../app/store/scans.js';
import { useDataDirPerTest } from './support/own-data-dir.js';
import { thrownBy } from './support/thrown.js';

const dataDir = useDataDirPerTest('file-check');

function header(pageSize: number): Buffer {
  const bytes = Buffer.alloc(100);
  bytes.write('SQLite format 3\0', 0, 'latin1');
  bytes.writeUInt16BE(pageSize === 65_536 ? 1 : pageSize, 16);
  return bytes;
}

describe('a store file’s header and size (fileformat.html 1.3)', () => {
  it('sound: the magic string, a page size SQLite writes, whole pages', () => {
    expect(headerDamage(header(4096), 4096 * 7)).toBeNull();
    expect(headerDamage(header(65_536), 65_536)).toBeNull();
  });
  it('overwritten, or cut short mid-page, or an impossible page size', () => {
    expect(headerDamage(Buffer.alloc(100, 0x5a), 40_960)).toBe('not-a-database');
    expect(headerDamage(Buffer.alloc(0), 0)).toBe('not-a-database');
    expect(headerDamage(header(4096), 4096 * 7 + 100)).toBe('malformed');
    expect(headerDamage(header(3000), 3000)).toBe('malformed');
  });
});

describe('the app’s store connection follows the file under it (review 13, store changed while open)', () => {
  it('a file overwritten after start throws the store failure naming it at the next use', () => {
    const store = lazyAppStore(dataDir);
    expect(new ScanStore(store.get()).list(0, 10).total).toBe(0);
    const file = databasePath(dataDir());
    writeFileSync(file, Buffer.alloc(statSync(file).size, 0x5a));
    const error = thrownBy(() => store.get());
    expect(error).toBeInstanceOf(StoreFailure);
    expect((error as StoreFailure).code).toBe('store.not-a-database');
    expect((error as StoreFailure).written?.en).toContain(file);
    store.close();
  });

  it('a file cut short mid-page after start is malformed', () => {
    const store = lazyAppStore(dataDir);
    store.get();
    const file = databasePath(dataDir());
    truncateSync(file, Math.floor(statSync(file).size / 3) + 7);
    expect(() => store.get()).toThrow(expect.objectContaining({ code: 'store.malformed' }));
    store.close();
  });

  it('a file renamed over the store is refused as damaged at every use, never opened in its place', () => {
    const store = lazyAppStore(dataDir);
    store.get();
    const planted = path.join(dataDir(), 'planted.sqlite');
    const db = new Database(planted);
    db.exec('CREATE TABLE scans (id TEXT)');
    db.close();
    renameSync(planted, databasePath(dataDir()));
    for (let use = 0; use < 2; use++) {
      expect(() => store.get()).toThrow(
        expect.objectContaining({
          code: 'store.malformed',
          written: expect.objectContaining({
            en: expect.stringContaining(databasePath(dataDir())) as string,
          }) as object,
        }),
      );
    }
    // Closed and asked again (the app announcing it opens the store again): still refused.
    store.close();
    expect(() => store.get()).toThrow(expect.objectContaining({ code: 'store.malformed' }));
  });
});

describe('a FIFO put at the store’s path while the app runs', () => {
  it('is told as swapped at once, never waited on (a blocking open would hold the app)', () => {
    const file = databasePath(dataDir());
    const db = new Database(file);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const opened = identityOf(file)!;
    rmSync(file);
    execFileSync('/usr/bin/mkfifo', [file]);
    expect(storeFileChange(file, opened)).toBe('swapped');
  });
});
