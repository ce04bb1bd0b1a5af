import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../app/api/core.js';
import { Code } from '../../app/contract/index.js';
import { databasePath } from '../../app/store/database.js';
import { generateNmapXml } from '../lab/nmap-xml.js';

/**
 * Review 13 hostile F9: another program took the store's lock while an import thread was writing
 * its rows, and the page heard "Unexpected internal error: database is locked" (code `internal`).
 * The thread's own connection's failures are now named as the host's are (store.locked, the
 * file, the way out). Real core, real import thread, real SQLite store in this test's temp folder;
 * the other program is a second connection holding BEGIN EXCLUSIVE, taken once the thread has
 * reported its first MiB read (so the host's own `begin` of the scan went through first).
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('an import while another program holds the store’s lock', () => {
  it('is refused with the store’s locked message naming the file, not as internal', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `pa-import-locked-${process.pid}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // 5,000 hosts (3.5 MB): its first progress report comes long before its last row is written.
    const file = path.join(dir, 'lan.xml');
    writeFileSync(file, generateNmapXml(5000), 'utf8');
    const core = createCore({
      host: 'electron',
      dataDir: dir,
      filePicker: () => Promise.resolve(file),
    });
    cleanups.push(() => core.dispose());
    const listed = await core.dispatch(
      { kind: 'request', id: 1, method: 'scan.list', params: { offset: 0, limit: 10 } },
      { client: 'window', emit: () => undefined },
    );
    expect(listed.ok).toBe(true);

    let holder: Database.Database | null = null;
    cleanups.push(() => {
      if (holder?.inTransaction) holder.exec('ROLLBACK');
      holder?.close();
    });
    const response = await core.dispatch(
      {
        kind: 'request',
        id: 2,
        method: 'report.importPicked',
        params: { importId: '6f1c1c1e-5b1a-4c1e-9a1e-1c1e5b1a4c1e', lang: 'en' },
      },
      {
        client: 'window',
        emit: (event) => {
          if (event !== 'report.importProgress' || holder) return;
          holder = new Database(databasePath(dir));
          holder.exec('BEGIN EXCLUSIVE');
        },
      },
    );
    expect(holder).not.toBeNull();
    expect(response.ok).toBe(false);
    if (response.ok) return;
    expect(response.error.code).toBe(Code['store.locked']);
    expect(response.error.message.en).toBe(
      `The nmap file “lan.xml” was not imported: Port Auditor cannot write it to its history. ` +
        `Port Auditor’s database is locked by another program (another Port Auditor window or command?): ${databasePath(dir)}. ` +
        `Close it, then try again. Your firewall rules stay in the firewall: Port Auditor finds them by name and takes them back at the next start.`,
    );
    expect(response.error.message.fr).toContain(databasePath(dir));
    expect(response.error.message.en).not.toContain('Unexpected internal error');
  }, 120_000);
});
