import type { ErrorCode } from '../../app/contract/error-codes.js';
import type { AppError } from '../../app/contract/errors.js';
import { inBothLanguages } from '../i18n/both.js';
import type { ConnectionState } from './create-api.js';

/** A failed call, carrying the app's AppError so the UI can show it in either language. */
export class ApiError extends Error {
  readonly appError: AppError;
  constructor(appError: AppError) {
    super(appError.message.en);
    this.name = 'ApiError';
    this.appError = appError;
  }
}

/** What a request gets while the connection to the app is lost (the bridge is reconnecting). */
export function connectionLostError(): AppError {
  return {
    code: 'connection.lost' satisfies ErrorCode,
    message: inBothLanguages('common:connection.lost'),
  };
}

/** What a request gets when the transport is in `state` (anything but open or connecting). */
export function connectionError(state: ConnectionState): AppError {
  switch (state) {
    case 'stopped':
      return {
        code: 'connection.stopped' satisfies ErrorCode,
        message: inBothLanguages('common:connection.stopped'),
      };
    case 'token-used':
      return {
        code: 'session.token-used' satisfies ErrorCode,
        message: inBothLanguages('common:connection.token-used'),
      };
    case 'refused':
      return {
        code: 'session.refused' satisfies ErrorCode,
        message: inBothLanguages('common:connection.refused'),
      };
    case 'rate-limited':
      return {
        code: 'connection.rate-limited' satisfies ErrorCode,
        message: inBothLanguages('common:connection.rate-limited'),
      };
    default:
      return connectionLostError();
  }
}

/** Anything caught in the UI becomes an AppError, so every failure is shown the same way. */
export function asAppError(error: unknown): AppError {
  if (error instanceof ApiError) return error.appError;
  // decodeXmlBytes' XmlEncodingError carries its AppError too; matched by shape so the renderer imports no contract runtime here.
  if (hasAppError(error)) return error.appError;
  const detail = error instanceof Error ? error.message : String(error);
  return {
    code: 'renderer.unexpected' satisfies ErrorCode,
    message: inBothLanguages('common:error.unexpected', { detail }),
  };
}

function hasAppError(error: unknown): error is { appError: AppError } {
  if (typeof error !== 'object' || error === null || !('appError' in error)) return false;
  const appError = (error as { appError: unknown }).appError;
  return (
    typeof appError === 'object' &&
    appError !== null &&
    typeof (appError as { code?: unknown }).code === 'string'
  );
}
