#!/usr/bin/env node
// The `port-auditor` command: the built CLI when `npm run build` has run, else the sources via tsx.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'main', 'cli.mjs');

if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      path.join(root, 'main', 'cli', 'index.ts'),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit', cwd: process.cwd() },
  );
  process.exit(result.status ?? 1);
}
