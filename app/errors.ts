import { Code, type ErrorCode } from './contract/error-codes.js';
import type { AppError, LocalizedText } from './contract/errors.js';
import {
  AppFailure,
  failureSentence,
  setFailureWriter,
  type MessageOptions,
  type MessageParams,
} from './failure.js';
import { sentenceInBoth } from './text/catalogue.js';

/**
 * The app side of failures: AppFailure and friends (app/failure.ts, free of any catalogue so the
 * elevated helper can share the code that throws them) plus the catalogue that writes their
 * sentences. Importing this module is what lets an AppFailure be written in words in this process.
 */
export {
  AppFailure,
  fail,
  isLocalizedText,
  type MessageOptions,
  type MessageParams,
} from './failure.js';

setFailureWriter(sentenceInBoth);

/**
 * The sentence of failure `code` in both languages, from the catalogue namespace `errors`: the key
 * is the code itself ("scan.targets.tooMany" → errors.json `scan.targets.tooMany`) or, for a code
 * with several sentences, `<code>.<variant>` ("scan.targets.invalid.reversed").
 */
export function errorMessage(
  code: ErrorCode,
  params?: MessageParams,
  options: MessageOptions = {},
): LocalizedText {
  return sentenceInBoth(failureSentence(code, params, options));
}

/** Any thrown value as the contract sends it: an AppFailure as itself, anything else `internal`. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppFailure) return error.appError;
  const detail = error instanceof Error ? error.message : String(error);
  return {
    code: Code.internal,
    message: errorMessage(Code.internal, undefined, { text: { detail } }),
  };
}
