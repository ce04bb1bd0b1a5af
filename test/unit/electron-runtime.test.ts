import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { electronExecutable } from '../../main/electron-runtime.js';

const roots: string[] = [];
function fakeRoot(pathTxt: string | null, binary: string | null): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pa-electron-'));
  roots.push(root);
  const pkg = path.join(root, 'node_modules', 'electron');
  mkdirSync(path.join(pkg, 'dist'), { recursive: true });
  if (pathTxt !== null) writeFileSync(path.join(pkg, 'path.txt'), pathTxt);
  if (binary !== null) writeFileSync(path.join(pkg, 'dist', binary), '');
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('electronExecutable', () => {
  it('finds the runtime named by path.txt without loading the electron package', () => {
    const root = fakeRoot('electron', 'electron');
    expect(electronExecutable(root)).toBe(
      path.join(root, 'node_modules', 'electron', 'dist', 'electron'),
    );
  });
  it('reports it missing when path.txt or the binary is absent, or path.txt escapes dist', () => {
    expect(electronExecutable(fakeRoot(null, 'electron'))).toBeNull();
    expect(electronExecutable(fakeRoot('electron', null))).toBeNull();
    expect(electronExecutable(fakeRoot('../../../bin/sh', null))).toBeNull();
  });
});
