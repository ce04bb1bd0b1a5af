import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeWholeFile } from '../../main/cli/whole-file.js';

/** A report file written whole or not at all, in a temp folder of this test (real file system). */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `pa-whole-file-${process.pid}-`));
  dirs.push(dir);
  return dir;
}

describe('writeWholeFile', () => {
  it('writes the file through a partial file beside it, gone once renamed', async () => {
    const dir = tempDir();
    const partials: (string | undefined)[] = [];
    const out = path.join(dir, 'report.pdf');
    expect(
      await writeWholeFile(
        out,
        Buffer.from('%PDF-1'),
        () => false,
        (p) => partials.push(p),
      ),
    ).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('%PDF-1');
    expect(readdirSync(dir)).toEqual(['report.pdf']);
    expect(partials).toHaveLength(2);
    expect(path.dirname(partials[0]!)).toBe(dir);
    expect(path.basename(partials[0]!)).toMatch(/^\.report\.pdf\.[0-9a-f]{8}\.part$/);
    expect(partials[1]).toBeUndefined();
  });

  it('stopped once written: nothing left, a file already there untouched', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'report.csv');
    writeFileSync(out, 'before');
    expect(
      await writeWholeFile(
        out,
        Buffer.from('after'),
        () => true,
        () => undefined,
      ),
    ).toBe(false);
    expect(readFileSync(out, 'utf8')).toBe('before');
    expect(readdirSync(dir)).toEqual(['report.csv']);
  });

  it('replaces a file keeping its permissions, and writes through a symbolic link', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'mine.json');
    writeFileSync(out, 'old');
    chmodSync(out, 0o600);
    const link = path.join(dir, 'link.json');
    symlinkSync(out, link);
    expect(
      await writeWholeFile(
        link,
        Buffer.from('new'),
        () => false,
        () => undefined,
      ),
    ).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('new');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['link.json', 'mine.json']);
  });

  it('a file that is not a regular one (a device) is written in place', async () => {
    expect(
      await writeWholeFile(
        '/dev/null',
        Buffer.from('x'),
        () => false,
        () => undefined,
      ),
    ).toBe(true);
  });
});
