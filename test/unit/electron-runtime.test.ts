import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { electronExecutable, fetchElectron } from '../../main/electron-runtime.js';

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

describe('fetchElectron', () => {
  // A stand-in for Electron's install.js: it writes the runtime the way the real one does.
  function installer(root: string, delayMs: number): string {
    const file = path.join(root, 'fake-install.cjs');
    const pkg = path.join(root, 'node_modules', 'electron');
    writeFileSync(
      file,
      `setTimeout(() => {
        require('fs').writeFileSync(${JSON.stringify(path.join(pkg, 'dist', 'electron'))}, '');
        require('fs').writeFileSync(${JSON.stringify(path.join(pkg, 'path.txt'))}, 'electron');
      }, ${delayMs});`,
    );
    return file;
  }
  const waitFor = async (check: () => boolean, ms: number) => {
    const end = Date.now() + ms;
    while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    return check();
  };

  it('returns the runtime when the download ends within the wait', async () => {
    const root = fakeRoot(null, null);
    const outcome = await fetchElectron(root, 10_000, installer(root, 0));
    expect(outcome).toEqual({
      executable: path.join(root, 'node_modules', 'electron', 'dist', 'electron'),
      stillDownloading: false,
    });
  });
  it('lets a slow download finish in the background instead of killing it', async () => {
    const root = fakeRoot(null, null);
    const outcome = await fetchElectron(root, 200, installer(root, 1500));
    expect(outcome).toEqual({ executable: null, stillDownloading: true });
    expect(await waitFor(() => electronExecutable(root) !== null, 10_000)).toBe(true);
  });
  it('reports a failed download (offline) as missing, not downloading', async () => {
    const root = fakeRoot(null, null);
    const failing = path.join(root, 'fail.cjs');
    writeFileSync(failing, 'process.exit(1);');
    expect(await fetchElectron(root, 10_000, failing)).toEqual({
      executable: null,
      stillDownloading: false,
    });
  });
});
