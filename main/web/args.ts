import { say } from '../locale.js';
import { bothLanguages } from '../../app/text/catalogue.js';

/** What the browser-mode host's command line asks for: its usage, or a host to run. */
export type WebArgs = { help: true } | { help: false; port: number; open: boolean };

/** `--help`/`-h` anywhere on the command line: the user wants the usage, whatever else is there. */
function asksHelp(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === '--help' || arg === '-h');
}

/**
 * `--port N` (0 = random, the default) and `--no-open`; throws a localized message otherwise.
 * Use {@link readWebArgs} for a command line that may hold `--help`.
 */
export function parseWebArgs(argv: string[]): { port: number; open: boolean } {
  let port = 0;
  let open = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-open') open = false;
    else if (arg === '--port' || arg?.startsWith('--port=')) {
      const value = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      if (!value || !/^\d{1,5}$/.test(value) || Number(value) > 65535) {
        throw new Error(say(bothLanguages('messages:web.invalidPort', { value: value ?? '' })));
      }
      port = Number(value);
    } else {
      throw new Error(say(bothLanguages('messages:web.unknownOption', { arg: arg ?? '' })));
    }
  }
  return { port, open };
}

/** `node dist/main/web.mjs`'s command line: `--help`, or {@link parseWebArgs}'s options. */
export function readWebArgs(argv: string[]): WebArgs {
  return asksHelp(argv) ? { help: true } : { help: false, ...parseWebArgs(argv) };
}

/**
 * `npm start`'s command line (`node dist/main/start.mjs`): nothing, or `--help`/`-h`. Throws a
 * localized "unknown option" naming the first other argument: start.mjs picks the Electron window
 * or browser mode itself, so it takes no host options (web.mjs does).
 */
export function readStartArgs(argv: string[]): { help: boolean } {
  if (asksHelp(argv)) return { help: true };
  const [first] = argv;
  if (first !== undefined) {
    throw new Error(say(bothLanguages('messages:start.unknownOption', { arg: first })));
  }
  return { help: false };
}
