/**
 * Words from outside the app — one module for all of them (issue 15, N1/N2): a program's path or
 * name (any process can name itself anything), a file's name, a service banner, a host name, an
 * imported nmap file's words, a device's SSDP header, a firewall rule's name. In the contract so
 * the renderer, the CLI, the PDF and the risk rules quote them the same way.
 *
 * Text from outside the app — a program's path or name, a service banner, a host name, an imported
 * nmap file's words, a device's SSDP header — is neutralised by the functions of this module, once,
 * where it enters the app (or, for a sentence, where it becomes a catalogue parameter).
 *
 * The rule (sources: Unicode Technical Report #36 "Unicode Security Considerations" §3 and Unicode
 * Technical Standard #39 "Unicode Security Mechanisms" §3.1 `Default_Ignorable_Code_Point`; ECMA-48
 * for the control functions; UAX #9 §2 for the bidi controls; CVE-2021-42574 "Trojan Source"):
 *
 * - **Controls** a terminal or a text view acts on instead of showing: C0 other than tab and line
 *   feed (ESC starts ANSI/VT sequences that move the cursor, retitle the window or hide text; CR
 *   overwrites a line), DEL and C1 (U+0080–U+009F: CSI, OSC, NEL…) become U+FFFD, visible.
 * - **Bidi controls** that reorder what is displayed (U+061C, U+200E/U+200F, U+202A–U+202E,
 *   U+2066–U+2069) become U+FFFD: a name cannot reverse the sentence around it.
 * - **Invisible characters** (UTS #39 default-ignorables that render as nothing): U+00AD soft
 *   hyphen, U+034F, U+115F/U+1160/U+3164/U+FFA0 Hangul fillers, U+180E, U+200B–U+200D, U+2060–U+2064,
 *   U+206A–U+206F, U+FEFF, U+FFF9–U+FFFB, the tag characters U+E0000–U+E007F, become U+FFFD: a
 *   `printer\u200B.lan` is never shown as `printer.lan`.
 * - **One-line fields** (oneLine): tab, line feed, U+2028 and U+2029 additionally become a space,
 *   so a name never starts a line of its own that looks like the app's.
 *
 * Everything else is kept (accents, CJK, emoji without joiners): the text stays readable.
 */

const NEUTRALISED =
  '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f' +
  '\\u00ad\\u034f\\u061c\\u115f\\u1160\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064' +
  '\\u2066-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb\\u{e0000}-\\u{e007f}';
// eslint-disable-next-line no-misleading-character-class -- the joiners (U+200D, U+034F) are matched one by one on purpose
const DISPLAY_CONTROLS = new RegExp(`[${NEUTRALISED}\\r]`, 'gu');
/** The same, carriage return excepted: stored text such as a banner keeps its CRLF line ends. */
// eslint-disable-next-line no-misleading-character-class -- as above
const DISPLAY_CONTROLS_BUT_CR = new RegExp(`[${NEUTRALISED}]`, 'gu');

/**
 * Text from outside the app as it can be shown safely: each control, bidi control or invisible
 * character (see the module's rule) becomes U+FFFD, so it is seen, not obeyed. Tab and line feed
 * are kept, and carriage return too when `keepCarriageReturn` (text that is stored, like a
 * service banner's CRLF lines; a terminal is written through the strict form).
 * Pure; never throws.
 */
export function withoutDisplayControls(text: string, keepCarriageReturn = false): string {
  return text.replace(keepCarriageReturn ? DISPLAY_CONTROLS_BUT_CR : DISPLAY_CONTROLS, '\uFFFD');
}

/**
 * Text for a one-line field or a sentence's parameter (a host, service, product or program name,
 * a path, a file name, an nmap command line): neutralised as withoutDisplayControls does, and tab,
 * line feed, U+2028/U+2029 made spaces (CR and NEL are already U+FFFD), so it cannot start lines
 * of its own that look like the app's. When `maxCodePoints` is given, a longer text is cut to that
 * many code points, the last one being "…" (see capped). Pure.
 */
export function oneLine(text: string, maxCodePoints?: number): string {
  const line = withoutDisplayControls(text).replace(/[\t\n\u2028\u2029]/gu, ' ');
  return maxCodePoints === undefined ? line : capped(line, maxCodePoints);
}

/**
 * `text` cut to at most `maxCodePoints` code points (not UTF-16 units, so a surrogate pair is never
 * split), ending in "…" when it was cut. `maxCodePoints` below 1 is taken as 1. Pure.
 */
