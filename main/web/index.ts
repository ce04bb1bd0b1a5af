import { openBrowser } from '../open-browser.js';
import { parseWebArgs } from './args.js';
import { startWebHost } from './server.js';

/**
 * Standalone browser-mode host: `node dist/main/web.mjs [--port N] [--no-open]`. Prints exactly one
 * `PORT_AUDITOR_URL=<url>` line on stdout once it listens, for scripts and tests to read.
 */
export async function runWebHost(argv: string[]): Promise<void> {
  const { port, open } = parseWebArgs(argv);
  const host = await startWebHost({ port });
  process.stdout.write(`PORT_AUDITOR_URL=${host.url}\n`);
  if (open) openBrowser(host.url);
  const stop = () => {
    void host.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

runWebHost(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
