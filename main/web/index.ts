import { parseWebArgs } from './args.js';
import { runBrowserHost } from './run.js';

/**
 * Standalone browser-mode host: `node dist/main/web.mjs [--port N] [--no-open]`. Prints exactly one
 * `PORT_AUDITOR_URL=<url>` line on stdout once it listens, for scripts and tests to read.
 */
Promise.resolve()
  .then(() => runBrowserHost(parseWebArgs(process.argv.slice(2))))
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
