import type { Listener, ListenersResult, ProgramInfo } from '../contract/risk.js';
import type { Protocol } from '../contract/scan.js';
import type { CommandSpec } from './command.js';
import { minimalWindowsEnv, powershellArgv } from './windows-paths.js';

/**
 * Fixed script: nothing from the user is interpolated. Each collection goes out as one compressed
 * JSON line, wrapped with `-InputObject @(...)` so Windows PowerShell 5.1 emits an array even for a
 * single item, and enums are cast to strings so they do not come out as numbers.
 * Output is forced to UTF-8 so program paths with accents survive.
 */
export const WINDOWS_LISTENERS_SCRIPT = [
  "$ErrorActionPreference = 'SilentlyContinue'",
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
  "Import-Module (Join-Path $PSHOME 'Modules\\NetTCPIP\\NetTCPIP.psd1')",
  '$tcp = @(NetTCPIP\\Get-NetTCPConnection -State Listen | ForEach-Object { [pscustomobject]@{ LocalAddress = [string]$_.LocalAddress; LocalPort = [int]$_.LocalPort; OwningProcess = [int]$_.OwningProcess; State = [string]$_.State } })',
  '$udp = @(NetTCPIP\\Get-NetUDPEndpoint | ForEach-Object { [pscustomobject]@{ LocalAddress = [string]$_.LocalAddress; LocalPort = [int]$_.LocalPort; OwningProcess = [int]$_.OwningProcess } })',
  '$ids = @(@($tcp) + @($udp) | ForEach-Object { $_.OwningProcess } | Sort-Object -Unique)',
  '$procs = @(Microsoft.PowerShell.Management\\Get-Process -Id $ids | ForEach-Object { [pscustomobject]@{ Id = [int]$_.Id; ProcessName = [string]$_.ProcessName; Path = [string]$_.Path; SessionId = [int]$_.SessionId } })',
  "$svcs = @(CimCmdlets\\Get-CimInstance -ClassName Win32_Service -Filter 'ProcessId <> 0' | Where-Object { $ids -contains [int]$_.ProcessId } | ForEach-Object { [pscustomobject]@{ Name = [string]$_.Name; ProcessId = [int]$_.ProcessId } })",
  'ConvertTo-Json -InputObject @($tcp) -Compress -Depth 3',
  'ConvertTo-Json -InputObject @($udp) -Compress -Depth 3',
  'ConvertTo-Json -InputObject @($procs) -Compress -Depth 3',
  'ConvertTo-Json -InputObject @($svcs) -Compress -Depth 3',
].join('\n');

export function windowsListenersCommand(system32?: string): CommandSpec {
  const [file, ...args] = powershellArgv(WINDOWS_LISTENERS_SCRIPT, system32);
  return { file: file as string, args, env: minimalWindowsEnv(system32) };
}

type Row = Record<string, unknown>;

/**
 * PowerShell 5.1 may hand back an array, a lone object (when unwrapping happened anyway), the
 * `{ value: [...], Count: n }` shape of an array that carries extended properties, or nothing.
 */
function rowsOf(json: unknown): Row[] {
  if (json === null || json === undefined || json === '') return [];
  if (Array.isArray(json)) return json.filter((r): r is Row => typeof r === 'object' && r !== null);
  if (typeof json === 'object') {
    const obj = json as Row;
    if (Array.isArray(obj.value) && 'Count' in obj) return rowsOf(obj.value);
    return [obj];
  }
  return [];
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function parseLine(line: string | undefined): Row[] {
  const text = line?.replace(/^\uFEFF/, '').trim();
  if (!text) return [];
  return rowsOf(JSON.parse(text));
}

/** Parses the four JSON lines the script prints (TCP, UDP, processes, services). */
export function parseWindowsListeners(stdout: string): ListenersResult {
  // Positional: an empty line means that collection was empty or its command printed nothing.
  const lines = stdout.replace(/^\uFEFF/, '').split(/\r?\n/);
  const [tcpLine, udpLine, procLine, svcLine] = lines;
  const services = new Map<number, string[]>();
  for (const row of parseLine(svcLine)) {
    const pid = num(row.ProcessId);
    const name = str(row.Name);
    if (pid === undefined || !name) continue;
    services.set(pid, [...(services.get(pid) ?? []), name]);
  }
  const programs = new Map<number, ProgramInfo>();
  for (const row of parseLine(procLine)) {
    const pid = num(row.Id);
    if (pid === undefined) continue;
    const processName = str(row.ProcessName);
    const path = str(row.Path);
    // Get-Process gives "svchost" without extension; the path has the real file name.
    const name = path
      ? (path.split('\\').pop() ?? path)
      : processName
        ? withExe(processName)
        : `PID ${pid}`;
    const svc = services.get(pid);
    const session = num(row.SessionId);
    programs.set(pid, {
      pid,
      name,
      ...(path ? { path } : {}),
      ...(svc ? { services: svc.sort() } : {}),
      ...(session !== undefined ? { session } : {}),
    });
  }
  const listeners: Listener[] = [];
  const add = (rows: Row[], protocol: Protocol) => {
    for (const row of rows) {
      const address = str(row.LocalAddress);
      const port = num(row.LocalPort);
      if (!address || port === undefined || port > 65535) continue;
      if (protocol === 'tcp' && row.State !== undefined && row.State !== 'Listen') continue;
      const pid = num(row.OwningProcess);
      const program =
        pid === undefined ? undefined : (programs.get(pid) ?? knownPseudoProcess(pid));
      listeners.push({ protocol, address, port, ...(program ? { program } : {}) });
    }
  };
  const tcp = parseLine(tcpLine);
  add(tcp, 'tcp');
  add(parseLine(udpLine), 'udp');
  return {
    platform: 'win32',
    listeners,
    // Windows always listens on some TCP port (RPC 135, at least): none means the read failed,
    // not that nothing listens.
    complete: tcp.length > 0 && listeners.every((l) => l.program !== undefined),
  };
}

/** Process names Windows reports without a file: the kernel's own sockets (SMB, HTTP.sys) are PID 4. */
function withExe(processName: string): string {
  if (/^(system|idle|registry|secure system|memory compression)$/i.test(processName)) {
    return processName;
  }
  return /\.exe$/i.test(processName) ? processName : `${processName}.exe`;
}

function knownPseudoProcess(pid: number): ProgramInfo | undefined {
  if (pid === 4) return { pid, name: 'System', session: 0 };
  return undefined;
}
