import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Severity } from '../../app/contract/index.js';
import { compareSeverity } from '../../app/contract/vocabulary.js';
import { databasePath } from '../../app/store/database.js';
import { runBuiltCli, type CliRun } from '../lab/built-cli.js';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';
import { typeset } from '../unit/support/typography.js';

/**
 * Issue 13 review, #1, #3, #4: a kept scan reopened (`show ID`, `report ID`) and our own scan JSON
 * read back (`report FILE.json`, of `scan --json` or of what `show ID --json` prints: review 13
 * final, F4) rate this PC's loopback-only services as the live scan did (Info, "only this PC can
 * connect", with their program), because this PC's sockets are read again when it is reopened; a listener stopped since gets the port-alone verdict; an edited record never
 * lowers a level; an imported port is credited only to a socket serving its very address. The
 * bundled CLI, listeners of this test on an address of 127.0.0.0/8 of its own, a temp data folder.
 */
const outdir = path.resolve('dist', `test-cli-kept-rating-${process.pid}`, 'main');
/** An address of the loopback range no other test binds (its third byte from this pid). */
const ADDR = `127.78.${(process.pid % 250) + 1}.1`;
/** Another address of the same range, where nothing listens. */
const OTHER = ADDR.replace(/\.1$/, '.5');

interface ShownPort {
  port: number;
  severity: Severity;
  exposure?: string;
  program?: { pid: number; name: string };
  reasons: { ruleId: string; text: { en: string } }[];
}
interface Shown {
  assessment: { hosts: { address: string; isLocal: boolean; ports: ShownPort[] }[] };
}

let dir = '';
let files = '';
const servers = new Map<string, net.Server>();
const ports: Record<'kept' | 'stopped' | 'edited', number> = { kept: 0, stopped: 0, edited: 0 };

function run(args: string[], language: 'en' | 'fr' = 'en'): Promise<CliRun> {
  return runBuiltCli(outdir, dir, args, language);
}

async function ok(args: string[], language: 'en' | 'fr' = 'en'): Promise<string> {
  const done = await run(args, language);
  expect(done.code, `${args.join(' ')}\n${done.stdout}\n${done.stderr}`).toBe(0);
  return done.stdout;
}

/** The port table of the CLI's text (header to the blank line after it): levels, reasons, programs. */
function portTable(text: string): string {
  const start = text.indexOf('  PORT ');
  expect(start, text).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n\n', start);
  return text.slice(start, end < 0 ? undefined : end);
}

async function newestId(): Promise<string> {
  const list = JSON.parse(await ok(['history', '--json'])) as { scans: { scanId: string }[] };
  return list.scans[0]?.scanId as string;
}

async function shown(id: string, address = ADDR): Promise<Map<number, ShownPort>> {
  const json = JSON.parse(await ok(['show', id, '--json'])) as Shown;
  const host = json.assessment.hosts.find((h) => h.address === address);
  expect(host?.isLocal).toBe(true);
  return new Map((host?.ports ?? []).map((p) => [p.port, p]));
}

/** The CSV report's rows of open ports: port → [severity, program, reasons, this_pc]. */
function csvRows(file: string): Map<number, string[]> {
  const lines = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
  const cells = (line: string) =>
    [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)]
      .slice(0, -1)
      .map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'));
  const head = cells(lines[0]!);
  const at = (name: string) => head.indexOf(name);
  const rows = new Map<number, string[]>();
  for (const line of lines.slice(1)) {
    const row = cells(line);
    if (row[at('state')] !== 'open') continue;
    rows.set(Number(row[at('port')]), [
      row[at('severity')]!,
      row[at('program')]!,
      row[at('risk_reasons')]!,
      row[at('this_pc')]!,
    ]);
  }
  return rows;
}

/** Rewrites the kept record of this PC's `port` in scan `id`'s row of `address`. */
function editRecord(id: string, address: string, port: number, change: (p: ShownPort) => void) {
  const db = new Database(databasePath(dir));
  const row = db
    .prepare('SELECT seq, assessment FROM scan_hosts WHERE scan_id = ? AND address = ?')
    .get(id, address) as { seq: number; assessment: string };
  const kept = JSON.parse(row.assessment) as { ports: ShownPort[] };
  for (const p of kept.ports.filter((p) => p.port === port)) change(p);
  db.prepare('UPDATE scan_hosts SET assessment = ? WHERE scan_id = ? AND seq = ?').run(
    JSON.stringify(kept),
    id,
    row.seq,
  );
  db.close();
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), `pa-kept-rating-${process.pid}-`));
  files = mkdtempSync(path.join(os.tmpdir(), `pa-kept-rating-files-${process.pid}-`));
  await buildMain({ only: CLI_BUNDLES, outdir });
  for (const name of Object.keys(ports) as (keyof typeof ports)[]) {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, ADDR, resolve));
    servers.set(name, server);
    ports[name] = (server.address() as net.AddressInfo).port;
  }
});

