/**
 * Mounts a test changes for one command only: a mount namespace of that command's own, with
 * private propagation, so nothing it mounts reaches the machine or any other process, and it all
 * goes when the command exits. Needs root (as every such test runs).
 */

/** `value` as one shell word, single-quoted (a `'` in it closed, escaped and reopened). */
function shellWord(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The argv that runs `argv` in a mount namespace of its own after the shell commands `setup`
 * (run by /bin/sh with `set -e`: a failing command stops the run before `argv` starts).
 */
export function afterMountSetup(setup: string, argv: readonly string[]): string[] {
  return [
    '/usr/bin/unshare',
    '--mount',
    '--propagation',
    'private',
    '--',
    '/bin/sh',
    '-c',
    `set -e; ${setup}; exec "$@"`,
    'sh',
    ...argv,
  ];
}

/**
 * Shell commands that make `target` (a folder or a file) a read-only bind mount of itself. Tests
 * run as root, which file modes do not stop; a read-only mount does (writes fail with EROFS), as
 * a user's read-only folder or file does.
 */
export function readOnlyBind(target: string): string {
  const word = shellWord(target);
  return `mount --bind ${word} ${word}; mount -o remount,bind,ro ${word}`;
}
