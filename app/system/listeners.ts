import type { ListenersResult, ProgramInfo } from '../contract/risk.js';
import { oneLine } from '../text/control-characters.js';
import { fail } from '../errors.js';
import { runCommand, type CommandSpec, type CommandOutput } from './command.js';
import { readLinuxListeners } from './linux.js';
import { thisInstallation, type Installation } from './own-instance.js';
import {
  macosListenersCommand,
  macosPathsCommand,
  parseLsof,
  parsePsPaths,
  withPaths,
} from './macos.js';
import { parseWindowsListeners, windowsListenersCommand } from './windows.js';
import { plainStderr } from './windows-paths.js';

export type CommandRunner = (spec: CommandSpec) => Promise<CommandOutput>;

function toolFailed(tool: string, detail: string): never {
  fail('system.listeners-failed', { tool }, { text: { detail } });
}

async function run(runner: CommandRunner, spec: CommandSpec): Promise<CommandOutput> {
  try {
    return await runner(spec);
  } catch (error) {
    toolFailed(spec.file, error instanceof Error ? error.message : String(error));
  }
}

/**
 * A program as the app may show it: its name, path and service names are words the program's
 * owner chose (a same-user program can be called `=cmd\u001b[2J` and live in a folder whose name
 * holds a line feed and U+202E), so they are neutralised here, where they enter the app, by the
 * one rule of app/contract/outside-words.ts (oneLine), and capped: a name at 255 code points and a
 * path at 4,096 (the longest a system gives, PATH_MAX), never the 10,000 characters a process can
 * claim (issue 15, N1). Pure.
 */
export function shownProgram(program: ProgramInfo): ProgramInfo {
  return {
    ...program,
    name: oneLine(program.name, 255),
    ...(program.path === undefined ? {} : { path: oneLine(program.path, 4096) }),
    ...(program.services ? { services: program.services.map((s) => oneLine(s, 255)) } : {}),
  };
}

function shown(result: ListenersResult): ListenersResult {
  return {
    ...result,
    listeners: result.listeners.map((l) =>
      l.program ? { ...l, program: shownProgram(l.program) } : l,
    ),
  };
}

/**
 * This PC's listening sockets and the programs behind them, read the way each OS allows without
 * parsing localized text: /proc on Linux, PowerShell JSON on Windows, `lsof -F` on macOS.
 * `elevated`: whether this process runs as root (Linux, macOS), carried in the result so that
 * nobody is told to run again as administrator who already is; Windows leaves it unknown.
 * Program names and paths come back neutralised (shownProgram). `installation`: the Port Auditor
 * whose running hosts are listed in `portAuditorHosts` — Linux only, from the owners' command
 * lines; Windows' and macOS' listener reads carry no command line, so they leave it out.
 */
export async function listListeners(
  platform: NodeJS.Platform = process.platform,
  runner: CommandRunner = runCommand,
  elevated: boolean = process.geteuid?.() === 0,
  installation: Installation = thisInstallation(),
): Promise<ListenersResult> {
  return shown(await readListeners(platform, runner, elevated, installation));
}

async function readListeners(
  platform: NodeJS.Platform,
  runner: CommandRunner,
  elevated: boolean,
  installation: Installation,
): Promise<ListenersResult> {
  if (platform === 'linux')
    return { ...(await readLinuxListeners('/proc', installation)), elevated };
  if (platform === 'win32') {
    const out = await run(runner, windowsListenersCommand());
    if (out.exitCode !== 0)
      toolFailed('powershell.exe', plainStderr(out.stderr) || `exit ${out.exitCode}`);
    try {
      return parseWindowsListeners(out.stdout);
    } catch (error) {
      toolFailed('powershell.exe', error instanceof Error ? error.message : String(error));
    }
  }
  if (platform === 'darwin') {
    const out = await run(runner, macosListenersCommand());
    // lsof exits 1 when nothing matched, which is a valid, empty answer.
    if (out.exitCode !== 0 && out.stdout.trim())
      toolFailed('lsof', out.stderr.trim() || `exit ${out.exitCode}`);
    const listeners = parseLsof(out.stdout);
    const pids = [...new Set(listeners.flatMap((l) => (l.program ? [l.program.pid] : [])))];
    if (pids.length === 0) return { ...withPaths(listeners, new Map()), elevated };
    const ps = await run(runner, macosPathsCommand(pids));
    return { ...withPaths(listeners, parsePsPaths(ps.stdout)), elevated };
  }
  fail('system.unsupported-platform', { platform });
}
