import type { LocalizedText } from '../contract/index.js';
import { bothLanguages } from '../text/catalogue.js';
import { minimalWindowsEnv, powershellArgv } from '../system/windows-paths.js';
import type { RunResult } from './backend.js';
import { opsToArgv, type HelperOp } from './helper-argv.js';
import { HelperResult } from './helper-protocol.js';
import { LINUX_HELPER } from './helper-install.js';
import { windowsCommandLine } from './windows-cmdline.js';

/**
 * How a change gets administrator rights: `none` when this process already has them (root, or an
 * elevated Windows token: the change runs in this process), `pkexec` (polkit) on Linux, `uac` on
 * Windows, `unavailable` when neither can be used (the reason is in the status).
 */
export type ElevationMode = 'none' | 'pkexec' | 'uac' | 'unavailable';

/** The desktop app started with this flag is the helper: no window, no lock, exits with its code. */
export const ELECTRON_HELPER_FLAG = '--port-auditor-firewall-helper';

/**
 * How UAC starts the Windows helper: the installed desktop app (Program Files, per-machine) with
 * ELECTRON_HELPER_FLAG and `--`, after which Chromium reads no switch, so the helper's own options
 * (`--port`, `--remote`…) stay plain arguments. Found by installedWindowsHelper().
 */
export interface WindowsHelperCommand {
  exe: string;
  args: string[];
}

/**
 * The helper's arguments in the desktop app's argv, or null when it was not started as the
 * helper. Strict: the flag and `--` must come right after the program (and, from a checkout, the
 * app folder: `before` is 1 packaged, 2 otherwise), so no Chromium switch can ride along.
 */
export function helperArgsFromAppArgv(argv: readonly string[], before = 1): string[] | null {
  if (argv[before] !== ELECTRON_HELPER_FLAG || argv[before + 1] !== '--') return null;
  return argv.slice(before + 2);
}

/**
 * UAC through ShellExecute's `runas` verb, from a fixed Windows PowerShell 5.1 script: the program
 * and its already-quoted argument string come from environment variables of this one child, so no
 * data is spliced into code. `[Diagnostics.Process]::Start` (not Start-Process, which rewraps the
 * error) surfaces a declined prompt as a Win32Exception with NativeErrorCode 1223 (ERROR_CANCELLED)
 * inside the MethodInvocationException; the script exits with it. Otherwise it waits and exits
 * with the helper's own code. No double quote in the script: it travels as a plain -Command text.
 */
export const UAC_SCRIPT = `$ErrorActionPreference = 'Stop'
$psi = New-Object System.Diagnostics.ProcessStartInfo
$psi.FileName = $env:PORT_AUDITOR_HELPER_EXE
$psi.Arguments = $env:PORT_AUDITOR_HELPER_ARGS
$psi.Verb = 'runas'
$psi.UseShellExecute = $true
$psi.WindowStyle = [System.Diagnostics.ProcessWindowStyle]::Hidden
try {
  $p = [System.Diagnostics.Process]::Start($psi)
} catch {
  $e = $_.Exception
  while ($e -ne $null) {
    if ($e -is [System.ComponentModel.Win32Exception] -and $e.NativeErrorCode -eq 1223) { exit 1223 }
    $e = $e.InnerException
  }
  exit 1
}
if ($p -eq $null) { exit 1 }
$p.WaitForExit()
exit $p.ExitCode`;

export const UAC_CANCELLED_EXIT = 1223;
/** pkexec: 126 when the user dismissed the prompt, 127 when not authorised or it failed to start. */
export const PKEXEC_DISMISSED_EXIT = 126;
export const PKEXEC_NOT_AUTHORISED_EXIT = 127;

export interface LaunchPlan {
  argv: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * pkexec with the installed helper and the operations on its command line (what polkit shows).
 * A read never prompts: `--disable-internal-agent` keeps pkexec from asking on the terminal, and
 * the read action is granted without authentication to active local sessions only.
 */
export function pkexecPlan(
  pkexec: string,
  ops: readonly HelperOp[],
  readOnly: boolean,
): LaunchPlan {
  return readOnly
    ? { argv: [pkexec, '--disable-internal-agent', LINUX_HELPER.read, ...opsToArgv(ops)] }
    : { argv: [pkexec, LINUX_HELPER.change, ...opsToArgv(ops)] };
}

/** Windows PowerShell running UAC_SCRIPT for the installed helper and these operations. */
export function uacPlan(
  helper: WindowsHelperCommand,
  ops: readonly HelperOp[],
  system32?: string,
): LaunchPlan {
  return {
    argv: powershellArgv(UAC_SCRIPT, system32),
    // Only what the launcher needs: nothing of the user's environment reaches PowerShell (.NET
    // loads a profiler DLL named there), which chooses the program UAC shows.
    env: {
      ...minimalWindowsEnv(system32),
      PORT_AUDITOR_HELPER_EXE: helper.exe,
      PORT_AUDITOR_HELPER_ARGS: windowsCommandLine([...helper.args, ...opsToArgv(ops)]),
    },
  };
}

/** What one elevated run tells the app, before it looks at the firewall. */
export type ElevatedRun =
  /** Linux: the helper's own result, read from its standard output. */
  | { kind: 'result'; result: HelperResult; code: number }
  /** Windows: the helper ran (UAC accepted); only its exit code comes back. */
  | { kind: 'exit'; code: number }
  /** The user declined the prompt: nothing ran, nothing changed. */
  | { kind: 'cancelled' }
  /** The helper never started (not authorised, authentication failed): nothing changed. */
  | { kind: 'not-run'; code: number; detail: string }
  /** The helper may have run but left no usable result (killed, crashed): the firewall decides. */
  | { kind: 'lost'; code: number; detail: string };

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}

function detailOf(run: RunResult): string {
  return lastLine(run.stderr).slice(0, 200);
}

/**
 * Reads a pkexec run: the helper's JSON line on stdout is the answer; pkexec's own 126/127 with
 * nothing on stdout mean the helper never ran (exit codes, not pkexec's localized text).
 */
export function interpretPkexec(run: RunResult): ElevatedRun {
  const line = lastLine(run.stdout);
  if (line.startsWith('{')) {
    try {
      return { kind: 'result', result: HelperResult.parse(JSON.parse(line)), code: run.code };
    } catch {
      return { kind: 'lost', code: run.code, detail: 'unreadable helper result' };
    }
  }
  if (run.code === PKEXEC_DISMISSED_EXIT) return { kind: 'cancelled' };
  if (run.code === PKEXEC_NOT_AUTHORISED_EXIT) {
    return { kind: 'not-run', code: run.code, detail: detailOf(run) };
  }
  return { kind: 'lost', code: run.code, detail: detailOf(run) };
}

/** Reads a UAC launcher run: 1223 is a declined prompt; any other code is the helper's. */
export function interpretUac(run: RunResult): ElevatedRun {
  if (run.code === UAC_CANCELLED_EXIT) return { kind: 'cancelled' };
  return { kind: 'exit', code: run.code };
}

export const CANCELLED_MESSAGE: Record<'pkexec' | 'uac', LocalizedText> = {
  uac: bothLanguages('errors:firewall.cancelled.uac'),
  pkexec: bothLanguages('errors:firewall.cancelled.pkexec'),
};
