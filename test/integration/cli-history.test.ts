import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { ScanResult, type Severity } from '../../app/contract/index.js';
import { compareSeverity } from '../../app/contract/vocabulary.js';
import { databasePath } from '../../app/store/database.js';
import { runBuiltCli, type CliRun } from '../lab/built-cli.js';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';
import { typeset } from '../unit/support/typography.js';

/**
 * `port-auditor history` and `port-auditor show` as installed (the bundled CLI), over a data
 * folder of this test: scans and imports the CLI ran are listed and shown again with their
 * verdicts; a damaged store still scans, says the scan was not kept, and names the file.
 */
const outdir = path.resolve('dist', `test-cli-history-${process.pid}`, 'main');
const FIXTURE = path.resolve('test/fixtures/nmap/loopback-sT.xml');
const TWO_ADDRESSES = path.resolve('test/fixtures/nmap/this-pc-two-addresses.xml');

function run(dataDir: string, args: string[], language: 'en' | 'fr' = 'en'): Promise<CliRun> {
  return runBuiltCli(outdir, dataDir, args, language);
}

describe('port-auditor history and show', () => {
  const dirs: string[] = [];
  let listener: net.Server;
  let openPort: number;
  const dataDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), `pa-cli-history-${process.pid}-`));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    await buildMain({
      only: CLI_BUNDLES,
      outdir,
    });
    listener = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    openPort = (listener.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => listener?.close(resolve));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    rmSync(path.dirname(outdir), { recursive: true, force: true });
  });

  it('lists the scans and imports it kept, newest first, and shows one again', async () => {
    const dir = dataDir();
    const empty = await run(dir, ['history'], 'fr');
    expect(empty).toMatchObject({ code: 0, stderr: '' });
    expect(empty.stdout).toBe(
      'Aucune analyse conservée\u00a0: lancez port-auditor scan, ou importez un fichier nmap.\n',
    );
    expect((await run(dir, ['scan', '127.0.0.1', '-p', String(openPort)])).code).toBe(0);
    expect((await run(dir, ['import', FIXTURE])).code).toBe(0);

    const table = await run(dir, ['history'], 'fr');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^CONSERVÉE LE\s+ANALYSÉE LE\s+ORIGINE\s+CIBLES\s+APPAREILS ACTIFS\s+PORTS OUVERTS\s+ID$/,
    );
    // Newest kept first, whatever nmap's date: the import (nmap ran on 23 Nov.) was kept last.
    const date = '\\d+(?:er)? \\S+ \\d{4}, \\d\\d:\\d\\d';
    expect(lines[1]).toMatch(
      new RegExp(
        `^${date}\\s+23 nov\\. 2026, \\d\\d:05\\s+fichier nmap «\u00a0loopback-sT\\.xml\u00a0»\\s+«\u00a0127\\.77\\.141\\.97\u00a0»\\s+1\\s+3\\s+[0-9a-f-]{36}$`,
      ),
    );
    expect(lines[2]).toMatch(
      new RegExp(`^${date}\\s+${date}\\s+analyse\\s+127\\.0\\.0\\.1\\s+1\\s+1\\s+[0-9a-f-]{36}$`),
    );
    // The table, then the line saying its counts are as recorded (review 13 A4).
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^APPAREILS ACTIFS et PORTS OUVERTS sont comptés tels qu’enregistrés/);
    // The targets in words, as the page says them.
    expect((await run(dir, ['scan', 'this-pc', '-p', String(openPort)])).code).toBe(0);
    const words = (await run(dir, ['history'], 'en')).stdout.split('\n');
    expect(words[0]).toMatch(/^KEPT ON\s+SCANNED ON\s+SOURCE\s+TARGETS\s/);
    expect(words[1]).toMatch(/\sscan\s+This PC\s+1\s/);

    const json = JSON.parse((await run(dir, ['history', '--json'])).stdout) as {
      total: number;
      scans: { scanId: string; kind: string; recordedCounts: { openPorts: number } }[];
    };
    expect(json.total).toBe(3);
    expect(json.scans.map((s) => s.kind)).toEqual(['engine', 'nmap-import', 'engine']);
    const engineId = json.scans[2]?.scanId as string;

    // By the start of its id, as a user copies it from the table.
    const shown = await run(dir, ['show', engineId.slice(0, 8)]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      /^This PC {2}up\n {2}This PC’s addresses: 127\.0\.0\.1( \(\S+\))?$/m,
    );
    expect(shown.stdout).toMatch(
      new RegExp(
        `^\\s+${openPort}/tcp\\s+open\\s+accepted the connection\\s+.*?\\b(Critical|High|Medium|Low|Info)\\b`,
        'm',
      ),
    );
    const asJson = JSON.parse((await run(dir, ['show', engineId, '--json'])).stdout) as {
      scan: unknown;
      assessment: { hosts: { ports: { port: number }[] }[] } | null;
    };
    const scan = ScanResult.parse(asJson.scan);
    expect(scan.scanId).toBe(engineId);
    expect(asJson.assessment?.hosts[0]?.ports.map((p) => p.port)).toEqual([openPort]);

    const unknown = await run(dir, ['show', '00000000-0000-4000-8000-000000000000'], 'fr');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/Aucune analyse conservée sous l’identifiant 00000000-/);
  });

  it('a kept scan’s verdicts are worked out again: texts and severities edited in the database are not shown', async () => {
    const dir = dataDir();
    expect((await run(dir, ['import', FIXTURE])).code).toBe(0);
    const id = (
      JSON.parse((await run(dir, ['history', '--json'])).stdout) as {
        scans: { scanId: string }[];
      }
    ).scans[0]?.scanId as string;
    type Shown = {
      assessment: {
        counts: Record<string, number>;
        hosts: {
          worst: string;
          ports: { port: number; severity: string; reasons: { text: { en: string } }[] }[];
        }[];
      };
    };
    const before = JSON.parse((await run(dir, ['show', id, '--json'])).stdout) as Shown;
    const telnet = before.assessment.hosts[0]?.ports.find((p) => p.port === 23);
    expect(telnet?.severity).toBe('critical');
    const shownBefore = (await run(dir, ['show', id])).stdout;
    // What another program of the user can do to the file: every verdict lowered to Info, the
    // reasons replaced by a sentence of its own.
    const FORGED = 'Blocked by Port Auditor: other devices can no longer connect.';
    const db = new Database(databasePath(dir));
    const row = db.prepare('SELECT assessment FROM scans WHERE id = ?').get(id) as {
      assessment: string;
    };
    const forged = JSON.parse(row.assessment, (key, value: unknown) =>
      key === 'severity' || key === 'worst'
        ? 'info'
        : key === 'fr' || key === 'en'
          ? FORGED
          : value,
    ) as { counts: Record<string, number> };
    forged.counts = { critical: 0, high: 0, medium: 0, low: 0, info: 3 };
    // And its counts (review 13 A4): no device, no open port.
    db.prepare(
      'UPDATE scans SET assessment = ?, severities = ?, open_ports = 0, devices_up = 0, hosts_up = 0 WHERE id = ?',
    ).run(JSON.stringify(forged), JSON.stringify(forged.counts), id);
    db.close();
    const shown = await run(dir, ['show', id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain(FORGED);
    expect(shown.stdout).toBe(shownBefore);
    const after = JSON.parse((await run(dir, ['show', id, '--json'])).stdout) as Shown;
    expect(after.assessment).toEqual(before.assessment);

    // The History never gives the edited column as checked counts (review 13 A3b): `history
    // --json` names it what it is, the counts as recorded, and its help says `show` checks them.
    const listed = JSON.parse((await run(dir, ['history', '--json'])).stdout) as {
      scans: Record<string, unknown>[];
    };
    const record = listed.scans.find((s) => s.scanId === id)!;
    expect(record).not.toHaveProperty('severities');
    expect(record.recordedSeverities).toEqual(forged.counts);
    expect(record).not.toHaveProperty('counts');
    expect(record.recordedCounts).toMatchObject({ devicesUp: 0, openPorts: 0 });
    // The table says its DEVICES and OPEN PORTS are as recorded, in both languages.
    expect((await run(dir, ['history'])).stdout).toContain(
      'DEVICES UP and OPEN PORTS are counted as recorded when each scan was kept, not checked since: show ID counts them again.',
    );
    expect((await run(dir, ['history'], 'fr')).stdout).toContain('show ID les recompte.');
    expect(after.assessment.counts.critical).toBeGreaterThan(0);
    const help = await run(dir, ['history', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      'recordedCounts and recordedSeverities are the device, port and verdict counts as recorded when the scan was kept, not checked since: show ID works them out again',
    );
    const aide = await run(dir, ['history', '--help'], 'fr');
    expect(aide.stdout.replace(/\s+/g, ' ')).toContain('show ID les recalcule');
  });

  describe('a kept scan’s result is checked when read back (issue 13 attacker review F5)', () => {
    type Shown = {
      scan: {
        notes: { fr: string; en: string }[];
        hosts: { address: string; isLocal: boolean }[];
      };
      assessment: {
        counts: Record<string, number>;
        hosts: {
          address: string;
          isLocal: boolean;
          ports: {
            port: number;
            severity: Severity;
            exposure?: string;
            program?: { name: string; pid: number };
            reasons: { ruleId: string; text: { en: string } }[];
          }[];
        }[];
      };
    };
    /** Imports the two-address fixture: 127.0.0.1 (telnet, ipp), 10.213.0.1, 10.213.0.2 (ssh). */
    const imported = async (): Promise<{ dir: string; id: string; before: Shown }> => {
      const dir = dataDir();
      expect((await run(dir, ['import', TWO_ADDRESSES])).code).toBe(0);
      const id = (
        JSON.parse((await run(dir, ['history', '--json'])).stdout) as {
          scans: { scanId: string }[];
        }
      ).scans[0]?.scanId as string;
      const before = JSON.parse((await run(dir, ['show', id, '--json'])).stdout) as Shown;
      return { dir, id, before };
    };
    const editRow = (
      dir: string,
      id: string,
      address: string,
      edit: (row: { host: Record<string, unknown>; assessment: unknown }) => void,
    ) => {
      const db = new Database(databasePath(dir));
      const row = db
        .prepare('SELECT seq, host, assessment FROM scan_hosts WHERE scan_id = ? AND address = ?')
        .get(id, address) as { seq: number; host: string; assessment: string | null };
      const edited = {
        host: JSON.parse(row.host) as Record<string, unknown>,
        assessment: row.assessment === null ? null : (JSON.parse(row.assessment) as unknown),
      };
      edit(edited);
      db.prepare(
        'UPDATE scan_hosts SET host = ?, assessment = ?, is_local = ? WHERE scan_id = ? AND seq = ?',
      ).run(
        JSON.stringify(edited.host),
        edited.assessment === null ? null : JSON.stringify(edited.assessment),
        edited.host.isLocal === true ? 1 : 0,
        id,
        row.seq,
      );
      db.close();
    };

    it('an imported file’s 127.0.0.1 is the machine that ran nmap, never this PC (fr/en, JSON)', async () => {
      const dir = dataDir();
      const fr = await run(dir, ['import', TWO_ADDRESSES], 'fr');
      expect(fr.code).toBe(0);
      // One device with the address nmap answered for as itself (review 13c attacker B3).
      expect(fr.stdout).toMatch(/^10\.213\.0\.1 {2}actif \(le PC qui a lancé nmap\)$/m);
      expect(fr.stdout).toMatch(
        /^ {2}Adresses de cette machine \(telles que le fichier les donne\)\u00a0: 10\.213\.0\.1, 127\.0\.0\.1 \(localhost\)$/m,
      );
      expect(fr.stdout).not.toMatch(/^Ce PC/m);
      const id = (
        JSON.parse((await run(dir, ['history', '--json'])).stdout) as {
          scans: { scanId: string }[];
        }
      ).scans[0]?.scanId as string;
      const en = await run(dir, ['show', id], 'en');
      expect(en.stdout).toMatch(/^10\.213\.0\.1 {2}up \(the PC that ran nmap\)$/m);
      expect(en.stdout).toContain('10.213.0.1, 127.0.0.1 (localhost)');
      expect(en.stdout).not.toMatch(/^This PC/m);
      const file = path.join(dir, 'report.json');
      expect((await run(dir, ['report', id, '-o', file])).code).toBe(0);
      const report = JSON.parse(readFileSync(file, 'utf8')) as {
        scan: { hosts: { address: string; isLocal: boolean; reason: string }[] };
      };
      expect(report.scan.hosts.find((h) => h.address === '127.0.0.1')).toMatchObject({
        isLocal: false,
        reason: 'scanner',
      });
    });

    it('a device edited into this PC is still a device of the network', async () => {
      const { dir, id, before } = await imported();
      expect(before.scan.hosts.find((h) => h.address === '10.213.0.2')?.isLocal).toBe(false);
      editRow(dir, id, '10.213.0.2', (row) => {
        row.host.isLocal = true;
        row.host.reason = 'localhost';
      });
      const after = JSON.parse((await run(dir, ['show', id, '--json'])).stdout) as Shown;
      const device = after.scan.hosts.find((h) => h.address === '10.213.0.2');
      expect(device?.isLocal).toBe(false);
      const verdict = after.assessment.hosts.find((h) => h.address === '10.213.0.2');
      expect(verdict?.isLocal).toBe(false);
      // Not assessed as this PC: no exposure, no "run again as administrator".
      expect(verdict?.ports.map((p) => p.exposure)).toEqual([undefined]);
      expect(after.assessment).toEqual(before.assessment);
      const text = await run(dir, ['show', id]);
      expect(text.stdout).not.toMatch(/This PC’s addresses: .*10\.213\.0\.2/);
    });

    it('an import’s notes read back as the file’s, unless the importer wrote them (fr/en)', async () => {
      const { dir, id } = await imported();
      const interrupted = {
        fr: 'Analyse nmap interrompue : seuls les hôtes complets du fichier sont repris',
        en: 'nmap scan interrupted: only the file’s complete hosts are imported',
      };
      const forged = {
        fr: 'Vérifié depuis un autre appareil : tous les ports sont bloqués.',
        en: 'Verified from another device: every port is blocked.',
      };
      const db = new Database(databasePath(dir));
      const result = JSON.parse(
        db.prepare('SELECT result FROM scans WHERE id = ?').pluck().get(id) as string,
      ) as { notes: unknown[] };
      result.notes = [interrupted, forged];
      db.prepare('UPDATE scans SET result = ? WHERE id = ?').run(JSON.stringify(result), id);
      db.close();
      const after = JSON.parse((await run(dir, ['show', id, '--json'])).stdout) as Shown;
      expect(after.scan.notes).toEqual([
        interrupted,
        {
          fr: `Note du fichier nmap\u00a0: «\u00a0${forged.fr}\u00a0»`,
          en: `Note from the nmap file: “${forged.en}”`,
        },
      ]);
      const fr = await run(dir, ['show', id], 'fr');
      expect(fr.stdout).toContain(`Note du fichier nmap\u00a0: «\u00a0${forged.fr}\u00a0»`);
      expect(fr.stdout).not.toMatch(/^\W*Vérifié depuis/m);
      const pdf = path.join(dir, 'kept.pdf');
      expect((await run(dir, ['report', id, '-o', pdf])).code).toBe(0);
      const text = await new Promise<string>((resolve, reject) =>
        execFile('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-'], (error, stdout) =>
          error ? reject(error) : resolve(stdout),
        ),
      );
      expect(text.replace(/\s+/g, ' ')).toContain(`Note from the nmap file: “${forged.en}”`);
    });

    it('a host whose address is not an IP literal is left out, and the scan says so (fr/en)', async () => {
      const { dir, id, before } = await imported();
      const db = new Database(databasePath(dir));
      const device = db
        .prepare('SELECT host, mac FROM scan_hosts WHERE scan_id = ? AND address = ?')
        .get(id, '10.213.0.2') as { host: string; mac: string };
      const seq = (
        db.prepare('SELECT MAX(seq) AS n FROM scan_hosts WHERE scan_id = ?').get(id) as {
          n: number;
        }
      ).n;
      const FORGED = 'Pare-feu : tout est bloqué';
      db.prepare(
        `INSERT INTO scan_hosts (scan_id, seq, address, status, is_local, mac, host, assessment)
         VALUES (?, ?, ?, 'up', 1, NULL, ?, NULL)`,
      ).run(
        id,
        seq + 1,
        FORGED,
        JSON.stringify({ ...(JSON.parse(device.host) as object), address: FORGED, isLocal: true }),
      );
      db.close();
      const after = JSON.parse((await run(dir, ['show', id, '--json'])).stdout) as Shown;
      expect(after.scan.hosts.map((h) => h.address)).toEqual(
        before.scan.hosts.map((h) => h.address),
      );
      expect(after.assessment.hosts).toEqual(before.assessment.hosts);
      expect(after.scan.notes.at(-1)).toEqual({
        fr: typeset(
          'Base de données : 1 hôte sans adresse IP valide ignoré (analyse conservée modifiée).',
        ),
        en: 'Database: 1 host without a valid IP address ignored (the kept scan was edited).',
      });
      const fr = await run(dir, ['show', id], 'fr');
      expect(fr.code).toBe(0);
      expect(fr.stdout).not.toContain(FORGED);
      expect(fr.stdout).toContain(
        typeset(
          'Base de données : 1 hôte sans adresse IP valide ignoré (analyse conservée modifiée).',
        ),
      );
    });

    it('a stored exposure or program is believed only when this PC’s sockets now say the same: an edit never lowers a level', async () => {
      // This PC's port as a scan of this PC found it (an import's 127.0.0.1 is not this PC).
      const dir = dataDir();
      expect((await run(dir, ['scan', '127.0.0.1', '-p', String(openPort)])).code).toBe(0);
      const id = (
        JSON.parse((await run(dir, ['history', '--json'])).stdout) as {
          scans: { scanId: string }[];
        }
      ).scans[0]?.scanId as string;
      const before = JSON.parse((await run(dir, ['show', id, '--json'])).stdout) as Shown;
      const portOf = (shown: Shown) =>
        shown.assessment.hosts
          .find((h) => h.address === '127.0.0.1')
          ?.ports.find((p) => p.port === openPort);
      // The test's own listener on 127.0.0.1, still there: rated as the live scan, with its program.
      expect(portOf(before)).toMatchObject({
        severity: 'info',
        exposure: 'loopback-only',
        program: { pid: process.pid },
      });
      editRow(dir, id, '127.0.0.1', (row) => {
        const kept = row.assessment as {
          ports: { port: number; exposure?: string; program?: unknown }[];
        };
        // The port's record rewritten to name another program than the one listening now.
        for (const p of kept.ports.filter((p) => p.port === openPort)) {
          p.exposure = 'loopback-only';
          p.program = { pid: 1, name: 'systemd', path: '/usr/lib/systemd/systemd' };
        }
      });
      const after = JSON.parse((await run(dir, ['show', id, '--json'])).stdout) as Shown;
      const port = portOf(after);
      // The port alone: never lower than the live scan's level.
      expect(compareSeverity(port!.severity, portOf(before)!.severity)).toBeLessThanOrEqual(0);
      expect(port?.severity).not.toBe('info');
      expect(port?.exposure).toBe('unknown');
      expect(port?.program).toBeUndefined();
      expect(port?.reasons.map((r) => r.ruleId)).toContain('kept.listener-unchecked');
      const text = await run(dir, ['show', id]);
      expect(text.stdout).not.toContain('systemd');
      expect(text.stdout).not.toContain('local address only');
      expect(text.stdout).toContain('does not listen the same way on this PC now');
    });

    it('an edited row: the summary counts the ports listed, the status follows the facts (review 13b, A9)', async () => {
      const { dir, id } = await imported();
      editRow(dir, id, '10.213.0.2', (row) => {
        const ports = row.host.ports as unknown[];
        ports.push({ port: 445, protocol: 'tcp', state: 'open', reason: 'syn-ack' });
        row.host.isLocal = true;
        row.host.reason = 'localhost';
      });
      const text = (await run(dir, ['show', id])).stdout;
      expect(text).toMatch(/^10\.213\.0\.2 {2}up \(accepted a connection\)$/m);
      expect(text).toMatch(/^\s+445\/tcp\s+open\b/m);
      // The machine that ran nmap, one device (10.213.0.1 and its 127.0.0.1: 23, 631), and
      // 10.213.0.2 (22, 445): each service once (review 13c attacker B3).
      expect(text).toMatch(/\b4 open ports\b/);
      const json = JSON.parse((await run(dir, ['show', id, '--json'])).stdout) as {
        record: { counts: { openPorts: number } };
      };
      expect(json.record.counts.openPorts).toBe(4);
    });
  });

  it('one history row that no longer reads is left out with a message; the others are listed', async () => {
    const dir = dataDir();
    expect((await run(dir, ['import', FIXTURE])).code).toBe(0);
    expect((await run(dir, ['import', TWO_ADDRESSES])).code).toBe(0);
    const db = new Database(databasePath(dir));
    db.prepare("UPDATE scans SET open_ports = -5 WHERE file_name = 'loopback-sT.xml'").run();
    db.close();
    const en = await run(dir, ['history']);
    expect(en.code).toBe(0);
    expect(en.stderr).toBe(
      '1 kept scan cannot be read (the database was edited, or written by another version): left out of the list; the others are listed.\n',
    );
    expect(en.stdout).toContain('this-pc-two-addresses.xml');
    expect(en.stdout).not.toContain('loopback-sT.xml');
    const fr = await run(dir, ['history'], 'fr');
    expect(fr.code).toBe(0);
    expect(fr.stderr).toBe(
      '1 analyse conservée est illisible (base de données modifiée, ou écrite par une autre version)\u00a0: elle n’est pas listée\u202f; les autres le sont.\n',
    );
    const json = JSON.parse((await run(dir, ['history', '--json'])).stdout) as {
      total: number;
      unreadable: number;
      scans: unknown[];
    };
    expect(json).toMatchObject({ total: 1, unreadable: 1 });
    expect(json.scans).toHaveLength(1);
  });

  it('a history row whose dates are not dates is left out as unreadable, never shown as a date', async () => {
    const dir = dataDir();
    expect((await run(dir, ['import', FIXTURE])).code).toBe(0);
    expect((await run(dir, ['import', TWO_ADDRESSES])).code).toBe(0);
    const db = new Database(databasePath(dir));
    db.prepare(
      "UPDATE scans SET started_at = 'not a date', saved_at = 'x' WHERE file_name = 'loopback-sT.xml'",
    ).run();
    db.close();
    const en = await run(dir, ['history']);
    expect(en.code).toBe(0);
    expect(en.stderr).toContain('1 kept scan cannot be read');
    expect(en.stdout).not.toContain('not a date');
    expect(en.stdout).not.toContain('loopback-sT.xml');
    expect(en.stdout).toContain('this-pc-two-addresses.xml');
    const json = JSON.parse((await run(dir, ['history', '--json'])).stdout) as {
      total: number;
      unreadable: number;
    };
    expect(json).toMatchObject({ total: 1, unreadable: 1 });
  });

  it('with a damaged store: the scan still runs and says it was not kept; history names the file', async () => {
    const dir = dataDir();
    writeFileSync(databasePath(dir), 'not a database\n'.repeat(100));
    const scanned = await run(dir, ['scan', '127.0.0.1', '-p', String(openPort)]);
    expect(scanned.code).toBe(0);
    expect(scanned.stdout).toMatch(new RegExp(`^\\s+${openPort}/tcp\\s+open`, 'm'));
    expect(scanned.stderr).toContain('This scan was not kept in the history.');
    expect(scanned.stderr).toContain(databasePath(dir));
    const listed = await run(dir, ['history']);
    expect(listed.code).not.toBe(0);
    expect(listed.stderr).toMatch(
      /This file is not a Port Auditor database .*port-auditor\.sqlite/,
    );
    // `show` says it once, like `history`, not as a notice and again as its failure.
    const shown = await run(dir, ['show', '00000000-0000-4000-8000-000000000000']);
    expect(shown.code).not.toBe(0);
    expect(shown.stderr.match(/This file is not a Port Auditor database/g)).toHaveLength(1);
    expect(shown.stderr).toContain(databasePath(dir));
  });
});
