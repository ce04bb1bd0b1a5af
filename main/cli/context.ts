import type { Command } from 'commander';
import type { LocalClient } from '../../app/api/local-client.js';
import type { Language, LocalizedText } from '../../app/contract/index.js';

/**
 * What a command may use besides its options: the app (through the contract, as the window and the
 * browser page use it), the output streams and the user's language.
 */
export interface CliContext {
  /** The app's composition root in this process; created on first call, disposed when the run ends. */
  app: LocalClient;
  language: Language;
  say(text: LocalizedText): string;
  /** The `cli` catalogue's text for `key` in the user's language (i18next: plurals, Intl numbers). */
  text(key: string, params?: Record<string, unknown>): string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /**
   * Draws the one-line progress on stderr (a terminal only), replacing the previous one; an empty
   * text clears it. Separate from stderr because stdout and stderr neutralise control characters.
   */
  drawProgress(text: string): void;
  /** The exit code the process ends with when the command returns normally (default 0). */
  setExitCode(code: number): void;
}

/**
 * A CLI command: registers itself (name, options, action) on the program. Each lives in
 * main/cli/commands/<name>.ts as its default export and is listed in main/cli/commands/index.ts.
 * An action reports bad input by throwing an AppFailure (exit code 2, message in the user's language).
 */
export type CliCommand = (program: Command, ctx: CliContext) => void;

export const EXIT = { ok: 0, internal: 1, usage: 2, interrupted: 130 } as const;
