import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePath, openDatabase } from '../../app/store/database.js';

let dataDir = '';

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pa-private-'));
  process.env.PORT_AUDITOR_DATA_DIR = dataDir;
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const othersBits = (file: string) => statSync(file).mode & 0o077;

describe('the data folder and the store are private to their user (review 13 A8, POSIX)', () => {
  it('a data folder that already exists 0755 is closed to 0700, the store file made 0600', () => {
    chmodSync(dataDir, 0o755);
    openDatabase(dataDir).close();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(othersBits(databasePath(dataDir))).toBe(0);
  });

  it('a store file opened to others is closed again, its -wal too', () => {
    const db = openDatabase(dataDir);
    db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    chmodSync(databasePath(dataDir), 0o644);
    chmodSync(`${databasePath(dataDir)}-wal`, 0o644);
    const again = openDatabase(dataDir);
    expect(othersBits(databasePath(dataDir))).toBe(0);
    expect(othersBits(`${databasePath(dataDir)}-wal`)).toBe(0);
    again.close();
    db.close();
  });
});
