import type { AppError } from '../../app/contract/errors.js';

/** A failed call, carrying the app's AppError so the UI can show it in either language. */
export class ApiError extends Error {
  readonly appError: AppError;
  constructor(appError: AppError) {
    super(appError.message.en);
    this.name = 'ApiError';
    this.appError = appError;
  }
}

export function connectionLostError(): AppError {
  return {
    code: 'connection.lost',
    message: {
      fr: 'La connexion avec l’application a été perdue. Nouvelle tentative en cours…',
      en: 'The connection to the application was lost. Reconnecting…',
    },
  };
}

/** Anything caught in the UI becomes an AppError, so every failure is shown the same way. */
export function asAppError(error: unknown): AppError {
  if (error instanceof ApiError) return error.appError;
  // decodeXmlBytes' XmlEncodingError carries its AppError too; matched by shape so the renderer imports no contract runtime here.
  if (hasAppError(error)) return error.appError;
  const detail = error instanceof Error ? error.message : String(error);
  return {
    code: 'renderer.unexpected',
    message: {
      fr: `Erreur inattendue dans l’interface : ${detail}`,
      en: `Unexpected error in the interface: ${detail}`,
    },
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
