import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Windows live suite runs only on a real Windows with PORT_AUDITOR_WINDOWS_LIVE=1 (vitest
 * project `windows-live`, `npm run test:windows-live`; the GitHub workflow
 * .github/workflows/windows-live.yml runs it on windows-2022 and windows-2025 with Windows
 * PowerShell 5.1). It changes the firewall of the machine it runs on: a throwaway VM.
 */
export function requireLiveWindows(): void {
  if (process.platform !== 'win32' || process.env.PORT_AUDITOR_WINDOWS_LIVE !== '1') {
    throw new Error(
      'The Windows live suite runs on a Windows VM only: set PORT_AUDITOR_WINDOWS_LIVE=1 there and run npm run test:windows-live.',
    );
  }
}

const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');

/** Keeps every raw output as an artifact of the run (the workflow uploads the folder). */
export function record(name: string, value: unknown): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(path.join(ARTIFACTS, `${name}.json`), `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * A new folder under the temporary folder, by its long name: on runners os.tmpdir() is
 * `C:\Users\RUNNER~1\AppData\Local\Temp` (an 8.3 short name), while Windows reports the paths
 * of running programs (Get-Process Path) and rules by their long names.
 * realpathSync.native (GetFinalPathNameByHandle) gives the long one.
 */
export function liveTempDir(prefix: string): string {
  return mkdtempSync(path.join(realpathSync.native(tmpdir()), prefix));
}
