import { say } from '../locale.js';
import { bothLanguages } from '../../app/text/catalogue.js';
import { readWebArgs } from './args.js';
import { runBrowserHost } from './run.js';

/**
 * Standalone browser-mode host: `node dist/main/web.mjs [--port N] [--no-open] [--help]`. Prints
 * exactly one `PORT_AUDITOR_URL=<url>` line on stdout once it listens, for scripts and tests to
 * read. `--help` prints the usage and exits 0; a bad option prints why on stderr and exits 2.
 */
Promise.resolve()
  .then(() => {
    let args;
    try {
      args = readWebArgs(process.argv.slice(2));
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${say(bothLanguages('messages:web.seeHelp', { problem }))}\n`);
      process.exit(2);
    }
    if (args.help) {
      process.stdout.write(`${say(bothLanguages('messages:web.usage'))}\n`);
      process.exit(0);
    }
    return runBrowserHost(args);
  })
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
