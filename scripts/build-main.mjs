// Bundles every Node-side entry into dist/main/ (flat, so bundles find each other by relative URL:
// the scan manager loads ./scan-worker.mjs next to whichever bundle contains it).
// To add an entry, add one line to `entries`.
import { build } from 'esbuild';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'main');

/** [output file in dist/main, source entry, kind]. `preload` is CommonJS and self-contained. */
export const entries = [
  ['start.mjs', 'main/start.ts', 'node'],
  ['web.mjs', 'main/web/index.ts', 'node'],
  ['cli.mjs', 'main/cli/index.ts', 'node'],
  ['electron-main.mjs', 'main/electron/main.ts', 'node'],
  ['preload.cjs', 'main/electron/preload.ts', 'preload'],
  ['scan-worker.mjs', 'app/scan/worker.ts', 'node'],
];

// ESM bundles may still meet a `require` from bundled CommonJS code; give them a real one.
const esmBanner = [
  "import { createRequire as __paCreateRequire } from 'node:module';",
  'const require = __paCreateRequire(import.meta.url);',
].join('\n');

function optionsFor(outfile, entry, kind) {
  const common = {
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: path.join(outdir, outfile),
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    legalComments: 'none',
  };
  if (kind === 'preload') {
    // Sandboxed preloads can require only `electron` and a few built-ins: bundle everything else.
    return { ...common, format: 'cjs', external: ['electron'] };
  }
  // node_modules stay external: native modules (better-sqlite3) and JSON data load from disk.
  return { ...common, format: 'esm', packages: 'external', banner: { js: esmBanner } };
}

export async function buildMain({ only } = {}) {
  const selected = only ? entries.filter(([out]) => only.includes(out)) : entries;
  const missing = selected.filter(([, entry]) => !existsSync(path.join(root, entry)));
  if (missing.length > 0) {
    throw new Error(`Missing entry source(s): ${missing.map(([, e]) => e).join(', ')}`);
  }
  if (!only) rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await Promise.all(selected.map(([out, entry, kind]) => build(optionsFor(out, entry, kind))));
  return selected.map(([out]) => path.join(outdir, out));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const only = process.argv.slice(2);
  buildMain(only.length > 0 ? { only } : {})
    .then((files) => {
      for (const file of files) console.log(`built ${path.relative(root, file)}`);
    })
    .catch((error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