export function capped(text: string, maxCodePoints: number): string {
  const max = Math.max(1, Math.floor(maxCodePoints));
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/** How many code points `text` has: the width a terminal column gives it, near enough. Pure. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/**
 * Outside words as they are quoted inside one of the app's sentences: oneLine, and the quotation
 * marks that could close our quotation early swapped for their single forms
 * (withoutClosingQuotes). `maxCodePoints` as for oneLine. Pure.
 */
export function quotable(text: string, maxCodePoints?: number): string {
  return oneLine(withoutClosingQuotes(text), maxCodePoints);
}

/**
 * Words from outside the app (issue 15, F2): the quotation marks that could close our quotation
 * early (« » “ ” ") become their single forms (‹ › ‘ ’ '), so `x ». Port Auditor a vérifié…` stays
 * inside the quote. Pure.
 */
export function withoutClosingQuotes(text: string): string {
  return text.replace(/[«»“”"]/gu, (mark) => QUOTE_SWAP[mark] ?? mark);
}

const QUOTE_SWAP: Record<string, string> = { '«': '‹', '»': '›', '“': '‘', '”': '’', '"': "'" };

/** The languages whose quotation marks `quoted` knows (the catalogue's languages). */
export type QuoteLanguage = 'fr' | 'en';

/**
 * How many code points of outside words a sentence shows, by kind: enough to recognise a program,
 * a file or a path, never a 10,000-character name that pushes the app's own words off the screen.
 */
export const OUTSIDE_WORDS_MAX = {
  /** A program's or a service's name. */
  name: 64,
  /** An executable's path (Windows' MAX_PATH). */
  path: 260,
  /** A file's name, without its folder. */
  fileName: 120,
  /** A user's argument on the command line, or a firewall rule's name. */
  argument: 120,
} as const;

/**
 * Outside words as one of the app's sentences quotes them, in the language's quotation marks:
 * « mot » in French (no-break spaces U+00A0 inside the guillemets), “word” in English. The words
 * are neutralised first (quotable: controls, bidi controls and invisible characters shown as
 * U+FFFD, line breaks made spaces, our closing quotes swapped for single ones) and cut to
 * `maxCodePoints` with an ellipsis, so nothing inside can end the quotation, reorder the sentence
 * or drown it. Empty words are quoted as empty quotes, never dropped silently. Pure.
 */
export function quoted(
  text: string,
  language: QuoteLanguage,
  maxCodePoints: number = OUTSIDE_WORDS_MAX.name,
): string {
  const words = quotable(text, maxCodePoints);
  const [open, close] = QUOTES[language];
  return `${open}${words}${close}`;
}

/** Each language's quotation marks, as its typography writes them around a quotation. */
const QUOTES: Record<QuoteLanguage, readonly [string, string]> = {
  fr: ['«\u00a0', '\u00a0»'],
  en: ['“', '”'],
};

/**
 * A program as a sentence names it: its name quoted (quoted), then its PID and the services it
 * hosts, which the system gives ("« python3 » (PID 15391)"; "“svchost.exe” (PID 912) — “Dnscache”").
 * A PID of 0 (unknown) gives the quoted name alone. Pure.
 */
export function quotedProgram(
  program: { name: string; pid: number; services?: readonly string[] },
  language: QuoteLanguage,
): string {
  const name = quoted(program.name, language);
  const label = program.pid > 0 ? `${name} (PID ${program.pid})` : name;
  const services = program.services?.length
    ? ` — ${program.services
        .slice(0, 8)
        .map((s) => quoted(s, language))
        .join(', ')}`
    : '';
  return label + services;
}

/** Line breaks and tab as a program's source writes them; other characters as `\u` escapes. */
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
// eslint-disable-next-line no-misleading-character-class -- the joiners are matched one by one on purpose
const ESCAPED = new RegExp(`[${NEUTRALISED}\\r\\n\\t\\u2028\\u2029]`, 'gu');

/**
 * A user's own words (a command-line argument: a file name, an id, an option) as an error message
 * quotes them, on one line (issue 15, N7): a line feed, carriage return or tab is written `\n`,
 * `\r`, `\t`, and every other control, bidi control or invisible character as its escape
 * (`\u001b`, `\u202e`, `\u{e0041}`), so the user sees exactly what was typed or pasted, and
 * nothing in it moves the cursor or starts a line. Every other character is kept as typed,
 * quotation marks included (issue 15, N9): `my"file».json` is quoted « my"file».json », so the
 * user can find or retype it — the words are the user's own, not a third party's that could
 * fake the end of our sentence (those go through quotable). The words are cut to `maxCodePoints`
 * with "…" before escaping (so an escape is never cut). Pure.
 */
export function escapedArgument(
  text: string,
  maxCodePoints: number = OUTSIDE_WORDS_MAX.argument,
): string {
  return escapedControls(capped(text, maxCodePoints));
}

/**
 * `text` with the characters escapedArgument escapes written as escapes, and nothing else changed
 * (for a library's own message that holds the user's words, such as commander's). Pure.
 */
export function escapedControls(text: string): string {
  return text.replace(ESCAPED, (c) => {
    const named = NAMED_ESCAPES[c];
    if (named) return named;
    const code = c.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A file's name (an imported nmap or JSON file, a picked file) as a sentence or an accessible name
 * quotes it inside the catalogue's own quotation marks (issue 15, N2): neutralised and capped at
 * OUTSIDE_WORDS_MAX.fileName code points (quotable), so a name holding `» Port Auditor a vérifié`,
 * a line feed or 10,000 characters stays inside its quotes. Pure.
 */
export function fileNameWords(name: string): string {
  return quotable(name, OUTSIDE_WORDS_MAX.fileName);
}
