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
    expect(find('tcp', 445, '::')?.program).toEqual({ pid: 4, name: 'System' });
    expect(find('tcp', 3389)?.program).toEqual({
      pid: 1044,
      name: 'svchost.exe',
      path: 'C:\\Windows\\System32\\svchost.exe',
      services: ['TermService'],
    });
    expect(find('tcp', 135)?.program?.services).toEqual(['RpcEptMapper', 'RpcSs']);
    expect(find('tcp', 4444)?.address).toBe('127.0.0.1');
    expect(find('tcp', 4444)?.program?.path).toBe(
      'C:\\Users\\Séverine\\AppData\\Roaming\\upd\\update.exe',
    );
    expect(find('tcp', 4444)?.program?.name).toBe('update.exe');
    expect(find('tcp', 49668)?.program).toEqual({ pid: 720, name: 'lsass.exe' });
    expect(find('udp', 5355)?.program?.services).toEqual(['Dnscache']);
    expect(find('udp', 137)?.address).toBe('192.168.1.20');
  });

  it('parses a lone object, the {value, Count} wrapper, a UTF-8 BOM and an empty list', () => {
    const result = parseWindowsListeners(fixture('listeners-single.txt'));
    expect(result.listeners).toEqual([
      {
        protocol: 'tcp',
        address: '0.0.0.0',
        port: 5900,
        program: { pid: 3100, name: 'tvnserver.exe', services: ['tvnserver'] },
      },
    ]);
    expect(result.complete).toBe(true);
  });

  it('keeps sockets whose owner is missing, drops non-listening rows, and reports itself incomplete', () => {
    const result = parseWindowsListeners(fixture('listeners-missing.txt'));
    expect(result.listeners).toEqual([
      { protocol: 'tcp', address: '0.0.0.0', port: 8080 },
      { protocol: 'tcp', address: '0.0.0.0', port: 7680 },
      { protocol: 'udp', address: '::', port: 500 },
    ]);
    expect(result.complete).toBe(false);
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
