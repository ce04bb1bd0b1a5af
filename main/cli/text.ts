import type { Language, LocalizedText } from '../../app/contract/index.js';
import { isLocalizedText } from '../../app/errors.js';
import { textFor } from '../../app/text/catalogue.js';
import { escapedArgument, escapedControls } from '../../app/contract/outside-words.js';

/**
 * The `cli` catalogue's text for `key` in both languages, for an AppFailure's message (the app
 * shows either). A parameter given as `{ fr, en }` is taken in each language ("permission
 * denied" / "accès refusé"); the others are the same in both. A string parameter is the user's
 * own words (a file name, an id, an option's value): quoted on one line, a line feed or an escape
 * written as `\n` or `\u001b`, capped (escapedArgument; issue 15, N7).
 */
export function cliMessage(key: string, params: Record<string, unknown> = {}): LocalizedText {
  const inLanguage = (language: Language) =>
    String(
      textFor(language, 'cli')(
        key,
        Object.fromEntries(
          Object.entries(params).map(([name, value]) => [
            name,
            isLocalizedText(value)
              ? value[language]
              : typeof value === 'string'
                ? escapedArgument(value)
                : value,
          ]),
        ),
      ),
    );
  return { fr: inLanguage('fr'), en: inLanguage('en') };
}

/**
 * Why a file could not be read or written, in words (Node's error codes — ENOENT, EACCES… — are
 * for developers): "no such file or folder" / "fichier ou dossier introuvable".
 */
export function fileProblem(error: unknown): LocalizedText {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = ['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ENOSPC', 'EROFS', 'ENOTFILE'];
  return code && known.includes(code)
    ? cliMessage(`fileProblem.${code}`)
    : cliMessage('fileProblem.other', { code: code ?? String(error) });
}

/**
 * An app's error as the CLI's human output writes it: on one line, any line feed, carriage return,
 * tab, escape (ESC…), bidi control or invisible character left in it written as `\n`, `\u001b`…
 * (escapedControls), as the CLI's own errors quote the user's words (issue 15, N7). The app's
 * sentences are one line; what can put such a character there is the user's own input (a port
 * list, an address, an adapter's or a file's name) that a sentence quotes. Pure.
 */
export function errorLine(message: string): string {
  return escapedControls(message);
}
