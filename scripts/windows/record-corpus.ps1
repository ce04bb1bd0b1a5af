# Records the raw output of every command Port Auditor runs on Windows, read-only, into
# test/fixtures/windows-recorded/ (see CONTRIBUTING.md, "Recording Windows outputs").
# Run it in Windows PowerShell 5.1 (not pwsh), after `npm.cmd ci`, from the repository folder:
#   powershell -NoProfile -ExecutionPolicy Bypass -File scripts\windows\record-corpus.ps1
# The client default execution policy (Restricted) refuses every script file: -ExecutionPolicy
# Bypass applies to this one process only and changes no setting of the PC.
# Run it once in an English session and once in a French one (Settings > Time & language).
$ErrorActionPreference = 'Stop'
if ($PSVersionTable.PSVersion.Major -ne 5) {
  # Write-Error under 'Stop' would end the script with exit code 1 before `exit 2`.
  [Console]::Error.WriteLine('Run this in Windows PowerShell 5.1 (powershell.exe), the one Port Auditor uses, not PowerShell 7 (pwsh).')
  exit 2
}
$root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
if (-not (Test-Path (Join-Path $root 'node_modules\.bin\tsx.cmd'))) {
  [Console]::Error.WriteLine('Run npm.cmd ci in ' + $root + ' first (npm.ps1 is blocked by the default execution policy; npm.cmd is not).')
  exit 2
}
Push-Location $root
# A native program's stderr can turn into a terminating NativeCommandError under 'Stop' in 5.1
# when this script's own streams are redirected (CI): let the recorder's exit code decide.
$ErrorActionPreference = 'Continue'
try {
  # npx.cmd, not npx: PowerShell would pick npx.ps1, which the execution policy may block.
  & npx.cmd tsx scripts/windows/record-corpus.ts
  $code = $LASTEXITCODE
} finally {
  Pop-Location
}
exit $code
