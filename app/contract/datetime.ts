import type { Language } from './app.js';

/** How much of the time is written: minutes everywhere, seconds where a minute is not enough. */
type TimeStyle = 'short' | 'medium';

const formats = (timeStyle: TimeStyle): Record<Language, Intl.DateTimeFormat> => ({
  // "30 nov. 2026, 11:41": the month in words, so no reader swaps day and month.
  fr: new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle }),
  // "30 Nov 2026, 11:41": British order with the month in words, a 24-hour clock.
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle }),
});

const FORMATS: Record<TimeStyle, Record<Language, Intl.DateTimeFormat>> = {
  short: formats('short'),
  medium: formats('medium'),
};

/** `iso` written in `style`, or `iso` itself when it is not a date. */
function written(iso: string, lang: Language, style: TimeStyle): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatDate(FORMATS[style][lang], date);
}

/**
 * A date and time as Port Auditor writes it everywhere a rule or an event is dated — the Rules
 * page, the PDF's tables, `port-auditor rules`, the results — in this PC's time zone (ECMA-402
 * Intl.DateTimeFormat). Pure, with no Node API, so the page and the app share it (the renderer
 * may import this module at run time, like xml-bytes). Text that is not a date comes back as is.
 */
export function formatDateTime(iso: string, lang: Language): string {
  return written(iso, lang, 'short');
}

/**
 * formatDateTime with the seconds ("30 Nov 2026, 11:41:07"): where a date must tell apart things
 * made in the same minute (two scans' "Open" buttons in History, which a screen reader names by
 * it). Text that is not a date comes back as is.
 */
export function formatDateTimeSeconds(iso: string, lang: Language): string {
  return written(iso, lang, 'medium');
}

/**
 * `date` written by `format`, with French's ordinal first day: "1er décembre", "1er déc." (the
 * Imprimerie nationale's rule, which Intl does not apply: it writes "1 décembre"). Other days and
 * other languages as Intl writes them.
 */
export function formatDate(format: Intl.DateTimeFormat, date: Date): string {
  if (!format.resolvedOptions().locale.startsWith('fr')) return format.format(date);
  return format
    .formatToParts(date)
    .map((part) => (part.type === 'day' && Number(part.value) === 1 ? '1er' : part.value))
    .join('');
}
