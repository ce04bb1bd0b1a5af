import { describe, expect, it } from 'vitest';
import { UAC_SCRIPT, uacPlan } from '../../app/firewall/elevation.js';
import { LIST_ALL_SCRIPT, LIST_NAMED_SCRIPT, STATUS_SCRIPT } from '../../app/firewall/netsh.js';
import { WINDOWS_NEIGHBOURS_SCRIPT } from '../../app/scan/neighbours.js';
import { WINDOWS_ADAPTERS_SCRIPT } from '../../app/system/adapters.js';
import { powershellArgv } from '../../app/system/windows-paths.js';
import { WINDOWS_LISTENERS_SCRIPT, windowsListenersCommand } from '../../app/system/windows.js';
import { CORPUS_METADATA_SCRIPT } from '../../scripts/windows/corpus-metadata.js';
import { psScript, SYSTEM32 } from './support/powershell.js';

/**
 * Every PowerShell script the app runs, checked for what Windows PowerShell 5.1 (the one every
 * Windows 10/11 has) does differently from PowerShell 7, and for the shapes antivirus products
 * flag. Add a script here when you add one (the corpus recorder's included: its captures must come
 * from the same PowerShell the app runs).
 */
const SCRIPTS: Record<string, string> = {
  UAC_SCRIPT,
  LIST_NAMED_SCRIPT,
  LIST_ALL_SCRIPT,
  STATUS_SCRIPT,
  WINDOWS_LISTENERS_SCRIPT,
  WINDOWS_NEIGHBOURS_SCRIPT,
  WINDOWS_ADAPTERS_SCRIPT,
  CORPUS_METADATA_SCRIPT,
};

/** Constructs that exist only in PowerShell 6/7, or that 5.1 runs differently. */
const NOT_IN_51: [RegExp, string][] = [
  [/@\([^)]*\|\s*ConvertFrom-Json/, '5.1 emits a JSON array as ONE object: assign, then enumerate'],
  [/\|\s*ConvertTo-Json/, 'a pipeline unwraps one-element arrays: use ConvertTo-Json -InputObject'],
  [/-AsHashtable|-EnumsAsStrings|-AsArray/, 'ConvertFrom/To-Json switches added in PowerShell 6/7'],
  [/\s(\?\?|\?\.|&&|\|\|)\s/, 'null-coalescing and pipeline-chain operators are PowerShell 7'],
  [/ForEach-Object\s+-Parallel/, 'ForEach-Object -Parallel is PowerShell 7'],
  [/\$PSStyle|Get-Error\b/, 'PowerShell 7 only'],
  [
    /"/,
    'a double quote can be altered on the way through Windows’ command line: use single quotes',
  ],
];

describe('PowerShell scripts speak Windows PowerShell 5.1 and travel as plain -Command text', () => {
  it.each(Object.entries(SCRIPTS))(
    '%s has no construct 5.1 lacks or runs differently',
    (_name, script) => {
      for (const [pattern, why] of NOT_IN_51) expect(script, why).not.toMatch(pattern);
    },
  );

  it('scripts that print JSON print it as UTF-8, whatever the console code page', () => {
    for (const [name, script] of Object.entries(SCRIPTS)) {
      if (!script.includes('ConvertTo-Json')) continue;
      expect(script, name).toContain('[Console]::OutputEncoding = [System.Text.Encoding]::UTF8');
    }
  });

  it('the corpus recorder reads the console code page before it switches output to UTF-8', () => {
    const read = CORPUS_METADATA_SCRIPT.indexOf('[Console]::OutputEncoding.CodePage');
    const set = CORPUS_METADATA_SCRIPT.indexOf('[Console]::OutputEncoding = ');
    expect(read).toBeGreaterThan(-1);
    expect(read).toBeLessThan(set);
    expect(CORPUS_METADATA_SCRIPT).toContain('PSVersionTable = [pscustomobject]$table');
  });

  it('every PowerShell argv: 5.1 by absolute path, no -EncodedCommand, no -ExecutionPolicy', () => {
    const argvs = [
      powershellArgv(STATUS_SCRIPT, SYSTEM32),
      uacPlan({ exe: 'C:\\Program Files\\Port Auditor\\Port Auditor.exe', args: [] }, [], SYSTEM32)
        .argv,
      (() => {
        const spec = windowsListenersCommand(SYSTEM32);
        return [spec.file, ...spec.args];
      })(),
    ];
    for (const argv of argvs) {
      psScript(argv);
      const text = argv.join(' ').toLowerCase();
      for (const forbidden of ['-encodedcommand', '-enc ', '-executionpolicy', 'bypass', '-file']) {
        expect(text).not.toContain(forbidden);
      }
    }
  });
});
