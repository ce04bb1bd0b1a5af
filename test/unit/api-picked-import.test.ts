import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../app/api/core.js';
import type { Limits } from '../../app/api/limits.js';
import { databasePath } from '../../app/store/database.js';
import type { EventEnvelope, ResponseEnvelope } from '../../app/contract/envelope.js';
import { MAX_NMAP_XML_BYTES } from '../../app/report/nmap-xml-import.js';
import {
  createDialogPicker,
  UserGestures,
  type DialogAnswer,
} from '../../main/electron/open-dialog.js';
import { typeset } from './support/typography.js';

/**
 * "Ouvrir un XML nmap…" in Electron, from the click to the kept scan, without Electron: the app
 * core the Electron host creates, with the real picker of main/electron/open-dialog.ts and only
 * the system's dialog stood in for (it answers with the file a user would choose).
 */

const WINDOW = 'electron-7';
const work = mkdtempSync(path.join(tmpdir(), `pa-picked-import-${process.pid}-`));
const FIXTURE = fileURLToPath(new URL('../fixtures/nmap/loopback-sT.xml', import.meta.url));

let chosen: DialogAnswer = { canceled: true, filePaths: [] };
const gestures = new UserGestures();
let clock = 0;
const picker = createDialogPicker(
  { show: async () => chosen, directory: () => work, now: () => clock },
  gestures,
);
const cores: Core[] = [];
function core(withPicker = true, limits?: Partial<Limits>, dataDir?: string): Core {
  const made = createCore({
    host: withPicker ? 'electron' : 'web',
    dataDir: dataDir ?? mkdtempSync(path.join(work, 'data-')),
    ...(withPicker ? { filePicker: picker } : {}),
    ...(limits ? { limits } : {}),
  });
  cores.push(made);
  return made;
}

let nextId = 1;
/** Calls `method` as the window's page does, just after a click on the button. */
async function call(
  app: Core,
  method: string,
  params: unknown,
): Promise<{ response: ResponseEnvelope; events: EventEnvelope[] }> {
  const events: EventEnvelope[] = [];
  clock += 1000;
  gestures.note(WINDOW, 'mouseUp', clock);
  const response = await app.dispatch(
    { kind: 'request', id: nextId++, method, params },
    { client: WINDOW, emit: (event, payload) => events.push({ kind: 'event', event, payload }) },
  );
  return { response, events };
}

const IMPORT_ID = '0b8a4a9e-6c1d-4f51-9d0e-3a1b2c3d4e5f';
const pickFile = (app: Core, file: string | null, lang: 'fr' | 'en' = 'fr') => {
  chosen = file ? { canceled: false, filePaths: [file] } : { canceled: true, filePaths: [] };
  return call(app, 'report.importPicked', { importId: IMPORT_ID, lang });
};

function errorOf(response: ResponseEnvelope) {
  expect(response.ok).toBe(false);
  return (response as Extract<ResponseEnvelope, { ok: false }>).error;
}

/** An nmap XML file of `count` loopback hosts with port 22 open: about 420 bytes a host. */
function manyHosts(count: number): string {
  const hosts: string[] = [];
  for (let i = 0; i < count; i++) {
    const address = `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    hosts.push(
      `<host><status state="up" reason="conn-refused" reason_ttl="0"/>` +
        `<address addr="${address}" addrtype="ipv4"/><hostnames></hostnames>` +
        `<ports><port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="0"/>` +
        `<service name="ssh" method="table" conf="3"/></port></ports><times srtt="50" rttvar="50" to="100000"/></host>\n`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<nmaprun scanner="nmap" args="nmap -sT -p 22 127.1.0.0/16" start="1795464333" version="7.93" xmloutputversion="1.05">\n` +
    `<scaninfo type="connect" protocol="tcp" numservices="1" services="22"/>\n` +
    hosts.join('') +
    `<runstats><finished time="1795464340" elapsed="7" exit="success"/><hosts up="${count}" down="0" total="${count}"/></runstats>\n</nmaprun>\n`
  );
}

/**
 * A JSON report of this app's (docs/report-json.md) with one host listing `ports` open ports, TCP
 * then UDP (at most 131,070): about 70 bytes a port, all of them one host, which an import reads
 * as one piece.
 */
