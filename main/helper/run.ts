/**
 * What the elevated helper does, whichever program carries it: node running the self-contained
 * firewall-helper.mjs (Linux, started by pkexec through /usr/lib/port-auditor/firewall-helper or
 * firewall-read), or the installed desktop app started with ELECTRON_HELPER_FLAG (Windows, started
 * by UAC). The operations come from its own command line, the one the user approved; nothing is
 * read from a file a user process could write. The result goes to standard output (one JSON line;
 * nobody reads it on Windows, where ShellExecute cannot pipe) and is summed up in the exit code.
 */
import type { FirewallBackend } from '../../app/firewall/backend.js';
import { backendFor } from '../../app/firewall/backends.js';
import { parseHelperArgv } from '../../app/firewall/helper-argv.js';
import {
  executeOps,
  failureToWire,
  helperPlaces,
  HELPER_EXIT,
  helperExitCode,
  type HelperPlaces,
  type HelperResult,
} from '../../app/firewall/helper-protocol.js';

/** Where the helper writes and what it drives; the defaults are this system's. */
export interface HelperIo {
  stdout(line: string): void;
  backend?: FirewallBackend | null;
  platform?: NodeJS.Platform;
  /** Where it writes (see helperPlaces). */
  places?: HelperPlaces;
}

function refusal(error: unknown): HelperResult {
  return {
    version: 3,
    results: [{ ok: false, error: failureToWire(error) }],
    backup: null,
    rules: null,
    inspection: null,
    restored: [],
  };
}

/** Runs the helper for `argv` (the arguments after the program); returns the exit code. */
export async function runFirewallHelper(
  argv: readonly string[],
  io: HelperIo = { stdout: (line) => process.stdout.write(`${line}\n`) },
): Promise<number> {
  const platform = io.platform ?? process.platform;
  let parsed;
  try {
    parsed = parseHelperArgv(argv);
  } catch (error) {
    io.stdout(JSON.stringify(refusal(error)));
    return HELPER_EXIT.badRequest;
  }
  const backend =
    io.backend === undefined ? backendFor(platform, { elevatedHelper: true }) : io.backend;
  if (!backend) {
    io.stdout(JSON.stringify(refusal(new Error(`unsupported platform ${platform}`))));
    return HELPER_EXIT.unsupported;
  }
  const result = await executeOps(
    parsed.ops,
    backend,
    io.places ?? helperPlaces(platform),
    platform,
  );
  io.stdout(JSON.stringify(result));
  return helperExitCode(result);
}
