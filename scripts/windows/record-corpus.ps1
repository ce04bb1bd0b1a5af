# Records the raw output of every command Port Auditor runs on Windows, read-only, into
# test/fixtures/windows-recorded/ (see CONTRIBUTING.md, "Recording Windows outputs").
# Run from the repository folder in Windows PowerShell 5.1 (not pwsh), after npm ci:
#   powershell -NoProfile -File scripts\windows\record-corpus.ps1
# Run it once in an English session and once in a French one (Settings > Time & language).
$ErrorActionPreference = 'Stop'
if ($PSVersionTable.PSVersion.Major -ne 5) {
  Write-Error 'Run this in Windows PowerShell 5.1 (powershell.exe), the one Port Auditor uses.'
  exit 2
}
& npx tsx scripts/windows/record-corpus.ts
exit $LASTEXITCODE