function oneHostReport(ports: number): string {
  return JSON.stringify({
    format: 'port-auditor-report',
    version: 4,
    pcName: 'autre-pc',
    scan: {
      scanId: '8f14e45f-ceea-467f-a8f5-6f4a3c1b2d90',
      request: { targets: '10.0.0.2', ports: '1-65535', confirmed: true },
      addresses: 1,
      portCount: 65535,
      notes: [],
      startedAt: '2026-11-30T12:00:00.000Z',
      finishedAt: '2026-11-30T12:01:00.000Z',
      cancelled: false,
      hosts: [
        {
          address: '10.0.0.2',
          family: 'ipv4',
          isLocal: false,
          status: 'up',
          reason: 'syn-ack',
          ports: Array.from({ length: ports }, (_, i) => ({
            port: (i % 65535) + 1,
            protocol: i < 65535 ? 'tcp' : 'udp',
            state: 'open',
            reason: 'syn-ack',
          })),
          hidden: { open: 0, closed: Math.max(0, 65535 - ports), filtered: 0 },
        },
      ],
    },
  });
}

afterAll(async () => {
  for (const made of cores) await made.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('report.importPicked: an nmap file chosen in the host’s open dialog, read from its path', () => {
  it('says whether the host has a picker, and a host without one refuses the request', async () => {
    const electron = core();
    const web = core(false);
    const info = async (app: Core) => {
      const { response } = await call(app, 'app.info', {});
      return (response as Extract<ResponseEnvelope, { ok: true }>).result as {
        filePicker: boolean;
      };
    };
    await expect(info(electron)).resolves.toMatchObject({ filePicker: true });
    await expect(info(web)).resolves.toMatchObject({ filePicker: false });
    const { response } = await pickFile(web, FIXTURE);
    expect(errorOf(response).code).toBe('report.picker-unavailable');
  });

  it('takes no path from the page: a request naming one is refused by the contract', async () => {
    const { response } = await call(core(), 'report.importPicked', {
      importId: IMPORT_ID,
      lang: 'fr',
      path: '/etc/shadow',
    });
    expect(errorOf(response).code).toBe('contract.invalid-params');
  });

  it('cancelled: nothing imported, nothing kept', async () => {
    const app = core();
    const { response, events } = await pickFile(app, null);
    expect(response).toMatchObject({ ok: true, result: { outcome: 'cancelled' } });
    expect(events).toEqual([]);
    const list = await call(app, 'scan.list', {});
    expect(list.response).toMatchObject({ ok: true, result: { total: 0 } });
  });

  it('imports the chosen file: a kept scan by id, named after the file, progress to the end', async () => {
    const app = core();
    const size = readFileSync(FIXTURE).length;
    const { response, events } = await pickFile(app, FIXTURE);
    expect(response.ok).toBe(true);
    const result = (response as Extract<ResponseEnvelope, { ok: true }>).result as {
      outcome: string;
      scanId: string;
      kept: boolean;
      counts: { hosts: number };
    };
    expect(result.outcome).toBe('imported');
    expect(result.kept).toBe(true);
    expect(events.map((e) => e.payload)).toEqual([
      { importId: IMPORT_ID, read: 0, size },
      { importId: IMPORT_ID, read: size, size },
    ]);
    const page = await call(app, 'scan.get', { scanId: result.scanId });
    const kept = (page.response as Extract<ResponseEnvelope, { ok: true }>).result as {
      scan: { kind: string; fileName: string };
      hosts: { address: string; ports: { port: number; state: string }[] }[];
    };
    expect(kept.scan).toMatchObject({ kind: 'nmap-import', fileName: 'loopback-sT.xml' });
    expect(kept.hosts.map((h) => h.address)).toEqual(['127.77.141.97']);
    expect(kept.hosts[0]!.ports.filter((p) => p.state === 'open').map((p) => p.port)).toEqual([
      23, 445, 34547,
    ]);
  });

  it('reports progress at least every MiB of a larger file', async () => {
    const app = core();
    const file = path.join(work, 'many hosts.xml');
    writeFileSync(file, manyHosts(8000));
    const size = readFileSync(file).length;
    expect(size).toBeGreaterThan(2 * 1024 * 1024);
    const { response, events } = await pickFile(app, file);
    expect(response).toMatchObject({ ok: true, result: { outcome: 'imported' } });
    const reads = events.map((e) => (e.payload as { read: number; size: number }).read);
    expect(reads[0]).toBe(0);
    expect(reads.at(-1)).toBe(size);
    expect(reads.length).toBeGreaterThanOrEqual(Math.floor(size / (1024 * 1024)) + 2);
    for (let i = 1; i < reads.length; i++) {
      expect(reads[i]! - reads[i - 1]!).toBeGreaterThan(0);
      expect(reads[i]! - reads[i - 1]!).toBeLessThanOrEqual(1024 * 1024 + 64 * 1024);
    }
    expect(events.every((e) => (e.payload as { size: number }).size === size)).toBe(true);
    // A real import thread writing thousands of rows to the store: seconds on 2 shared cores.
  }, 60_000);

  it('refuses a file over the limit from its size, before reading it', async () => {
    const file = path.join(work, 'huge.xml');
    writeFileSync(file, '');
    // Sparse: stat says 200 MB, nothing is written (or read).
    truncateSync(file, 200 * 1024 * 1024);
    const { response, events } = await pickFile(core(), file, 'en');
    const error = errorOf(response);
    expect(error.code).toBe('report.nmap-too-large');
    expect(error.message.en).toBe('File refused: it is 200 MB, the limit is 64 MB.');
    expect(error.params).toEqual({ bytes: 200 * 1024 * 1024, limit: MAX_NMAP_XML_BYTES });
    expect(events).toEqual([]);
  });

  it('refuses a JSON report over the limit in words that fit it, not an XML file’s (review F6)', async () => {
    const file = path.join(work, 'huge.json');
    // A JSON report's first bytes, then 200 MB on paper: what the file is cannot change the words.
    writeFileSync(file, '{"format":"port-auditor-report",');
    truncateSync(file, 200 * 1024 * 1024);
    const { response, events } = await pickFile(core(), file, 'fr');
    const error = errorOf(response);
    expect(error.code).toBe('report.nmap-too-large');
    expect(error.message.fr).toBe(
      typeset('Fichier refusé : il fait 200 Mo, la limite est 64 Mo.').replace(/ Mo/g, '\u00a0Mo'),
    );
    expect(error.message.en).toBe('File refused: it is 200 MB, the limit is 64 MB.');
    expect(events).toEqual([]);
  });

  it('names a file it cannot read: gone, a folder, a FIFO (refused unopened, never waited on)', async () => {
    const app = core();
    const gone = path.join(work, 'gone.xml');
    const folder = path.join(work, 'folder.xml');
    const fifo = path.join(work, 'fifo.xml');
    mkdirSync(folder);
    execFileSync('/usr/bin/mkfifo', [fifo]);
    for (const [file, detail] of [
      [gone, 'ENOENT'],
      [folder, 'EISDIR'],
      [fifo, 'not a file'],
    ] as const) {
      const { response, events } = await pickFile(app, file);
      const error = errorOf(response);
      expect(error.code, file).toBe('report.import-read');
      expect(error.message.fr).toBe(
        typeset(
          `Impossible de lire « ${file} » (${detail}). Vérifiez que c’est un fichier et qu’il est lisible, puis choisissez-le à nouveau.`,
        ),
      );
      expect(events).toEqual([]);
    }
  });

  it('quotes a hostile file name as the file’s words: one line, its quotes kept inside ours, capped (issue 15, N2)', async () => {
    const app = core();
    // A real file name a same-user program can write: a closing guillemet and a sentence of ours,
    // a line feed, U+202E, and far more than a line.
    const file = path.join(
      work,
      `x » a été vérifié.\n\u202e${'n'.repeat(200)}`,
      `${'m'.repeat(200)}.xml`,
    );
    mkdirSync(file, { recursive: true });
    const { response } = await pickFile(app, file);
    const error = errorOf(response);
    expect(error.code).toBe('report.import-read');
    const quoted = error.message.fr.slice(
      error.message.fr.indexOf('«\u00a0') + 2,
      error.message.fr.indexOf('\u00a0»'),
    );
    expect(quoted.startsWith(`${work}/x › a été vérifié. \uFFFDnnn`)).toBe(true);
    expect(quoted.endsWith('m…')).toBe(true);
    expect(Array.from(quoted)).toHaveLength(260);
    expect(error.message.fr).not.toMatch(/[\n\u202e]/u);
    expect(error.message.fr.endsWith('puis choisissez-le à nouveau.')).toBe(true);
  });

  it('says the file’s name in the memory refusal quoted and capped (issue 15, N2)', async () => {
    const app = core(true, { importHeapMb: 4 });
    const file = path.join(work, `“big”\n${'b'.repeat(200)}.xml`);
    writeFileSync(file, manyHosts(8000));
    const { response } = await pickFile(app, file, 'en');
    const error = errorOf(response);
    expect(error.code).toBe('report.nmap-too-large');
    expect(error.message.en).toContain(
      `The nmap file “‘big’ ${'b'.repeat(113)}…” needs more memory`,
    );
  });

  it('refuses a JSON report past the thread’s memory as a JSON report, never with nmap’s advice (review F6)', async () => {
    // Under tsx the thread's own code needs more than 16 MB, so 32 MB: the thread gets to reading
    // the file (else the words would be nmap's), and cannot hold one host of every TCP and UDP port.
    const app = core(true, { importHeapMb: 32 });
    const file = path.join(work, 'one-host.json');
    writeFileSync(file, oneHostReport(131_070));
    const { response } = await pickFile(app, file, 'fr');
    const error = errorOf(response);
    expect(error.code).toBe('report.nmap-too-large');
    expect(error.message.fr).toBe(
      typeset(
        'Le rapport JSON « one-host.json » demande plus de mémoire que l’import ne s’en accorde (32 Mo) : l’import en lit un hôte à la fois, c’est donc un de ses hôtes qui décrit trop de ports. Refaites l’analyse de cet appareil en plusieurs plages de ports (par exemple 1-32767, puis 32768-65535), un rapport par plage, et importez-les un par un.',
      ).replace(' Mo)', '\u00a0Mo)'),
    );
    expect(error.message.en).toBe(
      'The JSON report “one-host.json” needs more memory than an import allows itself (32 MB): an import reads it one host at a time, so one of its hosts describes too many ports. Scan that device again in several port ranges (for example 1-32767, then 32768-65535), one report per range, and import them one by one.',
    );
    expect(`${error.message.fr} ${error.message.en}`).not.toMatch(/nmap|XML/);
    const list = await call(app, 'scan.list', {});
    expect(list.response).toMatchObject({ ok: true, result: { total: 0 } });
  });

  it('refuses a file that is not nmap XML, keeping nothing', async () => {
    const app = core();
    const file = path.join(work, 'notes.xml');
    writeFileSync(file, '<?xml version="1.0"?>\n<notes><note>hello</note></notes>\n');
    const { response } = await pickFile(app, file);
    expect(errorOf(response).code).toBe('report.nmap-not-nmap');
    const list = await call(app, 'scan.list', {});
    expect(list.response).toMatchObject({ ok: true, result: { total: 0 } });
  });

  it('shows no dialog when the page asks without a click', async () => {
    const app = core();
    chosen = { canceled: false, filePaths: [FIXTURE] };
    const response = await app.dispatch(
      {
        kind: 'request',
        id: nextId++,
        method: 'report.importPicked',
        params: { importId: IMPORT_ID, lang: 'fr' },
      },
      { client: 'electron-8', emit: () => undefined },
    );
    expect(errorOf(response).code).toBe('report.picker-no-gesture');
  });

  it('parses the chosen file in the capped import thread: past its memory, refused, host alive', async () => {
    // 4 MB of heap cannot hold 8,000 hosts' parse: only the thread's cap can refuse this file.
    const app = core(true, { importHeapMb: 4 });
    const file = path.join(work, 'capped.xml');
    writeFileSync(file, manyHosts(8000));
    const { response } = await pickFile(app, file, 'en');
    const error = errorOf(response);
    expect(error.code).toBe('report.nmap-too-large');
    expect(error.message.en).toContain(
      '“capped.xml” needs more memory than an import allows itself (4 MB)',
    );
    const list = await call(app, 'scan.list', {});
    expect(list.response).toMatchObject({ ok: true, result: { total: 0 } });
  });

  it('with a store it cannot write, refuses the import in both languages instead of parsing it here', async () => {
    const dir = mkdtempSync(path.join(work, 'data-'));
    writeFileSync(databasePath(dir), 'not a database\n'.repeat(100));
    const app = core(true, undefined, dir);
    const { response, events } = await pickFile(app, FIXTURE);
    const error = errorOf(response);
    expect(error.code).toBe('store.not-a-database');
    expect(error.message.fr).toMatch(
      /^Le fichier nmap «\u00a0loopback-sT\.xml\u00a0» n’a pas été importé\u00a0: Port Auditor ne peut pas l’écrire dans son historique\. /,
    );
    expect(error.message.en).toMatch(
      /^The nmap file “loopback-sT\.xml” was not imported: Port Auditor cannot write it to its history\. /,
    );
    expect(error.message.en).toContain(databasePath(dir));
    // Nothing of the import (no progress); the store's damage is told to every client once met.
    expect(events.map((event) => event.event)).toEqual(['store.damaged']);
  });

  it('holds an import slot until the import has finished: one past the limit is refused', async () => {
    const app = core(true, { importsPerClient: 1 });
    const file = path.join(work, 'slot.xml');
    writeFileSync(file, manyHosts(3000));
    const first = pickFile(app, file);
    // The first import is running (its dialog answered, its thread parsing): a second is refused.
    const second = await pickFile(app, file, 'en');
    const error = errorOf(second.response);
    expect(error.code).toBe('report.import-too-many-for-client');
    expect(error.message.en).toBe(
      'Already 1 nmap file being imported from this window: wait for it to finish before importing another.',
    );
    expect((await first).response).toMatchObject({ ok: true, result: { outcome: 'imported' } });
    const third = await pickFile(app, FIXTURE);
    expect(third.response).toMatchObject({ ok: true, result: { outcome: 'imported' } });
    // A real import thread writing thousands of rows to the store: seconds on 2 shared cores.
  }, 60_000);
});
