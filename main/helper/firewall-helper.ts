/**
 * The helper as a plain node program (dist/main/firewall-helper.mjs): launched elevated (UAC on
 * Windows, pkexec on Linux) or directly when the app already runs as root.
 * Usage: firewall-helper --request FILE --result FILE
 */
import { runFirewallHelper } from './run.js';

runFirewallHelper(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
