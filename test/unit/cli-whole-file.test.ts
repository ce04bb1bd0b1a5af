import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
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

  it('replaces a file keeping its permissions', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'mine.json');
    writeFileSync(out, 'old');
    chmodSync(out, 0o600);
    expect(await writeWholeFile(out, Buffer.from('new'))).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('new');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['mine.json']);
  });

  it('a link planted at the output path is replaced, its target untouched', async () => {
    const dir = tempDir();
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    chmodSync(victim, 0o600);
    const link = path.join(dir, 'report.csv');
    symlinkSync(victim, link);
    expect(await writeWholeFile(link, Buffer.from('new'))).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(lstatSync(link).isFile()).toBe(true);
    expect(readFileSync(link, 'utf8')).toBe('new');
    expect(readdirSync(dir).sort()).toEqual(['report.csv', 'victim.txt']);
  });

  it('a link to a FIFO is replaced without opening the FIFO', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'pipe');
    execFileSync('/usr/bin/mkfifo', [fifo]);
    const link = path.join(dir, 'out.json');
    symlinkSync(fifo, link);
    expect(await writeWholeFile(link, Buffer.from('{}'))).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readFileSync(link, 'utf8')).toBe('{}');
  });

  it('a FIFO at the output path is refused (ENOTFILE) without blocking, no reader or one', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'report.pdf');
    execFileSync('/usr/bin/mkfifo', [fifo]);
    await expect(writeWholeFile(fifo, Buffer.from('x'))).rejects.toMatchObject({
      code: 'ENOTFILE',
    });
    // With a reader holding it open, the open succeeds: the handle's fstat refuses it.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      await expect(writeWholeFile(fifo, Buffer.from('x'))).rejects.toMatchObject({
        code: 'ENOTFILE',
      });
    } finally {
      closeSync(reader);
    }
    expect(readdirSync(dir)).toEqual(['report.pdf']);
  });

  it('a folder at the output path is refused', async () => {
    const dir = tempDir();
    const folder = path.join(dir, 'out.json');
    mkdirSync(folder);
    await expect(writeWholeFile(folder, Buffer.from('x'))).rejects.toMatchObject({
      code: 'EISDIR',
    });
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('a character device (/dev/null) is written in place, data given piece by piece', async () => {
    expect(await writeWholeFile('/dev/null', Buffer.from('x'))).toBe(true);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
    const pieces: string[] = [];
    expect(
      await writeWholeFile('/dev/null', async (write) => {
        for (const piece of ['{', '}']) {
          await write(piece);
          pieces.push(piece);
        }
      }),
    ).toBe(true);
    expect(pieces).toEqual(['{', '}']);
  });

  it('/dev/fd/N is the descriptor this process holds: written through it, not replaced', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'redirected.json');
    const fd = openSync(out, 'w');
    try {
      expect(await writeWholeFile(`/dev/fd/${fd}`, Buffer.from('{"a":1}'))).toBe(true);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(out, 'utf8')).toBe('{"a":1}');
    expect(readdirSync(dir)).toEqual(['redirected.json']);
  });

  it('a writer that throws leaves no partial file and the old file as it was', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'scan.json');
    writeFileSync(out, 'before');
    await expect(
      writeWholeFile(out, async (write) => {
        await write('half');
        throw new Error('page read failed');
      }),
    ).rejects.toThrow('page read failed');
    expect(readFileSync(out, 'utf8')).toBe('before');
    expect(readdirSync(dir)).toEqual(['scan.json']);
  });
});
