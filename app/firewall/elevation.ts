import { accessSync, constants } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { LocalizedText } from '../contract/index.js';
import { AppFailure } from '../errors.js';
import { runCommand, type Runner } from './backend.js';
import {
  HelperResultFile,
  writeJsonAtomic,
  type HelperRequest,
  type HelperResult,
} from './helper-protocol.js';
import { powershellArgs, powershellPath } from './netsh.js';

export type ElevationMode = 'none' | 'pkexec' | 'uac' | 'unavailable';

/** The one program that may change the firewall: the shipped helper entry and what runs it. */
export interface HelperCommand {
  exe: string;
  args: string[];
}

/**
 * Next to the bundle in a build (dist/main/firewall-helper.mjs); the TypeScript entry through tsx
 * from a checkout (tests, `npm run cli`).
 */
export function defaultHelperCommand(): HelperCommand {
  if (import.meta.url.endsWith('.ts')) {
    const entry = fileURLToPath(new URL('../../main/helper/firewall-helper.ts', import.meta.url));
    return { exe: process.execPath, args: ['--import', import.meta.resolve('tsx'), entry] };
  }
  return {
    exe: process.execPath,
    args: [fileURLToPath(new URL('./firewall-helper.mjs', import.meta.url))],
  };
}

/** The desktop app started with this flag is the helper: no window, no lock, exits with its code. */
export const ELECTRON_HELPER_FLAG = '--port-auditor-firewall-helper';

/**
 * The helper command of the desktop app, whose process.execPath is Electron, not node.
 * - Windows: UAC starts a program with arguments but cannot pass ELECTRON_RUN_AS_NODE, so the app
 *   itself is started with ELECTRON_HELPER_FLAG (from a checkout, Electron also needs the app path).
 * - Linux: pkexec clears the environment but runs env(1), which sets ELECTRON_RUN_AS_NODE: Electron
 *   then is plain node running the shipped helper, with no display and no Chromium sandbox (which
 *   refuses to start as root).
 */
export function electronHelperCommand(options: {
  platform: NodeJS.Platform;
  execPath: string;
  isPackaged: boolean;
  appPath: string;
  helperScript: string;
}): HelperCommand {
  if (options.platform === 'win32') {
    return {
      exe: options.execPath,
      args: [...(options.isPackaged ? [] : [options.appPath]), ELECTRON_HELPER_FLAG],
    };
  }
  return {
    exe: '/usr/bin/env',
    args: ['ELECTRON_RUN_AS_NODE=1', options.execPath, options.helperScript],
  };
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // keep looking
    }
  }
  return null;
}

export function elevationMode(
  platform: NodeJS.Platform,
  elevated: boolean,
  env: NodeJS.ProcessEnv = process.env,
): ElevationMode {
  if (elevated) return 'none';
  if (platform === 'win32') return 'uac';
  return onPath('pkexec', env) ? 'pkexec' : 'unavailable';
}

/**
 * Start-Process -Verb RunAs shows the UAC prompt. Program and arguments come from environment
 * variables, so nothing is ever spliced into the script; a declined prompt surfaces as Win32 error
 * 1223 (ERROR_CANCELLED), which the script turns into its exit code.
 */
export const UAC_SCRIPT = `$ErrorActionPreference = 'Stop'
$argsList = @($env:PORT_AUDITOR_HELPER_ARGS | ConvertFrom-Json)
$line = ($argsList | ForEach-Object { '"' + ($_ -replace '"', '\\"') + '"' }) -join ' '
try {
  $p = Start-Process -FilePath $env:PORT_AUDITOR_HELPER_EXE -ArgumentList $line -Verb RunAs -Wait -PassThru -WindowStyle Hidden
  exit $p.ExitCode
} catch {
  $e = $_.Exception
  while ($e -ne $null) {
    if ($e -is [System.ComponentModel.Win32Exception] -and $e.NativeErrorCode -eq 1223) { exit 1223 }
    $e = $e.InnerException
  }
  exit 1
}`;

export const UAC_CANCELLED_EXIT = 1223;
/** pkexec: 126 when the user dismissed the dialog or is not authorised, 127 when authentication failed. */
export const PKEXEC_DISMISSED_EXIT = 126;
export const PKEXEC_AUTH_FAILED_EXIT = 127;

export interface LaunchPlan {
  argv: string[];
  env?: NodeJS.ProcessEnv;
}

