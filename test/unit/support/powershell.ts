import { expect } from 'vitest';

export const SYSTEM32 = 'C:\\Windows\\System32';
export const POWERSHELL = `${SYSTEM32}\\WindowsPowerShell\\v1.0\\powershell.exe`;

/**
 * The script of a `powershell.exe -NoProfile -NonInteractive -Command <script>` argv, after
 * checking the program (Windows PowerShell 5.1 by absolute path) and the fixed switches every call
 * of ours carries: no profile, no prompt, the script as plain text.
 */
export function psScript(argv: readonly string[]): string {
  expect(argv.slice(0, 4)).toEqual([POWERSHELL, '-NoProfile', '-NonInteractive', '-Command']);
  expect(argv).toHaveLength(5);
  return argv[4] as string;
}
