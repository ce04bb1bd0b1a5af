/**
 * The helper as a plain node program (dist/main/firewall-helper.mjs, installed as
 * /usr/lib/port-auditor/firewall-helper.mjs): bundled with every dependency, so root never loads a
 * module from a folder a user can write. Usage: firewall-helper.mjs [--read-only] OPERATIONS…
 * (grammar in app/firewall/helper-argv.ts).
 */
import { runFirewallHelper } from './run.js';

runFirewallHelper(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
