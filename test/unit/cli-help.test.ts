import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../app/contract/index.js';
import { runCli } from '../../main/cli/program.js';

// Review of issue 15 (new user), #14: `port-auditor help scan` was an unknown command, `block`
// refused to run without --proto, and the README's synopsis of `scan` left out options its help
// lists.

/** Runs the CLI in `language` and returns its exit code and what it wrote. */
async function run(argv: string[], language: Language) {
  let stdout = '';
  let stderr = '';
  const sink = (write: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        write(String(chunk));
        done();
      },
    });
  const code = await runCli(argv, {
    language,
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
  });
  return { code, stdout, stderr };
}

describe('the CLI’s help', () => {
  it.each<Language>(['fr', 'en'])(
    '`help scan` prints what `scan --help` prints (%s)',
    async (lang) => {
      const viaCommand = await run(['help', 'scan'], lang);
      const viaOption = await run(['scan', '--help'], lang);
      expect(viaCommand.code).toBe(0);
      expect(viaCommand.stderr).toBe('');
      expect(viaCommand.stdout).toBe(viaOption.stdout);
      expect(viaCommand.stdout).toMatch(/port-auditor scan/);
    },
  );

  it('lists `help` among the commands, in the user’s language', async () => {
    expect((await run(['--help'], 'fr')).stdout).toMatch(
      /^ {2}help \[commande\] +affiche l’aide d’une commande$/m,
    );
    expect((await run(['--help'], 'en')).stdout).toMatch(
      /^ {2}help \[command\] +show help for a command$/m,
    );
  });

  it('French `history --help` says « analyse » and quotes the JSON field names (review 15 N10)', async () => {
    const help = (await run(['history', '--help'], 'fr')).stdout.replace(/\s+/g, ' ');
    expect(help).not.toMatch(/\bscans rangés|par savedAt/);
    // Spaces of any kind as one (the help wraps lines; \s also matches U+00A0).
    expect(help).toContain('le champ « scans » liste les analyses conservées');
    expect(help).toContain('« startedAt » est la date de l’analyse');
  });

  it('shows --proto’s default (tcp): block no longer needs it', async () => {
    const help = (await run(['block', '--help'], 'fr')).stdout;
    expect(help).toMatch(/--proto <protocole> +tcp ou udp \(par défaut\u00a0: tcp\)/);
  });

  it.each<Language>(['fr', 'en'])(
    'block takes -p as scan does, and a missing port names both forms (review 15, F8) (%s)',
    async (lang) => {
      // The placeholder is the same word in both languages.
      const port = 'port';
      expect((await run(['scan', '--help'], lang)).stdout).toMatch(/^ {2}-p, --ports </m);
      expect((await run(['block', '--help'], lang)).stdout).toMatch(
        new RegExp(`^ {2}-p, --port <${port}>`, 'm'),
      );
      const missing = await run(['block', '--proto', 'tcp'], lang);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain(`-p, --port <${port}>`);
    },
  );

  it('English lists of the report’s formats all take the serial comma (review 15, F8)', async () => {
    const help = (await run(['report', '--help'], 'en')).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('pdf, json, csv, or nmap-xml');
    expect(help).not.toMatch(/csv or/);
  });

  it('has the README’s synopsis of scan match its real help', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const synopsis = /^`(scan [^`]+)`, with the options `([^`]+)`/m.exec(readme);
    expect(synopsis).not.toBeNull();
    const help = (await run(['scan', '--help'], 'en')).stdout;
    expect(help.split('\n')[0]).toBe(`Usage: port-auditor ${synopsis![1]}`);
    // Every option the help lists, in its order, as the README writes it.
    const options = [...help.matchAll(/^ {2}((?:-\w, )?--[\w-]+)(?: (<[\w-]+>))?/gm)]
      .filter((m) => m[1] !== '-h, --help')
      .map((m) => {
        const flags = m[1]!.replace(', ', '|');
        return `[${flags}${m[2] ? ` ${m[2]}` : ''}]`;
      });
    expect(synopsis![2]!.replace(/\s+/g, ' ')).toBe(options.join(' '));
  });
});
