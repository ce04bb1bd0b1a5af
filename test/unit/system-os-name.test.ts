import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { osName, prettyNameFromOsRelease } from '../../app/system/os-name.js';

// os-release files as distributions ship them (os-release(5)).
const DEBIAN = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
ID=debian
`;
const FEDORA = `NAME="Fedora Linux"
VERSION="40 (Workstation Edition)"
ID=fedora
# A comment PRETTY_NAME="not this"
PRETTY_NAME='Fedora Linux 40 (Workstation Edition)'
`;
const ESCAPED = 'PRETTY_NAME="My \\"Own\\" Linux \\\\ 1"\n';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pa-os-name-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the OS name Settings shows', () => {
  it('reads PRETTY_NAME, quoted either way, escapes undone, comments skipped', () => {
    expect(prettyNameFromOsRelease(DEBIAN)).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(prettyNameFromOsRelease(FEDORA)).toBe('Fedora Linux 40 (Workstation Edition)');
    expect(prettyNameFromOsRelease(ESCAPED)).toBe('My "Own" Linux \\ 1');
    expect(prettyNameFromOsRelease('PRETTY_NAME=Arch\n')).toBe('Arch');
    expect(prettyNameFromOsRelease('NAME=x\nPRETTY_NAME=""\n')).toBeNull();
    expect(prettyNameFromOsRelease('PRETTY_NAME="A\u0007\u202eB"')).toBe('AB');
  });

  it('on Linux: /etc/os-release, else the vendor copy, else the kernel (never "linux" alone)', async () => {
    const etc = path.join(dir, 'etc-os-release');
    const usr = path.join(dir, 'usr-os-release');
    writeFileSync(usr, FEDORA);
    expect(await osName('linux', [etc, usr])).toBe('Fedora Linux 40 (Workstation Edition)');
    writeFileSync(etc, DEBIAN);
    expect(await osName('linux', [etc, usr])).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(await osName('linux', [path.join(dir, 'none')])).toBe(`Linux ${os.release()}`);
  });

  it('this machine: its own os-release’s PRETTY_NAME', async () => {
    const line = readFileSync('/etc/os-release', 'utf8');
    const expected = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(line)?.[1];
    expect(expected).toBeTruthy();
    expect(await osName('linux')).toBe(expected);
  });
});
