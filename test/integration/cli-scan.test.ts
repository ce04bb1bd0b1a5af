import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanResult } from '../../app/contract/index.js';
import { buildMain, CLI_BUNDLES } from '../../scripts/build-main.mjs';

// The CLI as installed (the bundled dist/main/cli.mjs with its scan worker), built into a folder of
// this run, and as run from a checkout (`npm run cli`, tsx) for input errors.
const outdir = path.resolve('dist', `test-cli-${process.pid}`, 'main');
/** The CLI's own data folder (its firewall journal, read before verdicts), never the user's. */
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pa-cli-data-'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI and collects its output. `closeStdout`: the reader of its standard output goes away
 * at once, as `… | head -1` does.
 */
function run(
  args: string[],
  language: 'en' | 'fr' = 'en',
  options: { closeStdout?: boolean } = {},
): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LANG: language === 'fr' ? 'fr_FR.UTF-8' : 'en_US.UTF-8',
    PORT_AUDITOR_DATA_DIR: dataDir,
    // The bundle sits one folder deeper than dist/main, so its relative path to assets/ misses.
    PORT_AUDITOR_ASSETS: path.resolve('assets'),
  };
  delete env.LC_ALL;
  delete env.LC_MESSAGES;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    if (options.closeStdout) child.stdout.destroy();
    else child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const cli = (...args: string[]) => [path.join(outdir, 'cli.mjs'), ...args];
const source = (...args: string[]) => ['--import', 'tsx', 'main/cli/index.ts', ...args];

