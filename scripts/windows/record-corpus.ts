/**
 * Records, on a real Windows, the raw output of every command Port Auditor runs there, in its
 * exact form (same argv, same environment), into test/fixtures/windows-recorded/
 * <build>-<culture>-<case>.json: stdout and stderr bytes (base64), exit code, duration, and the
 * capture metadata of CORPUS_METADATA_SCRIPT (the whole $PSVersionTable, the console code page as
 * it was before any script set UTF-8, culture, UI culture, the number of firewall rules). The unit tests
 * replay every file there. Run by scripts/windows/record-corpus.ps1 (see CONTRIBUTING). Read-only:
 * it changes nothing on the PC.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIST_ALL_SCRIPT, LIST_NAMED_SCRIPT, STATUS_SCRIPT } from '../../app/firewall/netsh.js';
import { installLocationQuery, programFilesQuery } from '../../app/firewall/windows-install.js';
import {
  minimalWindowsEnv,
  powershellArgv,
  system32Program,
} from '../../app/system/windows-paths.js';
import { WINDOWS_NEIGHBOURS_SCRIPT } from '../../app/scan/neighbours.js';
import { WINDOWS_ADAPTERS_SCRIPT } from '../../app/system/adapters.js';
import { WINDOWS_LISTENERS_SCRIPT } from '../../app/system/windows.js';
import { CORPUS_METADATA_SCRIPT, type CorpusMetadata } from './corpus-metadata.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.join(ROOT, 'test/fixtures/windows-recorded');

/** A rule name of ours that no PC has (a UUID v4 of zeros). */
const ABSENT_RULE = 'PortAuditor-00000000-0000-4000-8000-000000000000';

interface Raw {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
  durationMs: number;
  /** Stopped after CAPTURE_TIMEOUT_MS (a COM call stuck behind a third-party firewall, say). */
  timedOut: boolean;
}

/** The longest any one read may take; the app itself gives up on these reads far sooner. */
const CAPTURE_TIMEOUT_MS = 120_000;

function capture(argv: string[], env: NodeJS.ProcessEnv): Promise<Raw> {
  return new Promise((resolve) => {
    const started = performance.now();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const child = spawn(argv[0] as string, argv.slice(1), {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill();
    }, CAPTURE_TIMEOUT_MS);
    const done = (exitCode: number, extra?: string) => {
      clearTimeout(timer);
      if (extra) err.push(Buffer.from(extra));
      resolve({
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err),
        exitCode,
        durationMs: performance.now() - started,
        timedOut,
      });
    };
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    child.on('error', (error) => done(-1, `could not start: ${error.message}`));
    child.on('close', (code) => done(code ?? -1));
  });
}

/** Bytes as text for a person: UTF-16LE when they start with its BOM or look like it, else UTF-8. */
function readable(bytes: Buffer): string {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes.length > 1 && bytes[1] === 0);
  return bytes.toString(utf16 ? 'utf16le' : 'utf8').replace(/^\uFEFF/, '');
}

async function main(): Promise<void> {
  if (process.platform !== 'win32')
    throw new Error('Run this on Windows (scripts/windows/record-corpus.ps1).');
  const env = minimalWindowsEnv();
  const ps = (script: string) => powershellArgv(script);
  const about = await capture(ps(CORPUS_METADATA_SCRIPT), env);
  if (about.exitCode !== 0) {
    throw new Error(
      `The capture metadata could not be read (exit code ${about.exitCode}): ${about.stderr.toString('utf8')}`,
    );
  }
  const meta = JSON.parse(about.stdout.toString('utf8').replace(/^\uFEFF/, '')) as CorpusMetadata;
  // Data the app passes to a script through its environment, never in the script; recorded too.
  const caseEnv: Record<string, Record<string, string>> = {
    // A generated name no PC has: records the "not found" answer of Rules.Item (0x80070002).
    'list-named': { PORT_AUDITOR_RULE_NAMES: ABSENT_RULE },
  };
  const cases: Record<string, string[]> = {
    status: ps(STATUS_SCRIPT),
    'list-named': ps(LIST_NAMED_SCRIPT),
    'list-all': ps(LIST_ALL_SCRIPT),
    listeners: ps(WINDOWS_LISTENERS_SCRIPT),
    'netsh-show-none': [
      system32Program('netsh.exe'),
      'advfirewall',
      'firewall',
      'show',
      'rule',
      `name=${ABSENT_RULE}`,
    ],
    'reg-install-location': installLocationQuery(),
    'reg-program-files': programFilesQuery(),
    'arp-a': [system32Program('ARP.EXE'), '-a'],
    neighbours: ps(WINDOWS_NEIGHBOURS_SCRIPT),
    adapters: ps(WINDOWS_ADAPTERS_SCRIPT),
  };
  mkdirSync(OUT, { recursive: true });
  const prefix = `${String(meta.Build)}-${String(meta.UICulture)}`.replace(/[^\w.-]/g, '_');
  for (const [name, argv] of Object.entries(cases)) {
    const extra = caseEnv[name] ?? {};
    const raw = await capture(argv, { ...env, ...extra });
    const file = path.join(OUT, `${prefix}-${name}.json`);
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          case: name,
          capture: { ...meta, recordedAt: new Date().toISOString() },
          argv,
          ...(Object.keys(extra).length > 0 ? { env: extra } : {}),
          exitCode: raw.exitCode,
          ...(raw.timedOut ? { timedOut: true } : {}),
          durationMs: Math.round(raw.durationMs),
          stdoutBase64: raw.stdout.toString('base64'),
          stderrBase64: raw.stderr.toString('base64'),
        },
        null,
        2,
      )}\n`,
    );
    // The same output as text beside it, so the contributor can read what they are about to
    // publish (MAC addresses of the neighbour table, program paths with their user name…).
    writeFileSync(
      file.replace(/\.json$/, '.review.txt'),
      `${name} — exit ${raw.exitCode}${raw.timedOut ? ' (timed out)' : ''}\n--- stdout ---\n${readable(raw.stdout)}\n--- stderr ---\n${readable(raw.stderr)}\n`,
    );
    process.stdout.write(
      `recorded ${path.relative(ROOT, file)} (read ${path.basename(file, '.json')}.review.txt before publishing it)\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
