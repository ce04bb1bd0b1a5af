// `npm run test:windows-live`: the live Windows suite runs only where it was meant to (a throwaway
// Windows VM that sets PORT_AUDITOR_WINDOWS_LIVE=1); anywhere else, say so instead of vitest's
// bare "No projects matched the filter".
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.env.PORT_AUDITOR_WINDOWS_LIVE !== '1') {
  process.stderr.write(
    'The Windows live suite changes the real firewall: it runs only on a throwaway Windows VM with ' +
      'PORT_AUDITOR_WINDOWS_LIVE=1 set (see README, Tests).\n' +
      'La suite Windows en direct modifie le vrai pare-feu : elle ne tourne que sur une VM Windows ' +
      'jetable avec PORT_AUDITOR_WINDOWS_LIVE=1 (voir le README, Tests).\n',
  );
  process.exit(2);
}
// vitest's own command (its package exports no subpath for it).
const vitest = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'node_modules',
  'vitest',
  'vitest.mjs',
);
const run = spawnSync(process.execPath, [vitest, 'run', '--project', 'windows-live'], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
