import { spawn } from 'node:child_process';
import { programFolder } from '../system/command.js';
import { minimalWindowsEnv } from '../system/windows-paths.js';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {
  BlockRequest,
  FirewallBackendKind,
  FirewallCommand,
  FirewallProfile,
} from '../contract/index.js';
import { validateBlockRequest, type PlannedRule } from './request.js';
import type { Sentence } from '../text/sentence.js';

/** One rule of the app as found in the firewall itself. */
export interface LiveRule {
  name: string;
  /** nft handle or the Windows rule's Name (a GUID for netsh-made rules). */
  ref: string;
  enabled: boolean;
  /**
   * What the rule blocks, read from the firewall (validated like a request), so a rule of ours that
   * the journal does not know (data folder deleted) can be listed and undone; null when unreadable.
   */
  details?: BlockRequest | null;
  /**
   * Inbound nftables rules: whether the rule also drops connections by the port a device
   * originally asked for after a DNAT or redirect (rules of earlier versions do not); absent
   * where it does not apply.
   */
  forwards?: boolean;
}

/** A port forward of the system's firewall (nft `dnat` or `redirect`), as read from its ruleset. */
export interface PortForward {
  protocol: 'tcp' | 'udp';
  /** The port a device asks for: `8080` or `8000-8010`. */
  port: string;
  /** Where it goes: `10.1.1.1:80`, `[fd00::2]:80`, or `:22` for a redirect to this PC. */
  to: string;
  kind: 'dnat' | 'redirect';
}

/** What else in the firewall could change what a rule of ours does (read with root's rights). */
export interface FirewallInspection {
  forwards: PortForward[];
  /** Chains that can send packets past the IP hooks (netdev ingress `fwd`/`dup`): `table/chain`. */
  bypasses: string[];
}

export interface BackendStatus {
  available: boolean;
  elevated: boolean;
  canRead: boolean;
  profiles: FirewallProfile[];
  /** What the user should know, written by the app where shown (the helper shares this code). */
  warnings: Sentence[];
  /** Windows: whether the firewall service (MpsSvc) runs; null where it does not apply or is unknown. */
  serviceRunning: boolean | null;
  /**
   * Windows: products registered as owning the firewall instead of Windows Firewall; null when
   * that list could not be read (then nobody can say there is none).
   */
  thirdParty?: string[] | null;
}

/**
 * One face for every firewall. Writes (`block`, `remove`, `backup`) need administrator/root rights
 * and are only called from the elevated helper; reads may run anywhere and say when they cannot.
 */
export interface FirewallBackend {
  readonly kind: FirewallBackendKind;
  /**
   * Whether list() reads what each rule blocks, so the helper can check an `unblock` against the
   * firewall before removing (nftables). The elevated Windows helper reads nothing with PowerShell
   * (see NetshBackend), so it removes by the generated name alone.
   */
  readonly readsContent: boolean;
  status(): Promise<BackendStatus>;
  /** The exact commands `block` runs for this rule, for the wizard and `--dry-run`. */
  preview(rule: PlannedRule): FirewallCommand[];
  block(rule: PlannedRule): Promise<{ ref: string }>;
  /**
   * Adds several rules in one change, all or none (nftables: one transaction), one `ref` per rule
   * in order; throws when any is refused, having added none. Absent where the firewall has no
   * such change (Windows: the helper adds them one by one).
   */
  blockAll?(rules: readonly PlannedRule[]): Promise<{ ref: string }[]>;
  /** Removes every rule with this generated name; succeeds when none is left. */
  remove(name: string): Promise<void>;
  /**
   * The app's rules present now; null when the firewall cannot be read by this process. With
   * `names`, only those rules are looked up (Windows: by name, however many other rules the PC
   * has); without, every rule named like ours.
   */
  list(names?: readonly string[]): Promise<LiveRule[] | null>;
  /** Saves the whole firewall policy to a file before the app's first change. */
  backup(path: string): Promise<void>;
  /** Port forwards and bypasses elsewhere in the firewall; null when not applicable or unreadable. */
  inspect?(): Promise<FirewallInspection | null>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type Runner = (
  argv: string[],
  options?: { stdin?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv },
) => Promise<RunResult>;

/**
 * Standard input as a file descriptor on a private temporary file: Node's 'pipe' is a Unix socket,
 * which `nft -f -` cannot open through /dev/stdin (ENXIO). The data stays data on stdin either way.
 */
async function stdinFile(data: string): Promise<{ fd: number; dispose(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pa-fw-stdin-'));
  const file = path.join(dir, 'stdin');
  await writeFile(file, data, { mode: 0o600 });
  const fd = openSync(file, 'r');
  return {
    fd,
    async dispose() {
      closeSync(fd);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** execFile with an argv array and optional stdin; a missing program is exit code 127, never a throw. */
export const runCommand: Runner = async (argv, options = {}) => {
  const input = options.stdin !== undefined ? await stdinFile(options.stdin) : null;
  try {
    return await spawnAndWait(argv, options, input?.fd ?? 'ignore');
  } finally {
    await input?.dispose();
  }
};

function spawnAndWait(
  argv: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv },
  stdin: number | 'ignore',
): Promise<RunResult> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    if (!file) {
      resolve({ code: 127, stdout: '', stderr: 'empty command' });
      return;
    }
    const cwd = programFolder(file);
    const child = spawn(file, args, {
      stdio: [stdin, 'pipe', 'pipe'],
      windowsHide: true,
      // On Windows the user's environment never reaches netsh or PowerShell (minimalWindowsEnv).
      env: options.env ?? (process.platform === 'win32' ? minimalWindowsEnv() : process.env),
      ...(cwd ? { cwd } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code: error.code === 'ENOENT' ? 127 : 126, stdout: '', stderr: error.message });
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** How a command looks to a user: arguments with spaces or quotes shown quoted. */
export function displayArgv(argv: string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/(["\\])/g, '\\$1')}"`))
    .join(' ');
}

/** A request as read back from a firewall, or null when it is not one the app could have written. */
export function readBackRequest(fields: {
  protocol: string;
  port: string;
  direction: string;
  remote: string[];
}): BlockRequest | null {
  try {
    return validateBlockRequest({ ...fields, remote: fields.remote.join(',') });
  } catch {
    return null;
  }
}
