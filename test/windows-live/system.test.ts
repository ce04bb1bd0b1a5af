import { cpSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNeighbourTable, WINDOWS_NEIGHBOURS_SCRIPT } from '../../app/scan/neighbours.js';
import { parseTargets } from '../../app/scan/targets.js';
import { readAdapters } from '../../app/system/adapters.js';
import { runCommand } from '../../app/system/command.js';
import { listListeners } from '../../app/system/listeners.js';
import {
  minimalWindowsEnv,
  powershellArgv,
  system32Program,
} from '../../app/system/windows-paths.js';
import { liveTempDir, record, requireLiveWindows } from './support.js';

/** What the app reads of this PC on a real Windows. */
beforeAll(() => requireLiveWindows());

/**
 * The IPv4 default route's next hop (the lowest metric), pinged once; prints
 * `{"Gateway":"…","Answered":true|false}`. Test-Connection in 5.1 goes through Win32_PingStatus.
 */
const PING_GATEWAY_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
  "Import-Module (Join-Path $PSHOME 'Modules\\NetTCPIP\\NetTCPIP.psd1')",
  "$route = @(NetTCPIP\\Get-NetRoute -AddressFamily IPv4 -DestinationPrefix '0.0.0.0/0' | Sort-Object -Property RouteMetric)[0]",
  '$hop = [string]$route.NextHop',
  '$answered = [bool](Microsoft.PowerShell.Management\\Test-Connection -ComputerName $hop -Count 1 -Quiet -ErrorAction SilentlyContinue)',
  'ConvertTo-Json -InputObject ([pscustomobject]@{ Gateway = $hop; Answered = $answered }) -Compress',
].join('\n');

describe('this PC on a real Windows', () => {
  it('finds a node listening from a folder with accents, with its program path', async () => {
    const dir = liveTempDir('Données été ');
    const node = path.join(dir, 'node.exe');
    cpSync(process.execPath, node);
    const child = spawn(node, [
      '-e',
      "require('net').createServer().listen(47125, '0.0.0.0', () => console.log('ready'))",
    ]);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    try {
      const result = await listListeners('win32');
      record('listeners', result);
      const mine = result.listeners.find((l) => l.port === 47125 && l.protocol === 'tcp');
      expect(mine?.program?.path?.toLowerCase()).toBe(node.toLowerCase());
    } finally {
      child.kill();
    }
  });

  it('records arp -a and Get-NetNeighbor, and reads the default gateway as confirmed up right after a ping', async () => {
    // A ping to the gateway resolves its MAC address, so its neighbour entry is Reachable for the
    // next 15-45 s (ReachableTime), whether or not it answers the ping itself (some cloud
    // gateways do not): the table is read at once after.
    const [pingFile, ...pingArgs] = powershellArgv(PING_GATEWAY_SCRIPT);
    const ping = await runCommand({
      file: pingFile as string,
      args: pingArgs,
      env: minimalWindowsEnv(),
    });
    record('ping-gateway', ping);
    expect(ping.exitCode).toBe(0);
    const gateway = (
      JSON.parse(ping.stdout.replace(/^\uFEFF/, '')) as { Gateway: string; Answered: boolean }
    ).Gateway;
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const table = await readNeighbourTable('win32');
    record('neighbour-table', Object.fromEntries(table));
    expect(table.get(gateway)?.state).toBe('confirmed');
    const arp = await runCommand({ file: system32Program('ARP.EXE'), args: ['-a'] });
    record('arp-a', arp);
    expect(arp.exitCode).toBe(0);
    const [file, ...args] = powershellArgv(WINDOWS_NEIGHBOURS_SCRIPT);
    const raw = await runCommand({ file: file as string, args, env: minimalWindowsEnv() });
    record('get-netneighbor', raw);
    expect(raw.exitCode).toBe(0);
  });

  it('names the adapter with the default gateway, and leaves virtual switches out', async () => {
    const adapters = await readAdapters(Object.keys(networkInterfaces()), 'win32');
    record('adapters', adapters);
    expect(adapters?.some((a) => a.gateway && a.kind === 'physical')).toBe(true);
    const set = await parseTargets('local-network', { adapters, includeAdapters: [] });
    record('local-network', { count: set.count, leftOut: set.leftOut, notes: set.notes });
    expect(set.count).toBeGreaterThan(0);
  });

  it('this PC’s link-local IPv6 addresses carry the interface number as their zone', async () => {
    const set = await parseTargets('this-pc');
    record('this-pc-zones', set.zones);
    for (const zone of Object.values(set.zones)) expect(zone).toMatch(/^\d+$/);
  });
});
