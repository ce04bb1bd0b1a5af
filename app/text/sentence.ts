import type { LocalizedText } from '../contract/errors.js';

/**
 * A value a deferred sentence is written with: a plain value, words already written in both
 * languages (a firewall profile's name), or another catalogue sentence rendered in the same
 * language (a rule described as "TCP 22 (entrant)" inside a refusal).
 */
export type SentenceValue = string | number | boolean | LocalizedText | Sentence;

/**
 * A catalogue sentence not yet written: its key (`namespace:path`, as for textFor) and the values
 * it names. Code that must stay small (the elevated helper, and the firewall code it shares with
 * the app) carries these instead of text; the app writes them in the reader's language where they
 * are shown (renderSentence / sentenceInBoth in app/text/catalogue.ts). This module imports no
 * i18n library and no catalogue, so it costs the helper nothing.
 */
export interface Sentence {
  key: string;
  params?: Record<string, SentenceValue>;
}

/** A deferred sentence (see Sentence). */
export function sentence(key: string, params?: Record<string, SentenceValue>): Sentence {
  return params ? { key, params } : { key };
}

/** Whether `value` is a deferred sentence rather than a plain value or written words. */
export function isSentence(value: unknown): value is Sentence {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Sentence).key === 'string' &&
    !('fr' in value)
  );
}
