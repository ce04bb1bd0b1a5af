import { runCli } from './program.js';

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
