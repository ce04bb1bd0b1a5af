import { Code, type ErrorCode } from './contract/error-codes.js';
import type { AppError, LocalizedText } from './contract/errors.js';
import { bothLanguages } from './text/catalogue.js';

/**
 * The values a failure's sentence is written with, also sent as `AppError.params`. Numbers are
 * formatted by the catalogue in the reader's language (`{{count, number}}`: "262 144",
 * "262,144"), so they travel as numbers, never as pre-formatted text.
 */
export type MessageParams = NonNullable<AppError['params']>;

/**
 * Which sentence of a failure to write, and with what else than its params: `variant` picks one
 * of the sentences of a code that has several (errors.json `<code>.<variant>`); `text` adds values
 * the sentence names but that do not travel as `AppError.params` (a list of interfaces, a hint).
 */
export interface MessageOptions {
  variant?: string;
  text?: MessageParams;
}

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
  const key = options.variant ? `${code}.${options.variant}` : code;
  return bothLanguages(`errors:${key}`, { ...params, ...options.text });
}

/** Whether `value` is a sentence already written in both languages (`{ fr, en }`). */
export function isLocalizedText(value: unknown): value is LocalizedText {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LocalizedText).fr === 'string' &&
    typeof (value as LocalizedText).en === 'string'
  );
}

/**
 * A failure the user should read. Thrown anywhere in app/, turned into an AppError at the contract
 * boundary; anything else thrown becomes `internal` so no stack trace reaches the UI.
 *
 * `new AppFailure(code, params?, { variant?, text? })` takes its sentence from the catalogue (see
 * errorMessage). The older `new AppFailure(code, { fr, en }, params?)` form, a sentence written
 * in place, remains only for the call sites not yet moved to the catalogue (issue 15; the unit
 * test one-catalogue.test.ts counts them) and for sentences another process already wrote.
 */
export class AppFailure extends Error {
  readonly appError: AppError;
  constructor(code: ErrorCode, params?: MessageParams, options?: MessageOptions);
  constructor(code: ErrorCode, message: LocalizedText, params?: MessageParams);
  constructor(
    code: ErrorCode,
    messageOrParams?: LocalizedText | MessageParams,
    paramsOrOptions?: MessageParams | MessageOptions,
  ) {
    const written = isLocalizedText(messageOrParams);
    const params = written
      ? (paramsOrOptions as MessageParams | undefined)
      : (messageOrParams as MessageParams | undefined);
    const message = written
      ? messageOrParams
      : errorMessage(code, params, paramsOrOptions as MessageOptions | undefined);
    super(message.en);
    this.name = 'AppFailure';
    this.appError = { code, message, ...(params ? { params } : {}) };
  }

  /**
   * A failure another part of the app already reported as an AppError (the elevated helper's
   * answer, a scan worker's `failed` event), thrown on unchanged: its code is the reporter's, which
   * for a helper of another version may be one this version does not list.
   */
  static relay(error: AppError): AppFailure {
    return Object.assign(new AppFailure(Code.internal, error.message, error.params), {
      appError: error,
    });
  }
}

/** Throws `new AppFailure(…)` with the same arguments (see AppFailure). */
export function fail(code: ErrorCode, params?: MessageParams, options?: MessageOptions): never;
export function fail(code: ErrorCode, message: LocalizedText, params?: MessageParams): never;
export function fail(
  code: ErrorCode,
  messageOrParams?: LocalizedText | MessageParams,
  paramsOrOptions?: MessageParams | MessageOptions,
): never {
  throw isLocalizedText(messageOrParams)
    ? new AppFailure(code, messageOrParams, paramsOrOptions as MessageParams | undefined)
    : new AppFailure(code, messageOrParams, paramsOrOptions as MessageOptions | undefined);
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppFailure) return error.appError;
  const detail = error instanceof Error ? error.message : String(error);
  return {
    code: Code.internal,
    message: errorMessage(Code.internal, undefined, { text: { detail } }),
  };
}
