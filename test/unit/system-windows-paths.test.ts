import { describe, expect, it } from 'vitest';
import {
  minimalWindowsEnv,
  plainStderr,
  systemDirectoryFromReport,
} from '../../app/system/windows-paths.js';

describe('Windows paths and environment, from the OS rather than from the user', () => {
  it('System32 is where the loader mapped ntdll.dll, whatever %SystemRoot% says', () => {
    // The shape of process.report.getReport().sharedObjects on Windows (synthetic: no Windows here).
    const report = {
      sharedObjects: [
        'C:\\Program Files\\Port Auditor\\Port Auditor.exe',
        'D:\\WIN11\\SYSTEM32\\ntdll.dll',
        'D:\\WIN11\\System32\\KERNEL32.DLL',
      ],
    };
    expect(systemDirectoryFromReport(report)).toBe('D:\\WIN11\\SYSTEM32');
    // Without ntdll in the report: nothing, never a guess and never the environment.
    expect(systemDirectoryFromReport(null)).toBeNull();
    expect(systemDirectoryFromReport({ sharedObjects: 'x' })).toBeNull();
  });

  it('child programs get an environment built from System32 alone', () => {
    expect(minimalWindowsEnv('D:\\WIN11\\System32')).toEqual({
      SystemRoot: 'D:\\WIN11',
      windir: 'D:\\WIN11',
      SystemDrive: 'D:',
      PATH: 'D:\\WIN11\\System32;D:\\WIN11;D:\\WIN11\\System32\\Wbem',
      PSModulePath: 'D:\\WIN11\\System32\\WindowsPowerShell\\v1.0\\Modules',
    });
  });

  it('CLIXML in PowerShell’s error output becomes its error text (synthetic sample)', () => {
    const clixml =
      '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T></TN><MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV></PR></MS></Obj><S S="Error">Get-NetTCPConnection : Access &lt;denied&gt;_x000D__x000A_</S><S S="Error">At line:1 char:1_x000D__x000A_</S></Objs>';
    expect(plainStderr(clixml)).toBe('Get-NetTCPConnection : Access <denied>\r\nAt line:1 char:1');
    expect(plainStderr('  plain error  ')).toBe('plain error');
  });
});
