import type { AppError } from '../contract/errors.js';
import { Code } from '../contract/error-codes.js';
import { errorMessage } from '../errors.js';
import { AppFailure } from '../failure.js';
import { hasText, sentenceInBoth } from '../text/catalogue.js';
import { sentence, type SentenceValue } from '../text/sentence.js';
import type { HelperFailure, HelperResult } from './helper-protocol.js';

/** One operation's outcome as the app uses it: the helper's failure written in words. */
export type OpOutcome = { ok: true; ref?: string } | { ok: false; error: AppError };

/** The backup's outcome as the app uses it (see HelperResult.backup). */
export type BackupOutcome =
  { ok: true; path: string; created: boolean } | { ok: false; error: AppError } | null;

/**
 * A failure the helper sent (code, values, which sentence) as the contract's AppError, written
 * by this process's catalogue in both languages. The code is already one of this version's
 * (HelperFailure's schema); a sentence the catalogue lacks (a variant or part of another
 * version) is not written as its key: the failure becomes `internal`, naming the code.
 */
export function helperFailureError(failure: HelperFailure): AppError {
  const text: Record<string, SentenceValue> = {};
  let known = true;
  for (const [name, value] of Object.entries(failure.text ?? {})) {
    if (typeof value === 'object') {
      known &&= hasText(value.key, value.params);
      text[name] = sentence(value.key, value.params);
    } else {
      text[name] = value;
    }
  }
  const written = new AppFailure(failure.code, failure.params, {
    ...(failure.variant ? { variant: failure.variant } : {}),
    text,
  });
  const main = written.sentence;
  if (!known || !main || !hasText(main.key, main.params)) {
    return {
      code: Code.internal,
      message: errorMessage(Code.internal, undefined, {
        text: { detail: `${failure.code}${failure.variant ? `.${failure.variant}` : ''}` },
      }),
    };
  }
  return {
    code: failure.code,
    message: sentenceInBoth(main),
    ...(failure.params ? { params: failure.params } : {}),
  };
}

/** Each operation's outcome of a helper result, its failures written (helperFailureError). */
export function opOutcomes(result: HelperResult): OpOutcome[] {
  return result.results.map((r) => (r.ok ? r : { ok: false, error: helperFailureError(r.error) }));
}

/** The backup's outcome of a helper result, its failure written (helperFailureError). */
export function backupOutcome(result: HelperResult): BackupOutcome {
  const backup = result.backup;
  if (!backup || backup.ok) return backup;
  return { ok: false, error: helperFailureError(backup.error) };
}
