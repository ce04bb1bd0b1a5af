/**
 * The capture metadata of the recorded Windows corpus (scripts/windows/record-corpus.ts): where a
 * recording comes from, printed once per run by CORPUS_METADATA_SCRIPT and copied into every
 * `test/fixtures/windows-recorded/<build>-<culture>-<case>.json` as its `capture` field.
 */

/**
 * Fixed Windows PowerShell 5.1 script, run with the same argv and environment as the app's own
 * scripts. It reads the console's code pages *before* switching output to UTF-8 (what netsh and
 * any program that writes to the console would use on this PC; afterwards it would always read
 * 65001), then prints one compressed JSON object: the whole `$PSVersionTable` (every value as
 * text, PSCompatibleVersions as a list), the Windows build, culture and UI culture, the console
 * output and input code pages, the culture's OEM and ANSI code pages, and the number of Windows
 * Firewall rules (what the list timings depend on). Source: Microsoft, Console.OutputEncoding,
 * TextInfo.OEMCodePage, about_Automatic_Variables ($PSVersionTable).
 */
export const CORPUS_METADATA_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  '$codePage = [int][Console]::OutputEncoding.CodePage',
  '$inputCodePage = [int][Console]::InputEncoding.CodePage',
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
  '$table = [ordered]@{}',
  'foreach ($key in @($PSVersionTable.Keys | Sort-Object)) {',
  '  $value = $PSVersionTable[$key]',
  '  if ($value -is [array]) { $table[$key] = @(foreach ($v in $value) { [string]$v }) } else { $table[$key] = [string]$value }',
  '}',
  '$text = [Globalization.CultureInfo]::CurrentCulture.TextInfo',
  'ConvertTo-Json -InputObject ([pscustomobject]@{',
  '  PSVersion = [string]$PSVersionTable.PSVersion',
  '  PSVersionTable = [pscustomobject]$table',
  '  Build = [string][Environment]::OSVersion.Version',
  '  Culture = [string](Get-Culture).Name',
  '  UICulture = [string](Get-UICulture).Name',
  '  CodePage = $codePage',
  '  InputCodePage = $inputCodePage',
  '  OemCodePage = [int]$text.OEMCodePage',
  '  AnsiCodePage = [int]$text.ANSICodePage',
  '  Rules = [int](New-Object -ComObject HNetCfg.FwPolicy2).Rules.Count',
  '}) -Depth 3 -Compress',
].join('\n');

/** CORPUS_METADATA_SCRIPT's output, as each recorded file's `capture` field keeps it. */
export interface CorpusMetadata {
  /** `$PSVersionTable.PSVersion` as text, e.g. `5.1.19041.4648`. */
  PSVersion: string;
  /** Every entry of `$PSVersionTable` as text (PSCompatibleVersions: a list of texts). */
  PSVersionTable: Record<string, string | string[]>;
  /** `[Environment]::OSVersion.Version`, e.g. `10.0.19045.0`. */
  Build: string;
  Culture: string;
  UICulture: string;
  /** The console's output code page before the script set UTF-8 (e.g. 850 on a French PC). */
  CodePage: number;
  InputCodePage: number;
  OemCodePage: number;
  AnsiCodePage: number;
  /** Windows Firewall rules on the PC (all stores the COM API lists). */
  Rules: number;
}
