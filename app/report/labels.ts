import type { Language, LocalizedText } from '../contract/index.js';
import { formatDate } from '../contract/datetime.js';
import { textFor } from '../text/catalogue.js';
import { inBothLanguages } from '../text/per-language.js';

/**
 * What to tell about a host that answers open on (nearly) every port (HostResult.answersEveryPort):
 * the CLI and the PDF show this once instead of one verdict per port, in the words the page shows
 * (`scan:host.everyPort`), counts formatted by the language ("30 000", "30,000").
 */
export function everyPortText(every: { open: number; probed: number }): {
  title: LocalizedText;
  body: LocalizedText;
} {
  return {
    title: inBothLanguages('scan:host.everyPort.title', () => ({})),
    body: inBothLanguages('scan:host.everyPort.body', () => ({
      open: every.open,
      probed: every.probed,
    })),
  };
}

export function say(text: LocalizedText, lang: Language): string {
  return text[lang];
}

/** The BCP 47 tag a report in `lang` is written for ("fr-FR", "en-GB"): its dates and numbers. */
function languageTag(lang: Language): string {
  return String(textFor(lang, 'pdf')('meta.languageTag'));
}

/** Date and time as a reader of that language writes them, with the offset so it is unambiguous. */
export function formatDateTime(iso: string, lang: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const format = new Intl.DateTimeFormat(languageTag(lang), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  });
  return formatDate(format, date);
}

/** The named sets of targets and ports, by the name typed, → the `pdf:spec` sentence naming each. */
const NAMED: Record<'targets' | 'ports', Record<string, (lang: Language) => string>> = {
  targets: {
    'this-pc': (lang) => textFor(lang, 'pdf')('spec.targets.thisPc'),
    'local-network': (lang) => textFor(lang, 'pdf')('spec.targets.localNetwork'),
  },
  ports: {
    top100: (lang) => textFor(lang, 'pdf')('spec.ports.top', { count: 100 }),
    top1000: (lang) => textFor(lang, 'pdf')('spec.ports.top', { count: 1000 }),
    '-': (lang) => textFor(lang, 'pdf')('spec.ports.all'),
  },
};

/**
 * The user's target or port text with the named sets spelled out in plain words ("this-pc" →
 * "this PC", "top1000" → "the 1,000 most common ports"): a report is read by people who never
 * typed the CLI's keywords, which read as jargon there (issue 13 rev13user F5); addresses and
 * port numbers stay as typed.
 */
export function describeSpec(spec: string, kind: 'targets' | 'ports', lang: Language): string {
  const named = NAMED[kind];
  const tokens = spec.split(/[\s,]+/).filter(Boolean);
  if (!tokens.some((token) => named[token.toLowerCase()])) return spec;
  return tokens
    .map((token) => {
      const label = named[token.toLowerCase()];
      return label ? label(lang) : token;
    })
    .join(', ');
}

/**
 * A scan's duration (`ms`, milliseconds) in the words the page uses (`scan:summary.duration*`):
 * seconds with one decimal under a minute ("1,5 s", "1.5 s"), else whole minutes and seconds;
 * "?" for a duration that is not one (negative, NaN).
 */
export function formatDuration(ms: number, lang: Language): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const t = textFor(lang, 'scan');
  const tag = languageTag(lang);
  const seconds = ms / 1000;
  if (seconds < 60) {
    const tenths = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
    return t('summary.durationSeconds', {
      seconds: new Intl.NumberFormat(tag, tenths).format(seconds),
    });
  }
  // Rounded as a whole first, so 119.6 s reads "2 min 0 s", never "1 min 60 s".
  const rounded = Math.round(seconds);
  const whole = new Intl.NumberFormat(tag);
  return t('summary.durationMinutes', {
    minutes: whole.format(Math.floor(rounded / 60)),
    seconds: whole.format(rounded % 60),
  });
}