export function launchPlan(
  mode: ElevationMode,
  helper: HelperCommand,
  requestFile: string,
  resultFile: string,
  env: NodeJS.ProcessEnv = process.env,
): LaunchPlan {
  const helperArgs = [...helper.args, '--request', requestFile, '--result', resultFile];
  switch (mode) {
    case 'none':
      return { argv: [helper.exe, ...helperArgs] };
    case 'pkexec':
      return { argv: ['pkexec', helper.exe, ...helperArgs] };
    case 'uac':
      return {
        argv: [powershellPath(env), ...powershellArgs(UAC_SCRIPT)],
        env: {
          ...env,
          PORT_AUDITOR_HELPER_EXE: helper.exe,
          PORT_AUDITOR_HELPER_ARGS: JSON.stringify(helperArgs),
        },
      };
    default:
      throw noElevation();
  }
}

export function noElevation(): AppFailure {
  return new AppFailure('firewall.elevation-unavailable', {
    fr: 'Impossible de demander les droits d’administrateur : pkexec (polkit) est introuvable. Lancez la commande en root (sudo).',
    en: 'Cannot ask for administrator rights: pkexec (polkit) was not found. Run the command as root (sudo).',
  });
}

export const CANCELLED_MESSAGE: Record<'pkexec' | 'uac', LocalizedText> = {
  uac: {
    fr: 'Vous avez refusé la demande d’autorisation Windows (UAC) : le pare-feu n’a pas été modifié.',
    en: 'You declined the Windows permission prompt (UAC): the firewall was not changed.',
  },
  pkexec: {
    fr: 'La demande d’autorisation a été refusée ou fermée : le pare-feu n’a pas été modifié.',
    en: 'The permission prompt was declined or closed: the firewall was not changed.',
  },
};

export type LaunchOutcome =
  { kind: 'done'; result: HelperResult } | { kind: 'cancelled'; message: LocalizedText };

/** What an exit code of the elevation step means, before any result file is looked at. */
export function classifyExit(
  mode: ElevationMode,
  code: number,
): 'cancelled' | 'auth-failed' | 'ran' {
  if (mode === 'uac' && code === UAC_CANCELLED_EXIT) return 'cancelled';
  if (mode === 'pkexec' && code === PKEXEC_DISMISSED_EXIT) return 'cancelled';
  if (mode === 'pkexec' && code === PKEXEC_AUTH_FAILED_EXIT) return 'auth-failed';
  return 'ran';
}

/**
 * Runs one batch through the helper: request file in, elevated (or direct) helper, result file out.
 * A missing or invalid result file after the helper ran is a failure, never a success.
 */
export async function runHelper(options: {
  mode: ElevationMode;
  request: HelperRequest;
  workDir: string;
  helper?: HelperCommand;
  run?: Runner;
}): Promise<LaunchOutcome> {
  const { mode, request, workDir } = options;
  if (mode === 'unavailable') throw noElevation();
  await mkdir(workDir, { recursive: true, mode: 0o700 });
  const id = randomUUID();
  const requestFile = path.join(workDir, `${id}.request.json`);
  const resultFile = path.join(workDir, `${id}.result.json`);
  await writeJsonAtomic(requestFile, request);
  try {
    const plan = launchPlan(
      mode,
      options.helper ?? defaultHelperCommand(),
      requestFile,
      resultFile,
    );
    const run = options.run ?? runCommand;
    const exit = await run(plan.argv, {
      timeoutMs: 600_000,
      ...(plan.env ? { env: plan.env } : {}),
    });
    const meaning = classifyExit(mode, exit.code);
    if (meaning === 'cancelled' && mode !== 'none') {
      return { kind: 'cancelled', message: CANCELLED_MESSAGE[mode] };
    }
    if (meaning === 'auth-failed') {
      throw new AppFailure('firewall.elevation-failed', {
        fr: 'L’authentification administrateur a échoué : le pare-feu n’a pas été modifié.',
        en: 'Administrator authentication failed: the firewall was not changed.',
      });
    }
    let text: string;
    try {
      text = await readFile(resultFile, 'utf8');
    } catch {
      const detail = exit.stderr.trim().split('\n').slice(-1)[0]?.slice(0, 200) ?? '';
      throw new AppFailure(
        'firewall.helper-failed',
        {
          fr: `Le module d’administration du pare-feu n’a pas rendu de résultat (code ${exit.code}). ${detail}`,
          en: `The firewall administration helper returned no result (exit ${exit.code}). ${detail}`,
        },
        { code: exit.code },
      );
    }
    return { kind: 'done', result: HelperResultFile.parse(JSON.parse(text)) };
  } finally {
    await rm(requestFile, { force: true });
    await rm(resultFile, { force: true });
  }
}
