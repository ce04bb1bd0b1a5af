import { Code, type ErrorCode } from './contract/error-codes.js';
import type { AppError, LocalizedText } from './contract/errors.js';

/**
 * A failure the user should read. Thrown anywhere in app/, turned into an AppError at the contract
 * boundary; anything else thrown becomes `internal` so no stack trace reaches the UI.
 */
export class AppFailure extends Error {
  readonly appError: AppError;
  constructor(code: ErrorCode, message: LocalizedText, params?: AppError['params']) {
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

export function fail(code: ErrorCode, message: LocalizedText, params?: AppError['params']): never {
  throw new AppFailure(code, message, params);
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppFailure) return error.appError;
  const detail = error instanceof Error ? error.message : String(error);
  return {
    code: Code.internal,
    message: {
      fr: `Erreur interne inattendue : ${detail}`,
      en: `Unexpected internal error: ${detail}`,
    },
  };
}
