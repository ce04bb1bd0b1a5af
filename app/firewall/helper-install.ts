import { lstatSync, readdirSync, realpathSync, type Stats } from 'node:fs';
import path from 'node:path';
import { sentence, type Sentence } from '../text/sentence.js';

/**
 * Where the elevated helper lives on Linux. Root-owned, installed by the .deb or by
 * `sudo npm run install-helper` (scripts/install-helper.ts), never inside the app's own folder: a
 * checkout, ~/.local or an AppImage mount is writable by the user, and whatever root runs from
 * there any program of that user could change. The wrappers and the polkit policy under
 * assets/linux/ name these same paths (a unit test checks it). See docs/elevation.md.
 */
export const LINUX_HELPER = {
  dir: '/usr/lib/port-auditor',
  /** pkexec runs it for a change: polkit action org.portauditor.firewall (auth_admin_keep). */
  change: '/usr/lib/port-auditor/firewall-helper',
  /** pkexec runs it to read our rules back: org.portauditor.firewall.read (no prompt when active). */
  read: '/usr/lib/port-auditor/firewall-read',
  /** The self-contained helper bundle both wrappers run (no import from any node_modules). */
  bundle: '/usr/lib/port-auditor/firewall-helper.mjs',
  /** The Node.js runtime the wrappers exec: a root-owned node, linked or copied at install. */
  runtime: '/usr/lib/port-auditor/node',
  policy: '/usr/share/polkit-1/actions/org.portauditor.firewall.policy',
  /** The policy backup taken before the first change: root-only (0700). */
  backups: '/var/lib/port-auditor/backups',
  /** The app's rules, kept by root for the boot unit (nftables forgets its rules at reboot). */
  state: '/var/lib/port-auditor/rules.json',
  /** The boot unit that runs `firewall-helper restore` (installed where systemd runs). */
  unit: 'port-auditor-firewall.service',
  /** Where `sudo npm run install-helper` puts the unit, and where the .deb does. */
  unitFile: '/etc/systemd/system/port-auditor-firewall.service',
  packagedUnitFile: '/usr/lib/systemd/system/port-auditor-firewall.service',
  /** The link `systemctl enable` makes: present when the unit runs at boot. */
  unitWants: '/etc/systemd/system/multi-user.target.wants/port-auditor-firewall.service',
  /** The second link `systemctl enable` makes: nftables started after a stop starts the unit too. */
  unitWantsNftables: '/etc/systemd/system/nftables.service.wants/port-auditor-firewall.service',
} as const;

/** Whether the boot unit is enabled (its multi-user.target.wants link exists). */
export function bootUnitEnabled(fs: FsProbe = realFs): boolean {
  try {
    fs.realpath(LINUX_HELPER.unitWants);
    return true;
  } catch {
    return false;
  }
}

/** polkit action ids, as declared in assets/linux/org.portauditor.firewall.policy. */
export const POLKIT_ACTIONS = {
  change: 'org.portauditor.firewall',
  read: 'org.portauditor.firewall.read',
} as const;

/** pkexec by absolute path: a PATH set by another program must not choose who answers. */
export const PKEXEC_PATHS = ['/usr/bin/pkexec', '/bin/pkexec'] as const;

/** The name of the backup file, created once with exclusive create, never overwritten. */
export const BACKUP_FILE = { linux: 'before-first-change.nft', win32: 'before-first-change.wfw' };

export interface FsProbe {
  realpath(file: string): string;
  lstat(file: string): Pick<Stats, 'uid' | 'mode' | 'isFile' | 'isDirectory' | 'isSymbolicLink'>;
  /** The names in a folder (what the install checks walk). */
  readdir(dir: string): string[];
}

export const realFs: FsProbe = {
  realpath: (file) => realpathSync(file),
  lstat: (file) => lstatSync(file),
  readdir: (dir) => readdirSync(dir),
};

export interface PathProblem {
  /** True when the path does not exist at all (not installed), false when it exists but is unsafe. */
  missing: boolean;
  kind: 'missing' | 'unreadable' | 'not-root' | 'writable' | 'not-file' | 'outside';
  /** The offending path (the file, or a folder above it). */
  path: string;
}

/**
 * A path problem as a catalogue sentence (messages.json `helperPath.*`), written by the app where
 * shown (pathProblemText in helper-check.ts); the elevated helper sends it as is.
 */
export function pathProblemSentence(problem: Pick<PathProblem, 'kind' | 'path'>): Sentence {
  return sentence(`messages:helperPath.${problem.kind}`, { path: problem.path });
}

function problem(kind: PathProblem['kind'], path: string): PathProblem {
  return {
    missing: kind === 'missing',
    kind,
    path,
  };
}

