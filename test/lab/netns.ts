import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Generic helpers for tests that build real networks out of Linux network namespaces (root only).
 * Every command runs through execFile with an argv array. Names must be unique per test run: put the
 * area and the pid in them (`uniqueName('fw', 'a')` → `pa-fw-1234-a`), because several test files and
 * several engineers share the machine. Interface names are limited to 15 bytes by the kernel.
 */

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command and rejects with its stderr when it exits non-zero. */
export async function run(
  file: string,
  args: readonly string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  if (options.input === undefined) {
    const { stdout, stderr } = await execFileAsync(file, [...args], {
      timeout: options.timeoutMs ?? 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr };
  }
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else
        reject(
          new Error(
            `${file} ${args.join(' ')} exited ${code ?? signal}: ${stderr.trim() || stdout.trim()}`,
          ),
        );
    });
    child.stdin.end(options.input);
  });
}

/** `pa-<area>-<pid>-<suffix>`, short enough to double as an interface name prefix. */
export function uniqueName(area: string, suffix: string): string {
  return `pa-${area}-${process.pid}-${suffix}`;
}

/** True when this process may create namespaces (root with iproute2 present). */
export function canCreateNamespaces(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export async function createNamespace(name: string): Promise<void> {
  await run('ip', ['netns', 'add', name]);
  await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
}

/** Deletes a namespace; never throws (for finally/afterAll), returns whether it existed. */
export async function deleteNamespace(name: string): Promise<boolean> {
  try {
    await run('ip', ['netns', 'del', name]);
    return true;
  } catch {
    return false;
  }
}

export async function listNamespaces(): Promise<string[]> {
  const { stdout } = await run('ip', ['netns', 'list']);
  return stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.length > 0);
}

/** `ip` in a namespace, or in the root namespace when `ns` is undefined. */
export async function ip(ns: string | undefined, args: readonly string[]): Promise<RunResult> {
  return run('ip', ns === undefined ? args : ['-n', ns, ...args]);
}

/** Runs a command inside a namespace and waits for it. */
export async function execIn(
  ns: string,
  file: string,
  args: readonly string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return run('ip', ['netns', 'exec', ns, file, ...args], options);
}

/** Starts a long-running command inside a namespace; the caller kills it (see `killChild`). */
export function spawnIn(
  ns: string,
  file: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, file, ...args], { stdio: 'pipe', ...options });
}

/** Kills a child and waits for it to exit; never throws. */
export async function killChild(child: ChildProcess, timeoutMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      child.kill('SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** A bridge inside `ns` (or the root namespace), brought up. */
export async function createBridge(ns: string | undefined, name: string): Promise<void> {
  await ip(ns, ['link', 'add', name, 'type', 'bridge']);
  await ip(ns, ['link', 'set', name, 'up']);
}

/**
 * A veth pair whose first end goes to `ns` (renamed `ifName`) and whose peer goes to `peerNs`
 * (renamed `peerIfName`), optionally enslaved to a bridge there. Both ends are brought up.
 */
export async function createVeth(options: {
  ns: string;
  ifName: string;
  peerNs: string;
  peerIfName: string;
  peerBridge?: string;
}): Promise<void> {
  const tmpA = `vta${process.pid % 100000}${Math.floor(Math.random() * 1e4)}`.slice(0, 15);
  const tmpB = `vtb${process.pid % 100000}${Math.floor(Math.random() * 1e4)}`.slice(0, 15);
  await run('ip', ['link', 'add', tmpA, 'type', 'veth', 'peer', 'name', tmpB]);
  try {
    await run('ip', ['link', 'set', tmpA, 'netns', options.ns, 'name', options.ifName]);
    await run('ip', ['link', 'set', tmpB, 'netns', options.peerNs, 'name', options.peerIfName]);
  } catch (error) {
    await run('ip', ['link', 'del', tmpA]).catch(() => undefined);
    throw error;
  }
  await ip(options.ns, ['link', 'set', options.ifName, 'up']);
  if (options.peerBridge !== undefined) {
    await ip(options.peerNs, ['link', 'set', options.peerIfName, 'master', options.peerBridge]);
  }
  await ip(options.peerNs, ['link', 'set', options.peerIfName, 'up']);
}

/** A dummy interface (handy to give a namespace a non-loopback address without a peer). */
export async function createDummy(ns: string, ifName: string): Promise<void> {
  await ip(ns, ['link', 'add', ifName, 'type', 'dummy']);
  await ip(ns, ['link', 'set', ifName, 'up']);
}

/** Adds addresses (`10.77.1.2/24`, `fd77::2/64`) to an interface; IPv6 without DAD so it is usable at once. */
export async function addAddresses(
  ns: string,
  ifName: string,
  cidrs: readonly string[],
): Promise<void> {
  for (const cidr of cidrs) {
    const args = ['addr', 'add', cidr, 'dev', ifName];
    if (cidr.includes(':')) args.push('nodad');
    await ip(ns, args);
  }
}

export async function addRoute(ns: string, args: readonly string[]): Promise<void> {
  await ip(ns, ['route', 'add', ...args]);
}

/** Loads an nft ruleset (text, as in `nft -f`) inside a namespace, from stdin so nothing is re-parsed by a shell. */
export async function loadNft(ns: string, ruleset: string): Promise<void> {
  await execIn(ns, 'nft', ['-f', '-'], { input: ruleset });
}

/** Sets a sysctl inside a namespace (`net.ipv4.ip_forward`, `1`). */
export async function sysctl(ns: string, key: string, value: string): Promise<void> {
  await execIn(ns, 'sysctl', ['-q', '-w', `${key}=${value}`]);
}

/**
 * Tracks what a test created and removes all of it, in reverse order, never throwing: children are
 * killed, then namespaces deleted (which deletes their interfaces, addresses and nft tables), then
 * root-namespace links removed.
 */
export class NetnsLab {
  private readonly namespaces: string[] = [];
  private readonly rootLinks: string[] = [];
  private readonly children: ChildProcess[] = [];
  private readonly cleanups: (() => Promise<void> | void)[] = [];

  async namespace(name: string): Promise<string> {
    this.namespaces.push(name);
    await createNamespace(name);
    return name;
  }

  rootLink(name: string): void {
    this.rootLinks.push(name);
  }

  spawn(
    ns: string,
    file: string,
    args: readonly string[],
    options: SpawnOptions = {},
  ): ChildProcess {
    const child = spawnIn(ns, file, args, options);
    this.children.push(child);
    return child;
  }

  onTeardown(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup);
  }

  /** Removes everything; safe to call twice and after a partial setup. */
  async teardown(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch {
        // teardown never throws: the next steps must still run
      }
    }
    await Promise.all(this.children.splice(0).map((child) => killChild(child)));
    for (const ns of this.namespaces.splice(0).reverse()) await deleteNamespace(ns);
    for (const link of this.rootLinks.splice(0).reverse()) {
      await run('ip', ['link', 'del', link]).catch(() => undefined);
    }
  }
}
