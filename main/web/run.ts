import { say } from '../locale.js';
import { bothLanguages } from '../../app/text/catalogue.js';
import { openBrowser } from '../open-browser.js';
import { writeLaunchFile, type LaunchFile } from './launch-file.js';
import { startWebHost, type WebHost, type WebHostOptions } from './server.js';

/**
 * Starts browser mode as a user runs it: prints exactly one `PORT_AUDITOR_URL=<url>` line on
 * stdout once it listens (for the user, scripts and tests), opens the browser on a launch page
 * only this user can read (unless `open` is false or there is no display), deletes that page once
 * the token is redeemed, and stops cleanly on Ctrl+C or SIGTERM.
 */
export async function runBrowserHost(
  options: Pick<WebHostOptions, 'port' | 'rendererDir'> & { open: boolean },
): Promise<WebHost> {
  let launch: LaunchFile | null = null;
  let redeemed = false;
  const host = await startWebHost({
    ...options,
    onRedeemed: () => {
      redeemed = true;
      launch?.remove();
    },
  });
  process.stdout.write(`PORT_AUDITOR_URL=${host.url}\n`);
  let opened = false;
  if (options.open) {
    launch = writeLaunchFile(host.url);
    opened = openBrowser(launch.path);
    if (!opened || redeemed) launch.remove();
  }
  process.stdout.write(
    `${say(bothLanguages(opened ? 'messages:web.opening' : 'messages:web.openYourself'))}\n`,
  );
  const stop = () => {
    launch?.remove();
    void host.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return host;
}
