import { execFile } from 'node:child_process';

export interface CommandSpec {
  file: string;
  args: string[];
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a command with an argv array (never a shell), resolving with its exit code instead of throwing. */
export function runCommand(spec: CommandSpec, timeoutMs = 60_000): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      spec.file,
      spec.args,
      { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ stdout, stderr, exitCode: error ? Number(error.code) : 0 });
      },
    );
  });
}
