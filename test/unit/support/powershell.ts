import { expect } from 'vitest';

/**
 * The script inside a `powershell.exe … -EncodedCommand <base64 UTF-16LE>` argv, after checking the
 * fixed flags every PowerShell call of ours must carry (no profile, no prompt, no policy surprise).
 */
export function decodePs(argv: string[]): string {
  expect(argv.slice(0, 5)).toEqual([
    '-NoProfile',
    '-NonInteractive',
    '-ExecutionPolicy',
    'Bypass',
    '-EncodedCommand',
  ]);
  return Buffer.from(argv[5] as string, 'base64').toString('utf16le');
}
