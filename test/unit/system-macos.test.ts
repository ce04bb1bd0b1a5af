import { describe, expect, it } from 'vitest';
import { listListeners } from '../../app/system/listeners.js';
import {
  macosListenersCommand,
  macosPathsCommand,
  parseLsof,
  parsePsPaths,
} from '../../app/system/macos.js';

// As `lsof -nP -iTCP -sTCP:LISTEN -iUDP -F pcftPnT` prints it on macOS (one field per line).
const LSOF = [
  'p1',
  'claunchd',
  'f5',
  'tIPv6',
  'PTCP',
  'n*:22',
  'TST=LISTEN',
  'TQR=0',
  'TQS=0',
  'f6',
  'tIPv4',
  'PTCP',
  'n*:22',
  'TST=LISTEN',
  'p412',
  'cmDNSResponder',
  'f8',
  'tIPv4',
  'PUDP',
  'n*:5353',
  'f9',
  'tIPv6',
  'PUDP',
  'n*:5353',
  'p633',
  'cControlCe',
  'f10',
  'tIPv4',
  'PTCP',
  'n127.0.0.1:7000',
  'TST=LISTEN',
  'f11',
  'tIPv6',
  'PTCP',
  'n[::1]:7000',
  'TST=LISTEN',
  'f12',
  'tIPv6',
  'PUDP',
  'n[fe80:4::1]:50000->[fe80:4::2]:443',
  '',
].join('\n');

const PS =
  '    1 /sbin/launchd\n  412 /usr/sbin/mDNSResponder\n  633 /System/Library/CoreServices/ControlCenter.app/Contents/MacOS/ControlCenter\n';

describe('macOS listeners (lsof -F)', () => {
  it('uses lsof field output, never a shell', () => {
    expect(macosListenersCommand()).toEqual({
      file: 'lsof',
      args: ['-nP', '-iTCP', '-sTCP:LISTEN', '-iUDP', '-F', 'pcftPnT'],
    });
    expect(macosPathsCommand([1, 412])).toEqual({
      file: 'ps',
      args: ['-o', 'pid=,comm=', '-p', '1,412'],
    });
  });

  it('parses processes, families, wildcards, loopback binds, and skips connected sockets', () => {
    const listeners = parseLsof(LSOF);
    expect(listeners).toEqual([
      { protocol: 'tcp', address: '::', port: 22, program: { pid: 1, name: 'launchd' } },
      { protocol: 'tcp', address: '0.0.0.0', port: 22, program: { pid: 1, name: 'launchd' } },
      {
        protocol: 'udp',
        address: '0.0.0.0',
        port: 5353,
        program: { pid: 412, name: 'mDNSResponder' },
      },
      { protocol: 'udp', address: '::', port: 5353, program: { pid: 412, name: 'mDNSResponder' } },
      {
        protocol: 'tcp',
        address: '127.0.0.1',
        port: 7000,
        program: { pid: 633, name: 'ControlCe' },
      },
      { protocol: 'tcp', address: '::1', port: 7000, program: { pid: 633, name: 'ControlCe' } },
    ]);
  });

  it('adds executable paths from ps, and treats lsof exit 1 with no output as "nothing listens"', async () => {
    expect(parsePsPaths(PS).get(412)).toBe('/usr/sbin/mDNSResponder');
    const calls: string[] = [];
    const runner = async (spec: { file: string; args: string[] }) => {
      calls.push(spec.file);
      return spec.file === 'lsof'
        ? { stdout: LSOF, stderr: '', exitCode: 0 }
        : { stdout: PS, stderr: '', exitCode: 0 };
    };
    const result = await listListeners('darwin', runner);
    expect(calls).toEqual(['lsof', 'ps']);
    expect(result.complete).toBe(true);
    expect(result.listeners.find((l) => l.port === 7000)?.program?.path).toBe(
      '/System/Library/CoreServices/ControlCenter.app/Contents/MacOS/ControlCenter',
    );
    const empty = await listListeners(
      'darwin',
      async () => ({ stdout: '', stderr: '', exitCode: 1 }),
      false,
    );
    // Whether this process is root travels with the result: no advice to elevate to root.
    expect(empty).toEqual({ platform: 'darwin', listeners: [], complete: true, elevated: false });
    expect((await listListeners('darwin', runner, true)).elevated).toBe(true);
  });
});