describe('port-auditor scan', () => {
  let tmp: string;
  let listener: net.Server;
  let openPort: number;
  let closedPort: number;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'pa-cli-'));
    await buildMain({
      only: CLI_BUNDLES,
      outdir,
    });
    listener = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    openPort = (listener.address() as net.AddressInfo).port;
    // A port that was just free and is now closed: the kernel answers RST.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => listener?.close(resolve));
    rmSync(tmp, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(path.dirname(outdir), { recursive: true, force: true });
  });

  it('prints a table with the open port and writes the JSON result', async () => {
    const jsonFile = path.join(tmp, 'result.json');
    const result = await run(
      cli('scan', '127.0.0.1', '-p', `${openPort},${closedPort}`, '--json', jsonFile),
    );
    expect(result.stderr).toBe(''); // not a terminal: no progress line
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^This PC {2}up\n {2}This PC’s addresses: 127\.0\.0\.1( \(\S+\))?$/m,
    );
    expect(result.stdout).toMatch(/^\s+PORT\s+STATE\s+ANSWER\s+SERVICE\s+RISK LEVEL\s+PROGRAM$/m);
    // The open port carries its verdict: a severity, and the program of this PC that owns it
    // (this test process), with the reasons listed under it.
    expect(result.stdout).toMatch(
      new RegExp(
        `^\\s+${openPort}/tcp\\s+open\\s+accepted the connection\\s+(\\S+\\s+)?(Critical|High|Medium|Low|Info)\\s+\\S+ \\(PID ${process.pid}\\)$`,
        'm',
      ),
    );
    expect(result.stdout).toMatch(
      new RegExp(`^ {6}- Opened by “[^”]+” \\(PID ${process.pid}\\)`, 'm'),
    );
    expect(result.stdout).toMatch(/^ {6}- It listens on .*local address/m);
    expect(result.stdout).not.toMatch(new RegExp(`^\\s+${closedPort}/tcp\\s+open`, 'm'));
    expect(result.stdout).toMatch(/1 address scanned, 1 up, 1 open port in [\d.]+\u00a0s\./);
    expect(result.stdout).toMatch(
      /^Open ports by risk level: (Critical|High|Medium|Low|Info) 1\.$/m,
    );

    const json = JSON.parse(readFileSync(jsonFile, 'utf8')) as unknown;
    const parsed = ScanResult.parse(json);
    expect(parsed.cancelled).toBe(false);
    expect(parsed.request).toMatchObject({
      targets: '127.0.0.1',
      ports: `${openPort},${closedPort}`,
    });
    const host = parsed.hosts.find((h) => h.address === '127.0.0.1');
    expect(host?.status).toBe('up');
    expect(host?.ports).toContainEqual(
      expect.objectContaining({
        port: openPort,
        protocol: 'tcp',
        state: 'open',
        reason: 'syn-ack',
      }),
    );
    const closed = host?.ports.find((p) => p.port === closedPort);
    if (closed) expect(closed).toMatchObject({ state: 'closed', reason: 'conn-refused' });
    else expect(host?.hidden.closed).toBe(1);
  });

  it('reads several target arguments as one list, as its help says', async () => {
    const jsonFile = path.join(tmp, 'two.json');
    const result = await run(
      cli('scan', '127.0.0.1', '127.0.0.2', '-p', `${closedPort}`, '--json', jsonFile),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const parsed = ScanResult.parse(JSON.parse(readFileSync(jsonFile, 'utf8')) as unknown);
    expect(parsed.request.targets).toBe('127.0.0.1 127.0.0.2');
    expect(parsed.hosts.map((h) => h.address).sort()).toEqual(['127.0.0.1', '127.0.0.2']);
  });

  it('says how to confirm on the command line, in the user’s language', async () => {
    // Documentation space (RFC 5737): needs confirmation, never scanned here (no --yes).
    const en = await run(cli('scan', '203.0.113.7', '-p', '80'));
    expect(en.code).toBe(2);
    expect(en.stderr).toContain('203.0.113.7 is public');
    expect(en.stderr).toContain('To confirm, run the command again with --yes.');
    const fr = await run(cli('scan', '203.0.113.7', '-p', '80'), 'fr');
    expect(fr.stderr).toContain('Pour confirmer, relancez la commande avec --yes.');
  });

  it('finishes its work and its JSON when the reader of its output goes away (| head)', async () => {
    const jsonFile = path.join(tmp, 'piped.json');
    const result = await run(
      cli('scan', '127.0.0.1', '-p', String(openPort), '--json', jsonFile),
      'en',
      {
        closeStdout: true,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const written = ScanResult.parse(JSON.parse(readFileSync(jsonFile, 'utf8')));
    expect(written.hosts[0]?.ports.find((p) => p.port === openPort)?.state).toBe('open');
  });

  it('speaks French on a French system', async () => {
    const result = await run(cli('scan', '127.0.0.1', '-p', String(openPort)), 'fr');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^\s+PORT\s+ÉTAT\s+RÉPONSE\s+SERVICE\s+NIVEAU DE RISQUE\s+PROGRAMME$/m,
    );
    expect(result.stdout).toMatch(
      new RegExp(
        `^\\s+${openPort}/tcp\\s+ouvert\\s+a accepté la connexion\\s+(\\S+\\s+)?(Critique|Élevé|Moyen|Faible|Info)\\s+\\S+ \\(PID ${process.pid}\\)$`,
        'm',
      ),
    );
    expect(result.stdout).toMatch(/^ {6}- Il n’écoute que sur l’adresse locale/m);
    expect(result.stdout).toContain('1 adresse analysée, 1 active, 1 port ouvert');
  });

  it('refuses bad ports with a clear message and a non-zero exit, before scanning', async () => {
    const jsonFile = path.join(tmp, 'never.json');
    const result = await run(cli('scan', '127.0.0.1', '-p', '70000', '--json', jsonFile));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('70000');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout).toBe('');
    expect(existsSync(jsonFile)).toBe(false);
  });

  it('refuses a bad target in French for a French user', async () => {
    const result = await run(cli('scan', 'cible!!', '-p', '80'), 'fr');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Cibles|cible/);
    expect(result.stdout).toBe('');
  });

  it('refuses an unwritable --json path before scanning', async () => {
    const result = await run(
      cli(
        'scan',
        '127.0.0.1',
        '-p',
        String(openPort),
        '--json',
        path.join(tmp, 'missing', 'x.json'),
      ),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Cannot write the JSON file');
    expect(result.stdout).toBe('');
  });

  it('reports command-line mistakes from a checkout (tsx) in the user’s language', async () => {
    const en = await run(source('scan'));
    expect(en.code).toBe(2);
    expect(en.stderr).toContain('Invalid command line: missing required argument “targets”');
    const fr = await run(source('scan', '127.0.0.1', '--bogus'), 'fr');
    expect(fr.code).toBe(2);
    expect(fr.stderr).toContain(
      'Ligne de commande invalide\u00a0: option inconnue\u00a0: «\u00a0--bogus\u00a0»',
    );
    const ports = await run(source('scan', '127.0.0.1', '-p', '1-2-3'));
    expect(ports.code).toBe(2);
    expect(ports.stderr).toContain('1-2-3');
    const adapter = await run(source('scan', '127.0.0.1', '--include-adapter', 'wg0'));
    expect(adapter.code).toBe(2);
    expect(adapter.stderr).toContain(
      '--include-adapter only applies with the local-network target',
    );
  });

  it('shows the verdicts of an imported nmap file in the same table, in both languages', async () => {
    const xml = path.join('test', 'fixtures', 'nmap', 'loopback-sT.xml');
    const en = await run(cli('import', xml));
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/^\s+PORT\s+STATE\s+ANSWER\s+SERVICE\s+RISK LEVEL\b/m);
    // Worst first: Telnet (critical) before SMB (high).
    expect(en.stdout).toMatch(
      /^\s+23\/tcp\s+open\s+accepted the connection\s+telnet\s+Critical\b.*\n\s+- Telnet /m,
    );
    expect(en.stdout.indexOf('23/tcp')).toBeLessThan(en.stdout.indexOf('445/tcp'));
    expect(en.stdout).toMatch(/^\s+445\/tcp\s+open\s+accepted the connection\s+smb\s+High\b/m);
    expect(en.stdout).toMatch(/^Open ports by risk level: Critical 1, High 1, /m);
    const fr = await run(cli('import', xml), 'fr');
    expect(fr.stdout).toMatch(
      /^\s+23\/tcp\s+ouvert\s+a accepté la connexion\s+telnet\s+Critique\b.*\n\s+- Telnet /m,
    );
    expect(fr.stdout).toMatch(/^Ports ouverts par niveau de risque\u00a0: Critique 1, Élevé 1, /m);
  });

  it('makes reports of an nmap file and of its JSON report, through the app', async () => {
    const xml = path.join('test', 'fixtures', 'nmap', 'loopback-sT.xml');
    const csvFile = path.join(tmp, 'from-xml.csv');
    const csv = await run(cli('report', xml, '-o', csvFile));
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stderr).toContain(`Report written: ${csvFile}`);
    expect(readFileSync(csvFile, 'utf8')).toMatch(/\b23\b.*\btcp\b.*\bopen\b/);

    const jsonFile = path.join(tmp, 'from-xml.json');
    expect((await run(cli('report', xml, '-o', jsonFile, '--lang', 'fr'))).code).toBe(0);
    const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as {
      assessment?: { hosts: unknown[] };
    };
    expect(report.assessment?.hosts.length).toBeGreaterThan(0);

    const pdfFile = path.join(tmp, 'from-json.pdf');
    const pdf = await run(cli('report', jsonFile, '-o', pdfFile));
    expect(pdf.code, pdf.stderr).toBe(0);
    expect(readFileSync(pdfFile).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // A report read back may come from anyone: its verdicts (and their reference links) are
    // never taken from the file but worked out again here from the knowledge base, so a link
    // that is not https: never reaches what is made from it (review 13 A15: the reader walks
    // through the file's findings and verdicts without keeping them).
    const text = readFileSync(jsonFile, 'utf8');
    expect(text).toContain('"url": "https://');
    const hostile = path.join(tmp, 'hostile-link.json');
    writeFileSync(hostile, text.replaceAll('"url": "https://', '"url": "javascript:alert(1)//'));
    const again = path.join(tmp, 'hostile-again.json');
    const read = await run(cli('report', hostile, '-o', again));
    expect(read.code, read.stderr).toBe(0);
    const made = readFileSync(again, 'utf8');
    expect(made).not.toContain('javascript:');
    expect(made).toContain('"url": "https://');
  });

  it('shows a hostile file’s terminal escapes instead of obeying them', async () => {
    const xml = readFileSync(
      path.join('test', 'fixtures', 'nmap', 'loopback-sT.xml'),
      'utf8',
    ).replace(
      '<hostnames>\n</hostnames>',
      // OSC 0 retitles the terminal, CSI 2 J clears it; raw ESC as well as a character reference.
      '<hostnames><hostname name="cam&#27;]0;pwned&#7;\u001b[2Jera&#10;Firewall: all ports blocked&#x200f;" type="PTR"/></hostnames>',
    );
    const file = path.join(tmp, 'escapes.xml');
    writeFileSync(file, xml);
    const result = await run(cli('import', file));
    expect(result.code).toBe(0);
    // A name stays on its own line: a line feed in it cannot forge a line of the app's.
    expect(result.stdout).toContain(
      '(cam\ufffd]0;pwned\ufffd\ufffd[2Jera Firewall: all ports blocked\ufffd)',
    );
    // eslint-disable-next-line no-control-regex -- the test looks for control characters
    expect(result.stdout + result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('refuses an nmap file over the import limit from its size, in import and report', async () => {
    // Sparse: 3 GiB on paper, nothing on disk. Node cannot even read a file over 2 GiB whole
    // (ERR_FS_FILE_TOO_LARGE), so this message proves the size came from stat, before any read.
    const huge = path.join(tmp, 'huge.xml');
    closeSync(openSync(huge, 'w'));
    truncateSync(huge, 3 * 1024 * 1024 * 1024);
    for (const args of [
      ['import', huge],
      ['report', huge, '-o', path.join(tmp, 'huge.pdf')],
    ]) {
      const refused = await run(cli(...args));
      expect(refused.code, args[0]).toBe(2);
      expect(refused.stderr, args[0]).toBe('File refused: it is 3,072 MB, the limit is 64 MB.\n');
    }
    // A report source under another name is refused from its size too, never read whole; and a
    // size just over the limit is not said to be the limit.
    const json = path.join(tmp, 'huge.json');
    closeSync(openSync(json, 'w'));
    truncateSync(json, 64 * 1024 * 1024 + 1);
    const source = await run(cli('report', json, '-o', path.join(tmp, 'huge-json.pdf')));
    expect(source.code).toBe(2);
    expect(source.stderr).toBe(`“${json}” is refused: it is 64.1 MB, the limit is 64 MB.\n`);
    truncateSync(huge, 64 * 1024 * 1024 + 1);
    const over = await run(cli('import', huge));
    expect(over.stderr).toBe('File refused: it is 64.1 MB, the limit is 64 MB.\n');
  });

  it('shows its version and help', async () => {
    const version = await run(['bin/port-auditor.mjs', '--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe('0.1.0');
    const help = await run(cli('scan', '--help'));
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--json <file>');
    expect(help.stdout).toContain('--skip-discovery');
  });
});
