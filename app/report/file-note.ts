import type { Language } from '../contract/index.js';
import { quotable } from '../contract/outside-words.js';
import { textFor } from '../text/catalogue.js';

/** Code points kept of one note of a file: our own exports write a few short ones. */
export const MAX_FILE_NOTE = 500;

/** Whose words a note is: a report file's (`fileNote`) or an nmap file's (`nmapNote`). */
export type FileNoteKind = 'fileNote' | 'nmapNote';

const KINDS: readonly FileNoteKind[] = ['nmapNote', 'fileNote'];

/**
 * How each kind's label was written before file notes were quoted ("Note du fichier nmap : …",
 * "Note from the file: …"; a plain space or U+00A0 before the French colon): a note kept or
 * exported then loses that label before it is quoted, keeping the kind it names, so it is never
 * labelled twice and an nmap file's note stays one.
 */
const UNQUOTED_LABEL: Record<Language, Record<FileNoteKind, RegExp>> = {
  fr: { nmapNote: /^Note du fichier nmap[ \u00a0]: /u, fileNote: /^Note du fichier[ \u00a0]: /u },
  en: { nmapNote: /^Note from the nmap file: /u, fileNote: /^Note from the file: /u },
};

/** The label and closing mark of a kind's sentence around its words, in `lang`. */
function frame(lang: Language, kind: FileNoteKind): [string, string] {
  const marker = '\u0000';
  const [open = '', close = ''] = textFor(lang, 'messages')(`import.${kind}`, {
    note: marker,
  }).split(marker);
  return [open, close];
}

/**
 * Whether `text` is already a file's note as fileNoteText writes it: a kind's label, then the
 * file's words quoted (nothing in them that quotable would change), then the closing mark.
 */
export function isQuotedFileNote(lang: Language, text: string): boolean {
  return KINDS.some((kind) => {
    const [open, close] = frame(lang, kind);
    if (!text.startsWith(open) || !text.endsWith(close)) return false;
    if (text.length < open.length + close.length) return false;
    const words = text.slice(open.length, text.length - close.length);
    return words === quotable(words, MAX_FILE_NOTE);
  });
}

/**
 * A note a file holds (nmap's own message, a report's note), as the app shows it: labelled as the
 * file's ("Note du fichier nmap : « … »" / "Note from the nmap file: “…”", messages.json
 * `import.<kind>`) and quoted like any other outside words (issue 15): on one line, controls shown
 * as U+FFFD, our closing quotes swapped for single ones, cut to MAX_FILE_NOTE code points. A note
 * already written so is kept as it is; one labelled the way it was before notes were quoted loses
 * that label first (UNQUOTED_LABEL) and keeps its kind. Pure.
 */
export function fileNoteText(lang: Language, kind: FileNoteKind, note: string): string {
  if (isQuotedFileNote(lang, note)) return note;
  const labelled = KINDS.find((k) => UNQUOTED_LABEL[lang][k].test(note));
  const words = labelled ? note.replace(UNQUOTED_LABEL[lang][labelled], '') : note;
  return textFor(lang, 'messages')(`import.${labelled ?? kind}`, {
    note: quotable(words, MAX_FILE_NOTE),
  });
}