/**
 * Why `file` could be changed by someone other than root, or null when it cannot: the file and
 * every directory above it (symbolic links resolved) must be owned by uid 0 and not writable by
 * group or others, and the file itself must be a regular file or a directory.
 */
export function rootOnlyProblem(file: string, fs: FsProbe = realFs): PathProblem | null {
  let real: string;
  try {
    real = fs.realpath(file);
  } catch {
    return problem('missing', file);
  }
  for (let p = real; ; p = path.dirname(p)) {
    // Resolved, so no link here: every entry is checked for its mode too.
    const found = entryProblem(p, fs);
    if (found) return found;
    const st = fs.lstat(p);
    if (p === real && !st.isFile() && !st.isDirectory()) return problem('not-file', p);
    if (p === path.dirname(p)) return null;
  }
}

/** Whether `file` is `dir` or inside it (both absolute, normalised). */
function inside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The problem of one entry: owned by root and, unless a link, writable by nobody else. */
function entryProblem(p: string, fs: FsProbe): PathProblem | null {
  let st: ReturnType<FsProbe['lstat']>;
  try {
    st = fs.lstat(p);
  } catch {
    return problem('unreadable', p);
  }
  return statsProblem(p, st);
}

function statsProblem(p: string, st: ReturnType<FsProbe['lstat']>): PathProblem | null {
  if (st.uid !== 0) return problem('not-root', p);
  if (!st.isSymbolicLink() && (st.mode & 0o022) !== 0) return problem('writable', p);
  return null;
}

/**
 * Why a file of a checkout that root installs or runs could have been changed by someone other
 * than root, or null: the checkout and every folder above it must be root's alone
 * (rootOnlyProblem); the file and every folder between it and the checkout must be too, both as
 * written and with links resolved; and the resolved file must stay inside the checkout (a link
 * out of it could lead anywhere a user can write).
 */
export function checkoutFileProblem(
  file: string,
  checkout: string,
  fs: FsProbe = realFs,
): PathProblem | null {
  const top = rootOnlyProblem(checkout, fs);
  if (top) return top;
  if (!inside(file, checkout)) return problem('outside', file);
  for (let p = file; p !== checkout && inside(p, checkout); p = path.dirname(p)) {
    const found = entryProblem(p, fs);
    if (found) return found.kind === 'unreadable' && p === file ? problem('missing', p) : found;
  }
  const realTop = fs.realpath(checkout);
  let real: string;
  try {
    real = fs.realpath(file);
  } catch {
    return problem('missing', file);
  }
  if (!inside(real, realTop)) return problem('outside', file);
  for (let p = real; p !== realTop; p = path.dirname(p)) {
    const found = entryProblem(p, fs);
    if (found) return found;
  }
  return null;
}

/**
 * Why a folder root runs code from (a checkout's node_modules, its scripts and app sources) could
 * have been changed by someone other than root, or null: the folder with links resolved and every
 * folder above it are root's alone, and so is every entry in it, at any depth. A link is followed
 * to a target that must be root's alone as well (and is walked in turn when it is a folder); with
 * `within`, a link must not lead out of that folder.
 */
export function treeProblem(
  dir: string,
  options: { within?: string } = {},
  fs: FsProbe = realFs,
): PathProblem | null {
  const top = rootOnlyProblem(dir, fs);
  if (top) return top;
  const seen = new Set<string>();
  const stack = [fs.realpath(dir)];
  while (stack.length > 0) {
    const folder = stack.pop() as string;
    if (seen.has(folder)) continue;
    seen.add(folder);
    let names: string[];
    try {
      names = fs.readdir(folder);
    } catch {
      return problem('unreadable', folder);
    }
    for (const name of names) {
      const entry = path.join(folder, name);
      let st: ReturnType<FsProbe['lstat']>;
      try {
        st = fs.lstat(entry);
      } catch (error) {
        // Gone since the folder was read (a tool's temporary file): nothing left to run.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        return problem('unreadable', entry);
      }
      const found = statsProblem(entry, st);
      if (found) return found;
      if (st.isDirectory()) {
        stack.push(entry);
      } else if (st.isSymbolicLink()) {
        let real: string;
        try {
          real = fs.realpath(entry);
        } catch {
          continue; // a dangling link leads nowhere: nothing to run
        }
        if (options.within && !inside(real, fs.realpath(options.within))) {
          return problem('outside', entry);
        }
        const target = rootOnlyProblem(real, fs);
        if (target) return target;
        if (fs.lstat(real).isDirectory()) stack.push(real);
      }
    }
  }
  return null;
}