afterAll(async () => {
  for (const server of servers.values()) {
    await new Promise((resolve) => server.close(resolve));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (files) rmSync(files, { recursive: true, force: true });
  rmSync(path.dirname(outdir), { recursive: true, force: true });
});

describe('a kept scan of this PC reopened', () => {
  let id = '';
  let live = '';
  const scanJson = () => path.join(files, 'scan.json');

  it('show and report give the levels, reasons and programs of the live scan; so does our scan JSON', async () => {
    const list = `${ports.kept},${ports.stopped},${ports.edited}`;
    live = portTable(await ok(['scan', ADDR, '-p', list, '--json', scanJson()]));
    id = await newestId();
    // The live scan: Info, "only this PC can connect", owned by this test's process.
    for (const port of Object.values(ports)) {
      expect(live).toMatch(
        new RegExp(`^\\s+${port}/tcp\\s+open\\b.*\\bInfo\\s+node \\(PID ${process.pid}\\)`, 'm'),
      );
    }
    expect(live).toContain('It listens on this PC’s local address only');

    // Another process reopens it: the very same table; in French, the same words.
    expect(portTable(await ok(['show', id]))).toBe(live);
    const kept = await shown(id);
    for (const port of Object.values(ports)) {
      expect(kept.get(port)).toMatchObject({
        severity: 'info',
        exposure: 'loopback-only',
        program: { pid: process.pid },
      });
    }
    expect(portTable(await ok(['show', id], 'fr'))).toContain(
      typeset('Il n’écoute que sur l’adresse locale de ce PC : aucun autre appareil'),
    );

    // The kept scan's report, and the report of the scan's own JSON (pcName, selfAddresses).
    const written = JSON.parse(readFileSync(scanJson(), 'utf8')) as {
      pcName?: string;
      source?: { selfAddresses?: string[] };
    };
    expect(written.pcName).toBe(os.hostname());
    expect(written.source?.selfAddresses?.every((a) => !a.startsWith('127.'))).toBe(true);
    const fromId = path.join(files, 'kept.csv');
    await ok(['report', id, '-o', fromId]);
    const fromJson = path.join(files, 'from-json.csv');
    await ok(['report', scanJson(), '-o', fromJson]);
    const idRows = csvRows(fromId);
    expect([...idRows.keys()].sort()).toEqual(Object.values(ports).sort());
    for (const [port, [severity, program]] of idRows) {
      expect(severity, String(port)).toBe('info');
      expect(program).toContain(`node (PID ${process.pid})`);
    }
    expect(csvRows(fromJson)).toEqual(idRows);

    // What `show ID --json` prints is a report source too (README): with this PC's name and
    // addresses as `scan --json` writes them, so it is rated as this PC's (review 13 final, F4).
    const showJson = path.join(files, 'show.json');
    writeFileSync(showJson, await ok(['show', id, '--json']));
    const printed = JSON.parse(readFileSync(showJson, 'utf8')) as typeof written;
    expect(printed.pcName).toBe(os.hostname());
    expect(printed.source).toBeUndefined();
    const shownScan = (printed as { scan?: typeof written }).scan;
    expect(shownScan?.source?.selfAddresses).toEqual(written.source?.selfAddresses);
    const fromShow = path.join(files, 'from-show.csv');
    await ok(['report', showJson, '-o', fromShow]);
    expect(csvRows(fromShow)).toEqual(idRows);
  });

  it('a listener stopped since: its port gets the port-alone verdict, the others stay as live', async () => {
    const server = servers.get('stopped')!;
    await new Promise((resolve) => server.close(resolve));
    servers.delete('stopped');
    const after = await shown(id);
    const alone = after.get(ports.stopped)!;
    expect(alone.exposure).toBe('unknown');
    expect(alone.program).toBeUndefined();
    expect(compareSeverity(alone.severity, 'info')).toBeLessThan(0);
    expect(alone.reasons.map((r) => r.ruleId)).toContain('kept.listener-unchecked');
    expect(after.get(ports.kept)).toMatchObject({
      severity: 'info',
      program: { pid: process.pid },
    });
    const text = await ok(['show', id]);
    expect(text).toContain('does not listen the same way on this PC now');
    expect(text).toContain('some programs it recorded no longer listen the same way');
    // Nobody is told that administrator rights would name a program that is not there.
    expect(text).not.toContain('administrator');
    // The report of the kept scan says the same.
    const csv = path.join(files, 'after-stop.csv');
    await ok(['report', id, '-o', csv]);
    expect(csvRows(csv).get(ports.stopped)?.[0]).toBe(alone.severity);
    expect(csvRows(csv).get(ports.kept)?.[0]).toBe('info');
    // The kept scan's JSON report read back on this PC: this PC's port, rated by the same rule
    // as the reopened scan (review N4: it was "another device", Low, where `show` said Medium).
    const json = path.join(files, 'after-stop.json');
    await ok(['report', id, '-o', json]);
    const fromJson = path.join(files, 'after-stop-from-json.csv');
    await ok(['report', json, '-o', fromJson]);
    const row = csvRows(fromJson).get(ports.stopped);
    expect(row?.[3]).toBe('true');
    expect(row?.[0]).toBe(alone.severity);
  });

  it('an edited record never lowers a level: believed only when the sockets now say the same', async () => {
    // The stopped port's record kept as it was (loopback-only, node): no socket confirms it.
    // The edited port's record now names another program than the one listening.
    editRecord(id, ADDR, ports.edited, (p) => {
      p.program = { pid: 1, name: 'systemd', path: '/usr/lib/systemd/systemd' } as never;
    });
    const after = await shown(id);
    for (const port of [ports.stopped, ports.edited]) {
      const p = after.get(port)!;
      // The port alone's level (which depends on the port number the system gave: an IANA name
      // or none), never the Info the record would give.
      expect(compareSeverity(p.severity, 'info'), String(port)).toBeLessThan(0);
      expect(p.reasons.map((r) => r.ruleId)).toContain('kept.listener-unchecked');
      expect(p.exposure).toBe('unknown');
      expect(p.program).toBeUndefined();
    }
    expect(after.get(ports.kept)?.severity).toBe('info');
    expect(await ok(['show', id])).not.toContain('systemd');
  });

  it('an imported port on another loopback address is never credited to this listener', async () => {
    const xml = path.join(files, 'other-loopback.xml');
    const host = (address: string) =>
      `<host><status state="up" reason="syn-ack" reason_ttl="0"/><address addr="${address}" addrtype="ipv4"/>` +
      `<ports><port protocol="tcp" portid="${ports.kept}"><state state="open" reason="syn-ack" reason_ttl="0"/></port></ports></host>`;
    writeFileSync(
      xml,
      `<?xml version="1.0" encoding="UTF-8"?>\n<nmaprun scanner="nmap" args="nmap -sT -p ${ports.kept} ${ADDR} ${OTHER}" start="1795464333" version="7.93" xmloutputversion="1.05">\n` +
        `<scaninfo type="connect" protocol="tcp" numservices="1" services="${ports.kept}"/>\n` +
        `${host(ADDR)}\n${host(OTHER)}\n` +
        `<runstats><finished time="1795464334" elapsed="0.04" exit="success"/><hosts up="2" down="0" total="2"/></runstats>\n</nmaprun>\n`,
    );
    // As the import itself rates it (this process's own verdicts): This PC's one service is
    // worded at its worst address, 127.x.x.5, whose socket is unknown (not Info, no program).
    const out = await ok(['import', xml]);
    const line = new RegExp(`^\\s+${ports.kept}/tcp\\s+open\\b.*$`, 'm').exec(out)?.[0] ?? '';
    expect(line, out).toContain(OTHER);
    expect(line).not.toMatch(/\bInfo\b/);
    expect(out).not.toContain(`node (PID ${process.pid})`);
    expect(out).not.toContain('administrator');
    const imported = await newestId();
    const here = (await shown(imported, ADDR)).get(ports.kept)!;
    expect(here).toMatchObject({ severity: 'info', program: { pid: process.pid } });
    const other = (await shown(imported, OTHER)).get(ports.kept)!;
    expect(other.program).toBeUndefined();
    expect(other.exposure).toBe('unknown');
    expect(compareSeverity(other.severity, 'info')).toBeLessThan(0);
    // The file recorded no program for it: nothing "no longer listens the same way" (review 13
    // final, new user N1); that note is for records the sockets do not confirm (test above).
    expect(await ok(['show', imported])).not.toContain('some programs it recorded');
  });
});
