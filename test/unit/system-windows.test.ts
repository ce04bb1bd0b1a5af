import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listListeners } from '../../app/system/listeners.js';
import {
  parseWindowsListeners,
  WINDOWS_LISTENERS_SCRIPT,
  windowsListenersCommand,
} from '../../app/system/windows.js';
import { AppFailure } from '../../app/errors.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/powershell/${name}`, import.meta.url), 'utf8');

describe('Windows listeners (PowerShell 5.1 JSON)', () => {
  it('runs a fixed PowerShell script with an argv array', () => {
    const spec = windowsListenersCommand('C:\\Windows\\System32');
    expect(spec.file).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(spec.args).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      WINDOWS_LISTENERS_SCRIPT,
    ]);
    expect(WINDOWS_LISTENERS_SCRIPT).toContain('Get-NetTCPConnection -State Listen');
    expect(WINDOWS_LISTENERS_SCRIPT).toContain('Get-NetUDPEndpoint');
    expect(WINDOWS_LISTENERS_SCRIPT).toContain('Get-Process -Id $ids');
    // Enums as strings and always an array, even with one item (PowerShell 5.1 unwraps otherwise).
    expect(WINDOWS_LISTENERS_SCRIPT).toContain('State = [string]$_.State');
    expect(WINDOWS_LISTENERS_SCRIPT.match(/ConvertTo-Json -InputObject @\(\$\w+\)/g)).toHaveLength(
      4,
    );
    expect(WINDOWS_LISTENERS_SCRIPT).toContain('[System.Text.Encoding]::UTF8');
    expect(WINDOWS_LISTENERS_SCRIPT).not.toMatch(/netstat/i);
  });

  it('parses arrays: TCP and UDP sockets with program, path and hosted services', () => {
    const result = parseWindowsListeners(fixture('listeners-arrays.txt'));
    expect(result.platform).toBe('win32');
    expect(result.complete).toBe(true);
    expect(result.listeners).toHaveLength(10);
    const find = (protocol: string, port: number, address?: string) =>
      result.listeners.find(
        (l) => l.protocol === protocol && l.port === port && (!address || l.address === address),
      );
    expect(find('tcp', 445, '::')?.program).toEqual({ pid: 4, name: 'System', session: 0 });
    expect(find('tcp', 3389)?.program).toEqual({
      pid: 1044,
      name: 'svchost.exe',
      path: 'C:\\WINDOWS\\system32\\svchost.exe',
      services: ['TermService'],
      session: 0,
    });
    expect(find('tcp', 135)?.program?.services).toEqual(['RpcEptMapper', 'RpcSs']);
    expect(find('tcp', 4444)?.address).toBe('127.0.0.1');
    expect(find('tcp', 4444)?.program?.path).toBe(
      'C:\\Users\\Séverine\\AppData\\Roaming\\upd\\update.exe',
    );
    expect(find('tcp', 4444)?.program?.name).toBe('update.exe');
    expect(find('tcp', 4444)?.program?.session).toBe(1);
    // A protected process's path is not readable without elevation: Path comes back empty.
    expect(find('tcp', 49668)?.program).toEqual({ pid: 720, name: 'lsass.exe', session: 0 });
    expect(find('udp', 5355)?.program?.services).toEqual(['Dnscache']);
    expect(find('udp', 137)?.address).toBe('192.168.1.20');
  });

  it('parses arrays of one, a UTF-8 BOM, CRLF and an empty list', () => {
    const result = parseWindowsListeners(fixture('listeners-single.txt'));
    expect(result.listeners).toEqual([
      {
        protocol: 'tcp',
        address: '0.0.0.0',
        port: 5900,
        program: { pid: 3100, name: 'tvnserver.exe', services: ['tvnserver'], session: 0 },
      },
    ]);
    expect(result.complete).toBe(true);
  });

  it('reads a lone object and the {value, Count} wrapper the same (shapes our script does not print)', () => {
    // -InputObject @($x) always prints an array; these are what 5.1 makes of a piped single item
    // and of an array wrapped in a PSObject, kept readable should a later script print them.
    const result = parseWindowsListeners(
      [
        '{"LocalAddress":"0.0.0.0","LocalPort":5900,"OwningProcess":3100,"State":"Listen"}',
        '',
        '{"value":[{"Id":3100,"ProcessName":"tvnserver","Path":"","SessionId":0}],"Count":1}',
        '{"Name":"tvnserver","ProcessId":3100}',
      ].join('\r\n'),
    );
    expect(result.listeners).toEqual([
      {
        protocol: 'tcp',
        address: '0.0.0.0',
        port: 5900,
        program: { pid: 3100, name: 'tvnserver.exe', services: ['tvnserver'], session: 0 },
      },
    ]);
  });

  it('keeps the sockets of a program that exited before Get-Process read it, and reports itself incomplete', () => {
    const result = parseWindowsListeners(fixture('listeners-missing.txt'));
    expect(result.listeners).toEqual([
      { protocol: 'tcp', address: '0.0.0.0', port: 8080 },
      {
        protocol: 'tcp',
        address: '0.0.0.0',
        port: 7680,
        program: {
          pid: 6204,
          name: 'svchost.exe',
          path: 'C:\\WINDOWS\\system32\\svchost.exe',
          services: ['DoSvc'],
          session: 0,
        },
      },
      { protocol: 'udp', address: '::', port: 5353 },
    ]);
    expect(result.complete).toBe(false);
  });

  it('drops a TCP row in another state than Listen (defensive: -State Listen returns none)', () => {
    const result = parseWindowsListeners(
      [
        '[{"LocalAddress":"0.0.0.0","LocalPort":135,"OwningProcess":4,"State":"Listen"},{"LocalAddress":"0.0.0.0","LocalPort":9000,"OwningProcess":4,"State":"Bound"}]',
        '[]',
        '[]',
        '[]',
      ].join('\r\n'),
    );
    expect(result.listeners.map((l) => l.port)).toEqual([135]);
  });

  it('turns a PowerShell failure into a bilingual error', async () => {
    const failing = async () => ({
      stdout: '',
      stderr: 'Get-NetTCPConnection : Access denied',
      exitCode: 1,
    });
    const error = await listListeners('win32', failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppFailure);
    expect((error as AppFailure).appError.code).toBe('system.listeners-failed');
    expect((error as AppFailure).appError.message.fr).toMatch(/Impossible de lister/);
    expect((error as AppFailure).appError.message.en).toMatch(/Access denied/);

    const garbage = async () => ({ stdout: '{not json', stderr: '', exitCode: 0 });
    const parseError = await listListeners('win32', garbage).catch((e: unknown) => e);
    expect((parseError as AppFailure).appError.code).toBe('system.listeners-failed');
  });

  it('hands the exact argv to the runner', async () => {
    const seen: Array<{ file: string; args: string[] }> = [];
    const runner = async (spec: { file: string; args: string[] }) => {
      seen.push(spec);
      return { stdout: fixture('listeners-arrays.txt'), stderr: '', exitCode: 0 };
    };
    const result = await listListeners('win32', runner);
    expect(seen).toEqual([windowsListenersCommand()]);
    expect(result.listeners.length).toBe(10);
  });
});
