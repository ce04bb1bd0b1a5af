import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** System folders the firewall code writes as root: a sandbox covers them so tests never do. */
export const FIREWALL_SYSTEM_DIRS = ['/var/lib/port-auditor'];

export interface MountSandbox {
  /** The process holding the mount namespace. */
  pid: number;
  /** argv that runs `argv` in the sandbox's mount namespace (as root, cwd = the checkout). */
  enter(argv: readonly string[]): string[];
  close(): Promise<void>;
}

/**
 * A private mount namespace in which each of `dirs` is an empty tmpfs (or, for `keep` dirs, a
 * tmpfs holding a copy of what the folder held), so tests can let root write system folders
 * (/var/lib/port-auditor, polkit's, the bus socket's) without touching the machine. Slave
 * propagation: network namespaces created later in the parent still appear inside. Mount points
 * that do not exist are created (empty, root's) and left in place: removing one while another
 * sandbox (another test file, another engineer's run) has its tmpfs on it would detach that tmpfs
 * in its namespace (Linux lazily unmounts a mount point removed from another namespace), and its
 * installed helper would vanish mid-test. close() never throws.
 */
export async function startMountSandbox(
  dirs: readonly string[],
  keep: ReadonlySet<string> = new Set(),
): Promise<MountSandbox> {
  for (const dir of dirs) {
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o755 });
  }
  const setup = [
    'set -e',
    ...dirs.map((dir) =>
      keep.has(dir)
        ? `t=$(mktemp -d); cp -a ${dir}/. "$t"/; mount -t tmpfs -o mode=755 tmpfs ${dir}; cp -a "$t"/. ${dir}/; rm -rf "$t"`
        : `mount -t tmpfs -o mode=755 tmpfs ${dir}`,
    ),
    'echo ready',
    'exec sleep infinity',
  ].join('\n');
  const holder: ChildProcess = spawn(
    'unshare',
    ['--mount', '--propagation', 'slave', '--', '/bin/sh', '-c', setup],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const close = async () => {
    if (holder.exitCode === null && holder.signalCode === null) {
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGKILL');
      await exited;
    }
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let err = '';
      holder.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      holder.stdout?.once('data', () => resolve());
      holder.once('exit', (code) => reject(new Error(`mount sandbox exited ${code}: ${err}`)));
    });
  } catch (error) {
    await close();
    throw error;
  }
  const pid = holder.pid as number;
  return {
    pid,
    enter: (argv) => ['nsenter', '-t', String(pid), '-m', `--wd=${ROOT}`, '--', ...argv],
    close,
  };
}
