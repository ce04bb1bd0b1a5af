import path from 'node:path';
import { AppFailure } from '../failure.js';

/** Where System32 is named on machines that are not Windows (argv built for tests and previews). */
const NOT_WINDOWS_SYSTEM32 = 'C:\\Windows\\System32';

interface ProcessReport {
  sharedObjects?: unknown;
}

/**
 * Windows' System32 folder, taken from where the loader mapped ntdll.dll into this process
 * (`process.report.getReport().sharedObjects`). ntdll is a KnownDLL, always loaded from the real
 * system folder, so this needs neither %SystemRoot% (which any program of the user can set, and
 * which an elevated process inherits from the user's registry environment) nor a bare program name
 * (which Windows would look up in the current folder first). Null when the report does not list it.
 * Source: Microsoft, "Dynamic-link library search order" (KnownDLLs).
 */
export function systemDirectoryFromReport(report: ProcessReport | null | undefined): string | null {
  const objects = Array.isArray(report?.sharedObjects) ? (report.sharedObjects as unknown[]) : [];
  for (const entry of objects) {
    if (typeof entry !== 'string') continue;
    if (path.win32.basename(entry).toLowerCase() === 'ntdll.dll') return path.win32.dirname(entry);
  }
  return null;
}

/**
 * This process's report without its network part: the report otherwise resolves the name of every
 * open socket, synchronously (seconds, in the middle of a scan).
 */
function reportWithoutNetwork(): ProcessReport | null {
  const report = process.report as
    (NodeJS.ProcessReport & { excludeNetwork?: boolean }) | undefined;
  if (!report) return null;
  const before = report.excludeNetwork;
  try {
    report.excludeNetwork = true;
    return report.getReport() as ProcessReport;
  } catch {
    return null;
  } finally {
    report.excludeNetwork = before;
  }
}

let cached: string | null = null;

/**
 * The System32 folder of this Windows (see systemDirectoryFromReport), read once per process.
 * Throws an AppFailure on a Windows where it cannot be found: a guessed `C:\Windows\System32`
 * could be a folder any user may create when Windows lives on another drive. On other systems it
 * is the usual name (only ever used to build argv that is shown, not run).
 */
export function windowsSystemDirectory(): string {
  if (cached === null) {
    if (process.platform !== 'win32') return NOT_WINDOWS_SYSTEM32;
    const found = systemDirectoryFromReport(reportWithoutNetwork());
    if (!found) {
      throw new AppFailure('system.system32-unknown');
    }
    cached = found;
  }
  return cached;
}

/** A program of System32 by absolute path, e.g. `system32Program('netsh.exe')`. */
export function system32Program(name: string, system32: string = windowsSystemDirectory()): string {
  return path.win32.join(system32, name);
}

/** Windows PowerShell 5.1, the one every Windows 10/11 has (pwsh 7 is optional). */
export function windowsPowerShell(system32: string = windowsSystemDirectory()): string {
  return path.win32.join(system32, 'WindowsPowerShell', 'v1.0', 'powershell.exe');
}

/**
 * Windows PowerShell with a fixed script as plain `-Command` text: no -EncodedCommand (antivirus
 * products flag that shape, and it leaks progress records as CLIXML) and no -ExecutionPolicy
 * (which only governs script files). Scripts hold no double quote, so Windows' argument quoting
 * cannot alter them; data reaches them through environment variables, never spliced in.
 */
export function powershellArgv(script: string, system32?: string): string[] {
  return [windowsPowerShell(system32), '-NoProfile', '-NonInteractive', '-Command', script];
}

/**
 * The whole environment of the programs we start on Windows (netsh, PowerShell, reg), built from
 * System32 alone. The user's environment is never passed on: an elevated process inherits it from
 * the user's registry (HKCU\Environment), where any program of the user can set
 * COR_ENABLE_PROFILING/COR_PROFILER_PATH (a DLL .NET then loads into PowerShell), a PSModulePath
 * that shadows Windows' modules, or PATH entries. Source: Microsoft, "Environment variables"
 * (user variables override system ones) and ".NET profiling: environment variables".
 */
export function minimalWindowsEnv(system32: string = windowsSystemDirectory()): NodeJS.ProcessEnv {
  const windows = path.win32.dirname(system32);
  return {
    SystemRoot: windows,
    windir: windows,
    SystemDrive: windows.slice(0, 2),
    PATH: [system32, windows, path.win32.join(system32, 'Wbem')].join(';'),
    PSModulePath: path.win32.join(system32, 'WindowsPowerShell', 'v1.0', 'Modules'),
  };
}

/**
 * PowerShell's error output as plain text: non-interactive runs may wrap errors and progress in a
 * CLIXML block (`#< CLIXML` then `<Objs …>`), which must never reach a user's message. Keeps the
 * error strings (`<S S="Error">`), decoding PowerShell's `_xHHHH_` escapes, and drops the rest.
 */
export function plainStderr(text: string): string {
  if (!text.includes('#< CLIXML')) return text.trim();
  const errors = [...text.matchAll(/<S S="Error">([\s\S]*?)<\/S>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
  const before = text.slice(0, text.indexOf('#< CLIXML')).trim();
  return [before, errors.join('').trim()].filter(Boolean).join('\n');
}
