import { Command, CommanderError } from 'commander';
import { localClient } from '../../app/api/local-client.js';
import { APP_NAME, APP_VERSION } from '../../app/identity.js';
import type { Language } from '../../app/contract/index.js';
import { AppFailure, toAppError } from '../../app/errors.js';
import { textFor } from '../../app/text/catalogue.js';
import { withoutDisplayControls } from '../../app/text/control-characters.js';
import { hostLanguage } from '../locale.js';
import { localizeCommander, usageMessage } from './commander-text.js';
import * as commands from './commands/index.js';
import { EXIT, type CliContext } from './context.js';
import { errorLine } from './text.js';

export interface CliIO {
  stdout?: CliContext['stdout'];
  stderr?: CliContext['stderr'];
  language?: Language;
}

export function buildProgram(ctx: CliContext): Command {
  const t = textFor(ctx.language, 'cli');
  const program = new Command('port-auditor')
    .description(String(t('program.description', { app: APP_NAME })))
    .version(APP_VERSION, '-V, --version', String(t('help.version')))
    .helpOption('-h, --help', String(t('help.help')))
    // `port-auditor help scan` as well as `scan --help`: commander's own help command, its
    // placeholder and description in the user's language.
    .helpCommand(`help ${String(t('help.commandWord'))}`, String(t('help.helpCommand')))
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      // Usage errors are printed by runCli, in the user's language.
      outputError: () => {},
    });
  for (const register of Object.values(commands)) register(program, ctx);
  localizeCommander(program, t);
  return program;
}

/** Runs the CLI and resolves with its exit code; never calls process.exit itself. */
export async function runCli(argv: string[], io: CliIO = {}): Promise<number> {
  const language = io.language ?? hostLanguage;
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let exitCode: number = EXIT.ok;
  const app = localClient({ host: 'cli' });
  const ctx: CliContext = {
    app,
    language,
    say: (text) => text[language],
    text: (key, params) => String(textFor(language, 'cli')(key, params ?? {})),
    stdout: displaySafe(stdout),
    stderr: displaySafe(stderr),
    drawProgress: (text) => stderr.write(`\r\x1b[K${withoutDisplayControls(text)}`),
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  const program = buildProgram(ctx);
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok; // --help, --version
      // Help shown instead of running (a command that needs a subcommand): it says it all.
      if (error.code === 'commander.help') return EXIT.usage;
      ctx.stderr.write(`${usageMessage(error, argv, textFor(language, 'cli'))}\n`);
      return EXIT.usage;
    }
    const appError = toAppError(error);
    // Quoted user input may hold a line feed or an escape: one line, written as such (N7).
    ctx.stderr.write(`${errorLine(appError.message[language])}\n`);
    // The app's text says "confirm"; on the command line, that is an option.
    if (appError.code === 'scan.confirmationRequired' && appError.params?.reason !== 'adapters') {
      ctx.stderr.write(`${ctx.text('failure.confirmWithYes')}\n`);
    }
    return error instanceof AppFailure ? EXIT.usage : EXIT.internal;
  } finally {
    await app.dispose();
  }
}

/**
 * The stream with every string written through withoutDisplayControls: host names, banners and
 * imported files reach the terminal as text and cannot drive it (ECMA-48 escape sequences).
 */
function displaySafe<S extends NodeJS.WritableStream>(stream: S): S {
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') {
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...args: unknown[]) => boolean)(
            typeof chunk === 'string' ? withoutDisplayControls(chunk) : chunk,
            ...rest,
          );
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
