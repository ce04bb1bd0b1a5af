import { runCli } from './program.js';

// Output piped into a reader that stopped reading (`port-auditor block … | head -1`): what is left
// to say has nowhere to go, but the command itself (a firewall change already applied, its
// journal) must run to its end instead of dying on an unhandled 'error' event.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

// `port-auditor …` (bin/port-auditor.mjs, dist/main/cli.mjs) and `npm run cli -- …` (tsx).
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // A worker or socket left open must not keep a finished command alive; the timer does not
    // hold the process by itself, so a clean exit stays immediate.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
