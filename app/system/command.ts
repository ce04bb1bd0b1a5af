import { spawn } from 'node:child_process';
import path from 'node:path';
import { minimalWindowsEnv } from './windows-paths.js';

export interface CommandSpec {
  file: string;
  args: string[];
  /** The whole environment of the program; this process's own when absent. */
  env?: NodeJS.ProcessEnv;
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const MAX_OUTPUT = 32 * 1024 * 1024;

/**
 * The folder a Windows program runs in: its own (System32 for ours), never this process's current
 * folder (for the portable build, Downloads), where Windows would look for the DLLs it loads by
 * name. Undefined elsewhere, and for a program not named by absolute path.
 */
export function programFolder(
  file: string,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  return platform === 'win32' && path.win32.isAbsolute(file) ? path.win32.dirname(file) : undefined;
}

/**
 * Runs a command with an argv array (never a shell), standard input closed (PowerShell otherwise
 * waits on it), resolving with its exit code instead of throwing; rejects only when the program
 * cannot be started at all (or, on Windows, when System32 cannot be found for its environment).
 * Output beyond 32 MiB is cut.
 */
export function runCommand(spec: CommandSpec, timeoutMs = 60_000): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    const cwd = programFolder(spec.file);
    // On Windows the user's environment never reaches a program we start (see minimalWindowsEnv),
    // even when a caller forgot to pass one.
    const env = spec.env ?? (process.platform === 'win32' ? minimalWindowsEnv() : undefined);
    const child = spawn(spec.file, spec.args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      ...(env ? { env } : {}),
      ...(cwd ? { cwd } : {}),
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    // Listened to first: when the spawn itself fails (EMFILE, ENOENT) the pipes do not exist and
    // only this event says why.
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const take = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_OUTPUT) into.push(chunk);
    };
    child.stdout?.on('data', take(out));
    child.stderr?.on('data', take(err));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code ?? (signal ? 128 : 1),
      });
    });
  });
}
