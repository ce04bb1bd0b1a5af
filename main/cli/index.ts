import { runCli } from './program.js';

// `port-auditor block … | head -1`: once the reader is gone, a write fails with EPIPE, which Node
// raises as an uncaught error: the command crashed midway (a rule applied, its verification never
// done, a --json file never written). It now goes on to its end, silently, with its own exit code;
// any other output error still stops it.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // Later writes to the closed stream fail as ERR_STREAM_DESTROYED: the same reader gone.
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
