import { cpSync, mkdtempSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../app/system/command.js';
import { listListeners } from '../../app/system/listeners.js';
import { system32Program } from '../../app/system/windows-paths.js';
import { record, requireLiveWindows } from './support.js';

/** What the app reads of this PC on a real Windows. */
beforeAll(() => requireLiveWindows());

describe('this PC on a real Windows', () => {
  it('finds a node listening from a folder with accents, with its program path', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'Données été '));
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

  it('records arp -a and Get-NetNeighbor as they are here', async () => {
    const arp = await runCommand({ file: system32Program('ARP.EXE'), args: ['-a'] });
    record('arp-a', arp);
    expect(arp.exitCode).toBe(0);
  });
});
