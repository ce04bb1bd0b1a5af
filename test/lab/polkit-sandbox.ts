import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMountSandbox, type MountSandbox } from './mount-sandbox.js';
import { run } from './netns.js';

/**
 * The path a normal Linux user takes, for real: a test user, a private mount namespace holding a
 * system D-Bus, a real polkitd, Port Auditor's helper installed by scripts/install-helper.ts (as
 * the .deb would), and a polkit rule of the test's granting that user the app's actions without a
 * password. pkexec (setuid root, Debian's) then does what it does on a desktop: clean environment,
 * PATH reset, the helper run as root.
 *
 * Nothing of it leaks out: the bus socket, the polkit policy and rules, /usr/lib/port-auditor and
 * /var/lib/port-auditor are tmpfs mounts that exist only in the sandbox's mount namespace (slave
 * propagation, so namespaces the test creates later still reach it). Processes are started in it
 * with nsenter. close() kills polkitd and the bus, lets the namespace die with its holder, removes
 * the mount points this test had to create, and deletes the user. Root only.
 */

/** Folders the sandbox covers with tmpfs (see mount-sandbox.ts). */
const PRIVATE_DIRS = [
  '/run/dbus',
  '/etc/polkit-1/rules.d',
  '/usr/share/polkit-1/actions',
  '/usr/lib/port-auditor',
  '/var/lib/port-auditor',
];
/** Copied into their tmpfs, so the system's own policies stay visible to polkitd. */
const KEEP_CONTENT = new Set(['/etc/polkit-1/rules.d', '/usr/share/polkit-1/actions']);
const DELAY_FILE = '/etc/polkit-1/rules.d/pa-test-delay';

export interface TestUser {
  name: string;
  uid: number;
  gid: number;
  /** A home folder of its own, in /tmp (the account has none). */
  home: string;
}

export interface PolkitSandbox {
  user: TestUser;
  /** argv that runs `argv` in the sandbox as root (for installs, inspection). */
  asRoot(argv: readonly string[]): string[];
  /**
   * argv that runs `argv` in the sandbox as the test user, with only the given environment (plus
   * PATH, HOME, LANG), optionally inside a network namespace.
   */
  asUser(
    argv: readonly string[],
    options?: { netns?: string; env?: Record<string, string> },
  ): string[];
  /** Seconds polkit waits before answering (the user reading the prompt); 0 by default. */
  setPromptDelay(seconds: number): Promise<void>;
  /** Makes polkit refuse the test user (as when the administrator password is wrong). */
  setRefused(refused: boolean): Promise<void>;
  close(): Promise<void>;
}

const RULE = (
  user: string,
) => `// Port Auditor tests: grant the test user the app's actions; a change may first wait (the
// user reading the prompt) or be refused (a wrong password).
polkit.addRule(function (action, subject) {
  if (action.id.indexOf("org.portauditor.") !== 0 || subject.user !== "${user}") return undefined;
  if (action.id === "org.portauditor.firewall") {
    var delay = "0";
    try {
      delay = polkit.spawn(["/bin/cat", "${DELAY_FILE}"]).trim();
    } catch (e) {}
    if (delay === "refuse") return polkit.Result.NO;
    if (delay !== "0") polkit.spawn(["/bin/sleep", delay]);
  }
  return polkit.Result.YES;
});
`;

async function waitFor(check: () => Promise<boolean>, what: string, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`polkit sandbox: ${what} did not become ready`);
}

async function createUser(): Promise<TestUser> {
  const name = `pa-u${process.pid}`;
  await run('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', '--user-group', name]);
  const uid = Number((await run('id', ['-u', name])).stdout.trim());
  const gid = Number((await run('id', ['-g', name])).stdout.trim());
  const home = mkdtempSync(path.join(tmpdir(), `${name}-home-`));
  await run('chown', [`${uid}:${gid}`, home]);
  return { name, uid, gid, home };
}

/**
 * Starts the sandbox with `helperBundle` (a build of dist/main/firewall-helper.mjs) installed;
 * the caller must close() it (also on failure).
 */
export async function startPolkitSandbox(helperBundle: string): Promise<PolkitSandbox> {
  const user = await createUser();
  const children: ChildProcess[] = [];
  let mounts: MountSandbox | null = null;
  const close = async () => {
    for (const child of children) child.kill('SIGKILL');
    if (mounts) {
      const [file, ...args] = mounts.enter([
        '/bin/sh',
        '-c',
        'kill $(cat /run/dbus/pid) 2>/dev/null || true',
      ]);
      await run(file as string, args).catch(() => undefined);
      await mounts.close();
    }
    await run('userdel', [user.name]).catch(() => undefined);
    await run('groupdel', [user.name]).catch(() => undefined);
    rmSync(user.home, { recursive: true, force: true });
  };
  try {
    mounts = await startMountSandbox(PRIVATE_DIRS, KEEP_CONTENT);
    const sandbox = mounts;
    const exec = (argv: readonly string[], input?: string) => {
      const [file, ...args] = sandbox.enter(argv);
      return run(file as string, args, input === undefined ? {} : { input });
    };
    await exec(['/bin/sh', '-c', `cat > ${DELAY_FILE}`], '0');
    await exec(['/bin/sh', '-c', 'cat > /etc/polkit-1/rules.d/10-pa-test.rules'], RULE(user.name));
    await exec([
      process.execPath,
      '--import',
      'tsx',
      'scripts/install-helper.ts',
      '--bundle',
      helperBundle,
    ]);
    await exec(['dbus-daemon', '--system', '--fork']);
    const [file, ...args] = sandbox.enter(['/usr/lib/polkit-1/polkitd', '--no-debug']);
    children.push(spawn(file as string, args, { stdio: 'ignore' }));
    await waitFor(async () => {
      const reply = await exec([
        'dbus-send',
        '--system',
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/',
        'org.freedesktop.DBus.NameHasOwner',
        'string:org.freedesktop.PolicyKit1',
      ]).catch(() => ({ stdout: '' }));
      return reply.stdout.includes('boolean true');
    }, 'polkitd on the system bus');
  } catch (error) {
    await close();
    throw error;
  }
  const enter = (mounts as MountSandbox).enter;

  const writeDelay = async (value: string) => {
    const [file, ...args] = enter(['/bin/sh', '-c', `cat > ${DELAY_FILE}`]);
    await run(file as string, args, { input: value });
  };

  return {
    user,
    asRoot: enter,
    asUser(argv, options = {}) {
      const env = {
        PATH: '/usr/local/bin:/usr/bin:/bin',
        HOME: user.home,
        LANG: 'en_US.UTF-8',
        ...options.env,
      };
      return enter([
        ...(options.netns ? ['ip', 'netns', 'exec', options.netns] : []),
        'setpriv',
        `--reuid=${user.uid}`,
        `--regid=${user.gid}`,
        '--init-groups',
        '--',
        'env',
        '-i',
        ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
        ...argv,
      ]);
    },
    setPromptDelay: (seconds) => writeDelay(String(seconds)),
    setRefused: (refused) => writeDelay(refused ? 'refuse' : '0'),
    close,
  };
}
