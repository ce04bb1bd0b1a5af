import { readFile } from 'node:fs/promises';
import os from 'node:os';

/**
 * The value of `PRETTY_NAME` in an os-release file (os-release(5)): "Debian GNU/Linux 12
 * (bookworm)". Values may be quoted with " or ' and use shell escapes (\" \\ \$ \`); a line
 * starting with # is a comment. Null when the file has no non-empty PRETTY_NAME.
 */
export function prettyNameFromOsRelease(text: string): string | null {
  let found: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    const match = /^PRETTY_NAME=(.*)$/.exec(line);
    if (!match) continue;
    let value = match[1]!.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(["\\$`])/g, '$1');
    }
    // The last assignment wins, as when the file is sourced by a shell.
    found = value.trim();
  }
  // One line of plain text for the page: no control characters from a hand-edited file.
  const clean = found?.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 200) ?? '';
  return clean.length > 0 ? clean : null;
}

/** Where os-release(5) says the file is: /etc first, then the vendor's copy. */
const OS_RELEASE_FILES = ['/etc/os-release', '/usr/lib/os-release'];

/**
 * The operating system's name as its users know it, for Settings → About: on Linux the
 * distribution's PRETTY_NAME ("Debian GNU/Linux 12 (bookworm)") rather than the kernel's
 * version; on Windows its edition ("Windows 11 Pro", os.version()); on macOS "macOS" with the
 * Darwin release. Falls back to the kernel's name and release when nothing better can be read.
 * `files`: the os-release files to try, in order (tests give their own).
 */
export async function osName(
  platform: NodeJS.Platform = process.platform,
  files: readonly string[] = OS_RELEASE_FILES,
): Promise<string> {
  if (platform === 'linux') {
    for (const file of files) {
      const text = await readFile(file, 'utf8').catch(() => null);
      const name = text === null ? null : prettyNameFromOsRelease(text);
      if (name) return name;
    }
    return `Linux ${os.release()}`;
  }
  if (platform === 'win32') return os.version() || `Windows ${os.release()}`;
  if (platform === 'darwin') return `macOS (Darwin ${os.release()})`;
  return `${os.type()} ${os.release()}`;
}
