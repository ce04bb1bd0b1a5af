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
}

function capture(argv: string[], env: NodeJS.ProcessEnv): Promise<Raw> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(argv[0] as string, argv.slice(1), {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('close', (code) =>
      resolve({
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err),
        exitCode: code ?? -1,
        durationMs: performance.now() - started,
      }),
    );
  });
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
          durationMs: Math.round(raw.durationMs),
          stdoutBase64: raw.stdout.toString('base64'),
          stderrBase64: raw.stderr.toString('base64'),
        },
        null,
        2,
      )}\n`,
    );
    process.stdout.write(`recorded ${path.relative(ROOT, file)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
